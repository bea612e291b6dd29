package dev.tributary.notice.service;

import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.deliveries;
import static dev.tributary.notice.Notices.termsUpdate;
import static dev.tributary.notice.Notices.workspaces;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.SmtpServers.InjectSmtpServers;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code start-on-create} on, a new notice's deliveries go out at once: the scheduler is off
 * in tests, so only the notice's creation can have started the worker.
 */
@QuarkusTest
@TestProfile(SendOnCreateTest.StartOnCreate.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
class SendOnCreateTest {

  public static class StartOnCreate implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tributary.notice.delivery.start-on-create", "true");
    }
  }

  @InjectSmtpServers SmtpServers smtp;

  @Test
  void aNewNoticeIsSentWithoutWaitingForAPoll() {
    smtp.purge();
    String noticeId =
        create(termsUpdate(workspaces(GLOBEX), "2026-04-15T00:00:00Z", true, false))
            .statusCode(201)
            .extract()
            .path("id");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> List.of("SENT").equals(deliveries(noticeId).getList("status")));
    assertEquals(1, smtp.primaryMessages().size());
    JsonPath delivery = deliveries(noticeId).setRootPath("[0]");
    assertEquals(1, delivery.getInt("attempts"));
    assertEquals(List.of("SENT"), delivery.getList("attemptHistory.outcome"));
  }
}
