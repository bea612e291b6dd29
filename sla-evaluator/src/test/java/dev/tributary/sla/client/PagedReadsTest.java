package dev.tributary.sla.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.Tables;
import dev.tributary.sla.config.TestClock;
import dev.tributary.sla.service.StatsCollector;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the evaluator reads from ingestion-api comes in pages: the workspace directory a thousand at
 * a time after the last one read, the request statistics ten thousand rows at a time after the last
 * (minute, workspace).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class PagedReadsTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject StatsCollector collector;
  @Inject Tables tables;
  @Inject Pool pool;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
  }

  @Test
  void theDirectoryIsReadPageByPage() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      ids.add(new UUID(0xcccc_0000_0000_0000L, i).toString());
    }
    page(null, ids.subList(0, 1_000));
    page(ids.get(999), ids.subList(1_000, 2_000));
    page(ids.get(1_999), ids.subList(2_000, 2_500));
    directory.invalidate();

    List<WorkspaceRecord> all = directory.all().await().atMost(WAIT);

    assertEquals(2_500, all.size());
    assertEquals(2_500, new HashSet<>(all.stream().map(WorkspaceRecord::id).toList()).size());
    assertEquals(ids.get(2_499), all.get(2_499).id().toString());
    platform.verify(
        3,
        getRequestedFor(urlPathEqualTo("/internal/v1/workspaces"))
            .withQueryParam("limit", equalTo("1000")));
    // A workspace of the last page is found by id in the same snapshot.
    assertEquals(
        "Workspace 2400",
        directory.find(UUID.fromString(ids.get(2_400))).await().atMost(WAIT).orElseThrow().name());
  }

  @Test
  void requestStatisticsAreCopiedPageByPageAfterTheLastRow() {
    clock.set(Instant.parse("2025-07-15T10:30:00Z"));
    // 10,000 workspaces' counts of 10:20 fill the first page; the next starts after its last row.
    StringBuilder first = new StringBuilder("[");
    for (int i = 0; i < 10_000; i++) {
      first.append(i == 0 ? "" : ",").append(row(new UUID(0xdddd_0000_0000_0000L, i), "10:20"));
    }
    UUID last = new UUID(0xdddd_0000_0000_0000L, 9_999);
    platform.stubFor(
        get(urlPathEqualTo("/internal/v1/request-stats"))
            .atPriority(1)
            .withQueryParam("afterMinute", absent())
            .willReturn(json(first.append("]").toString())));
    platform.stubFor(
        get(urlPathEqualTo("/internal/v1/request-stats"))
            .atPriority(1)
            .withQueryParam("afterMinute", equalTo("2025-07-15T10:20:00Z"))
            .withQueryParam("afterWorkspaceId", equalTo(last.toString()))
            .willReturn(json("[" + row(last, "10:21") + "]")));

    assertEquals(10_001, collector.collectOnce().await().atMost(WAIT));

    long stored =
        pool.query("select count(*) as n from sla.request_stats")
            .execute()
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getLong("n");
    assertEquals(10_001, stored);
    platform.verify(
        2,
        getRequestedFor(urlPathEqualTo("/internal/v1/request-stats"))
            .withQueryParam("limit", equalTo("10000")));
  }

  private void page(String after, List<String> ids) {
    StringBuilder body = new StringBuilder("[");
    for (String id : ids) {
      long n = UUID.fromString(id).getLeastSignificantBits();
      body.append(body.length() > 1 ? "," : "")
          .append(
              """
              {"id": "%s", "name": "Workspace %d", "timeZone": "UTC",
               "createdAt": "2024-01-10T00:00:00Z", "contacts": []}
              """
                  .formatted(id, n));
    }
    platform.stubFor(
        get(urlPathEqualTo("/internal/v1/workspaces"))
            .atPriority(1)
            .withQueryParam("after", after == null ? absent() : equalTo(after))
            .willReturn(json(body.append("]").toString())));
  }

  private static String row(UUID workspace, String minute) {
    return """
        {"workspaceId": "%s", "minute": "2025-07-15T%s:00Z", "requests": 30,
         "rejected4xx": 0, "throttled429": 0, "failed5xx": 0}
        """
        .formatted(workspace, minute);
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }
}
