package dev.tributary.ingestion.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The answer to a Tracking API call: status, a Segment-shaped JSON body and extra headers. */
public record TrackingReply(
    int status,
    Object body,
    Map<String, String> headers,
    RequestOutcome outcome,
    int eventsAccepted,
    int eventsRejected,
    int eventsSuppressed) {

  /** This reply, counting {@code suppressed} events acknowledged but not stored (regulations). */
  public TrackingReply withSuppressed(int suppressed) {
    return new TrackingReply(
        status, body, headers, outcome, eventsAccepted, eventsRejected, suppressed);
  }

  /** {@code {"success":true}}, plus the events a batch did not take. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Success(boolean success, List<Rejection> rejected) {}

  /**
   * Segment's error shape, {@code {"code":..., "message":...}}; a batch with nothing valid lists
   * why.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Error(String code, String message, List<Rejection> rejected) {}

  /** One batch item that was not stored. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rejection(int index, String messageId, String reason, String message) {}

  public static TrackingReply ok(int accepted, List<Rejection> rejected) {
    return new TrackingReply(
        200,
        new Success(true, rejected),
        Map.of(),
        RequestOutcome.ACCEPTED,
        accepted,
        rejected.size(),
        0);
  }

  public static TrackingReply error(int status, String code, String message) {
    return error(status, code, message, Map.of());
  }

  public static TrackingReply error(
      int status, String code, String message, Map<String, String> headers) {
    RequestOutcome outcome =
        status == 429
            ? RequestOutcome.THROTTLED
            : status >= 500 ? RequestOutcome.FAILED : RequestOutcome.REJECTED;
    return new TrackingReply(
        status, new Error(code, message, List.of()), headers, outcome, 0, 0, 0);
  }

  /** A 200 whose body is not a tracking success (the libraries' settings). */
  public static TrackingReply ok(Object body, Map<String, String> headers) {
    return new TrackingReply(200, body, headers, RequestOutcome.ACCEPTED, 0, 0, 0);
  }

  /** PostgreSQL did not answer: the client retries after {@code retryAfterSeconds}. */
  public static TrackingReply databaseUnavailable(String message, int retryAfterSeconds) {
    return error(
        503,
        "database_unavailable",
        message,
        Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  /** A browser on a site the source does not list; permanent, so the library drops the event. */
  public static TrackingReply originNotAllowed(String origin) {
    String shown = origin.length() > 200 ? origin.substring(0, 200) + "…" : origin;
    return error(
        403,
        "origin_not_allowed",
        "this write key may not be used from " + shown + "; the source lists its allowed origins");
  }

  /**
   * The workspace is suspended (Terms of Service §2.3, after written notice); permanent until the
   * suspension is lifted, so the libraries drop the event rather than retry.
   */
  public static TrackingReply workspaceSuspended() {
    return error(
        403,
        "workspace_suspended",
        "the workspace of this write key is suspended; its designated contacts were notified by"
            + " email");
  }

  /** A single-event call whose event broke a rule. */
  public static TrackingReply discarded(DiscardReason reason) {
    int status = reason == DiscardReason.EVENT_TOO_LARGE ? 413 : 400;
    return new TrackingReply(
        status,
        new Error(reason.code(), reason.message(), List.of()),
        Map.of(),
        RequestOutcome.REJECTED,
        0,
        1,
        0);
  }

  public static TrackingReply noValidEvents(List<Rejection> rejected) {
    return new TrackingReply(
        400,
        new Error("no_valid_events", "no event in the batch is valid; see rejected", rejected),
        Map.of(),
        RequestOutcome.REJECTED,
        0,
        rejected.size(),
        0);
  }
}
