import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load of the reliability scenarios: Segment track events sent to ingestion-api's Tracking API
 * (single events to /v1/track, or /v1/batch), each with a unique messageId, for a number of seconds
 * or until a stop file appears. It writes the messageId of every event that got a 200 to the acked
 * file the moment the answer arrives, so that a scenario can check afterwards that each one is
 * stored exactly once, and prints a summary line of key=value pairs; the timeline file has the
 * counts of each wall-clock second (epoch seconds, to line up with the scenario's own clock).
 *
 * <p>Closed loop ({@code --connections C}): C clients, each sending its next request when the last
 * one was answered. Open loop ({@code --rate R}): R events a second whatever the answers, at most
 * {@code --outstanding} requests waiting for their answer (beyond that a request is counted as
 * {@code shed}: not sent, the client could not keep up).
 *
 * <pre>
 * java reliability/LoadGen.java --url http://127.0.0.1:8080 --write-key KEY --run r1
 *     --acked acked.txt --seconds 30 [--connections 16 | --rate 20000 --outstanding 2000]
 *     [--batch 100] [--timeout-ms 10000] [--timeline timeline.tsv] [--stop-file FILE]
 * </pre>
 *
 * Summary: requests, events, acked (events answered 200), status_NNN (requests by status),
 * errors_connect, errors_timeout, errors_other, retry_after_missing (429/503 without Retry-After),
 * p50_ms, p99_ms, max_ms (latency of the 200 answers), shed. Standard library only.
 */
public class LoadGen {

  record Settings(
      URI url,
      String auth,
      String run,
      Path acked,
      double seconds,
      int connections,
      double rate,
      int outstanding,
      int batch,
      Duration timeout,
      Path timeline,
      Path stopFile) {}

  /** Counts per second of the run: acked events, 429s, 503s, other failures. */
  static final class Second {
    final LongAdder acked = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder unavailable = new LongAdder();
    final LongAdder failed = new LongAdder();
  }

  static final LongAdder REQUESTS = new LongAdder();
  static final LongAdder EVENTS = new LongAdder();
  static final LongAdder ACKED = new LongAdder();
  static final LongAdder SHED = new LongAdder();
  static final LongAdder CONNECT_ERRORS = new LongAdder();
  static final LongAdder TIMEOUTS = new LongAdder();
  static final LongAdder OTHER_ERRORS = new LongAdder();
  static final LongAdder RETRY_AFTER_MISSING = new LongAdder();
  static final Map<Integer, LongAdder> STATUSES = new ConcurrentHashMap<>();
  static final Map<Long, Second> TIMELINE = new ConcurrentHashMap<>();
  static final AtomicLong SEQUENCE = new AtomicLong();
  static final AtomicBoolean STOP = new AtomicBoolean();
  /** Latencies of the 200 answers, in microseconds. */
  static final List<long[]> LATENCIES = new ArrayList<>();

  static long started;
  static BufferedWriter acked;

  public static void main(String[] args) throws Exception {
    Settings settings = parse(args);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8))
            .build();
    acked = Files.newBufferedWriter(settings.acked(), StandardCharsets.UTF_8);
    started = System.nanoTime();
    long deadline = started + (long) (settings.seconds() * 1e9);
    ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
    watch.scheduleAtFixedRate(
        () -> {
          if (System.nanoTime() >= deadline
              || (settings.stopFile() != null && Files.exists(settings.stopFile()))) {
            STOP.set(true);
          }
        },
        50,
        50,
        TimeUnit.MILLISECONDS);
    if (settings.rate() > 0) {
      openLoop(client, settings);
    } else {
      closedLoop(client, settings);
    }
    watch.shutdownNow();
    synchronized (LoadGen.class) {
      acked.close();
    }
    if (settings.timeline() != null) {
      writeTimeline(settings.timeline());
    }
    System.out.println(summary());
    System.exit(0);
  }

  static void closedLoop(HttpClient client, Settings settings) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < settings.connections(); i++) {
      long[] latencies = newLatencies();
      Thread thread =
          new Thread(
              () -> {
                while (!STOP.get()) {
                  Request request = next(settings);
                  long sent = System.nanoTime();
                  try {
                    HttpResponse<String> response =
                        client.send(request.http(), HttpResponse.BodyHandlers.ofString());
                    answered(request, response, sent, latencies);
                    if (response.statusCode() != 200) {
                      pause(); // refused: the next request of this client waits a little
                    }
                  } catch (IOException e) {
                    failed(e, sent);
                    pause(); // a server that is down is not hammered in a tight loop
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  static void openLoop(HttpClient client, Settings settings) throws InterruptedException {
    Semaphore outstanding = new Semaphore(settings.outstanding());
    long[] latencies = newLatencies();
    double perRequest = settings.batch() / settings.rate();
    long interval = (long) (perRequest * 1e9);
    long next = System.nanoTime();
    while (!STOP.get()) {
      long now = System.nanoTime();
      if (now < next) {
        TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 1_000_000));
        continue;
      }
      next += interval;
      if (!outstanding.tryAcquire()) {
        SHED.add(settings.batch());
        continue;
      }
      Request request = next(settings);
      long sent = System.nanoTime();
      client
          .sendAsync(request.http(), HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, failure) -> {
                try {
                  if (failure != null) {
                    failed(failure instanceof Exception e ? e : new IOException(failure), sent);
                  } else {
                    synchronized (latencies) {
                      answered(request, response, sent, latencies);
                    }
                  }
                } catch (RuntimeException e) {
                  e.printStackTrace();
                } finally {
                  outstanding.release();
                }
              });
    }
    // The answers still on their way: wait for them (each has its timeout).
    outstanding.acquire(settings.outstanding());
  }

  record Request(HttpRequest http, String[] messageIds) {}

  static Request next(Settings settings) {
    String[] ids = new String[settings.batch()];
    StringBuilder body = new StringBuilder(settings.batch() * 160 + 16);
    if (settings.batch() > 1) {
      body.append("{\"batch\":[");
    }
    for (int i = 0; i < ids.length; i++) {
      ids[i] = settings.run() + "-" + SEQUENCE.incrementAndGet();
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"type\":\"track\",\"userId\":\"user-")
          .append(ids[i].hashCode() & 1023)
          .append("\",\"event\":\"Reliability Probe\",\"messageId\":\"")
          .append(ids[i])
          .append("\",\"properties\":{\"scenario\":\"")
          .append(settings.run())
          .append("\",\"n\":")
          .append(i)
          .append("}}");
    }
    if (settings.batch() > 1) {
      body.append("]}");
    }
    URI uri = settings.url().resolve(settings.batch() > 1 ? "/v1/batch" : "/v1/track");
    HttpRequest http =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("Authorization", settings.auth())
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    REQUESTS.increment();
    EVENTS.add(ids.length);
    return new Request(http, ids);
  }

  static void answered(Request request, HttpResponse<String> response, long sent, long[] latencies) {
    int status = response.statusCode();
    STATUSES.computeIfAbsent(status, s -> new LongAdder()).increment();
    Second second = second();
    if (status == 200) {
      long micros = (System.nanoTime() - sent) / 1000;
      record(latencies, micros);
      ACKED.add(request.messageIds().length);
      second.acked.add(request.messageIds().length);
      synchronized (LoadGen.class) {
        try {
          for (String id : request.messageIds()) {
            acked.write(id);
            acked.write('\n');
          }
          acked.flush();
        } catch (IOException e) {
          throw new IllegalStateException("cannot write the acked file", e);
        }
      }
      return;
    }
    if (status == 429 || status == 503) {
      (status == 429 ? second.throttled : second.unavailable).increment();
      if (response.headers().firstValue("Retry-After").isEmpty()) {
        RETRY_AFTER_MISSING.increment();
      }
    } else {
      second.failed.increment();
    }
  }

  static void failed(Exception failure, long sent) {
    Throwable e =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    second().failed.increment();
    if (e instanceof HttpTimeoutException) {
      TIMEOUTS.increment();
    } else if (e instanceof java.net.ConnectException
        || e.getCause() instanceof java.net.ConnectException) {
      CONNECT_ERRORS.increment();
    } else {
      // The first few, for the scenario's log: what went wrong is worth seeing.
      if (OTHER_ERRORS.sum() < 3) {
        System.err.println("request failed: " + e);
      }
      OTHER_ERRORS.increment();
    }
  }

  static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The counts of the current wall-clock second (epoch seconds, to line up with other clocks). */
  static Second second() {
    return TIMELINE.computeIfAbsent(System.currentTimeMillis() / 1000, s -> new Second());
  }

  // --- latencies: one array per sender, [0] the count --------------------------------------

  static long[] newLatencies() {
    long[] latencies = new long[1 << 16];
    synchronized (LATENCIES) {
      LATENCIES.add(latencies);
    }
    return latencies;
  }

  static void record(long[] latencies, long micros) {
    int n = (int) latencies[0];
    if (n + 1 < latencies.length) {
      latencies[n + 1] = micros;
      latencies[0] = n + 1;
    } else {
      // Full: keep a uniform sample by replacing a random slot.
      latencies[1 + (int) (Math.random() * (latencies.length - 1))] = micros;
    }
  }

  static String summary() {
    long[] all;
    synchronized (LATENCIES) {
      all = LATENCIES.stream().flatMapToLong(l -> Arrays.stream(l, 1, 1 + (int) l[0])).toArray();
    }
    Arrays.sort(all);
    StringBuilder s = new StringBuilder();
    s.append("requests=").append(REQUESTS.sum());
    s.append(" events=").append(EVENTS.sum());
    s.append(" acked=").append(ACKED.sum());
    new TreeMap<>(STATUSES).forEach((k, v) -> s.append(" status_").append(k).append('=').append(v));
    s.append(" errors_connect=").append(CONNECT_ERRORS.sum());
    s.append(" errors_timeout=").append(TIMEOUTS.sum());
    s.append(" errors_other=").append(OTHER_ERRORS.sum());
    s.append(" retry_after_missing=").append(RETRY_AFTER_MISSING.sum());
    s.append(" shed=").append(SHED.sum());
    s.append(" p50_ms=").append(percentile(all, 0.50));
    s.append(" p99_ms=").append(percentile(all, 0.99));
    s.append(" max_ms=").append(all.length == 0 ? "0" : String.format("%.1f", all[all.length - 1] / 1000.0));
    s.append(" seconds=").append(String.format("%.1f", (System.nanoTime() - started) / 1e9));
    return s.toString();
  }

  static String percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return "0";
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return String.format("%.1f", sorted[Math.max(0, index)] / 1000.0);
  }

  static void writeTimeline(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("epoch_second\tacked_events\tstatus_429\tstatus_503\tfailed");
    long first = TIMELINE.keySet().stream().mapToLong(Long::longValue).min().orElse(0);
    long last = TIMELINE.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    for (long s = first; s <= last; s++) {
      Second second = TIMELINE.getOrDefault(s, new Second());
      lines.add(
          s
              + "\t"
              + second.acked.sum()
              + "\t"
              + second.throttled.sum()
              + "\t"
              + second.unavailable.sum()
              + "\t"
              + second.failed.sum());
    }
    Files.write(file, lines);
  }

  static Settings parse(String[] args) {
    Map<String, String> options = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an --option, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    String writeKey = required(options, "write-key");
    return new Settings(
        URI.create(required(options, "url")),
        "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)),
        required(options, "run"),
        Path.of(required(options, "acked")),
        Double.parseDouble(options.getOrDefault("seconds", "30")),
        Integer.parseInt(options.getOrDefault("connections", "16")),
        Double.parseDouble(options.getOrDefault("rate", "0")),
        Integer.parseInt(options.getOrDefault("outstanding", "2000")),
        Integer.parseInt(options.getOrDefault("batch", "1")),
        Duration.ofMillis(Long.parseLong(options.getOrDefault("timeout-ms", "10000"))),
        options.containsKey("timeline") ? Path.of(options.get("timeline")) : null,
        options.containsKey("stop-file") ? Path.of(options.get("stop-file")) : null);
  }

  static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }
}
