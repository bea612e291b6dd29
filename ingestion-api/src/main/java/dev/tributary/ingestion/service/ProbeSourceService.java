package dev.tributary.ingestion.service;

import dev.tributary.ingestion.dto.AccountDtos.ProbeSourceRequest;
import dev.tributary.ingestion.dto.AccountDtos.ProbeSourceView;
import dev.tributary.ingestion.repository.ProbeSourceRepository;
import dev.tributary.ingestion.repository.ProbeSourceRepository.Outcome;
import dev.tributary.support.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sla-evaluator's probe sources: in the one workspace of kind PROBE, so probe events are
 * recognisable and never mixed into customer data. The caller derives each write key from its own
 * secret; a changed key replaces the old one.
 */
@ApplicationScoped
public class ProbeSourceService {

  static final int MIN_KEY_LENGTH = 24;
  static final int MAX_KEY_LENGTH = 200;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private final ProbeSourceRepository repository;
  private final SourceAuthenticator authenticator;
  private final Clock clock;

  public ProbeSourceService(
      ProbeSourceRepository repository, SourceAuthenticator authenticator, Clock clock) {
    this.repository = repository;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /**
   * Ensures the probe source {@code name} with the write key {@code request.writeKey()};
   * idempotent. After a key change this replica refuses the old key from the answer on, other
   * replicas within the key cache TTL ({@code tributary.ingestion.write-key-cache-ttl}, 10 s by
   * default).
   */
  public Uni<ProbeSourceView> ensure(String name, ProbeSourceRequest request) {
    String writeKey = validate(name, request);
    return repository
        .ensure(
            name,
            WriteKeys.hash(writeKey),
            WriteKeys.hint(writeKey),
            clock.instant().truncatedTo(ChronoUnit.MICROS))
        .map(
            ensured -> {
              switch (ensured.outcome()) {
                case KEY_REVOKED ->
                    throw new ApiException(
                        409,
                        "write_key_revoked",
                        "this write key of probe source "
                            + name
                            + " was revoked; derive a new one");
                case KEY_IN_USE ->
                    throw new ApiException(
                        409, "write_key_in_use", "another source already has this write key");
                case CREATED -> Log.infof("created probe source %s (%s)", name, ensured.sourceId());
                case KEY_CHANGED ->
                    Log.infof(
                        "changed the write key of probe source %s (%s)", name, ensured.sourceId());
                case UNCHANGED -> {}
              }
              return ensured;
            })
        // After the commit: a lookup between clearing and committing would cache the old row.
        .invoke(
            ensured -> {
              if (ensured.outcome() == Outcome.KEY_CHANGED) {
                authenticator.invalidateAll();
              }
            })
        .map(ensured -> new ProbeSourceView(ensured.workspaceId(), ensured.sourceId(), name));
  }

  /** The key, once name and key are valid; 422 {@code validation_failed} otherwise. */
  private static String validate(String name, ProbeSourceRequest request) {
    List<String> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add("name: must be 1 to 100 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
    }
    String writeKey = request == null ? null : request.writeKey();
    if (writeKey == null) {
      errors.add("writeKey: is required");
    } else if (writeKey.length() < MIN_KEY_LENGTH || writeKey.length() > MAX_KEY_LENGTH) {
      errors.add(
          "writeKey: must be " + MIN_KEY_LENGTH + " to " + MAX_KEY_LENGTH + " characters long");
    }
    if (!errors.isEmpty()) {
      throw new ApiException(422, "validation_failed", "the request is not valid", errors);
    }
    return writeKey;
  }
}
