package dev.tributary.notice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.dto.NoticeDtos.CreateNotice;
import dev.tributary.support.ApiException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Coverage-guided fuzzing of {@code POST /v1/notices}' request path without Quarkus: the body read
 * into {@link CreateNotice} by the service's ObjectMapper, its Bean Validation constraints, then
 * {@link NoticeRules#check} and the Idempotency-Key fingerprint. Run over the committed corpus in
 * every build; {@code scripts/fuzz.sh} fuzzes it.
 */
class NoticeRequestFuzzTest {

  /** Quarkus' default ObjectMapper as the service gets it (no customizer in this service). */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  static final Validator VALIDATOR =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  static final Instant NOW = Instant.parse("2026-03-02T17:00:00Z");

  /** NoticeRules' documented refusals and their statuses. */
  static final Map<String, Integer> RULE_ERRORS =
      Map.of(
          "unknown_kind", 400,
          "validation_failed", 400,
          "invalid_window", 400,
          "date_in_past", 400,
          "notice_period_too_short", 422);

  /** PostgreSQL's timestamptz range: 4713-11-24 BC (ISO year -4712) to 294276 AD. */
  static final Instant EARLIEST_STORABLE = Instant.parse("-4712-11-24T00:00:00Z");

  static final Instant LATEST_STORABLE = Instant.parse("+294276-12-31T23:59:59.999999Z");

  private final NoticeRules rules = new NoticeRules();

  /**
   * Any body is refused by Jackson (400 bad_request), by a constraint (400 validation_failed) or by
   * the rules with one of their documented codes, or becomes a notice whose instants PostgreSQL can
   * store; never another exception. The fingerprint of every readable request is defined and the
   * same twice.
   */
  @FuzzTest
  void createNotice(byte[] body) {
    CreateNotice request;
    try {
      request = MAPPER.readValue(body, CreateNotice.class);
    } catch (IOException e) {
      return; // 400 bad_request (ErrorMappers)
    }
    if (request == null) {
      return; // @NotNull: 400 validation_failed
    }
    assertEquals(NoticeService.fingerprint(request), NoticeService.fingerprint(request));
    if (!VALIDATOR.validate(request).isEmpty()) {
      return; // 400 validation_failed
    }
    Notice notice;
    try {
      notice = rules.check(request, NOW);
    } catch (ApiException e) {
      Integer status = RULE_ERRORS.get(e.code());
      assertNotNull(status, () -> "undocumented code " + e.code());
      assertEquals(status, e.status(), e.code());
      return;
    }
    assertNotNull(notice.kind);
    assertFalse(notice.channels.isEmpty());
    assertTrue(
        Set.of("EMAIL", "SMS", "EMAIL,SMS").contains(notice.channels), () -> notice.channels);
    for (Instant instant :
        new Instant[] {notice.effectiveAt, notice.windowStart, notice.windowEnd}) {
      if (instant != null) {
        assertFalse(
            instant.isBefore(EARLIEST_STORABLE) || instant.isAfter(LATEST_STORABLE),
            () -> instant + " is outside PostgreSQL's timestamptz range");
      }
    }
  }
}
