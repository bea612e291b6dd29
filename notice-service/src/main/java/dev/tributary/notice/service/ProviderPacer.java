package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Paces each provider (primary SMTP, secondary SMTP, SMS) to its configured rate ({@link
 * DeliveryConfig.Pace}): one {@link TokenBucket} per paced provider, on the application clock.
 *
 * <p>A send that finds no token waits on a Vert.x timer, never on a thread, and asks the bucket
 * again when the timer fires; the event loop stays free. The wait is at most a second between two
 * asks, so a clock that moves in jumps (tests) is noticed.
 *
 * <p>Meters: {@code tributary.notice.pacing.waits} (sends that had to wait for their provider) and
 * {@code tributary.notice.pacing.waiting} (sends waiting right now), both tagged {@code provider}.
 */
@ApplicationScoped
@Startup // its meters are there from the start
public class ProviderPacer {

  private static final Duration LONGEST_TIMER = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Map<String, TokenBucket> buckets = new HashMap<>();
  private final Map<String, Counter> waits = new HashMap<>();
  private final Map<String, AtomicInteger> waiting = new HashMap<>();

  public ProviderPacer(DeliveryConfig config, Clock clock, Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    pace(EmailSender.PRIMARY, config.smtpPrimary(), clock, registry);
    pace(EmailSender.SECONDARY, config.smtpSecondary(), clock, registry);
    pace(SmsSender.PROVIDER, config.sms(), clock, registry);
  }

  private void pace(
      String provider, DeliveryConfig.Pace pace, Clock clock, MeterRegistry registry) {
    AtomicInteger waitingNow = new AtomicInteger();
    waiting.put(provider, waitingNow);
    Gauge.builder("tributary.notice.pacing.waiting", waitingNow, AtomicInteger::get)
        .description("Sends waiting for their provider's rate limit right now")
        .tag("provider", provider)
        .register(registry);
    waits.put(
        provider,
        Counter.builder("tributary.notice.pacing.waits")
            .description("Sends that had to wait for their provider's rate limit")
            .tag("provider", provider)
            .register(registry));
    if (pace.rate().isEmpty()) {
      return;
    }
    double rate = pace.rate().getAsDouble();
    int burst = pace.burst().orElse(TokenBucket.defaultBurst(rate));
    buckets.put(provider, new TokenBucket(rate, burst, clock));
    Log.infof("%s is paced to %s messages/s (burst %d)", provider, rate, burst);
  }

  /** The slowest configured rate (messages a second); empty when no provider is paced. */
  public OptionalDouble slowestRate() {
    return buckets.values().stream().mapToDouble(TokenBucket::rate).min();
  }

  /**
   * Completes when {@code provider} may be sent one message; at once when it is not paced. A Vert.x
   * future, not a Uni: an unpaced fan-out asks this thousands of times a second.
   */
  public Future<Void> acquire(String provider) {
    TokenBucket bucket = buckets.get(provider);
    if (bucket == null) {
      return Future.succeededFuture();
    }
    Duration wait = bucket.take();
    if (wait.isZero()) {
      return Future.succeededFuture();
    }
    waits.get(provider).increment();
    AtomicInteger waitingNow = waiting.get(provider);
    waitingNow.incrementAndGet();
    Promise<Void> granted = Promise.promise();
    askLater(bucket, wait, granted);
    return granted.future().onComplete(ignored -> waitingNow.decrementAndGet());
  }

  private void askLater(TokenBucket bucket, Duration wait, Promise<Void> granted) {
    long millis = Math.max(1, Math.min(wait.toMillis(), LONGEST_TIMER.toMillis()));
    vertx.setTimer(
        millis,
        timer -> {
          Duration next = bucket.take();
          if (next.isZero()) {
            granted.complete();
          } else {
            askLater(bucket, next, granted);
          }
        });
  }
}
