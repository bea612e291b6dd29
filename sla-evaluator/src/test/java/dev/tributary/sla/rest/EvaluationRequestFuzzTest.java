package dev.tributary.sla.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.evaluation.TerminationRightStatus;
import dev.tributary.sla.rest.EvaluationResource.EvaluationRequest;
import dev.tributary.sla.rest.EvaluationResource.TerminationRightRequest;
import dev.tributary.support.ApiException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the evaluation API ({@code POST /v1/evaluations} and {@code POST
 * /v1/termination-right/evaluations}) without Quarkus: the body read by the service's ObjectMapper
 * into the resource's records, then {@link EvaluationResource}, which validates and runs the pure
 * {@code MonthEvaluator} and {@code TerminationRightEvaluator}. Run over the committed corpus in
 * every build; {@code scripts/fuzz.sh} fuzzes it.
 */
class EvaluationRequestFuzzTest {

  /** Quarkus' default ObjectMapper as the service gets it (no customizer in this service). */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  /** The documented refusals of both endpoints and their statuses. */
  static final Map<String, Integer> ERRORS =
      Map.ofEntries(
          Map.entry("missing_body", 422),
          Map.entry("invalid_month", 400),
          Map.entry("invalid_time_zone", 422),
          Map.entry("too_much_evidence", 422),
          Map.entry("missing_field", 422),
          Map.entry("unknown_endpoint", 422),
          Map.entry("negative_count", 422),
          Map.entry("inconsistent_counts", 422),
          Map.entry("end_before_start", 422),
          Map.entry("overlapping_maintenance_windows", 422),
          Map.entry("unknown_category", 422),
          Map.entry("out_of_range", 422),
          Map.entry("duplicate_month", 422));

  private final EvaluationResource resource =
      new EvaluationResource(Clock.fixed(Instant.parse("2026-03-02T17:00:00Z"), ZoneOffset.UTC));

  /**
   * Any body is refused by Jackson (400 bad_request) or by validation with a documented code, or is
   * evaluated: the evaluator never throws on a request that passed validation, and its report adds
   * up (eligible = total - excluded = available + unavailable, availability in [0, 100]).
   */
  @FuzzTest
  void evaluateMonth(byte[] body) {
    EvaluationRequest request;
    try {
      request = MAPPER.readValue(body, EvaluationRequest.class);
    } catch (IOException e) {
      return; // 400 bad_request (ErrorMappers)
    }
    MonthReport report;
    try {
      report = resource.evaluate(request);
    } catch (ApiException e) {
      assertDocumented(e);
      return;
    }
    assertTrue(report.totalMinutes() > 0);
    assertEquals(report.totalMinutes() - report.excludedMinutes(), report.eligibleMinutes());
    assertEquals(report.eligibleMinutes(), report.availableMinutes() + report.unavailableMinutes());
    BigDecimal percent = new BigDecimal(report.availabilityPercent());
    assertTrue(
        percent.signum() >= 0 && percent.compareTo(BigDecimal.valueOf(100)) <= 0,
        report.availabilityPercent());
  }

  /**
   * Any body is refused by Jackson or with a documented code, or answers the Special Termination
   * Right's status; never another exception.
   */
  @FuzzTest
  void evaluateTerminationRight(byte[] body) {
    TerminationRightRequest request;
    try {
      request = MAPPER.readValue(body, TerminationRightRequest.class);
    } catch (IOException e) {
      return; // 400 bad_request (ErrorMappers)
    }
    try {
      TerminationRightStatus status = resource.terminationRight(request);
      assertNotNull(status);
    } catch (ApiException e) {
      assertDocumented(e);
    }
  }

  private static void assertDocumented(ApiException e) {
    Integer status = ERRORS.get(e.code());
    assertNotNull(status, () -> "undocumented code " + e.code());
    assertEquals(status, e.status(), e.code());
  }
}
