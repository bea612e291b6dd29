import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>The requests go over {@code --connections C} kept-alive HTTP/1.1 connections, one thread and
 * one plain socket each: a fixed set of clients, as behind a load balancer, that costs the two
 * cores it shares with the service little (a selector-based client with thousands of connections
 * spent a core of its own and its queue, not the service, set the latencies it measured). A
 * connection that failed is closed and opened again for the next request.
 *
 * <p>Closed loop (no {@code --rate}): each connection sends its next request when the last one was
 * answered (after 20 ms when it was refused or failed). Open loop ({@code --rate R}): R events a
 * second whatever the answers; the requests wait for a free connection, at most {@code
 * --outstanding} of them (default C), and beyond that a request is counted as {@code shed}: not
 * sent, because every connection was still waiting for an answer.
 *
 * <pre>
 * java reliability/LoadGen.java --url http://127.0.0.1:8080 --write-key KEY --run r1
 *     --acked acked.txt --seconds 30 [--connections 16] [--rate 20000 [--outstanding 16]]
 *     [--batch 100] [--timeout-ms 10000] [--timeline timeline.tsv] [--stop-file FILE]
 * </pre>
 *
 * Summary: requests (sent), events, acked (events answered 200), status_NNN (requests by status),
 * errors_connect, errors_timeout (no answer within --timeout-ms), errors_other (reset, closed),
 * retry_after_missing (429/503 without Retry-After), p50_ms, p99_ms, max_ms (latency of the 200
 * answers, from the request's first byte written), refused_p99_ms (latency of the 429/503 answers),
 * shed. Standard library only.
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
  /** Latencies of the 429 and 503 answers, in microseconds. */
  static final List<long[]> REFUSED_LATENCIES = new ArrayList<>();

  static long started;
  static BufferedWriter acked;

  public static void main(String[] args) throws Exception {
    Settings settings = parse(args);
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
    BlockingQueue<Long> tickets =
        settings.rate() > 0 ? new ArrayBlockingQueue<>(settings.outstanding()) : null;
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < settings.connections(); i++) {
      Thread thread = new Thread(() -> client(settings, tickets), "client-" + i);
      thread.start();
      clients.add(thread);
    }
    if (tickets != null) {
      pace(settings, tickets);
    }
    for (Thread thread : clients) {
      thread.join();
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

  /**
   * One connection's loop: the next request when the last was answered (closed loop), or when the
   * pacer has one waiting (open loop, {@code tickets}).
   */
  static void client(Settings settings, BlockingQueue<Long> tickets) {
    long[] latencies = newLatencies();
    long[] refusedLatencies = newRefusedLatencies();
    Connection connection = new Connection(settings);
    try {
      while (!STOP.get()) {
        if (tickets != null) {
          try {
            if (tickets.poll(50, TimeUnit.MILLISECONDS) == null) {
              continue;
            }
          } catch (InterruptedException e) {
            return;
          }
        }
        Request request = next(settings);
        long sent = System.nanoTime();
        try {
          Answer answer = connection.exchange(request.bytes());
          answered(request, answer, sent, latencies, refusedLatencies);
          if (answer.status() != 200 && tickets == null) {
            pause(); // refused: this client's next request waits a little
          }
        } catch (IOException e) {
          connection.close();
          failed(e);
          if (tickets == null) {
            pause(); // a server that is down is not hammered in a tight loop
          }
        }
      }
    } finally {
      connection.close();
    }
  }

  /** The open loop's pacer: one request every batch/rate seconds, shed when none can be queued. */
  static void pace(Settings settings, BlockingQueue<Long> tickets) throws InterruptedException {
    long interval = (long) (settings.batch() / settings.rate() * 1e9);
    long next = System.nanoTime();
    while (!STOP.get()) {
      long now = System.nanoTime();
      if (now < next) {
        TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 1_000_000));
        continue;
      }
      next += interval;
      if (!tickets.offer(next)) {
        SHED.add(settings.batch());
      }
    }
    tickets.clear(); // not sent: the run is over
  }

  /** A status and the Retry-After header of an answer. */
  record Answer(int status, boolean retryAfter) {}

  /**
   * One kept-alive HTTP/1.1 connection over a plain socket: writes a request, reads the answer's
   * status line and headers and skips its body (Content-Length or chunked).
   */
  static final class Connection {
    private final Settings settings;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Connection(Settings settings) {
      this.settings = settings;
    }

    Answer exchange(byte[] request) throws IOException {
      if (socket == null) {
        open();
      }
      out.write(request);
      out.flush();
      String status = line();
      if (!status.startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean retryAfter = false;
      boolean close = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        String name = header.substring(0, Math.max(colon, 0)).trim().toLowerCase();
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
          case "retry-after" -> retryAfter = true;
          case "connection" -> close = value.equalsIgnoreCase("close");
          default -> {}
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].trim(), 16);
            size > 0;
            size = Long.parseLong(line().split(";")[0].trim(), 16)) {
          skip(size);
          line();
        }
        while (!line().isEmpty()) {} // trailers
      } else if (length > 0) {
        skip(length);
      }
      if (close) {
        close();
      }
      return new Answer(code, retryAfter);
    }

    private void open() throws IOException {
      Socket fresh = new Socket();
      try {
        fresh.connect(
            new InetSocketAddress(settings.url().getHost(), settings.url().getPort()), 5000);
      } catch (SocketTimeoutException e) {
        fresh.close();
        throw new ConnectException("connect timed out");
      } catch (IOException e) {
        fresh.close();
        throw e;
      }
      fresh.setTcpNoDelay(true);
      fresh.setSoTimeout((int) settings.timeout().toMillis());
      socket = fresh;
      in = new BufferedInputStream(fresh.getInputStream(), 8192);
      out = fresh.getOutputStream();
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new EOFException("the server closed the connection");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    private void skip(long bytes) throws IOException {
      while (bytes > 0) {
        long skipped = in.skip(bytes);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new EOFException("the server closed the connection mid-answer");
          }
          skipped = 1;
        }
        bytes -= skipped;
      }
    }

    void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing anyway
        }
        socket = null;
      }
    }
  }

  record Request(byte[] bytes, String[] messageIds) {}

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
    byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + (settings.batch() > 1 ? "/v1/batch" : "/v1/track")
            + " HTTP/1.1\r\nHost: "
            + settings.url().getHost()
            + ":"
            + settings.url().getPort()
            + "\r\nContent-Type: application/json\r\nAuthorization: "
            + settings.auth()
            + "\r\nContent-Length: "
            + json.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = Arrays.copyOf(headBytes, headBytes.length + json.length);
    System.arraycopy(json, 0, bytes, headBytes.length, json.length);
    REQUESTS.increment();
    EVENTS.add(ids.length);
    return new Request(bytes, ids);
  }

  static void answered(
      Request request, Answer answer, long sent, long[] latencies, long[] refusedLatencies) {
    int status = answer.status();
    long micros = (System.nanoTime() - sent) / 1000;
    STATUSES.computeIfAbsent(status, s -> new LongAdder()).increment();
    Second second = second();
    if (status == 200) {
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
      record(refusedLatencies, micros);
      (status == 429 ? second.throttled : second.unavailable).increment();
      if (!answer.retryAfter()) {
        RETRY_AFTER_MISSING.increment();
      }
    } else {
      second.failed.increment();
    }
  }

  static void failed(IOException e) {
    second().failed.increment();
    if (e instanceof SocketTimeoutException) {
      TIMEOUTS.increment();
    } else if (e instanceof ConnectException) {
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
    return registered(LATENCIES);
  }

  static long[] newRefusedLatencies() {
    return registered(REFUSED_LATENCIES);
  }

  private static long[] registered(List<long[]> all) {
    long[] latencies = new long[1 << 12];
    synchronized (all) {
      all.add(latencies);
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
    long[] all = sorted(LATENCIES);
    long[] refused = sorted(REFUSED_LATENCIES);
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
    s.append(" refused_p99_ms=").append(percentile(refused, 0.99));
    s.append(" seconds=").append(String.format("%.1f", (System.nanoTime() - started) / 1e9));
    return s.toString();
  }

  static long[] sorted(List<long[]> latencies) {
    long[] all;
    synchronized (latencies) {
      all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 1, 1 + (int) l[0])).toArray();
    }
    Arrays.sort(all);
    return all;
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
        Integer.parseInt(options.getOrDefault("outstanding", options.getOrDefault("connections", "16"))),
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
