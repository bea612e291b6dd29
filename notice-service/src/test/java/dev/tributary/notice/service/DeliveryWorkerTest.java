package dev.tributary.notice.service;

import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.all;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.deliveries;
import static dev.tributary.notice.Notices.maintenance;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.termsUpdate;
import static dev.tributary.notice.Notices.workspaces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.SmtpServers.InjectSmtpServers;
import dev.tributary.notice.config.TestClock;
import dev.tributary.notice.repository.DeliveryOutbox;
import dev.tributary.notice.repository.NoticeRecipientRepository;
import dev.tributary.notice.repository.NoticeRepository;
import dev.tributary.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The email delivery worker against a real PostgreSQL and two real SMTP servers (GreenMail): the
 * scheduler is off in tests, each test drives {@link DeliveryWorker#runOnce()} itself.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
class DeliveryWorkerTest {

  @InjectSmtpServers SmtpServers smtp;
  @Inject TestClock clock;
  @Inject DeliveryWorker worker;
  @Inject NoticeRenderer renderer;
  @Inject NoticeRepository notices;
  @Inject NoticeRecipientRepository recipients;
  @Inject Pool pool;
  @Inject MeterRegistry registry;
  @Inject EmailSender email;
  @Inject DeliverySender sender;
  @Inject DueDeliveries due;

  @BeforeEach
  void drainTheOutbox() throws Throwable {
    smtp.startPrimary();
    smtp.startSecondary();
    Outbox.drain(worker, clock);
    smtp.purge();
  }

  @AfterEach
  void serversBackUp() {
    smtp.startPrimary();
    smtp.startSecondary();
  }

  @Test
  void aNoticeIsDeliveredByEmailWithItsEvidence() throws Throwable {
    String noticeId = createTermsUpdateForGlobex();

    assertEquals(1, runWorker());

    await().until(() -> smtp.primaryMessages().size() == 1);
    MimeMessage message = smtp.primaryMessages().get(0);
    assertEquals("counsel@globex.example", message.getAllRecipients()[0].toString());
    assertEquals("Update to the Terms of Service (version 2026-04)", message.getSubject());
    String content = text(message);
    assertTrue(content.contains("Hello Globex"), content);
    assertTrue(content.contains("Terms of Service"), content);
    assertTrue(content.contains("New liability cap."), content);
    // 2026-04-15T00:00Z in Globex's zone (New York, EDT).
    assertTrue(content.contains("Tuesday 14 April 2026, 20:00 EDT"), content);
    assertTrue(content.contains("https://tributary.example/legal/terms/2026-04"), content);
    assertTrue(content.contains("What you can do"), content);
    assertTrue(smtp.secondaryMessages().isEmpty());

    JsonPath delivery = deliveries(noticeId).setRootPath("[0]");
    String deliveryId = delivery.getString("id");
    assertEquals("SENT", delivery.getString("status"));
    assertEquals(1, delivery.getInt("attempts"));
    assertEquals(sender.messageId(UUID.fromString(deliveryId)), message.getMessageID());
    assertEquals(message.getMessageID(), delivery.getString("providerMessageId"));
    assertNotNull(delivery.getString("acceptedAt"));
    String expectedSha256 = renderedSha256(noticeId, GLOBEX);
    assertEquals(expectedSha256, delivery.getString("contentSha256"));

    List<Row> attempts = attempts(deliveryId);
    assertEquals(1, attempts.size());
    Row attempt = attempts.get(0);
    assertEquals("SENT", attempt.getString("outcome"));
    assertEquals("smtp-primary", attempt.getString("provider"));
    assertEquals(message.getMessageID(), attempt.getString("provider_message_id"));
    assertEquals(expectedSha256, attempt.getString("content_sha256"));
    assertNotNull(attempt.getOffsetDateTime("accepted_at"));
    assertNull(attempt.getString("error"));
  }

  @Test
  void aMaintenanceNoticeShowsTheWindowInTheWorkspaceZoneAndInPacificTime() throws Throwable {
    Map<String, Object> body =
        maintenance(workspaces(GLOBEX), "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z");
    create(body).statusCode(201);

    assertEquals(1, runWorker());

    await().until(() -> smtp.primaryMessages().size() == 1);
    String content = text(smtp.primaryMessages().get(0));
    assertTrue(content.contains("Friday 6 March 2026, 05:00 EST"), content);
    assertTrue(content.contains("Friday 6 March 2026, 06:00 EST"), content);
    assertTrue(content.contains("Friday 6 March 2026, 02:00 PST"), content);
    assertTrue(content.contains("Friday 6 March 2026, 03:00 PST"), content);
    assertTrue(content.contains("Database upgrade"), content);
  }

  @Test
  void whenThePrimaryIsDownTheSecondaryDeliversAndIsRecorded() throws Throwable {
    String noticeId = createTermsUpdateForGlobex();
    smtp.stopPrimary();

    assertEquals(1, runWorker());

    await().until(() -> smtp.secondaryMessages().size() == 1);
    assertEquals(
        "counsel@globex.example", smtp.secondaryMessages().get(0).getAllRecipients()[0].toString());
    JsonPath delivery = deliveries(noticeId).setRootPath("[0]");
    assertEquals("SENT", delivery.getString("status"));
    assertEquals(1, delivery.getInt("attempts"));
    List<Row> attempts = attempts(delivery.getString("id"));
    assertEquals(1, attempts.size());
    assertEquals("SENT", attempts.get(0).getString("outcome"));
    assertEquals("smtp-secondary", attempts.get(0).getString("provider"));
  }

  @Test
  void aFailedAttemptIsRetriedLaterAndThenSucceeds() throws Throwable {
    String noticeId = createTermsUpdateForGlobex();
    smtp.stopPrimary();
    smtp.stopSecondary();

    assertEquals(1, runWorker());

    JsonPath delivery = deliveries(noticeId).setRootPath("[0]");
    String deliveryId = delivery.getString("id");
    assertEquals("PENDING", delivery.getString("status"));
    assertEquals(1, delivery.getInt("attempts"));
    assertNotNull(delivery.getString("lastError"));
    Instant next = Instant.parse(delivery.getString("nextAttemptAt"));
    // base 30 s, jitter 0.5..1.5
    assertTrue(!next.isBefore(TestClock.MONDAY.plusSeconds(15)), next.toString());
    assertTrue(!next.isAfter(TestClock.MONDAY.plusSeconds(45)), next.toString());
    // Not due yet.
    assertEquals(0, runWorker());

    smtp.startPrimary();
    smtp.startSecondary();
    clock.set(next);
    assertEquals(1, runWorker());

    await().until(() -> smtp.primaryMessages().size() == 1);
    delivery = deliveries(noticeId).setRootPath("[0]");
    assertEquals("SENT", delivery.getString("status"));
    assertEquals(2, delivery.getInt("attempts"));
    List<Row> attempts = attempts(deliveryId);
    assertEquals(
        List.of("RETRY", "SENT"), attempts.stream().map(r -> r.getString("outcome")).toList());
    assertNotNull(attempts.get(0).getString("error"));
    assertEquals("smtp-primary", attempts.get(1).getString("provider"));
  }

  @Test
  void afterTheLastAttemptTheDeliveryFailsAndIsCounted() throws Throwable {
    String noticeId = createTermsUpdateForGlobex();
    double failedBefore = failedCount();
    smtp.stopPrimary();
    smtp.stopSecondary();

    for (int attempt = 1; attempt <= 5; attempt++) {
      assertEquals(1, runWorker(), "attempt " + attempt);
      clock.set(clock.instant().plus(Duration.ofDays(1)));
    }
    assertEquals(0, runWorker());

    JsonPath delivery = deliveries(noticeId).setRootPath("[0]");
    assertEquals("FAILED", delivery.getString("status"));
    assertEquals(5, delivery.getInt("attempts"));
    List<Row> attempts = attempts(delivery.getString("id"));
    assertEquals(
        List.of("RETRY", "RETRY", "RETRY", "RETRY", "FAILED"),
        attempts.stream().map(r -> r.getString("outcome")).toList());
    assertEquals(failedBefore + 1, failedCount());
  }

  @Test
  void twoWorkersRacingNeverSendTheSameDeliveryTwice() throws Throwable {
    // 2 email deliveries each (Acme, Globex).
    List<String> noticeIds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      noticeIds.add(
          create(termsUpdate(all(), "2026-03-03T00:00:00Z", false, false))
              .statusCode(201)
              .extract()
              .path("id"));
    }

    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> workers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        workers.add(
            threads.submit(
                () -> {
                  start.await();
                  try {
                    return runWorker();
                  } catch (Throwable e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      start.countDown();
      int claimed = 0;
      for (Future<Integer> w : workers) {
        claimed += w.get();
      }
      assertEquals(8, claimed);
    } finally {
      threads.shutdownNow();
    }

    await().until(() -> smtp.primaryMessages().size() >= 8);
    Set<String> messageIds = new HashSet<>();
    for (MimeMessage message : smtp.primaryMessages()) {
      assertTrue(messageIds.add(message.getMessageID()), "sent twice: " + message.getMessageID());
    }
    assertEquals(8, messageIds.size());
    for (String noticeId : noticeIds) {
      JsonPath deliveries = deliveries(noticeId);
      assertEquals(List.of("SENT", "SENT"), deliveries.getList("status"));
      assertEquals(List.of(1, 1), deliveries.getList("attempts"));
    }
  }

  /**
   * A worker crashes after the SMTP server accepted the message but before the outcome transaction
   * committed: simulated by claiming the delivery and sending its message exactly as {@link
   * DeliverySender#send} does, then recording nothing. The row stays SENDING under its lease; once
   * the lease has run out another poll claims it again and sends it again, with the same
   * Message-ID. At-least-once is the right trade-off for legal notices: a duplicate notice is
   * harmless (and recognisable by its Message-ID), a lost one could void the notice period. The
   * evidence then shows one SENT attempt (attempt 2) and 2 attempts on the delivery: the first
   * acceptance is not recorded, because the crash lost it.
   */
  @Test
  void aCrashBetweenProviderAcceptanceAndCommitResendsTheSameMessageOnce() throws Throwable {
    String noticeId = createTermsUpdateForGlobex();
    List<DeliveryOutbox.Claimed> claimed = VertxContextSupport.subscribeAndAwait(due::claim);
    assertEquals(1, claimed.size());
    DeliveryOutbox.Claimed delivery = claimed.get(0);
    assertEquals(1, delivery.attempt());
    UUID notice = UUID.fromString(noticeId);
    NoticeRenderer.Rendered rendered =
        VertxContextSupport.subscribeAndAwait(
            () ->
                Panache.withSession(
                    () ->
                        notices
                            .findById(notice)
                            .flatMap(
                                n ->
                                    recipients
                                        .find(
                                            "noticeId = ?1 and workspaceId = ?2",
                                            notice,
                                            delivery.workspaceId())
                                        .firstResult()
                                        .map(r -> renderer.render(n, r)))));
    EmailSender.Email mail =
        new EmailSender.Email(
            delivery.address(),
            rendered.subject(),
            rendered.text(),
            rendered.html(),
            sender.messageId(delivery.id()));
    email.send(mail).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // ... and the worker dies here: no outcome, no attempt row.
    await().until(() -> smtp.primaryMessages().size() == 1);
    JsonPath row = deliveries(noticeId).setRootPath("[0]");
    assertEquals("SENDING", row.getString("status"));
    assertEquals(1, row.getInt("attempts"));
    assertTrue(attempts(delivery.id().toString()).isEmpty());

    // The lease (5 minutes) still holds: nobody claims the row.
    clock.set(TestClock.MONDAY.plusSeconds(60));
    assertEquals(0, runWorker());
    // Past the lease another worker takes it over and sends it again.
    clock.set(TestClock.MONDAY.plus(Duration.ofMinutes(5)).plusSeconds(1));
    assertEquals(1, runWorker());

    await().until(() -> smtp.primaryMessages().size() == 2);
    List<MimeMessage> sent = smtp.primaryMessages();
    assertEquals(sender.messageId(delivery.id()), sent.get(0).getMessageID());
    assertEquals(sent.get(0).getMessageID(), sent.get(1).getMessageID());
    assertEquals(sent.get(0).getSubject(), sent.get(1).getSubject());
    assertEquals(0, runWorker());
    assertEquals(2, smtp.primaryMessages().size());

    row = deliveries(noticeId).setRootPath("[0]");
    assertEquals("SENT", row.getString("status"));
    assertEquals(2, row.getInt("attempts"));
    assertEquals(sent.get(0).getMessageID(), row.getString("providerMessageId"));
    assertEquals(rendered.sha256(), row.getString("contentSha256"));
    List<Row> attempts = attempts(delivery.id().toString());
    assertEquals(1, attempts.size());
    assertEquals(2, attempts.get(0).getInteger("attempt"));
    assertEquals("SENT", attempts.get(0).getString("outcome"));
    assertEquals(1, row.getList("attemptHistory").size());
    assertEquals(2, row.getInt("attemptHistory[0].attempt"));
    assertEquals("SENT", row.getString("attemptHistory[0].outcome"));
    assertEquals("smtp-primary", row.getString("attemptHistory[0].provider"));
    assertEquals(sent.get(0).getMessageID(), row.getString("attemptHistory[0].providerMessageId"));
    assertEquals(rendered.sha256(), row.getString("attemptHistory[0].contentSha256"));
    assertNotNull(row.getString("attemptHistory[0].acceptedAt"));
  }

  @Test
  void aWorkspaceListsEveryDeliveryWithItsAttempts() throws Throwable {
    String noticeId = createTermsUpdateForGlobex();
    smtp.stopPrimary();
    smtp.stopSecondary();
    assertEquals(1, runWorker());
    smtp.startPrimary();
    smtp.startSecondary();
    clock.set(TestClock.MONDAY.plusSeconds(3600));
    assertEquals(1, runWorker());

    String deliveryId = deliveries(noticeId).getString("[0].id");
    JsonPath all =
        service()
            .get("/v1/workspaces/{id}/deliveries", GLOBEX)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(all.getList("workspaceId").stream().allMatch(GLOBEX::equals));
    JsonPath mine = all.setRootPath("find { it.id == '" + deliveryId + "' }");
    assertEquals(noticeId, mine.getString("noticeId"));
    assertEquals("SENT", mine.getString("status"));
    assertEquals("NOTICE", mine.getString("stage"));
    assertEquals(List.of(1, 2), mine.getList("attemptHistory.attempt"));
    assertEquals(List.of("RETRY", "SENT"), mine.getList("attemptHistory.outcome"));
    assertNotNull(mine.getString("attemptHistory[0].error"));
    assertNotNull(mine.getString("attemptHistory[1].contentSha256"));
    assertNotNull(mine.getString("providerMessageId"));
  }

  private String createTermsUpdateForGlobex() {
    return create(termsUpdate(workspaces(GLOBEX), "2026-04-15T00:00:00Z", true, false))
        .statusCode(201)
        .extract()
        .path("id");
  }

  private int runWorker() throws Throwable {
    return Outbox.runOnce(worker);
  }

  private List<Row> attempts(String deliveryId) {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(
            "select * from notice.delivery_attempts where delivery_id = $1 order by attempt")
        .execute(Tuple.of(UUID.fromString(deliveryId)))
        .await()
        .atMost(Duration.ofSeconds(30))
        .forEach(rows::add);
    return rows;
  }

  private String renderedSha256(String noticeId, String workspaceId) throws Throwable {
    UUID notice = UUID.fromString(noticeId);
    UUID workspace = UUID.fromString(workspaceId);
    return VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withSession(
                () ->
                    notices
                        .findById(notice)
                        .flatMap(
                            n ->
                                recipients
                                    .find("noticeId = ?1 and workspaceId = ?2", notice, workspace)
                                    .firstResult()
                                    .map(r -> renderer.render(n, r).sha256()))));
  }

  private double failedCount() {
    var counter = registry.find("tributary.notice.deliveries.failed").counter();
    return counter == null ? 0 : counter.count();
  }

  private static String text(MimeMessage message) throws Exception {
    Object content = message.getContent();
    if (content instanceof MimeMultipart multipart) {
      StringBuilder all = new StringBuilder();
      collect(multipart, all);
      return all.toString();
    }
    return String.valueOf(content);
  }

  private static void collect(MimeMultipart multipart, StringBuilder all) throws Exception {
    for (int i = 0; i < multipart.getCount(); i++) {
      Object part = multipart.getBodyPart(i).getContent();
      if (part instanceof MimeMultipart nested) {
        collect(nested, all);
      } else {
        all.append(part).append('\n');
      }
    }
  }
}
