package dev.tributary.ingestion.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /v1/projects/{writeKey}/settings}: Segment's CDN settings, holding what
 * the browser, mobile and C# libraries read when they start, and nothing that would make them load
 * code from elsewhere.
 *
 * <p>The libraries enable their Segment destination only when {@code integrations} has {@code
 * "Segment.io"} (Swift, React Native, C#), and follow its {@code apiHost} (Swift, Kotlin,
 * analytics-next): it is this deployment's, never Segment's. One integration only, no remote
 * plugins, no middleware and no video plugins, so analytics-next loads no further script; its own
 * metrics are off ({@code sampleRate} 0).
 */
public record LibrarySettings(
    Map<String, SegmentIo> integrations,
    Map<String, Object> plan,
    Map<String, Object> edgeFunction,
    Map<String, Object> middlewareSettings,
    Map<String, Object> enabledMiddleware,
    Metrics metrics,
    List<Object> remotePlugins,
    boolean legacyVideoPluginsEnabled,
    boolean analyticsNextEnabled) {

  /** The integration that delivers events to the Tracking API. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SegmentIo(
      /** The write key. */
      String apiKey,
      /**
       * {@code host[:port][/prefix]/v1}, without scheme, as Segment's {@code api.segment.io/v1}.
       */
      String apiHost,
      /** {@code https} or {@code http} (analytics-next; the mobile libraries always use https). */
      String protocol,
      List<String> unbundledIntegrations,
      boolean addBundledMetadata,
      Map<String, Object> maybeBundledConfigIds,
      /** analytics-next: standard (one request per event) or batching. */
      DeliveryStrategy deliveryStrategy) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeliveryStrategy(String strategy, BatchingConfig config) {}

  /** A batch goes when it holds {@code size} events or {@code timeout} milliseconds passed. */
  public record BatchingConfig(int size, long timeout) {}

  /** analytics-next's reports about itself; {@code sampleRate} 0 turns them off. */
  public record Metrics(double sampleRate, String host) {}

  public static LibrarySettings of(SegmentIo segmentIo) {
    return new LibrarySettings(
        Map.of("Segment.io", segmentIo),
        Map.of(
            "track", Map.of("__default", Map.of("enabled", true, "integrations", Map.of())),
            "identify", Map.of("__default", Map.of("enabled", true)),
            "group", Map.of("__default", Map.of("enabled", true))),
        Map.of(),
        Map.of(),
        Map.of(),
        new Metrics(0, segmentIo.apiHost()),
        List.of(),
        false,
        true);
  }
}
