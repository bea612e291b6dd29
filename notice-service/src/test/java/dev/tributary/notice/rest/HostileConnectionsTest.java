package dev.tributary.notice.rest;

import static dev.tributary.notice.Notices.SERVICE_TOKEN;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.notice.IngestionApiStub;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slow bodies, header floods and idle connections do not take notice-service from its other
 * clients: while 300 connections send a notice body a byte at a time, 1,000 connections sit idle or
 * half-way through a request line, and 200 KB header floods are refused, a workspace's notices are
 * still served; afterwards the service is ready and the slow requests are answered.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class HostileConnectionsTest {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  static final RestAssuredConfig PATIENT =
      RestAssured.config()
          .httpClient(
              HttpClientConfig.httpClientConfig()
                  .setParam("http.connection.timeout", 10_000)
                  .setParam("http.socket.timeout", 10_000));

  static void aNormalClientIsServed() {
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                given()
                    .config(PATIENT)
                    .header("Authorization", "Bearer " + SERVICE_TOKEN)
                    .get("/v1/workspaces/{id}/notices", IngestionApiStub.ACME)
                    .then()
                    .statusCode(200));
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> given().config(PATIENT).get("/q/health/ready").then().statusCode(200));
  }

  @Test
  void slowBodiesIdleConnectionsAndHeaderFloods() {
    // An invalid notice (no audience): answered 400 once complete, so the flood creates nothing.
    byte[] body = "{\"kind\": \"GENERAL\", \"subject\": \"slow\"}".getBytes(StandardCharsets.UTF_8);
    List<Answer> answers;
    try (Floods slow =
            Floods.slowBodies(
                RestAssured.port,
                "/v1/notices",
                Map.of(
                    "Content-Type", "application/json", "Authorization", "Bearer " + SERVICE_TOKEN),
                Collections.nCopies(300, body));
        Floods idle = Floods.idle(RestAssured.port, 500, false);
        Floods halfRequests = Floods.idle(RestAssured.port, 500, true)) {
      slow.trickle();
      aNormalClientIsServed();
      List<Answer> floods = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        floods.add(Floods.headerFlood(RestAssured.port, "/v1/notices", 200_000));
      }
      for (Answer flood : floods) {
        assertTrue(
            flood == null || flood.status() == 431,
            "a 200 KB header flood got " + (flood == null ? "" : flood.status()));
      }
      aNormalClientIsServed();
      answers = slow.finish();
      assertEquals(1000, idle.connections() + halfRequests.connections());
    }
    assertEquals(300, answers.size());
    for (Answer answer : answers) {
      assertEquals(400, answer.status(), answer.body());
    }
    aNormalClientIsServed();
  }
}
