package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.RegulationsConfig;
import dev.tributary.ingestion.dto.RegulationDtos.CreateRegulation;
import dev.tributary.ingestion.dto.RegulationDtos.RegulationPage;
import dev.tributary.ingestion.dto.RegulationDtos.RegulationView;
import dev.tributary.ingestion.repository.RegulationRepository;
import dev.tributary.ingestion.repository.RegulationRepository.NewRegulation;
import dev.tributary.ingestion.repository.RegulationRepository.Regulation;
import dev.tributary.ingestion.repository.RegulationRepository.SuppressionChange;
import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Asking for and reading regulations. A suppression change (SUPPRESS_*, UNSUPPRESS) is made in the
 * request's transaction and applies on this replica at once, on the others within {@code
 * tributary.regulations.poll}; SUPPRESS_ONLY and UNSUPPRESS are then FINISHED, a deletion waits for
 * {@link RegulationJob} as INITIALIZED with its subject ids (until it is done).
 */
@ApplicationScoped
public class RegulationService {

  /** Longest subject id taken; Segment's ids are short, this only bounds the request. */
  static final int MAX_SUBJECT_ID_LENGTH = 1000;

  private final RegulationRepository regulations;
  private final SubjectHasher hasher;
  private final SuppressionWatch suppressions;
  private final RegulationsConfig config;
  private final Clock clock;

  public RegulationService(
      RegulationRepository regulations,
      SubjectHasher hasher,
      SuppressionWatch suppressions,
      RegulationsConfig config,
      Clock clock) {
    this.regulations = regulations;
    this.hasher = hasher;
    this.suppressions = suppressions;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Records a regulation. Errors (problem+json): 400 {@code invalid_regulation_type}, {@code
   * invalid_subject_type}, {@code subject_ids_empty}, {@code too_many_subject_ids}, {@code
   * invalid_subject_id}, {@code invalid_requested_by}; 404 {@code not_found} (workspace); 503
   * {@code regulations_not_configured} (no hash key).
   */
  public Uni<RegulationView> create(UUID workspaceId, CreateRegulation request) {
    hasher.requireConfigured();
    RegulationType type = parse(RegulationType.class, request.regulationType(), "regulationType");
    SubjectType subjectType = parse(SubjectType.class, request.subjectType(), "subjectType");
    String[] ids = subjectIds(request.subjectIds());
    String requestedBy = requestedBy(request.requestedBy());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    boolean deletes = type.deletes();
    NewRegulation regulation =
        new NewRegulation(
            UUID.randomUUID(),
            workspaceId,
            type.name(),
            subjectType.name(),
            ids.length,
            deletes ? ids : null,
            deletes ? "INITIALIZED" : "FINISHED",
            requestedBy,
            now,
            now.plus(config.deadline()),
            deletes ? null : now);
    SuppressionChange change =
        type.suppresses()
            ? SuppressionChange.SUPPRESS
            : type == RegulationType.UNSUPPRESS
                ? SuppressionChange.UNSUPPRESS
                : SuppressionChange.NONE;
    HexFormat hex = HexFormat.of();
    String[] hashes =
        Arrays.stream(ids)
            .map(id -> hex.formatHex(hasher.hash(subjectType, id)))
            .toArray(String[]::new);
    return regulations
        .create(regulation, change, hashes)
        .flatMap(
            created -> {
              if (!created) {
                throw ApiException.notFound("workspace " + workspaceId);
              }
              return change == SuppressionChange.NONE
                  ? Uni.createFrom().voidItem()
                  : suppressions.refresh();
            })
        .flatMap(ignored -> get(workspaceId, regulation.id()));
  }

  public Uni<RegulationView> get(UUID workspaceId, UUID id) {
    return regulations
        .find(workspaceId, id)
        .map(found -> view(found.orElseThrow(() -> ApiException.notFound("regulation " + id))));
  }

  public Uni<RegulationPage> list(UUID workspaceId, int limit, UUID after) {
    return regulations
        .list(workspaceId, limit + 1, after)
        .map(
            rows -> {
              List<RegulationView> page = rows.stream().limit(limit).map(this::view).toList();
              UUID next = rows.size() > limit ? page.get(limit - 1).id() : null;
              return new RegulationPage(page, next);
            });
  }

  private RegulationView view(Regulation r) {
    boolean overdue = !"FINISHED".equals(r.status()) && clock.instant().isAfter(r.deadlineAt());
    return new RegulationView(
        r.id(),
        r.workspaceId(),
        r.regulationType(),
        r.subjectType(),
        r.subjectCount(),
        r.status(),
        r.eventsDeleted(),
        r.requestedBy(),
        r.requestedAt(),
        r.deadlineAt(),
        r.startedAt(),
        r.finishedAt(),
        overdue,
        r.attempts(),
        r.subjectIdsKept());
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
    String code =
        "regulationType".equals(field) ? "invalid_regulation_type" : "invalid_subject_type";
    List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    if (value == null || !allowed.contains(value)) {
      throw ApiException.badRequest(code, field + " must be one of " + String.join(", ", allowed));
    }
    return Enum.valueOf(type, value);
  }

  /** The distinct ids, in the order given. */
  private String[] subjectIds(List<String> given) {
    if (given == null || given.isEmpty()) {
      throw ApiException.badRequest(
          "subject_ids_empty", "subjectIds must name at least one subject");
    }
    if (given.size() > config.maxSubjects()) {
      throw ApiException.badRequest(
          "too_many_subject_ids",
          String.format(
              "a regulation may name at most %,d subjects; split the request",
              config.maxSubjects()));
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String id : given) {
      if (id == null || id.isEmpty() || id.length() > MAX_SUBJECT_ID_LENGTH) {
        throw ApiException.badRequest(
            "invalid_subject_id",
            "every subject id must be a non-empty string of at most "
                + MAX_SUBJECT_ID_LENGTH
                + " characters");
      }
      ids.add(id);
    }
    return ids.toArray(String[]::new);
  }

  private static String requestedBy(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String stripped = value.strip();
    if (stripped.length() > 200) {
      throw ApiException.badRequest(
          "invalid_requested_by", "requestedBy must be at most 200 characters");
    }
    return stripped;
  }
}
