package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.DeliveryStage;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
import dev.tributary.notice.repository.NoticeRecipientRepository;
import dev.tributary.notice.repository.NoticeRepository;
import dev.tributary.notice.service.NoticeRenderer.Rendered;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends the outbox's email deliveries.
 *
 * <p>Each poll claims due deliveries in one short transaction ({@link #CLAIM}: {@code FOR UPDATE
 * SKIP LOCKED}, so replicas never claim the same row, and a lease so a crashed worker's rows come
 * back), sends each message outside any transaction, then records the outcome and an append-only
 * {@code delivery_attempts} row in a second transaction.
 *
 * <p>A crash after the SMTP server accepted a message but before the second transaction commits
 * leaves the row SENDING; once the lease expires it is claimed and sent again. That is
 * at-least-once on purpose: a legal notice sent twice is harmless, one never sent is not. The
 * resend carries the same {@code Message-ID} (derived from the delivery id), so it is recognisable
 * as the same message by the recipient's mail system and in the provider's logs. An SMS resend is
 * not marked (the Messages API takes no idempotency key): the customer may get the text twice.
 *
 * <p>SMS deliveries go through {@link SmsSender}; without a configured SMS provider they are not
 * claimed and stay PENDING.
 */
@ApplicationScoped
public class DeliveryWorker {

  /**
   * Claims due deliveries: PENDING ones and SENDING ones whose lease ran out (a worker died). Times
   * come from the application clock ($1 now, $2 the lease end) so tests can drive them; $3 is the
   * batch size, $4 the channels with a configured provider.
   */
  static final String CLAIM =
      """
      update notice.deliveries
         set status = 'SENDING', attempts = attempts + 1, locked_until = $2
       where id in (select id from notice.deliveries
                     where channel = any($4)
                       and (status = 'PENDING' or (status = 'SENDING' and locked_until < $1))
                       and next_attempt_at <= $1
                     order by next_attempt_at
                     limit $3
                     for update skip locked)
      returning id, notice_id, workspace_id, channel, address, attempts, stage
      """;

  /** Fenced by the attempt number: a worker whose lease was taken over changes nothing. */
  static final String MARK_SENT =
      """
      update notice.deliveries
         set status = 'SENT', locked_until = null, last_error = null,
             provider_message_id = $3, accepted_at = $4, content_sha256 = $5
       where id = $1 and status = 'SENDING' and attempts = $2
      """;

  static final String MARK_UNSENT =
      """
      update notice.deliveries
         set status = $3, locked_until = null, next_attempt_at = $4, last_error = $5
       where id = $1 and status = 'SENDING' and attempts = $2
      """;

  static final String INSERT_ATTEMPT =
      """
      insert into notice.delivery_attempts (delivery_id, attempt, started_at, finished_at, outcome,
          provider, provider_message_id, accepted_at, content_sha256, error)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      """;

  /** A claimed delivery; {@code attempt} is its attempts count after the claim. */
  record Claimed(
      UUID id,
      UUID noticeId,
      UUID workspaceId,
      Channel channel,
      String address,
      int attempt,
      DeliveryStage stage) {

    boolean reminder() {
      return stage == DeliveryStage.REMINDER;
    }
  }

  /** What a message is rendered from. */
  private record Source(Notice notice, NoticeRecipient recipient) {}

  private final Pool pool;
  private final NoticeRepository notices;
  private final NoticeRecipientRepository recipients;
  private final NoticeRenderer renderer;
  private final EmailSender email;
  private final SmsSender sms;
  private final DeliveryConfig config;
  private final Clock clock;
  private final Counter failed;

  public DeliveryWorker(
      Pool pool,
      NoticeRepository notices,
      NoticeRecipientRepository recipients,
      NoticeRenderer renderer,
      EmailSender email,
      SmsSender sms,
      DeliveryConfig config,
      Clock clock,
      MeterRegistry registry) {
    this.pool = pool;
    this.notices = notices;
    this.recipients = recipients;
    this.renderer = renderer;
    this.email = email;
    this.sms = sms;
    this.config = config;
    this.clock = clock;
    this.failed =
        Counter.builder("tributary.notice.deliveries.failed")
            .description("Deliveries given up after the maximum number of attempts")
            .register(registry);
  }

  @Scheduled(
      every = "${tributary.notice.delivery.poll-interval:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> poll() {
    return runOnce()
        .onFailure()
        .invoke(e -> Log.warnf("delivery poll failed: %s", EmailSender.brief(e)))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** One poll: claims up to batch-size due deliveries and sends them; answers how many. */
  public Uni<Integer> runOnce() {
    return claim()
        .flatMap(
            claimed ->
                Multi.createFrom()
                    .iterable(claimed)
                    .onItem()
                    .transformToUniAndConcatenate(this::deliver)
                    .collect()
                    .asList()
                    .map(ignored -> claimed.size()));
  }

  /** The claim transaction alone (tests race two of them). */
  Uni<List<Claimed>> claim() {
    Instant now = now();
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(CLAIM)
                .execute(
                    Tuple.of(at(now), at(now.plus(config.lease())), config.batchSize(), channels()))
                .map(
                    rows -> {
                      List<Claimed> claimed = new ArrayList<>();
                      for (Row row : rows) {
                        claimed.add(
                            new Claimed(
                                row.getUUID("id"),
                                row.getUUID("notice_id"),
                                row.getUUID("workspace_id"),
                                Channel.valueOf(row.getString("channel")),
                                row.getString("address"),
                                row.getInteger("attempts"),
                                DeliveryStage.valueOf(row.getString("stage"))));
                      }
                      return claimed;
                    }));
  }

  /** The channels claimed: SMS only once an SMS provider is configured. */
  private String[] channels() {
    return sms.configured() ? new String[] {"EMAIL", "SMS"} : new String[] {"EMAIL"};
  }

  Uni<Void> deliver(Claimed delivery) {
    Instant started = now();
    Uni<Source> source = Panache.withSession(() -> load(delivery));
    Uni<Void> sent =
        delivery.channel() == Channel.SMS
            ? source.flatMap(s -> sendSms(delivery, started, s))
            : source.flatMap(s -> sendEmail(delivery, started, s));
    return sent.onFailure().recoverWithUni(failure -> recordUnsent(delivery, started, failure));
  }

  private Uni<Void> sendEmail(Claimed delivery, Instant started, Source source) {
    Rendered rendered = renderer.render(source.notice(), source.recipient(), delivery.reminder());
    String messageId = messageId(delivery.id());
    Mail mail =
        Mail.withText(delivery.address(), rendered.subject(), rendered.text())
            .setHtml(rendered.html())
            .addHeader("Message-ID", messageId);
    return email
        .send(mail)
        .flatMap(
            accepted ->
                recordSent(delivery, started, accepted.provider(), messageId, rendered.sha256()));
  }

  private Uni<Void> sendSms(Claimed delivery, Instant started, Source source) {
    String body = renderer.renderSms(source.notice(), source.recipient(), delivery.reminder());
    return sms.send(delivery.address(), body)
        .flatMap(
            providerId ->
                recordSent(
                    delivery,
                    started,
                    SmsSender.PROVIDER,
                    providerId,
                    NoticeRenderer.sha256(body)));
  }

  private Uni<Source> load(Claimed delivery) {
    return notices
        .findById(delivery.noticeId())
        .flatMap(
            notice ->
                recipients
                    .find(
                        "noticeId = ?1 and workspaceId = ?2",
                        delivery.noticeId(),
                        delivery.workspaceId())
                    .<NoticeRecipient>firstResult()
                    .map(recipient -> new Source(notice, recipient)));
  }

  private Uni<Void> recordSent(
      Claimed delivery, Instant started, String provider, String messageId, String sha256) {
    Instant acceptedAt = now();
    return pool.withTransaction(
            connection ->
                connection
                    .preparedQuery(MARK_SENT)
                    .execute(
                        Tuple.of(
                            delivery.id(), delivery.attempt(), messageId, at(acceptedAt), sha256))
                    .flatMap(
                        updated -> {
                          if (updated.rowCount() == 0) {
                            // Our lease ran out and another worker took the row over; the
                            // message was still accepted, so its evidence is recorded below.
                            Log.warnf(
                                "delivery %s attempt %d: sent after its lease was taken over",
                                delivery.id(), delivery.attempt());
                          }
                          return connection
                              .preparedQuery(INSERT_ATTEMPT)
                              .execute(
                                  Tuple.from(
                                      Arrays.asList(
                                          delivery.id(),
                                          delivery.attempt(),
                                          at(started),
                                          at(acceptedAt),
                                          "SENT",
                                          provider,
                                          messageId,
                                          at(acceptedAt),
                                          sha256,
                                          null)));
                        }))
        .invoke(
            () ->
                Log.infof(
                    "delivery %s of notice %s sent via %s (attempt %d)",
                    delivery.id(), delivery.noticeId(), provider, delivery.attempt()))
        .replaceWithVoid();
  }

  private Uni<Void> recordUnsent(Claimed delivery, Instant started, Throwable failure) {
    Instant finished = now();
    boolean giveUp = delivery.attempt() >= config.maxAttempts();
    String error = truncate(EmailSender.brief(failure));
    Instant next = giveUp ? finished : finished.plus(backoff(delivery.attempt()));
    // The provider tried last: both SMTP servers were tried when an email send failed; a
    // rendering failure tried none.
    String provider =
        failure instanceof EmailSender.SendFailed
            ? EmailSender.SECONDARY
            : failure instanceof SmsSender.SmsFailed ? SmsSender.PROVIDER : null;
    return pool.withTransaction(
            connection ->
                connection
                    .preparedQuery(MARK_UNSENT)
                    .execute(
                        Tuple.of(
                            delivery.id(),
                            delivery.attempt(),
                            giveUp ? "FAILED" : "PENDING",
                            at(next),
                            error))
                    .flatMap(
                        ignored ->
                            connection
                                .preparedQuery(INSERT_ATTEMPT)
                                .execute(
                                    Tuple.from(
                                        Arrays.asList(
                                            delivery.id(),
                                            delivery.attempt(),
                                            at(started),
                                            at(finished),
                                            giveUp ? "FAILED" : "RETRY",
                                            provider,
                                            null,
                                            null,
                                            null,
                                            error)))))
        .invoke(
            () -> {
              if (giveUp) {
                failed.increment();
                // The address's domain only: enough to see a pattern, no personal data.
                Log.warnf(
                    "%s delivery %s of notice %s to %s FAILED after %d attempts: %s",
                    delivery.channel(),
                    delivery.id(),
                    delivery.noticeId(),
                    describe(delivery),
                    delivery.attempt(),
                    error);
              } else {
                Log.infof(
                    "delivery %s attempt %d failed, next attempt at %s: %s",
                    delivery.id(), delivery.attempt(), next, error);
              }
            })
        .replaceWithVoid();
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

  /**
   * The Message-ID of a delivery's email: the same on every attempt, so a resend is recognisable.
   */
  public String messageId(UUID deliveryId) {
    return "<" + deliveryId + "@" + config.messageIdDomain() + ">";
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
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
