package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.DeliveryStatus;
import dev.tributary.notice.repository.DeliveryOutbox;
import dev.tributary.notice.repository.DeliveryOutbox.Attempt;
import dev.tributary.notice.repository.DeliveryOutbox.Claimed;
import dev.tributary.notice.service.DeliverySender.Sent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What each attempt came to, as evidence: SENT; RETRY, due again after a backoff; FAILED after
 * {@code max-attempts}. A group of attempts is recorded in one transaction ({@link
 * DeliveryOutbox#record}, fenced by the attempt number), then counted and logged.
 *
 * <p>Meters: {@code tributary.notice.deliveries.sent} (tagged {@code provider}), {@code
 * tributary.notice.deliveries.retried} and {@code tributary.notice.deliveries.failed}.
 */
@ApplicationScoped
@Startup // its meters are there from the start
public class AttemptLedger {

  private final DeliveryOutbox outbox;
  private final DeliveryConfig config;
  private final Clock clock;
  private final Counter failed;
  private final Counter retried;
  private final Map<String, Counter> sent = new HashMap<>();

  public AttemptLedger(
      DeliveryOutbox outbox, DeliveryConfig config, Clock clock, MeterRegistry registry) {
    this.outbox = outbox;
    this.config = config;
    this.clock = clock;
    this.failed =
        Counter.builder("tributary.notice.deliveries.failed")
            .description("Deliveries given up after the maximum number of attempts")
            .register(registry);
    this.retried =
        Counter.builder("tributary.notice.deliveries.retried")
            .description("Failed attempts whose delivery is tried again later")
            .register(registry);
    for (String provider :
        List.of(EmailSender.PRIMARY, EmailSender.SECONDARY, SmsSender.PROVIDER)) {
      sent.put(
          provider,
          Counter.builder("tributary.notice.deliveries.sent")
              .description("Deliveries a provider accepted")
              .tag("provider", provider)
              .register(registry));
    }
  }

  /** A provider accepted the message now. */
  Attempt sent(Claimed delivery, Instant started, Sent accepted) {
    Instant acceptedAt = now();
    return new Attempt(
        delivery,
        DeliveryStatus.SENT,
        null,
        "SENT",
        started,
        acceptedAt,
        accepted.provider(),
        accepted.providerMessageId(),
        acceptedAt,
        accepted.contentSha256(),
        null);
  }

  /** The attempt failed now: tried again after a backoff, or FAILED after the last attempt. */
  Attempt unsent(Claimed delivery, Instant started, Throwable failure) {
    Instant finished = now();
    boolean giveUp = delivery.attempt() >= config.maxAttempts();
    // The provider tried last: both SMTP servers were tried when an email send failed; a
    // rendering failure tried none.
    String provider =
        failure instanceof EmailSender.SendFailed
            ? EmailSender.SECONDARY
            : failure instanceof SmsSender.SmsFailed ? SmsSender.PROVIDER : null;
    return new Attempt(
        delivery,
        giveUp ? DeliveryStatus.FAILED : DeliveryStatus.PENDING,
        giveUp ? finished : finished.plus(backoff(delivery.attempt())),
        giveUp ? "FAILED" : "RETRY",
        started,
        finished,
        provider,
        null,
        null,
        null,
        truncate(EmailSender.brief(failure)));
  }

  /** Records a group of attempts in one transaction; answers how many. */
  Uni<Integer> record(List<Attempt> group) {
    return outbox
        .record(group)
        .invoke(
            takenOver -> {
              for (Attempt attempt : group) {
                Claimed delivery = attempt.delivery();
                if (takenOver.contains(delivery.id())) {
                  // Our lease ran out and another worker took the row over; the attempt's
                  // evidence is recorded all the same.
                  Log.warnf(
                      "delivery %s attempt %d: %s after its lease was taken over",
                      delivery.id(), delivery.attempt(), attempt.outcome());
                }
                report(attempt);
              }
            })
        .replaceWith(group.size());
  }

  private void report(Attempt attempt) {
    Claimed delivery = attempt.delivery();
    switch (attempt.status()) {
      case SENT -> {
        sent.get(attempt.provider()).increment();
        Log.debugf(
            "delivery %s of notice %s sent via %s (attempt %d)",
            delivery.id(), delivery.noticeId(), attempt.provider(), delivery.attempt());
      }
      case FAILED -> {
        failed.increment();
        // The address's domain only: enough to see a pattern, no personal data.
        Log.warnf(
            "%s delivery %s of notice %s to %s FAILED after %d attempts: %s",
            delivery.channel(),
            delivery.id(),
            delivery.noticeId(),
            describe(delivery),
            delivery.attempt(),
            attempt.error());
      }
      default -> {
        retried.increment();
        Log.infof(
            "delivery %s attempt %d failed, next attempt at %s: %s",
            delivery.id(), delivery.attempt(), attempt.nextAttemptAt(), attempt.error());
      }
    }
  }

  /** min(max, base * 2^(attempt-1)), times a jitter in [0.5, 1.5) so retries do not align. */
  Duration backoff(int attempt) {
    long base = config.backoffBase().toMillis();
    long max = config.backoffMax().toMillis();
    int exponent = Math.min(Math.max(attempt - 1, 0), 30);
    long delay = base > max >> exponent ? max : Math.min(max, base << exponent);
    double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (delay * jitter));
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** An email address's domain, a phone number's last two digits: no full address in logs. */
  private static String describe(Claimed delivery) {
    String address = delivery.address();
    if (delivery.channel() == Channel.SMS) {
      return "a phone number ending in " + address.substring(Math.max(0, address.length() - 2));
    }
    int at = address.lastIndexOf('@');
    return at < 0 ? "an email address" : "a contact at " + address.substring(at + 1);
  }

  private static String truncate(String error) {
    return error.length() <= 1000 ? error : error.substring(0, 1000);
  }
}
