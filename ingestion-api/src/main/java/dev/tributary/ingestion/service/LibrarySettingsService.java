package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.config.IngestionConfig.BrowserDelivery;
import dev.tributary.ingestion.dto.LibrarySettings;
import dev.tributary.ingestion.dto.LibrarySettings.BatchingConfig;
import dev.tributary.ingestion.dto.LibrarySettings.DeliveryStrategy;
import dev.tributary.ingestion.dto.LibrarySettings.SegmentIo;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the browser and mobile libraries fetch when they start ({@code GET
 * <cdnHost>/v1/projects/<writeKey>/settings}), so that each works with only its host settings
 * pointed at this deployment: a failed fetch makes Kotlin fall back to Segment's own host, and
 * Swift, React Native and C# send nothing at all.
 */
@ApplicationScoped
public class LibrarySettingsService {

  /** Where clients reach the Tracking API: {@code protocol://apiHost/t}, ... */
  public record PublicEndpoint(String protocol, String apiHost) {

    /**
     * {@code https://events.example.com[/prefix]} as {@code https} and {@code host/prefix/v1}.
     *
     * @throws IllegalArgumentException for anything but an absolute http or https URL
     */
    public static PublicEndpoint of(URI url) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || url.getRawAuthority() == null) {
        throw new IllegalArgumentException(
            url + " is not an http or https URL such as https://events.example.com");
      }
      String path = url.getRawPath() == null ? "" : url.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return new PublicEndpoint(scheme, url.getRawAuthority() + path + "/v1");
    }
  }

  private final SourceAuthenticator authenticator;
  private final IngestionConfig.ProjectSettings config;
  private final Optional<PublicEndpoint> configured;
  private final int unavailableRetryAfterSeconds;
  private final DeliveryStrategy browserDelivery;

  public LibrarySettingsService(SourceAuthenticator authenticator, IngestionConfig config) {
    this.authenticator = authenticator;
    this.config = config.settings();
    this.configured = this.config.publicUrl().map(PublicEndpoint::of);
    this.unavailableRetryAfterSeconds = config.writer().unavailableRetryAfterSeconds();
    this.browserDelivery =
        this.config.browserDelivery() == BrowserDelivery.BATCHING
            ? new DeliveryStrategy(
                "batching",
                new BatchingConfig(
                    this.config.browserBatchSize(), this.config.browserBatchTimeout().toMillis()))
            : new DeliveryStrategy("standard", null);
  }

  /**
   * The settings for {@code writeKey}, or why not: {@code 404} for an unknown or revoked key,
   * {@code 403} for a browser on a site the source does not list.
   *
   * @param origin the browser's {@code Origin}, or null
   * @param requested scheme and host of this request, used when no public URL is configured
   */
  public Uni<TrackingReply> settings(String writeKey, String origin, PublicEndpoint requested) {
    return Uni.createFrom()
        .completionStage(authenticator.authenticate(writeKey))
        .map(
            source -> {
              if (source == null) {
                return TrackingReply.error(
                    404, "not_found", "no source has this write key, or it was revoked");
              }
              if (!source.allowedOrigins().allows(origin)) {
                return TrackingReply.originNotAllowed(origin);
              }
              return TrackingReply.ok(
                  LibrarySettings.of(segmentIo(writeKey, requested)),
                  Map.of("Cache-Control", "public, max-age=" + config.cacheMaxAge().toSeconds()));
            })
        .onFailure()
        .recoverWithItem(
            failure ->
                TrackingReply.databaseUnavailable(
                    "the write key cannot be checked now; retry", unavailableRetryAfterSeconds));
  }

  private SegmentIo segmentIo(String writeKey, PublicEndpoint requested) {
    PublicEndpoint endpoint = configured.orElse(requested);
    return new SegmentIo(
        writeKey,
        endpoint.apiHost(),
        endpoint.protocol(),
        List.of(),
        true,
        Map.of(),
        browserDelivery);
  }
}
