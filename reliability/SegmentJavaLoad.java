import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The official Segment Java library (com.segment.analytics.java:analytics) as an application would
 * use it: RATE track events a second, each with its own messageId, until the stop file appears;
 * then a flush, and a wait (up to DRAIN seconds) until the library has given every event its
 * outcome. The library batches, retries failed uploads with its own backoff, and reports each
 * event through its callback: succeeded (the server answered 2xx) or failed (given up).
 *
 * <pre>
 * java -cp CLASSPATH reliability/SegmentJavaLoad.java ENDPOINT WRITE_KEY RUN RATE STOP_FILE
 *     ENQUEUED_FILE DRAIN_SECONDS
 * </pre>
 *
 * Writes every enqueued messageId to ENQUEUED_FILE and prints enqueued=, succeeded=, failed=,
 * undecided= (no outcome within DRAIN seconds) and drain_seconds=.
 */
public class SegmentJavaLoad {
  public static void main(String[] args) throws Exception {
    String endpoint = args[0], writeKey = args[1], run = args[2];
    double rate = Double.parseDouble(args[3]);
    Path stopFile = Path.of(args[4]), enqueuedFile = Path.of(args[5]);
    long drainSeconds = Long.parseLong(args[6]);
    Set<String> succeeded = ConcurrentHashMap.newKeySet();
    Map<String, String> failed = new ConcurrentHashMap<>();
    Analytics analytics =
        Analytics.builder(writeKey)
            .endpoint(endpoint)
            .flushQueueSize(50)
            .flushInterval(1, TimeUnit.SECONDS)
            // An outage of minutes outlasts the default 3 retries' backoff (15 s, doubling).
            .retries(10)
            .callback(
                new Callback() {
                  @Override
                  public void success(Message message) {
                    succeeded.add(message.messageId());
                  }

                  @Override
                  public void failure(Message message, Throwable throwable) {
                    failed.put(message.messageId(), String.valueOf(throwable));
                  }
                })
            .build();
    List<String> enqueued = new ArrayList<>();
    long intervalNanos = (long) (1e9 / rate);
    long next = System.nanoTime();
    while (!Files.exists(stopFile)) {
      String messageId = run + "-" + enqueued.size();
      analytics.enqueue(
          TrackMessage.builder("Reliability Probe")
              .userId("java-library-user")
              .messageId(messageId)
              .properties(Map.of("run", run, "n", enqueued.size())));
      enqueued.add(messageId);
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
    Files.write(enqueuedFile, enqueued);
    long drainStart = System.nanoTime();
    analytics.flush();
    long deadline = drainStart + TimeUnit.SECONDS.toNanos(drainSeconds);
    while (succeeded.size() + failed.size() < enqueued.size() && System.nanoTime() < deadline) {
      analytics.flush();
      TimeUnit.MILLISECONDS.sleep(200);
    }
    double drained = (System.nanoTime() - drainStart) / 1e9;
    analytics.shutdown();
    failed.values().stream().distinct().limit(3).forEach(f -> System.err.println("failed: " + f));
    System.out.printf(
        "enqueued=%d succeeded=%d failed=%d undecided=%d drain_seconds=%.1f%n",
        enqueued.size(),
        succeeded.size(),
        failed.size(),
        enqueued.size() - succeeded.size() - failed.size(),
        drained);
    System.exit(0);
  }
}
