package dev.tributary.notice.service;

import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.PROBLEM_JSON;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.deliveries;
import static dev.tributary.notice.Notices.notice;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.workspaces;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
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
import jakarta.mail.internet.MimeMultipart;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The written notices of a suspension (Terms of Service §2.3), its lifting and a closure, as
 * ingestion-api asks for them: by email to the workspace's contacts through a real SMTP server,
 * with the evidence of every notice, once per Idempotency-Key; {@code deliveries.sent} of {@code
 * GET /v1/notices/{id}} is what ingestion-api waits for before the suspension takes effect.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
class SuspensionNoticeTest {

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

  private static Map<String, Object> suspension(String reason) {
    return notice(
        "SUSPENSION",
        workspaces(GLOBEX),
        "description",
        reason,
        // Asked for, but a suspension is written notice: email only.
        "channels",
        List.of("EMAIL", "SMS"));
  }

  private static JsonPath read(String id) {
    return service().get("/v1/notices/{id}", id).then().statusCode(200).extract().jsonPath();
  }

  @Test
  void aSuspensionNoticeIsEmailedOnceWithItsReasonAndCountsAsSentOnceDelivered() throws Throwable {
    String key = "suspension-" + UUID.randomUUID();
    String noticeId =
        create(suspension("Payment overdue since 1 March."), key)
            .statusCode(201)
            .body("kind", is("SUSPENSION"))
            .extract()
            .path("id");
    // The job of every ingestion-api replica may ask again: the same notice, nothing more to send.
    create(suspension("Payment overdue since 1 March."), key)
        .statusCode(200)
        .body("id", is(noticeId));

    JsonPath before = read(noticeId);
    assertEquals(List.of("EMAIL"), before.getList("channels"));
    assertEquals(0, before.getInt("deliveries.sent"));
    assertTrue(before.getInt("deliveries.pending") >= 1);

    assertEquals(1, Outbox.runOnce(worker));
    await().until(() -> smtp.primaryMessages().size() == 1);
    MimeMessage message = smtp.primaryMessages().get(0);
    assertEquals("counsel@globex.example", message.getAllRecipients()[0].toString());
    assertEquals("Suspension of your Tributary workspace", message.getSubject());
    String content = text(message);
    assertTrue(content.contains("Hello Globex"), content);
    assertTrue(content.contains("section 2.3 of the Terms of Service"), content);
    assertTrue(content.contains("Payment overdue since 1 March."), content);
    assertTrue(content.contains("workspace_suspended"), content);

    assertEquals(1, read(noticeId).getInt("deliveries.sent"));
    JsonPath delivery = deliveries(noticeId).setRootPath("[0]");
    assertEquals("SENT", delivery.getString("status"));
    assertEquals(64, delivery.getString("contentSha256").length());
    assertEquals(message.getMessageID(), delivery.getString("providerMessageId"));
    assertEquals(1, smtp.primaryMessages().size(), "one notice however often it was asked for");
  }

  @Test
  void theLiftingAndTheClosureAreEmailedToo() throws Throwable {
    String lifted =
        create(
                notice("SUSPENSION_LIFTED", workspaces(GLOBEX), "description", "Payment received."),
                "suspension-lifted-" + UUID.randomUUID())
            .statusCode(201)
            .extract()
            .path("id");
    String closed =
        create(notice("CLOSURE", workspaces(GLOBEX)), "closure-" + UUID.randomUUID())
            .statusCode(201)
            .extract()
            .path("id");
    assertEquals(2, Outbox.runOnce(worker));
    await().until(() -> smtp.primaryMessages().size() == 2);
    List<String> subjects =
        smtp.primaryMessages().stream()
            .map(
                m -> {
                  try {
                    return m.getSubject() + "\n" + text(m);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toList();
    assertTrue(
        subjects.stream()
            .anyMatch(
                s ->
                    s.startsWith("Your Tributary workspace is no longer suspended")
                        && s.contains("Payment received.")),
        subjects.toString());
    assertTrue(
        subjects.stream()
            .anyMatch(
                s ->
                    s.startsWith("Closure of your Tributary account")
                        && s.contains("within 60 days")
                        && !s.contains("Note:")),
        subjects.toString());
    assertEquals(1, read(lifted).getInt("deliveries.sent"));
    assertEquals(1, read(closed).getInt("deliveries.sent"));
  }

  @Test
  void aSuspensionNeedsItsReason() {
    create(notice("SUSPENSION", workspaces(GLOBEX)))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"))
        .body("errors", hasItem("description: must not be blank"));
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
