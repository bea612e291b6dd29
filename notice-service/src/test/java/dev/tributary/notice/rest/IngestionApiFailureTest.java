package dev.tributary.notice.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.PROBLEM_JSON;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.termsUpdate;
import static dev.tributary.notice.Notices.workspaces;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.IngestionApiStub.InjectIngestionApi;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ingestion-api failing: retried, then a clear 503, and nothing is written. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class IngestionApiFailureTest {

  @InjectIngestionApi WireMockServer ingestionApi;

  @Inject TestClock clock;

  private StubMapping failing;

  @BeforeEach
  void failingIngestionApi() {
    clock.set(TestClock.MONDAY);
    ingestionApi.resetRequests();
    failing =
        ingestionApi.stubFor(
            get(urlPathEqualTo(IngestionApiStub.WORKSPACES_PATH))
                .atPriority(0)
                .willReturn(aResponse().withStatus(500)));
  }

  @AfterEach
  void healthyAgain() {
    ingestionApi.removeStub(failing);
  }

  @Test
  void anUnavailableIngestionApiIsRetriedThenAnswered503WithoutANotice() {
    int before = noticesOfGlobex();
    create(termsUpdate(workspaces(GLOBEX), "2026-04-20T00:00:00Z", true, false))
        .statusCode(503)
        .contentType(PROBLEM_JSON)
        .body("code", is("ingestion_api_unavailable"));
    // One call for the first page and two retries.
    ingestionApi.verify(3, getRequestedFor(urlPathEqualTo(IngestionApiStub.WORKSPACES_PATH)));
    assertEquals(before, noticesOfGlobex());
  }

  private static int noticesOfGlobex() {
    return service()
        .get("/v1/workspaces/{id}/notices", GLOBEX)
        .then()
        .statusCode(200)
        .extract()
        .path("size()");
  }
}
