package dev.tributary.notice.config;

import dev.tributary.notice.dto.NoticeDtos;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The request records {@code NoticeService} serialises with its own canonical {@code ObjectMapper}
 * (the Idempotency-Key body fingerprint), registered for reflection so that a native executable
 * fingerprints them as the JVM does, whether or not a REST resource also registers them.
 */
@RegisterForReflection(targets = {NoticeDtos.CreateNotice.class, NoticeDtos.AudienceDto.class})
final class FingerprintedJsonTypes {
  private FingerprintedJsonTypes() {}
}
