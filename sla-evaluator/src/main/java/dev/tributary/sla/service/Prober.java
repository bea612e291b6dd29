package dev.tributary.sla.service;

import dev.tributary.sla.client.IngestionApi;
import dev.tributary.sla.client.IngestionApiClient.ProbeSource;
import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.repository.EvidenceRepository.ProbeRecord;
import dev.tributary.sla.repository.ProbeStore;
import dev.tributary.support.PlatformConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Calls each of the six Data Ingestion API endpoints once a minute with the dedicated probe source
 * and stores every result. A call that fails (a status other than 2xx or 429, or no answer within
 * {@code tributary.sla.probe.timeout}) is retried once within the minute; both results are kept, so
 * the minute is unavailable for that endpoint only if the retry failed too.
 *
 * <p>Probing is isolated from everything else the evaluator does, so that nothing can make the
 * measurement go blind: its own timer thread ({@code tributary-prober}), the JDK's HTTP client with
 * its own threads, and plain JDBC ({@link ProbeStore}) instead of the reactive pool. Rounds that
 * could not be stored (PostgreSQL down) are kept and stored with the next round.
 *
 * <p>A minute without a round while the evaluator runs is a <em>probe gap</em>: it is recorded with
 * its cause ({@code sla.probe_gaps}, shown in the ledger: "no data", never availability) and
 * counted in {@code tributary_sla_probe_gap_minutes_total}, which the PrometheusRule alerts on.
 */
@ApplicationScoped
public class Prober {

  /** The Data Ingestion API of SLA §1. */
  public static final List<String> ENDPOINTS =
      List.of("identify", "track", "page", "screen", "group", "alias");

  static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(15);

  /** A first start looks this far back for the minutes it was not running. */
  static final Duration GAP_LOOKBACK = Duration.ofDays(62);

  static final String NOT_RUNNING = "the sla-evaluator was not running";
  static final String STALLED = "the sla-evaluator's prober did not run (the process stalled)";
  static final String NOT_STORED = "the probe results could not be stored";

  private final SlaConfig config;
  private final PlatformConfig tokens;
  private final IngestionApi ingestionApi;
  private final ProbeStore store;
  private final MeterRegistry registry;
  private final Clock clock;
  private final URI baseUri;
  private final HttpClient http;
  private final Deque<List<ProbeRecord>> unstored = new ArrayDeque<>();
  private final AtomicLong lastStoredMinute = new AtomicLong();
  private final AtomicLong unstoredRounds = new AtomicLong();
  private volatile boolean sourceReady;
  private volatile Instant lastRoundMinute;
  private ScheduledExecutorService timer;

  Prober(
      SlaConfig config,
      PlatformConfig tokens,
      IngestionApi ingestionApi,
      ProbeStore store,
      MeterRegistry registry,
      Clock clock,
      @ConfigProperty(name = "quarkus.rest-client.ingestion-api.url") URI baseUri) {
    this.config = config;
    this.tokens = tokens;
    this.ingestionApi = ingestionApi;
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.baseUri = baseUri;
    this.http = HttpClient.newBuilder().connectTimeout(config.probe().timeout()).build();
    Gauge.builder("tributary.sla.probe.last.recorded", lastStoredMinute, AtomicLong::get)
        .description("The minute of the last probe round stored, in seconds since the epoch")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("tributary.sla.probe.unstored.rounds", unstoredRounds, AtomicLong::get)
        .description("Probe rounds kept in memory because they could not be stored yet")
        .register(registry);
    for (String reason : List.of("not_running", "stalled", "not_stored")) {
      gapMinutes(reason);
    }
  }

  void start(@Observes StartupEvent event) {
    if (!config.probe().enabled() || !config.probe().timer()) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "tributary-prober");
              thread.setDaemon(true);
              return thread;
            });
    scheduleNextRound();
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** The next round at the next multiple of the interval (second 0 of the next minute). */
  private void scheduleNextRound() {
    long interval = Math.max(1, config.probe().interval().toMillis());
    long now = System.currentTimeMillis();
    long next = (now / interval + 1) * interval;
    timer.schedule(this::timedRound, next - now, TimeUnit.MILLISECONDS);
  }

  private void timedRound() {
    try {
      probeOnce();
    } catch (RuntimeException e) {
      Log.warnf("probe round failed: %s", e.toString());
    } finally {
      if (!timer.isShutdown()) {
        scheduleNextRound();
      }
    }
  }

  /** For tests: forgets the last round, as a freshly started process has none. */
  void forgetLastRound() {
    lastRoundMinute = null;
  }

  /**
   * One round on the calling thread (it blocks): every endpoint once (retried once on failure),
   * stored with any rounds kept from before; records the gap since the previous round. Answers the
   * round's results.
   */
  public List<ProbeRecord> probeOnce() {
    String token = tokens.service().token().orElse("");
    if (token.isEmpty()) {
      Log.warn("tributary.service.token is not set: the prober has no probe source and is idle");
      return List.of();
    }
    String writeKey = ProbeKeys.writeKey(token, config.probe().sourceName());
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    if (!ensureSource(writeKey)) {
      return List.of();
    }
    List<CompletableFuture<List<ProbeRecord>>> calls = new ArrayList<>();
    for (String endpoint : ENDPOINTS) {
      calls.add(probeWithRetry(endpoint, minute, writeKey));
    }
    List<ProbeRecord> results = new ArrayList<>();
    for (CompletableFuture<List<ProbeRecord>> call : calls) {
      results.addAll(call.join());
    }
    if (results.stream().anyMatch(r -> r.status() != null && r.status() == 401)) {
      sourceReady = false; // the key was rotated or the source lost: register it again
    }
    Instant previous = lastRoundMinute;
    lastRoundMinute = minute;
    storeWithKept(results, minute);
    recordGapBefore(previous, minute);
    return results;
  }

  /** Stores this round and the kept ones; keeps them all (up to the configured number) if not. */
  private void storeWithKept(List<ProbeRecord> round, Instant minute) {
    synchronized (unstored) {
      unstored.addLast(round);
      while (unstored.size() > config.probe().unstoredRounds()) {
        List<ProbeRecord> dropped = unstored.removeFirst();
        Log.errorf("dropped an unstored probe round (%d results): memory bound", dropped.size());
        gapMinutes("not_stored").increment();
      }
      List<ProbeRecord> all = new ArrayList<>();
      unstored.forEach(all::addAll);
      try {
        store.store(all, clock.instant());
        if (unstored.size() > 1) {
          Log.infof(
              "stored %d probe rounds kept while PostgreSQL was unavailable", unstored.size());
        }
        unstored.clear();
        lastStoredMinute.set(minute.getEpochSecond());
      } catch (SQLException e) {
        Log.warnf(
            "probe round of %s not stored yet (%d kept, retried next round): %s",
            minute, unstored.size(), e.toString());
      }
      unstoredRounds.set(unstored.size());
    }
  }

  /**
   * Records the minutes between the previous round and this one that have no probe results from
   * anyone: on the first round since the start, those the evaluator was not running for.
   */
  private void recordGapBefore(Instant previous, Instant minute) {
    try {
      Instant from;
      String reason;
      String counted;
      if (previous == null) {
        // Before this round's minute: the round itself is stored already.
        Instant latest = store.latestMinute(minute.minus(GAP_LOOKBACK), minute);
        if (latest == null) {
          return; // a new installation: nothing was measured before
        }
        from = latest.plus(Duration.ofMinutes(1));
        reason = NOT_RUNNING;
        counted = "not_running";
      } else {
        from = previous.plus(Duration.ofMinutes(1));
        reason = STALLED;
        counted = "stalled";
      }
      if (!from.isBefore(minute)) {
        return;
      }
      Instant at = from;
      for (Instant measured : store.minutesWithResults(from, minute)) {
        recordGap(at, measured, reason, counted);
        at = measured.plus(Duration.ofMinutes(1));
      }
      recordGap(at, minute, reason, counted);
    } catch (SQLException e) {
      Log.warnf("probe gap before %s not recorded: %s", minute, e.toString());
    }
  }

  private void recordGap(Instant from, Instant to, String reason, String counted)
      throws SQLException {
    if (!from.isBefore(to)) {
      return;
    }
    long minutes = Duration.between(from, to).toMinutes();
    store.recordGap(from, to, reason, clock.instant());
    gapMinutes(counted).increment(minutes);
    Log.warnf("no probe results for %d minutes from %s: %s", minutes, from, reason);
  }

  private Counter gapMinutes(String reason) {
    return Counter.builder("tributary.sla.probe.gap.minutes")
        .description("Minutes without any probe result while the evaluator ran, by cause")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Registers the probe source once. ingestion-api not answering at all is exactly what the probes
   * must record: a registration that fails or times out is logged and the round probes anyway; an
   * HTTP answer refusing it (a wrong service token, say) stops the round.
   */
  private boolean ensureSource(String writeKey) {
    if (sourceReady) {
      return true;
    }
    try {
      ProbeSource source =
          ingestionApi
              .ensureProbeSource(config.probe().sourceName(), writeKey)
              .await()
              .atMost(REGISTRATION_TIMEOUT);
      sourceReady = true;
      Log.infof(
          "probing %s as source %s of probe workspace %s",
          baseUri, source.sourceId(), source.workspaceId());
    } catch (WebApplicationException e) {
      Log.warnf("probe source refused, no round this minute: %s", e.toString());
      return false;
    } catch (RuntimeException e) {
      Log.warnf("probe source not registered, probing anyway: %s", e.toString());
    }
    return true;
  }

  private CompletableFuture<List<ProbeRecord>> probeWithRetry(
      String endpoint, Instant minute, String writeKey) {
    return call(endpoint, minute, 1, writeKey)
        .thenCompose(
            first ->
                first.ok()
                    ? CompletableFuture.completedFuture(List.of(first))
                    : call(endpoint, minute, 2, writeKey)
                        .thenApply(second -> List.of(first, second)));
  }

  private CompletableFuture<ProbeRecord> call(
      String endpoint, Instant minute, int attempt, String writeKey) {
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
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) ->
                failure == null
                    ? outcome(endpoint, at, started, response.statusCode(), null)
                    : outcome(endpoint, at, started, null, failure.toString()));
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
