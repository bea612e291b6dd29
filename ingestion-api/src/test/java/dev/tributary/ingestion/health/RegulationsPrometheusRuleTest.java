package dev.tributary.ingestion.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/monitoring/ingestion-api-prometheusrule.yaml}: its alert refers to metrics this
 * service really exports (read from {@code /q/metrics}), pages, and has a runbook in k8s/README.md.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RegulationsPrometheusRuleTest {

  static final Path RULE_FILE = Path.of("k8s", "monitoring", "ingestion-api-prometheusrule.yaml");

  static Path ruleFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(RULE_FILE))) {
        return dir.resolve(RULE_FILE);
      }
    }
    throw new AssertionError(RULE_FILE + " not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void theOverdueAlertPagesOnAnExportedGaugeAndHasARunbook() throws IOException {
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(ruleFile()));
    assertEquals("PrometheusRule", document.path("kind").asText());
    List<JsonNode> alerts = new ArrayList<>();
    document.path("spec").path("groups").forEach(g -> g.path("rules").forEach(alerts::add));
    assertEquals(1, alerts.size());
    JsonNode overdue = alerts.get(0);
    assertEquals("TributaryRegulationOverdue", overdue.path("alert").asText());
    assertEquals("page", overdue.path("labels").path("severity").asText());
    String expr = overdue.path("expr").asText();
    assertTrue(expr.contains("tributary_regulations_overdue"), expr);
    assertTrue(expr.replaceAll("\\s+", " ").contains("> 0"), "any overdue regulation: " + expr);

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher names = Pattern.compile("tributary_[a-z_]+").matcher(expr);
    while (names.find()) {
      assertTrue(
          metrics.contains("\n" + names.group() + " ")
              || metrics.contains("\n" + names.group() + "{"),
          names.group() + " is not exported");
    }

    String runbook = overdue.path("annotations").path("runbook_url").asText();
    assertEquals("k8s/README.md#runbook-tributaryregulationoverdue", runbook);
    String readme = Files.readString(ruleFile().getParent().getParent().resolve("README.md"));
    assertTrue(readme.contains("### Runbook: TributaryRegulationOverdue"));
    assertFalse(overdue.path("annotations").path("summary").asText().isBlank());
  }
}
