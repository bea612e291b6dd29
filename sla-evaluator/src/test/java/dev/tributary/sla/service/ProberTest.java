package dev.tributary.sla.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.Tables;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The prober against ingestion-api faked by WireMock: one call per endpoint with the probe source's
 * key, one retry on failure (5xx, timeout), 429 counted as available, every call stored, and the
 * minute's verdict in the ledger.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class ProberTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  /** A Tuesday; the probed minute is 10:00 UTC, over once the clock is moved to 10:05. */
  static final Instant PROBE_AT = Instant.parse("2025-07-15T10:00:00Z");

  static final Instant LATER = Instant.parse("2025-07-15T10:05:00Z");

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject Prober prober;
  @Inject Pool pool;

  /** The write key ProbeKeys derives from the test service token and the source name. */
  static final String WRITE_KEY = ProbeKeys.writeKey("test-service-token", "sla-evaluator");

  record StoredProbe(String endpoint, boolean ok, String location, Integer status, String error) {}

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
    clock.set(PROBE_AT);
  }

  @Test
  void oneRoundCallsEveryEndpointOnceWithTheProbeSource() {
    forceSourceRegistration();

    prober.probeOnce();

    platform.verify(
        1,
        putRequestedFor(urlEqualTo("/internal/v1/probe-sources/sla-evaluator"))
            .withHeader("Authorization", WireMock.equalTo(PlatformStub.SERVICE_BEARER))
            .withRequestBody(equalToJson("{\"writeKey\": \"" + WRITE_KEY + "\"}")));
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    for (String endpoint : Prober.ENDPOINTS) {
      platform.verify(
          1,
          postRequestedFor(urlEqualTo("/v1/" + endpoint))
              .withHeader("Authorization", WireMock.equalTo(basic))
              .withRequestBody(matchingJsonPath("$.messageId", matching("probe-.*")))
              .withRequestBody(matchingJsonPath("$.context[?(@.tributaryProbe == true)]")));
    }
    platform.verify(6, postRequestedFor(urlPathMatching("/v1/.*")));

    List<StoredProbe> stored = stored();
    assertEquals(6, stored.size(), stored.toString());
    for (StoredProbe p : stored) {
      assertTrue(p.ok(), p.toString());
      assertEquals("sla-evaluator", p.location());
      assertEquals(200, p.status());
    }
    assertThat(
        stored.stream().map(StoredProbe::endpoint).toList(),
        containsInAnyOrder(Prober.ENDPOINTS.toArray()));
  }

  @Test
  void aFailedCallIsRetriedOnceAndTwoFailuresMakeTheMinuteUnavailable() {
    platform.stubFor(
        post(urlEqualTo("/v1/track"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(500).withBody("{\"success\":false}")));
    double failuresBefore = metric("tributary_sla_probe_failures_total", "endpoint=\"track\"");

    prober.probeOnce();

    platform.verify(2, postRequestedFor(urlEqualTo("/v1/track")));
    platform.verify(1, postRequestedFor(urlEqualTo("/v1/identify")));
    List<StoredProbe> track = stored().stream().filter(p -> p.endpoint().equals("track")).toList();
    assertEquals(2, track.size(), track.toString());
    for (StoredProbe p : track) {
      assertFalse(p.ok());
      assertEquals(500, p.status());
    }
    assertEquals(7, stored().size());

    clock.set(LATER);
    minute(PlatformStub.UTC_WS, PROBE_AT)
        .body("[0].verdict", equalTo("UNAVAILABLE"))
        .body("[0].reason", equalTo("PROBES_FAILED"))
        .body("[0].probesFailed", is(2))
        .body("[0].probesOk", is(5));
    given()
        .auth()
        .oauth2("test-service-token")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-07")
        .then()
        .statusCode(200)
        .body("unavailableMinutes", is(1))
        .body("unavailable[0].minute", equalTo("2025-07-15T10:00:00Z"))
        .body("unavailable[0].reason", equalTo("PROBES_FAILED"));

    // Two failed calls: the failure counter grew by two, the duration timer has failed calls.
    assertEquals(
        failuresBefore + 2, metric("tributary_sla_probe_failures_total", "endpoint=\"track\""));
    assertThat(
        metric(
            "tributary_sla_probe_duration_seconds_count",
            "endpoint=\"track\"",
            "outcome=\"failed\""),
        greaterThanOrEqualTo(2.0));
  }

  @Test
  void aSuccessfulRetryKeepsTheMinuteAvailable() {
    platform.stubFor(
        post(urlEqualTo("/v1/track"))
            .atPriority(1)
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("recovered"));
    platform.stubFor(
        post(urlEqualTo("/v1/track"))
            .atPriority(1)
            .inScenario("flaky")
            .whenScenarioStateIs("recovered")
            .willReturn(aResponse().withStatus(200).withBody("{\"success\":true}")));

    prober.probeOnce();

    platform.verify(2, postRequestedFor(urlEqualTo("/v1/track")));
    List<StoredProbe> track = stored().stream().filter(p -> p.endpoint().equals("track")).toList();
    assertThat(track.stream().map(StoredProbe::ok).toList(), containsInAnyOrder(false, true));
    assertThat(track.stream().map(StoredProbe::status).toList(), containsInAnyOrder(503, 200));

    clock.set(LATER);
    minute(PlatformStub.UTC_WS, PROBE_AT)
        .body("[0].verdict", equalTo("AVAILABLE"))
        .body("[0].reason", nullValue())
        .body("[0].probesFailed", is(1))
        .body("[0].probesOk", is(6));
  }

  @Test
  void throttlingIsNotUnavailability() {
    platform.stubFor(
        post(urlEqualTo("/v1/track"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

    prober.probeOnce();

    // An answer of 429 is a success: no retry.
    platform.verify(1, postRequestedFor(urlEqualTo("/v1/track")));
    List<StoredProbe> track = stored().stream().filter(p -> p.endpoint().equals("track")).toList();
    assertEquals(1, track.size(), track.toString());
    assertTrue(track.get(0).ok());
    assertEquals(429, track.get(0).status());

    clock.set(LATER);
    minute(PlatformStub.UTC_WS, PROBE_AT).body("[0].verdict", equalTo("AVAILABLE"));
  }

  @Test
  void noAnswerWithinTheTimeoutIsAFailure() {
    // tributary.sla.probe.timeout is 1 s in tests; the endpoint answers after 3 s.
    platform.stubFor(
        post(urlEqualTo("/v1/page"))
            .atPriority(1)
            .willReturn(
                aResponse().withStatus(200).withBody("{\"success\":true}").withFixedDelay(3000)));

    prober.probeOnce();

    List<StoredProbe> page = stored().stream().filter(p -> p.endpoint().equals("page")).toList();
    assertEquals(2, page.size(), page.toString());
    for (StoredProbe p : page) {
      assertFalse(p.ok());
      assertNull(p.status());
      assertNotNull(p.error());
      assertFalse(p.error().isBlank());
    }

    clock.set(LATER);
    minute(PlatformStub.UTC_WS, PROBE_AT)
        .body("[0].verdict", equalTo("UNAVAILABLE"))
        .body("[0].reason", equalTo("PROBES_FAILED"));
  }

  @Test
  void probeResultsCountForEveryWorkspace() {
    platform.stubFor(
        post(urlEqualTo("/v1/alias")).atPriority(1).willReturn(aResponse().withStatus(502)));

    prober.probeOnce();

    clock.set(LATER);
    for (String ws : List.of(PlatformStub.UTC_WS, PlatformStub.PACIFIC_WS, PlatformStub.NEW_WS)) {
      minute(ws, PROBE_AT)
          .body("[0].verdict", equalTo("UNAVAILABLE"))
          .body("[0].detail", equalTo("every probe of alias failed"));
    }
  }

  @Test
  void anIngestionApiThatDoesNotAnswerAtAllIsRecordedAsFailures() {
    // Also when the probe source still has to be registered: the registration's connection
    // failure must not swallow the round (the minute would otherwise show as "no data").
    forceSourceRegistration();
    platform.stubFor(
        put(urlPathMatching("/internal/v1/probe-sources/.*"))
            .atPriority(1)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    platform.stubFor(
        post(urlPathMatching("/v1/(identify|track|page|screen|group|alias)"))
            .atPriority(1)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    prober.probeOnce();

    List<StoredProbe> stored = stored();
    assertEquals(12, stored.size(), stored.toString());
    for (StoredProbe p : stored) {
      assertFalse(p.ok());
      assertNull(p.status());
      assertNotNull(p.error());
    }
    clock.set(LATER);
    minute(PlatformStub.UTC_WS, PROBE_AT)
        .body("[0].verdict", equalTo("UNAVAILABLE"))
        .body("[0].probesFailed", is(12));
  }

  /** A round answered 401 makes the prober register its source again on the next round. */
  private void forceSourceRegistration() {
    platform.stubFor(
        post(urlPathMatching("/v1/(identify|track|page|screen|group|alias)"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(401)));
    prober.probeOnce();
    PlatformStub.reset(platform);
    tables.truncateAll();
  }

  private io.restassured.response.ValidatableResponse minute(String workspace, Instant minute) {
    return given()
        .auth()
        .oauth2("test-service-token")
        .queryParam("from", minute.toString())
        .queryParam("to", minute.plusSeconds(60).toString())
        .get("/v1/workspaces/" + workspace + "/minutes")
        .then()
        .statusCode(200)
        .body("$", hasSize(1))
        .body("[0].minute", equalTo(minute.toString()));
  }

  private List<StoredProbe> stored() {
    List<StoredProbe> rows = new ArrayList<>();
    for (Row row :
        pool.query(
                "select endpoint, ok, location, status, error from sla.probe_results order by id")
            .execute()
            .await()
            .atMost(WAIT)) {
      rows.add(
          new StoredProbe(
              row.getString("endpoint"),
              row.getBoolean("ok"),
              row.getString("location"),
              row.getInteger("status"),
              row.getString("error")));
    }
    return rows;
  }

  /** The sum of a metric's samples whose labels contain every one of {@code labels} (0 if none). */
  static double metric(String name, String... labels) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Pattern line =
        Pattern.compile(
            "^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    double sum = 0;
    while (m.find()) {
      boolean all = true;
      for (String label : labels) {
        all &= m.group(1) != null && m.group(1).contains(label);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  private static com.github.tomakehurst.wiremock.matching.StringValuePattern matching(
      String regex) {
    return com.github.tomakehurst.wiremock.client.WireMock.matching(regex);
  }
}
