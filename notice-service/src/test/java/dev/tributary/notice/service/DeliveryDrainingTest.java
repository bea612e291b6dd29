package dev.tributary.notice.service;

import static dev.tributary.notice.Notices.all;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.generalByEmail;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.IngestionApiStub.Directory;
import dev.tributary.notice.IngestionApiStub.InjectIngestionApi;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.SmtpServers.InjectSmtpServers;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One run of the worker drains the outbox: with batches of 5, 23 due deliveries go out in one
 * {@link DeliveryWorker#runOnce()} (claims of 5, 5, 5, 5 and 3), three at a time, each once.
 */
@QuarkusTest
@TestProfile(DeliveryDrainingTest.SmallBatches.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
class DeliveryDrainingTest {

  /** Batches of 5, three sends at a time, no pacing. */
  public static class SmallBatches implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "tributary.notice.delivery.batch-size", "5",
          "tributary.notice.delivery.parallelism", "3");
    }
  }

  private static final int DUE = 23;

  @InjectSmtpServers SmtpServers smtp;
  @InjectIngestionApi Directory directory;
  @Inject TestClock clock;
  @Inject DeliveryWorker worker;
  @Inject DeliverySender sender;
  @Inject Pool pool;

  @BeforeEach
  void emptyOutbox() throws Throwable {
    smtp.startPrimary();
    smtp.startSecondary();
    Outbox.drain(worker, clock);
    smtp.purge();
    directory.set(IngestionApiStub.generated(DUE, 1));
  }

  @AfterEach
  void defaultDirectory() {
    directory.reset();
  }

  @Test
  void oneRunSendsBatchAfterBatchUntilNothingIsDue() throws Throwable {
    String noticeId =
        create(generalByEmail(all()))
            .statusCode(201)
            .body("deliveries", is(DUE))
            .extract()
            .path("id");

    // More than a batch in one run: the full batches were followed at once by the next.
    assertEquals(DUE, Outbox.runOnce(worker));

    await().atMost(Duration.ofSeconds(30)).until(() -> smtp.primaryMessages().size() == DUE);
    Set<String> messageIds = new HashSet<>();
    for (MimeMessage message : smtp.primaryMessages()) {
      messageIds.add(message.getMessageID());
    }
    Set<String> expected = new HashSet<>();
    for (Row row :
        rows(
            "select id, status, attempts from notice.deliveries where notice_id = $1",
            UUID.fromString(noticeId))) {
      assertEquals("SENT", row.getString("status"));
      assertEquals(1, row.getInteger("attempts"));
      expected.add(sender.messageId(row.getUUID("id")));
    }
    assertEquals(DUE, expected.size());
    assertEquals(expected, messageIds);
    // One SENT attempt row per delivery.
    Row evidence =
        rows(
                "select count(*) as attempts, count(distinct a.delivery_id) as deliveries,"
                    + " count(*) filter (where a.outcome = 'SENT') as sent"
                    + " from notice.delivery_attempts a join notice.deliveries d"
                    + " on d.id = a.delivery_id where d.notice_id = $1",
                UUID.fromString(noticeId))
            .iterator()
            .next();
    assertEquals(DUE, evidence.getLong("attempts"));
    assertEquals(DUE, evidence.getLong("deliveries"));
    assertEquals(DUE, evidence.getLong("sent"));

    assertEquals(0, Outbox.runOnce(worker));
    assertEquals(DUE, smtp.primaryMessages().size());
  }

  private Iterable<Row> rows(String query, Object... parameters) {
    return pool.preparedQuery(query)
        .execute(Tuple.from(parameters))
        .await()
        .atMost(Duration.ofSeconds(30));
  }
}
