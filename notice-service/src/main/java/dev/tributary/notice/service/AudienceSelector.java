package dev.tributary.notice.service;

import dev.tributary.notice.client.WorkspaceRecord;
import dev.tributary.support.ApiException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Picks a notice's audience out of ingestion-api's workspaces. */
final class AudienceSelector {

  private AudienceSelector() {}

  /**
   * The workspaces {@code audience} (as stored on the notice) names, ordered by id. Throws 422
   * {@code unknown_workspaces} when listed ids do not exist and 422 {@code empty_audience} when
   * nobody is left.
   */
  static List<WorkspaceRecord> select(Map<String, Object> audience, List<WorkspaceRecord> all) {
    String type = (String) audience.get("type");
    List<WorkspaceRecord> selected =
        switch (NoticeRules.AudienceType.valueOf(type)) {
          case ALL -> all;
          case WORKSPACES -> listed(audience, all);
          case CREATED_BEFORE -> {
            Instant cutoff = Instant.parse((String) audience.get("createdBefore"));
            yield all.stream()
                .filter(w -> w.createdAt() != null && w.createdAt().isBefore(cutoff))
                .toList();
          }
        };
    if (selected.isEmpty()) {
      throw ApiException.unprocessable("empty_audience", "the audience matches no workspace");
    }
    return selected.stream().sorted(Comparator.comparing(WorkspaceRecord::id)).toList();
  }

  private static List<WorkspaceRecord> listed(
      Map<String, Object> audience, List<WorkspaceRecord> all) {
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) audience.get("workspaceIds");
    Set<UUID> wanted = new HashSet<>();
    ids.forEach(id -> wanted.add(UUID.fromString(id)));
    List<WorkspaceRecord> found = all.stream().filter(w -> wanted.contains(w.id())).toList();
    if (found.size() < wanted.size()) {
      Set<UUID> missing = new HashSet<>(wanted);
      found.forEach(w -> missing.remove(w.id()));
      throw new ApiException(
          422,
          "unknown_workspaces",
          "the audience lists workspaces that do not exist",
          missing.stream().map(UUID::toString).sorted().toList());
    }
    return found;
  }
}
