package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.data;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.library;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.TestTools;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The official Node library ({@code @segment/analytics-node} from npm), unchanged apart from its
 * {@code host}, run by the machine's Node.js: every event of the six types is stored exactly once.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class NodeLibraryInteropTest {

  static final int PER_TYPE = 10;

  @Test
  void sixtyEventsOfAllSixTypesArriveExactlyOnce() throws Exception {
    Path project = TestTools.npmProject("src/test/js/node");
    TestSource source = newSource();
    String run = UUID.randomUUID().toString().substring(0, 8);

    ProcessBuilder node =
        new ProcessBuilder(TestTools.node().toString(), "send.mjs")
            .directory(project.toFile())
            .redirectErrorStream(true);
    node.environment()
        .putAll(
            Map.of(
                "WRITE_KEY",
                source.writeKey(),
                "HOST",
                "http://localhost:" + RestAssured.port,
                "RUN",
                run,
                "PER_TYPE",
                Integer.toString(PER_TYPE)));
    Process process = node.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "send.mjs did not finish: " + output);
    assertEquals(0, process.exitValue(), "the library reported errors: " + output);

    // closeAndFlush returned: every batch was answered, so everything is stored already.
    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(PER_TYPE * 6, stored.size(), "each event exactly once: " + output);
    assertEquals(
        stored.size(),
        stored.stream().map(e -> e.get("messageId")).collect(Collectors.toSet()).size());
    Map<Object, Long> perType =
        stored.stream().collect(Collectors.groupingBy(e -> e.get("type"), Collectors.counting()));
    assertEquals(
        Map.of(
            "identify", 10L, "track", 10L, "page", 10L, "screen", 10L, "group", 10L, "alias", 10L),
        perType);
    for (Map<String, Object> event : stored) {
      Map<String, Object> json = payload(event);
      assertEquals("@segment/analytics-node", library(json).get("name"), json.toString());
      String type = (String) event.get("type");
      if (!type.equals("alias")) {
        assertEquals(run, data(type, json).get("run"), json.toString());
      }
    }
  }
}
