package dev.tributary.notice.service;

import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.deliveries;
import static dev.tributary.notice.Notices.maintenance;
import static dev.tributary.notice.Notices.notice;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.workspaces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.SmtpServers.InjectSmtpServers;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maintenance reminders: written with the notice, due {@code tributary.notice.reminder.lead} (24 h)
 * before the window, sent by the worker once due, cancelled by a cancellation notice.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
class MaintenanceReminderTest {

  private static final String REMINDERS = "findAll { it.stage == 'REMINDER' }";
  private static final String NOTICES = "findAll { it.stage == 'NOTICE' }";

  @InjectSmtpServers SmtpServers smtp;
  @Inject TestClock clock;
  @Inject DeliveryWorker worker;

  @BeforeEach
  void drainTheOutbox() throws Throwable {
    smtp.startPrimary();
    smtp.startSecondary();
    Outbox.drain(worker, clock);
    smtp.purge();
  }

  @AfterEach
  void backToMonday() {
    clock.set(TestClock.MONDAY);
  }

  @Test
  void aReminderIsDueADayBeforeTheWindowAndSentOnlyThen() throws Throwable {
    String noticeId =
        create(maintenance(workspaces(GLOBEX), "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z"))
            .statusCode(201)
            .body("deliveries", org.hamcrest.Matchers.is(1))
            .extract()
            .path("id");

    JsonPath deliveries = deliveries(noticeId);
    assertEquals(List.of("PENDING"), deliveries.getList(REMINDERS + ".status"));
    assertEquals(List.of("2026-03-05T10:00:00Z"), deliveries.getList(REMINDERS + ".nextAttemptAt"));
    assertEquals(
        deliveries.getList(NOTICES + ".address"), deliveries.getList(REMINDERS + ".address"));

    // The notice goes out at once, the reminder does not.
    assertEquals(1, runWorker());
    await().until(() -> smtp.primaryMessages().size() == 1);
    assertEquals(
        "Scheduled maintenance of the Tributary service",
        smtp.primaryMessages().get(0).getSubject());

    clock.set(Instant.parse("2026-03-05T09:59:59Z"));
    assertEquals(0, runWorker());
    assertEquals(List.of("PENDING"), deliveries(noticeId).getList(REMINDERS + ".status"));

    clock.set(Instant.parse("2026-03-05T10:00:00Z"));
    assertEquals(1, runWorker());
    await().until(() -> smtp.primaryMessages().size() == 2);
    MimeMessage reminder = smtp.primaryMessages().get(1);
    assertEquals("Reminder: Scheduled maintenance of the Tributary service", reminder.getSubject());
    assertEquals("counsel@globex.example", reminder.getAllRecipients()[0].toString());
    String content = String.valueOf(reminder.getContent());
    deliveries = deliveries(noticeId);
    assertEquals(List.of("SENT"), deliveries.getList(REMINDERS + ".status"));
    assertEquals(List.of("SENT"), deliveries.getList(NOTICES + ".status"));
    assertEquals(1, deliveries.getList(REMINDERS + ".attemptHistory").size());
    assertTrue(
        !deliveries
            .getString(REMINDERS + "[0].providerMessageId")
            .equals(deliveries.getString(NOTICES + "[0].providerMessageId")),
        content);
    // The reminder does not change the notice's status.
    service()
        .get("/v1/notices/{id}", noticeId)
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.is("SENT"))
        .body("deliveries.sent", org.hamcrest.Matchers.is(1));
  }

  @Test
  void noReminderWhenTheWindowStartsWithinTheLead() {
    String noticeId =
        create(maintenance(workspaces(GLOBEX), "2026-03-03T12:00:00Z", "2026-03-03T13:00:00Z"))
            .statusCode(201)
            .extract()
            .path("id");
    JsonPath deliveries = deliveries(noticeId);
    assertEquals(List.of("NOTICE"), deliveries.getList("stage"));
  }

  @Test
  void aCancellationCancelsThePendingReminders() throws Throwable {
    String noticeId =
        create(maintenance(workspaces(GLOBEX), "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"))
            .statusCode(201)
            .extract()
            .path("id");
    assertEquals(1, runWorker());
    assertEquals(List.of("PENDING"), deliveries(noticeId).getList(REMINDERS + ".status"));

    Map<String, Object> cancellation =
        notice(
            "MAINTENANCE_CANCELLED",
            workspaces(GLOBEX),
            "windowStart",
            "2026-03-10T10:00:00Z",
            "windowEnd",
            "2026-03-10T11:00:00Z",
            "description",
            "The database upgrade is cancelled.",
            "relatedNoticeId",
            noticeId);
    String cancellationId = create(cancellation).statusCode(201).extract().path("id");

    JsonPath deliveries = deliveries(noticeId);
    assertEquals(List.of("CANCELLED"), deliveries.getList(REMINDERS + ".status"));
    assertEquals(List.of("SENT"), deliveries.getList(NOTICES + ".status"));
    // A cancellation has no reminder of its own.
    assertEquals(List.of("NOTICE"), deliveries(cancellationId).getList("stage"));

    assertEquals(1, runWorker()); // the cancellation notice
    clock.set(Instant.parse("2026-03-09T10:00:00Z"));
    assertEquals(0, runWorker());
    clock.set(Instant.parse("2026-03-10T12:00:00Z"));
    assertEquals(0, runWorker());
    await().until(() -> smtp.primaryMessages().size() == 2);
    assertEquals(
        List.of(
            "Scheduled maintenance of the Tributary service",
            "Cancelled: maintenance of the Tributary service"),
        smtp.primaryMessages().stream().map(MaintenanceReminderTest::subject).toList());
    assertEquals(List.of("CANCELLED"), deliveries(noticeId).getList(REMINDERS + ".status"));
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private int runWorker() throws Throwable {
    return Outbox.runOnce(worker);
  }
}
