package dev.tributary.notice.service;

import static dev.tributary.notice.Notices.all;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.generalByEmail;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.IngestionApiStub.Directory;
import dev.tributary.notice.IngestionApiStub.InjectIngestionApi;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.SmtpServers.InjectSmtpServers;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The primary SMTP server paced to 5 messages a second (burst 5), four sends at a time, on the
 * test's clock, which only moves when the test moves it. The worker sends 5, then all four of its
 * sends wait for the pacer; one simulated second later 5 more go, and so on: never more than the
 * bucket allows in any simulated second, which the attempts' acceptance times show as well.
 */
@QuarkusTest
@TestProfile(DeliveryPacingTest.PacedPrimary.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
class DeliveryPacingTest {

  private static final int RATE = 5;
  private static final int PARALLELISM = 4;
  private static final int DUE = 23;
  private static final String PRIMARY = EmailSender.PRIMARY;

  public static class PacedPrimary implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "tributary.notice.delivery.smtp-primary.rate", String.valueOf(RATE),
          "tributary.notice.delivery.smtp-primary.burst", String.valueOf(RATE),
          "tributary.notice.delivery.parallelism", String.valueOf(PARALLELISM));
    }
  }

  @InjectSmtpServers SmtpServers smtp;
  @InjectIngestionApi Directory directory;
  @Inject TestClock clock;
  @Inject DeliveryWorker worker;
  @Inject MeterRegistry registry;
  @Inject Pool pool;

  @AfterEach
  void defaultDirectory() {
    clock.set(TestClock.MONDAY);
    directory.reset();
  }

  /**
   * This profile's application starts with an empty outbox and a full bucket, and this is its only
   * test. Between two moves of the clock the test waits until every send under way is waiting for
   * the pacer (so nothing else can go) before it counts what reached the server.
   */
  @Test
  void theWorkerNeverSendsFasterThanThePrimaryIsPaced() throws Throwable {
    Instant t0 = TestClock.MONDAY;
    clock.set(t0);
    smtp.purge();
    directory.set(IngestionApiStub.generated(DUE, 1));
    String noticeId =
        create(generalByEmail(all()))
            .statusCode(201)
            .body("deliveries", is(DUE))
            .extract()
            .path("id");
    double waitsBefore = pacingWaits();

    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Outbox.runOnce(worker);
              } catch (Throwable e) {
                throw new CompletionException(e);
              }
            });

    for (int second = 0; ; second++) {
      int sent = Math.min(DUE, RATE * (second + 1));
      int waiting = Math.min(PARALLELISM, DUE - sent);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  waitingForThePrimary() == waiting
                      && inFlight() == waiting
                      && smtp.primaryMessages().size() == sent);
      if (sent == DUE) {
        break;
      }
      clock.set(t0.plusSeconds(second + 1));
    }
    assertEquals(DUE, run.get(30, TimeUnit.SECONDS));

    // The evidence: per simulated second, the messages the primary accepted.
    List<Long> perSecond = new ArrayList<>();
    List<Instant> seconds = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "select a.accepted_at, count(*) from notice.delivery_attempts a"
                    + " join notice.deliveries d on d.id = a.delivery_id"
                    + " where d.notice_id = $1 and a.outcome = 'SENT'"
                    + " and a.provider = 'smtp-primary'"
                    + " group by a.accepted_at order by a.accepted_at")
            .execute(Tuple.of(UUID.fromString(noticeId)))
            .await()
            .atMost(Duration.ofSeconds(30))) {
      seconds.add(row.getOffsetDateTime(0).toInstant());
      perSecond.add(row.getLong(1));
    }
    assertEquals(
        List.of(t0, t0.plusSeconds(1), t0.plusSeconds(2), t0.plusSeconds(3), t0.plusSeconds(4)),
        seconds);
    assertEquals(List.of(5L, 5L, 5L, 5L, 3L), perSecond);
    assertTrue(pacingWaits() > waitsBefore, "no send waited for the pacer");
    assertEquals(0, Outbox.runOnce(worker));
  }

  private double waitingForThePrimary() {
    return registry
        .find("tributary.notice.pacing.waiting")
        .tag("provider", PRIMARY)
        .gauge()
        .value();
  }

  private double inFlight() {
    return registry.find("tributary.notice.deliveries.in_flight").gauge().value();
  }

  private double pacingWaits() {
    return registry
        .find("tributary.notice.pacing.waits")
        .tag("provider", PRIMARY)
        .counter()
        .count();
  }
}
