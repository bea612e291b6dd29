package dev.tributary.ingestion.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The admin API's regulation bodies, in the shape of Segment's regulations API. */
public final class RegulationDtos {

  private RegulationDtos() {}

  /**
   * Body of {@code POST /admin/v1/workspaces/{id}/regulations}. {@code regulationType}:
   * SUPPRESS_WITH_DELETE, DELETE_ONLY, SUPPRESS_ONLY or UNSUPPRESS; {@code subjectType}: USER_ID or
   * ANONYMOUS_ID; {@code requestedBy} (optional, at most 200 characters): who asked, kept as part
   * of the proof (the admin API has one token, so it cannot tell by itself).
   */
  public record CreateRegulation(
      String regulationType, String subjectType, List<String> subjectIds, String requestedBy) {}

  /**
   * One regulation. {@code status}: INITIALIZED (a deletion waiting for the job), RUNNING,
   * FINISHED, FAILED. {@code deadline} is 30 days after {@code requestedAt}; {@code overdue} says
   * it passed without the regulation FINISHED. {@code subjectIdsRetained}: whether the subjects'
   * ids are still stored in the clear (only while a deletion is to do).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RegulationView(
      UUID id,
      UUID workspaceId,
      String regulationType,
      String subjectType,
      int subjectCount,
      String status,
      long eventsDeleted,
      String requestedBy,
      Instant requestedAt,
      Instant deadline,
      Instant startedAt,
      Instant finishedAt,
      boolean overdue,
      int failedAttempts,
      boolean subjectIdsRetained) {}

  /** A page of regulations, newest first; {@code next} is the cursor of the next page. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RegulationPage(List<RegulationView> regulations, UUID next) {}
}
