package dev.tributary.sla.service;

import dev.tributary.sla.client.IngestionApi;
import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.repository.EvidenceRepository;
import dev.tributary.sla.repository.EvidenceRepository.ProbeRecord;
import dev.tributary.support.PlatformConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Calls each of the six Data Ingestion API endpoints once a minute with the dedicated probe source
 * and stores every result. A call that fails (a status other than 2xx or 429, or no answer within
 * {@code tributary.sla.probe.timeout}) is retried once within the minute; both results are kept, so
 * the minute is unavailable for that endpoint only if the retry failed too.
 */
@ApplicationScoped
public class Prober {

  /** The Data Ingestion API of SLA §1. */
  public static final List<String> ENDPOINTS =
      List.of("identify", "track", "page", "screen", "group", "alias");

  static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(15);

  private final SlaConfig config;
  private final PlatformConfig tokens;
  private final IngestionApi ingestionApi;
  private final EvidenceRepository evidence;
  private final MeterRegistry registry;
  private final Clock clock;
  private final URI baseUri;
  private final HttpClient http;
  private volatile boolean sourceReady;

  Prober(
      SlaConfig config,
      PlatformConfig tokens,
      IngestionApi ingestionApi,
      EvidenceRepository evidence,
      MeterRegistry registry,
      Clock clock,
      @ConfigProperty(name = "quarkus.rest-client.ingestion-api.url") URI baseUri) {
    this.config = config;
    this.tokens = tokens;
    this.ingestionApi = ingestionApi;
    this.evidence = evidence;
    this.registry = registry;
    this.clock = clock;
    this.baseUri = baseUri;
    this.http = HttpClient.newBuilder().connectTimeout(config.probe().timeout()).build();
  }

  @Scheduled(
      cron = "0 * * * * ?",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "probe")
  Uni<Void> scheduled() {
    if (!config.probe().enabled()) {
      return Uni.createFrom().voidItem();
    }
    return probeOnce()
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf("probe round not recorded: %s", failure.toString());
              return List.of();
            })
        .replaceWithVoid();
  }

  /** One round: every endpoint once (retried once on failure); answers the stored results. */
  public Uni<List<ProbeRecord>> probeOnce() {
    String token = tokens.service().token().orElse("");
    if (token.isEmpty()) {
      Log.warn("tributary.service.token is not set: the prober has no probe source and is idle");
      return Uni.createFrom().item(List.of());
    }
    String writeKey = ProbeKeys.writeKey(token, config.probe().sourceName());
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    return ensureSource(writeKey)
        // ingestion-api not answering at all is exactly what the probes must record: probe anyway
        // (an HTTP answer refusing the registration still stops the round).
        .onFailure(failure -> !(failure instanceof WebApplicationException))
        .recoverWithItem(
            failure -> {
              Log.warnf("probe source not registered, probing anyway: %s", failure.toString());
              return null;
            })
        .flatMap(
            ignored ->
                Multi.createFrom()
                    .iterable(ENDPOINTS)
                    .onItem()
                    .transformToUniAndMerge(endpoint -> probeWithRetry(endpoint, minute, writeKey))
                    .collect()
                    .asList())
        .map(lists -> lists.stream().flatMap(List::stream).toList())
        .call(results -> evidence.addProbeResults(results, clock.instant()))
        .invoke(
            results -> {
              if (results.stream().anyMatch(r -> r.status() != null && r.status() == 401)) {
                sourceReady = false; // the key was rotated or the source lost: register it again
              }
            });
  }

  private Uni<Void> ensureSource(String writeKey) {
    if (sourceReady) {
      return Uni.createFrom().voidItem();
    }
    return ingestionApi
        .ensureProbeSource(config.probe().sourceName(), writeKey)
        // Leave the minute's probes time to run (and be retried) after a slow registration.
        .ifNoItem()
        .after(REGISTRATION_TIMEOUT)
        .fail()
        .invoke(
            source -> {
              sourceReady = true;
              Log.infof(
                  "probing %s as source %s of probe workspace %s",
                  baseUri, source.sourceId(), source.workspaceId());
            })
        .replaceWithVoid();
  }

  private Uni<List<ProbeRecord>> probeWithRetry(String endpoint, Instant minute, String writeKey) {
    return call(endpoint, minute, 1, writeKey)
        .flatMap(
            first ->
                first.ok()
                    ? Uni.createFrom().item(List.of(first))
                    : call(endpoint, minute, 2, writeKey)
                        .map(
                            second -> {
                              List<ProbeRecord> both = new ArrayList<>(2);
                              both.add(first);
                              both.add(second);
                              return both;
                            }));
  }

  private Uni<ProbeRecord> call(String endpoint, Instant minute, int attempt, String writeKey) {
    Instant at = clock.instant();
    HttpRequest request =
        HttpRequest.newBuilder(baseUri.resolve("/v1/" + endpoint))
            .timeout(config.probe().timeout())
            .header("Content-Type", "application/json")
            .header("Authorization", basic(writeKey))
            .header("User-Agent", "tributary-sla-prober")
            .POST(HttpRequest.BodyPublishers.ofString(body(endpoint, minute, attempt)))
            .build();
    long started = System.nanoTime();
    return Uni.createFrom()
        .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
        .map(response -> outcome(endpoint, at, started, response.statusCode(), null))
        .onFailure()
        .recoverWithItem(failure -> outcome(endpoint, at, started, null, failure.toString()));
  }

  private ProbeRecord outcome(
      String endpoint, Instant at, long startedNanos, Integer status, String error) {
    long nanos = System.nanoTime() - startedNanos;
    // 429 is a documented throughput limit, not unavailability (SLA §1).
    boolean ok = status != null && ((status >= 200 && status < 300) || status == 429);
    String location = config.probe().location();
    Timer.builder("tributary.sla.probe.duration")
        .description("Probe calls of the Data Ingestion API endpoints")
        .tags("endpoint", endpoint, "location", location, "outcome", ok ? "ok" : "failed")
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (!ok) {
      Counter.builder("tributary.sla.probe.failures")
          .description("Probe calls that failed (non-2xx other than 429, or no answer in time)")
          .tags("endpoint", endpoint, "location", location)
          .register(registry)
          .increment();
      Log.warnf("probe of /v1/%s failed: %s", endpoint, status != null ? "HTTP " + status : error);
    }
    return new ProbeRecord(
        at,
        endpoint,
        ok,
        (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)),
        location,
        status,
        error == null ? null : error.substring(0, Math.min(error.length(), 500)));
  }

  /** A minimal valid event of each type, recognisable as a probe. */
  static String body(String endpoint, Instant minute, int attempt) {
    String messageId = "probe-" + endpoint + "-" + minute.getEpochSecond() + "-" + attempt;
    String specific =
        switch (endpoint) {
          case "track" -> "\"event\":\"Tributary Probe\",";
          case "page", "screen" -> "\"name\":\"Tributary Probe\",";
          case "group" -> "\"groupId\":\"tributary-probe\",";
          case "alias" -> "\"previousId\":\"tributary-probe-previous\",";
          default -> "\"traits\":{\"probe\":true},";
        };
    return "{"
        + specific
        + "\"userId\":\"tributary-probe\",\"messageId\":\""
        + messageId
        + "\",\"context\":{\"tributaryProbe\":true}}";
  }

  private static String basic(String writeKey) {
    return "Basic "
        + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }
}
