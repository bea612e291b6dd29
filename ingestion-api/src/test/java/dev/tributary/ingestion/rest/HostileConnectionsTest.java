package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.Floods;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.RawHttp.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Slow bodies, header floods and connection floods do not take the service from its other clients:
 * while 300 connections send their bodies a byte at a time, while requests with 200 KB of headers
 * keep arriving, and while 1,000 connections sit idle or stop in the middle of a request line, a
 * normal client's event is still accepted and stored; afterwards the service is ready, and the slow
 * bodies themselves are answered once complete.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class HostileConnectionsTest {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  /**
   * RestAssured with a read timeout, so that a stalled service fails the poll instead of hanging.
   */
  static final RestAssuredConfig PATIENT =
      RestAssured.config()
          .httpClient(
              HttpClientConfig.httpClientConfig()
                  .setParam("http.connection.timeout", 10_000)
                  .setParam("http.socket.timeout", 10_000));

  /** A normal client sends an event and gets it accepted and stored, within the deadline. */
  static void aNormalClientIsServed() {
    TestSource source = newSource();
    String messageId = "normal-" + UUID.randomUUID();
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                tracking(source.writeKey())
                    .config(PATIENT)
                    .body(validEvent("track", messageId))
                    .post("/v1/track")
                    .then()
                    .statusCode(200));
    assertEquals(messageId, events(source.sourceId()).get(0).get("messageId"));
  }

  static void theServiceIsReady() {
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> given().config(PATIENT).get("/q/health/ready").then().statusCode(200));
  }

  @Test
  void threeHundredSlowBodiesDoNotStallOtherClients() {
    // Six sources of 50 connections each: one source may have at most 100 requests in progress
    // (ThroughputLimiter), a limit of its own that is not what this test is about.
    List<TestSource> slowSources = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (int s = 0; s < 6; s++) {
      TestSource slowSource = newSource();
      slowSources.add(slowSource);
      for (int i = 0; i < 50; i++) {
        bodies.add(
            ("{\"writeKey\":\""
                    + slowSource.writeKey()
                    + "\",\"userId\":\"u\",\"event\":\"Slow\",\"messageId\":\"slow-"
                    + i
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    List<Answer> answers;
    try (Floods slow =
        Floods.slowBodies(
            RestAssured.port, "/v1/track", Map.of("Content-Type", "application/json"), bodies)) {
      for (int i = 0; i < 5; i++) {
        slow.trickle();
      }
      aNormalClientIsServed();
      slow.trickle();
      answers = slow.finish();
    }
    assertEquals(300, answers.size());
    for (Answer answer : answers) {
      assertEquals(200, answer.status(), answer.body());
    }
    for (TestSource slowSource : slowSources) {
      assertEquals(50, events(slowSource.sourceId()).size(), "each slow body stored once");
    }
    theServiceIsReady();
  }

  @Test
  void headerFloodsAreRefusedAndOtherClientsServed() throws Exception {
    ExecutorService flooders = Executors.newFixedThreadPool(4);
    try {
      List<Future<Answer>> floods = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String path = i % 2 == 0 ? "/v1/track" : "/admin/v1/workspaces";
        floods.add(flooders.submit(() -> Floods.headerFlood(RestAssured.port, path, 200_000)));
      }
      aNormalClientIsServed();
      for (Future<Answer> flood : floods) {
        Answer answer = flood.get();
        // Refused: 431 (or the connection closed without an answer), never passed on.
        assertTrue(
            answer == null || answer.status() == 431,
            "a 200 KB header flood got "
                + (answer == null ? "" : answer.status() + " " + answer.body()));
      }
    } finally {
      flooders.shutdownNow();
    }
    aNormalClientIsServed();
    theServiceIsReady();
  }

  @Test
  void aThousandIdleConnectionsDoNotStallOtherClients() {
    try (Floods silent = Floods.idle(RestAssured.port, 500, false);
        Floods halfRequests = Floods.idle(RestAssured.port, 500, true)) {
      assertEquals(1000, silent.connections() + halfRequests.connections());
      aNormalClientIsServed();
      theServiceIsReady();
    }
    aNormalClientIsServed();
  }
}
