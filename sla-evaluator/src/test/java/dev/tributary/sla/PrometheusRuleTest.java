package dev.tributary.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/monitoring/sla-evaluator-prometheusrule.yaml}: the burn-rate alerts refer only to the
 * metrics the sla-evaluator exports and the recording rules the file defines, with the SRE
 * workbook's windows and factors. Plain JUnit: no application is started.
 */
class PrometheusRuleTest {

  static final Path RULE_FILE = Path.of("k8s", "monitoring", "sla-evaluator-prometheusrule.yaml");

  /** The sla-evaluator's metrics as Prometheus names them (Micrometer). */
  static final Set<String> EXPORTED =
      Set.of(
          "tributary_sla_minutes_total",
          "tributary_sla_workspaces",
          "tributary_sla_availability_percent",
          "tributary_sla_error_budget_remaining_minutes",
          "tributary_sla_error_budget_burn_rate",
          "tributary_sla_probe_gap_minutes_total",
          "tributary_sla_probe_last_recorded_seconds",
          "tributary_sla_probe_unstored_rounds",
          "tributary_sla_probe_duration_seconds_count",
          "tributary_sla_probe_duration_seconds_sum",
          "tributary_sla_probe_duration_seconds_bucket",
          "tributary_sla_probe_failures_total");

  static final List<String> WINDOWS = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");

  /** PromQL words that are not metric names. */
  static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "time",
          "absent");

  /** {@code tributary:sla_error_ratio:rate1h > (14.4 * 0.0001)}: the window and the factor. */
  static final Pattern THRESHOLD =
      Pattern.compile(
          "tributary:sla_error_ratio:rate(\\w+)\\s*>\\s*\\(\\s*([0-9.]+)\\s*\\*\\s*0\\.0001\\s*\\)");

  static JsonNode document;
  static Map<String, JsonNode> records = new LinkedHashMap<>();
  static Map<String, JsonNode> alerts = new LinkedHashMap<>();

  @BeforeAll
  static void parse() throws IOException {
    document = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(ruleFile()));
    for (JsonNode group : document.path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.hasNonNull("record")) {
          records.put(rule.get("record").asText(), rule);
        } else {
          alerts.put(rule.get("alert").asText(), rule);
        }
      }
    }
  }

  /** The repository's file, from the module directory Maven runs the tests in or the root. */
  static Path ruleFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(RULE_FILE))) {
        return dir.resolve(RULE_FILE);
      }
    }
    throw new AssertionError(RULE_FILE + " not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void isAPrometheusRuleOfTributary() {
    assertEquals("monitoring.coreos.com/v1", document.path("apiVersion").asText());
    assertEquals("PrometheusRule", document.path("kind").asText());
    assertEquals("tributary-sla", document.path("metadata").path("name").asText());
    assertEquals(
        "tributary",
        document.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText());
  }

  @Test
  void theRuleGroupsExist() {
    Set<String> groups = new HashSet<>();
    document.path("spec").path("groups").forEach(g -> groups.add(g.path("name").asText()));
    assertEquals(Set.of("tributary-sla.recording", "tributary-sla.alerts"), groups);
    assertEquals(
        Set.of(
            "TributarySlaErrorBudgetBurnFast",
            "TributarySlaErrorBudgetBurnSlow",
            "TributarySlaProbeFailing",
            "TributarySlaErrorBudgetExhausted",
            "TributarySlaWorkspaceAtRisk",
            "TributarySlaProbeGap"),
        alerts.keySet());
  }

  @Test
  void everyWindowHasAnErrorRatioOfUnavailableOverJudgedMinutes() {
    for (String window : WINDOWS) {
      JsonNode rule = records.get("tributary:sla_error_ratio:rate" + window);
      assertNotNull(rule, "no recording rule for " + window + ": " + records.keySet());
      String expr = rule.path("expr").asText().replaceAll("\\s+", " ");
      assertTrue(
          expr.contains(
              "sum (rate(tributary_sla_minutes_total{verdict=\"unavailable\"}[" + window + "]))"),
          expr);
      assertTrue(
          expr.contains(
              "sum (rate(tributary_sla_minutes_total{verdict!=\"excluded\"}[" + window + "]))"),
          expr);
      assertTrue(
          expr.indexOf("unavailable") < expr.indexOf('/')
              && expr.indexOf('/') < expr.indexOf("excluded"),
          "unavailable / not excluded: " + expr);
    }
    assertEquals(WINDOWS.size(), records.size(), "recording rules: " + records.keySet());
  }

  @Test
  void everyMetricReferencedIsExportedOrRecordedHere() {
    Map<String, JsonNode> rules = new HashMap<>(records);
    rules.putAll(alerts);
    rules.forEach(
        (name, rule) -> {
          Set<String> metrics = metricsIn(rule.path("expr").asText());
          assertFalse(metrics.isEmpty(), name + " refers to no metric");
          for (String metric : metrics) {
            assertTrue(
                EXPORTED.contains(metric) || records.containsKey(metric),
                name + " refers to " + metric + ", neither exported nor recorded here");
          }
        });
  }

  @Test
  void thePageAlertBurns14Point4TimesOver1hAnd5m() {
    JsonNode fast = alerts.get("TributarySlaErrorBudgetBurnFast");
    assertEquals("page", fast.path("labels").path("severity").asText());
    Map<String, Set<String>> factors = thresholds(fast);
    assertEquals(Set.of("14.4"), factors.get("1h"), "1h: " + factors);
    assertEquals(Set.of("14.4"), factors.get("5m"), "5m: " + factors);
    assertEquals(Set.of("6"), factors.get("6h"), "6h: " + factors);
    assertEquals(Set.of("6"), factors.get("30m"), "30m: " + factors);
    String expr = fast.path("expr").asText().replaceAll("\\s+", " ");
    assertTrue(
        Pattern.compile("rate1h > \\(14\\.4 \\* 0\\.0001\\) and tributary:sla_error_ratio:rate5m")
            .matcher(expr)
            .find(),
        "both windows must hold (and): " + expr);
  }

  @Test
  void theTicketAlertBurnsOnceOver3dAnd6h() {
    JsonNode slow = alerts.get("TributarySlaErrorBudgetBurnSlow");
    assertEquals("ticket", slow.path("labels").path("severity").asText());
    Map<String, Set<String>> factors = thresholds(slow);
    assertEquals(Set.of("1"), factors.get("3d"), "3d: " + factors);
    assertEquals(Set.of("1"), factors.get("6h"), "6h: " + factors);
    String expr = slow.path("expr").asText().replaceAll("\\s+", " ");
    assertTrue(
        expr.contains("rate3d > (1 * 0.0001) and tributary:sla_error_ratio:rate6h"),
        "both windows must hold (and): " + expr);
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionAndARunbookInThisRepository() throws IOException {
    String readme = Files.readString(ruleFile().getParent().getParent().resolve("README.md"));
    alerts.forEach(
        (name, alert) -> {
          String severity = alert.path("labels").path("severity").asText();
          assertTrue(Set.of("page", "ticket").contains(severity), name + " severity " + severity);
          JsonNode annotations = alert.path("annotations");
          assertFalse(annotations.path("summary").asText().isBlank(), name + " summary");
          assertFalse(annotations.path("description").asText().isBlank(), name + " description");
          String runbook = annotations.path("runbook_url").asText();
          assertTrue(runbook.startsWith("k8s/README.md#runbook-"), name + " runbook " + runbook);
          assertFalse(runbook.contains("://"), name + " runbook on another host: " + runbook);
          String anchor = runbook.substring(runbook.indexOf('#') + 1);
          assertTrue(
              readme.contains("### Runbook: " + name) && anchor.equals("runbook-" + lower(name)),
              name + ": k8s/README.md has no section for #" + anchor);
          // The alerts on per-workspace series name the workspace.
          if (alert.path("expr").asText().contains("tributary_sla_error_budget_")) {
            assertTrue(
                annotations.path("summary").asText().contains("{{ $labels.workspace }}"),
                name + " summary should name the workspace");
          }
        });
  }

  /** The names in a PromQL expression that are metrics (not functions, keywords or labels). */
  static Set<String> metricsIn(String expr) {
    String bare =
        expr.replaceAll("\\{[^}]*\\}", " ") // label matchers
            .replaceAll("\\[[^\\]]*\\]", " ") // range windows
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " "); // grouping labels
    Set<String> metrics = new HashSet<>();
    Matcher names = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(bare);
    while (names.find()) {
      String name = names.group().replaceAll("[\\s(]", "");
      boolean function = names.group(1) != null;
      if (!function && !KEYWORDS.contains(name)) {
        metrics.add(name);
      }
    }
    return metrics;
  }

  /** Window to the factors of the budget it is compared with, e.g. 1h to {14.4}. */
  static Map<String, Set<String>> thresholds(JsonNode alert) {
    Map<String, Set<String>> factors = new HashMap<>();
    Matcher matcher = THRESHOLD.matcher(alert.path("expr").asText());
    while (matcher.find()) {
      factors.computeIfAbsent(matcher.group(1), w -> new HashSet<>()).add(matcher.group(2));
    }
    return factors;
  }

  private static String lower(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }
}
