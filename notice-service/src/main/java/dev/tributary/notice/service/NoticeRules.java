package dev.tributary.notice.service;

import dev.tributary.contract.BusinessDayCalendar;
import dev.tributary.contract.NoticePeriods;
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeKind;
import dev.tributary.notice.dto.NoticeDtos.AudienceDto;
import dev.tributary.notice.dto.NoticeDtos.CreateNotice;
import dev.tributary.support.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agreement's rules for creating a notice: which fields each kind needs, the notice periods of
 * terms updates and API changes (refused when too short), and the lead time of maintenance notices
 * (recorded, never refused). The business-day and notice-period arithmetic is the shared {@code
 * dev.tributary.contract} module's.
 */
@ApplicationScoped
public class NoticeRules {

  private static final Instant EARLIEST_STORABLE = Instant.parse("-4712-11-24T00:00:00Z");
  private static final Instant LATEST_STORABLE = Instant.parse("+294276-12-31T23:59:59.999999Z");

  /** The audience types a request may name. */
  public enum AudienceType {
    ALL,
    WORKSPACES,
    CREATED_BEFORE
  }

  /**
   * Checks a request received at {@code now} and answers the notice it describes, without id,
   * creation time or idempotency data. Throws {@link ApiException}: 400 {@code unknown_kind}, 400
   * {@code validation_failed} listing every missing or malformed field, 400 {@code invalid_window},
   * 400 {@code date_in_past}, 422 {@code notice_period_too_short}.
   */
  public Notice check(CreateNotice request, Instant now) {
    NoticeKind kind = kind(request.kind());
    List<String> errors = new ArrayList<>();
    if (kind == null) {
      errors.add("kind: must not be blank");
    }
    AudienceType audienceType = checkAudience(request.audience(), errors);
    List<Channel> requestedChannels = checkChannels(request.channels(), errors);
    if (kind != null) {
      checkRequiredFields(kind, request, errors);
    }
    checkStorable("effectiveAt", request.effectiveAt(), errors);
    checkStorable("windowStart", request.windowStart(), errors);
    checkStorable("windowEnd", request.windowEnd(), errors);
    if (!errors.isEmpty()) {
      throw new ApiException(400, "validation_failed", "the request is not valid", errors);
    }

    Notice notice = new Notice();
    notice.kind = kind;
    notice.audience = audienceJson(audienceType, request.audience());
    notice.channels = channels(kind, requestedChannels);
    notice.extra = request.details();
    switch (kind) {
      case TERMS_UPDATE -> termsUpdate(request, now, notice);
      case API_CHANGE -> apiChange(request, now, notice);
      case MAINTENANCE, MAINTENANCE_RESCHEDULED, MAINTENANCE_CANCELLED ->
          maintenance(request, now, notice);
      case SLA_MISS, TERMINATION_RIGHT -> notice.month = request.month().strip();
      case GENERAL -> {
        notice.subject = request.subject().strip();
        notice.body = request.body();
      }
      case SUSPENSION, SUSPENSION_LIFTED, CLOSURE ->
          notice.description =
              request.description() == null || request.description().isBlank()
                  ? null
                  : request.description().strip();
    }
    return notice;
  }

  /**
   * SLA §3: whether a maintenance notice sent at {@code sentAt} gave the customer the required
   * business days before the window starts.
   */
  public boolean maintenanceLeadTimeMet(Instant sentAt, Instant windowStart) {
    return BusinessDayCalendar.meetsLeadTime(
        sentAt, windowStart, BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS);
  }

  public int maintenanceLeadTimeBusinessDays() {
    return BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS;
  }

  private static void termsUpdate(CreateNotice request, Instant now, Notice notice) {
    notice.document = request.document().strip();
    notice.version = request.version().strip();
    notice.url = request.url().strip();
    notice.summary = request.summary();
    notice.material = request.material();
    notice.legalChange = request.legalChange();
    notice.effectiveAt = notInThePast("effectiveAt", request.effectiveAt(), now);
    // Terms of Service, updates to the Agreement: 30 days' written notice of a material update,
    // unless it results from changes in laws, regulations or telecom-provider requirements.
    if (notice.material) {
      requirePeriod(
          now,
          notice.effectiveAt,
          NoticePeriods.termsUpdatePeriod(notice.legalChange),
          "a material update of the " + notice.document + " that is not a legal change");
    }
  }

  private static void apiChange(CreateNotice request, Instant now, Notice notice) {
    notice.summary = request.summary();
    notice.url = request.url() == null || request.url().isBlank() ? null : request.url().strip();
    notice.effectiveAt = notInThePast("effectiveAt", request.effectiveAt(), now);
    // Terms of Service §2.4: 60 days before a non-backwards-compatible change is implemented.
    requirePeriod(
        now,
        notice.effectiveAt,
        NoticePeriods.API_BREAKING_CHANGE,
        "a non-backwards-compatible API change");
  }

  private void maintenance(CreateNotice request, Instant now, Notice notice) {
    if (!request.windowEnd().isAfter(request.windowStart())) {
      throw ApiException.badRequest("invalid_window", "windowEnd must be after windowStart");
    }
    notice.windowStart = notInThePast("windowStart", request.windowStart(), now);
    notice.windowEnd = request.windowEnd();
    notice.description = request.description();
    notice.relatedNoticeId = request.relatedNoticeId();
    // SLA §3: a notice with less than three business days of lead time is still sent (the
    // customer is better off knowing), but the shortfall is recorded: it is evidence for the SLA.
    notice.leadTimeRequiredBusinessDays = maintenanceLeadTimeBusinessDays();
    notice.leadTimeMet = maintenanceLeadTimeMet(now, notice.windowStart);
  }

  private static void requirePeriod(
      Instant now, Instant effectiveAt, Duration period, String what) {
    if (!NoticePeriods.isLongEnough(now, effectiveAt, period)) {
      Instant earliest = NoticePeriods.earliestEffectiveAt(now, period);
      throw new ApiException(
          422,
          "notice_period_too_short",
          what
              + " needs "
              + period.toDays()
              + " days' notice: the earliest allowed effectiveAt is "
              + earliest,
          List.of("earliestEffectiveAt: " + earliest));
    }
  }

  private static Instant notInThePast(String field, Instant value, Instant now) {
    if (value.isBefore(now)) {
      throw ApiException.badRequest("date_in_past", field + " must not be in the past");
    }
    return value;
  }

  private static NoticeKind kind(String kind) {
    if (kind == null || kind.isBlank()) {
      return null;
    }
    try {
      return NoticeKind.valueOf(kind.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "unknown_kind",
          "kind must be one of "
              + Arrays.stream(NoticeKind.values())
                  .map(Enum::name)
                  .collect(Collectors.joining(", ")));
    }
  }

  private static AudienceType checkAudience(AudienceDto audience, List<String> errors) {
    if (audience == null || audience.type() == null || audience.type().isBlank()) {
      errors.add("audience.type: must be one of ALL, WORKSPACES, CREATED_BEFORE");
      return null;
    }
    AudienceType type;
    try {
      type = AudienceType.valueOf(audience.type().strip());
    } catch (IllegalArgumentException e) {
      errors.add("audience.type: must be one of ALL, WORKSPACES, CREATED_BEFORE");
      return null;
    }
    if (type == AudienceType.WORKSPACES
        && (audience.workspaceIds() == null
            || audience.workspaceIds().isEmpty()
            || audience.workspaceIds().contains(null))) {
      errors.add("audience.workspaceIds: must list at least one workspace id");
    }
    if (type == AudienceType.CREATED_BEFORE && audience.createdBefore() == null) {
      errors.add("audience.createdBefore: must not be null");
    }
    return type;
  }

  private static List<Channel> checkChannels(List<String> channels, List<String> errors) {
    if (channels == null) {
      return List.of();
    }
    List<Channel> parsed = new ArrayList<>();
    for (String channel : channels) {
      try {
        parsed.add(Channel.valueOf(channel == null ? "" : channel.strip()));
      } catch (IllegalArgumentException e) {
        errors.add("channels: must be EMAIL or SMS, not " + channel);
      }
    }
    return parsed;
  }

  /**
   * The requested channels the kind allows; every allowed channel when none was requested or none
   * of the requested ones is allowed (a terms update goes by email even when SMS was asked for).
   */
  private static String channels(NoticeKind kind, List<Channel> requested) {
    Set<Channel> allowed = kind.allowedChannels();
    Set<Channel> chosen =
        requested.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(requested);
    chosen.retainAll(allowed);
    if (chosen.isEmpty()) {
      chosen = allowed;
    }
    return chosen.stream().map(Enum::name).collect(Collectors.joining(","));
  }

  private static void checkRequiredFields(
      NoticeKind kind, CreateNotice request, List<String> errors) {
    switch (kind) {
      case TERMS_UPDATE -> {
        requireText("document", request.document(), errors);
        requireText("version", request.version(), errors);
        requireText("url", request.url(), errors);
        requireText("summary", request.summary(), errors);
        require("effectiveAt", request.effectiveAt(), errors);
        require("material", request.material(), errors);
        require("legalChange", request.legalChange(), errors);
      }
      case API_CHANGE -> {
        requireText("summary", request.summary(), errors);
        require("effectiveAt", request.effectiveAt(), errors);
      }
      case MAINTENANCE, MAINTENANCE_RESCHEDULED, MAINTENANCE_CANCELLED -> {
        require("windowStart", request.windowStart(), errors);
        require("windowEnd", request.windowEnd(), errors);
        requireText("description", request.description(), errors);
        if (kind != NoticeKind.MAINTENANCE) {
          require("relatedNoticeId", request.relatedNoticeId(), errors);
        }
      }
      case SLA_MISS, TERMINATION_RIGHT -> {
        requireText("month", request.month(), errors);
        if (request.month() != null && !request.month().isBlank()) {
          try {
            YearMonth.parse(request.month().strip());
          } catch (DateTimeParseException e) {
            errors.add("month: must be a month such as 2026-10");
          }
        }
      }
      case GENERAL -> {
        requireText("subject", request.subject(), errors);
        requireText("body", request.body(), errors);
      }
      // The reason of a suspension is part of its written notice; a lifting or a closure may say
      // why, or not.
      case SUSPENSION -> requireText("description", request.description(), errors);
      case SUSPENSION_LIFTED, CLOSURE -> {}
    }
  }

  /**
   * PostgreSQL's timestamptz range (4713 BC to 294276 AD): a notice outside it could not be stored,
   * and would be answered 500 after the rules had accepted it.
   */
  private static void checkStorable(String field, Instant value, List<String> errors) {
    if (value != null && (value.isBefore(EARLIEST_STORABLE) || value.isAfter(LATEST_STORABLE))) {
      errors.add(field + ": must be between 4713 BC and 294276 AD");
    }
  }

  private static void require(String field, Object value, List<String> errors) {
    if (value == null) {
      errors.add(field + ": must not be null");
    }
  }

  private static void requireText(String field, String value, List<String> errors) {
    if (value == null || value.isBlank()) {
      errors.add(field + ": must not be blank");
    }
  }

  private static Map<String, Object> audienceJson(AudienceType type, AudienceDto audience) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type.name());
    if (type == AudienceType.WORKSPACES) {
      json.put(
          "workspaceIds",
          audience.workspaceIds().stream().distinct().map(Object::toString).toList());
    }
    if (type == AudienceType.CREATED_BEFORE) {
      json.put("createdBefore", audience.createdBefore().toString());
    }
    return json;
  }
}
