package dev.tributary.sla.mapping;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tributary.sla.service.EndpointStates.Component;
import dev.tributary.sla.service.Prober;
import dev.tributary.sla.service.StatusService.Board;
import dev.tributary.sla.service.StatusService.Incident;
import dev.tributary.sla.service.WindowNotices.Maintenance;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The platform's {@link Board} in the shape of Atlassian Statuspage's public API v2 ({@code
 * /api/v2/*.json}), field for field, so its exporters, aggregators and chat integrations read
 * Tributary by changing the URL. Every field Statuspage sends is present (null where Tributary has
 * nothing to say, as Statuspage does).
 */
public final class Statuspage {

  /** The page's id in every {@code page_id}. */
  public static final String PAGE_ID = "tributary";

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Page(String id, String name, String url, String timeZone, Instant updatedAt) {}

  public record Status(String indicator, String description) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ComponentJson(
      String id,
      String name,
      String status,
      Instant createdAt,
      Instant updatedAt,
      int position,
      String description,
      boolean showcase,
      LocalDate startDate,
      String groupId,
      String pageId,
      boolean group,
      boolean onlyShowIfDegraded) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AffectedComponent(String code, String name, String oldStatus, String newStatus) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record IncidentUpdate(
      String id,
      String status,
      String body,
      String incidentId,
      Instant createdAt,
      Instant updatedAt,
      Instant displayAt,
      List<AffectedComponent> affectedComponents,
      boolean deliverNotifications,
      String customTweet,
      String tweetId) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record IncidentJson(
      String id,
      String name,
      String status,
      Instant createdAt,
      Instant updatedAt,
      Instant monitoringAt,
      Instant resolvedAt,
      String impact,
      String shortlink,
      Instant startedAt,
      String pageId,
      List<IncidentUpdate> incidentUpdates,
      List<ComponentJson> components) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record MaintenanceJson(
      String id,
      String name,
      String status,
      Instant createdAt,
      Instant updatedAt,
      Instant monitoringAt,
      Instant resolvedAt,
      String impact,
      String shortlink,
      Instant startedAt,
      String pageId,
      List<IncidentUpdate> incidentUpdates,
      List<ComponentJson> components,
      Instant scheduledFor,
      Instant scheduledUntil) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Summary(
      Page page,
      List<ComponentJson> components,
      List<IncidentJson> incidents,
      List<MaintenanceJson> scheduledMaintenances,
      Status status) {}

  public record StatusAnswer(Page page, Status status) {}

  public record Components(Page page, List<ComponentJson> components) {}

  public record Incidents(Page page, List<IncidentJson> incidents) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Maintenances(Page page, List<MaintenanceJson> scheduledMaintenances) {}

  private Statuspage() {}

  /** {@code url}: the public page ({@code .../status}). */
  public static Page page(Board board, String name, String url) {
    return new Page(PAGE_ID, name, url, "Etc/UTC", board.asOf());
  }

  public static Status status(Board board) {
    return new Status(board.indicator(), board.description());
  }

  public static List<ComponentJson> components(Board board) {
    List<ComponentJson> components = new ArrayList<>();
    for (Component c : board.components()) {
      components.add(component(board, c));
    }
    return components;
  }

  /** Every incident on the page (the last 90 days), newest first, at most 50 as Statuspage. */
  public static List<IncidentJson> incidents(Board board, String url) {
    return board.incidents().stream().limit(50).map(i -> incident(board, i, url)).toList();
  }

  /** The incidents still going on (summary.json lists only unresolved ones, as Statuspage). */
  public static List<IncidentJson> unresolved(Board board, String url) {
    return board.incidents().stream()
        .filter(Incident::ongoing)
        .map(i -> incident(board, i, url))
        .toList();
  }

  /** The windows in the given states (scheduled, in_progress, completed), soonest first. */
  public static List<MaintenanceJson> maintenances(Board board, String url, Set<String> states) {
    return board.maintenance().stream()
        .filter(m -> states.contains(m.state()))
        .limit(50)
        .map(m -> maintenance(board, m, url))
        .toList();
  }

  private static ComponentJson component(Board board, Component c) {
    Instant created = board.days().get(0).date().atStartOfDay(board.zone()).toInstant();
    return new ComponentJson(
        c.endpoint(),
        "Data Ingestion API: " + c.endpoint(),
        c.status().code,
        created,
        board.asOf(),
        Prober.ENDPOINTS.indexOf(c.endpoint()) + 1,
        "POST /v1/" + c.endpoint() + " (" + c.detail() + ")",
        true,
        board.days().get(0).date(),
        null,
        PAGE_ID,
        false,
        false);
  }

  private static List<ComponentJson> components(Board board, Set<String> endpoints) {
    return board.components().stream()
        .filter(c -> endpoints.contains(c.endpoint()))
        .map(c -> component(board, c))
        .toList();
  }

  private static IncidentJson incident(Board board, Incident i, String url) {
    String id = i.id();
    Instant start = i.run().start();
    Instant end = i.run().end();
    String reasons = String.join("; ", i.run().reasons());
    List<AffectedComponent> affected =
        i.endpoints().stream()
            .map(
                e ->
                    new AffectedComponent(
                        e, "Data Ingestion API: " + e, "operational", "major_outage"))
            .toList();
    List<IncidentUpdate> updates = new ArrayList<>();
    if (!i.ongoing()) {
      List<AffectedComponent> back =
          i.endpoints().stream()
              .map(
                  e ->
                      new AffectedComponent(
                          e, "Data Ingestion API: " + e, "major_outage", "operational"))
              .toList();
      updates.add(
          new IncidentUpdate(
              id + "-resolved",
              "resolved",
              "Every probe answered again after " + i.run().minutes() + " unavailable minutes.",
              id,
              end,
              end,
              end,
              back,
              false,
              null,
              null));
    }
    updates.add(
        new IncidentUpdate(
            id + "-investigating",
            "investigating",
            "Unavailable: " + reasons,
            id,
            start,
            start,
            start,
            affected,
            false,
            null,
            null));
    return new IncidentJson(
        id,
        name(i),
        i.ongoing() ? "investigating" : "resolved",
        start,
        i.ongoing() ? board.asOf() : end,
        null,
        i.ongoing() ? null : end,
        i.endpoints().size() == Prober.ENDPOINTS.size() ? "critical" : "major",
        url + "#" + id,
        start,
        PAGE_ID,
        updates,
        components(board, i.endpoints()));
  }

  /** The incident's title, as the page and the feeds show it. */
  public static String name(Incident i) {
    return (i.endpoints().isEmpty()
            ? "Unavailable"
            : "Unavailable: " + String.join(", ", i.endpoints()))
        + " ("
        + i.run().minutes()
        + (i.run().minutes() == 1 ? " minute" : " minutes")
        + (i.ongoing() ? ", ongoing)" : ")");
  }

  private static MaintenanceJson maintenance(Board board, Maintenance m, String url) {
    String id = m.id().toString();
    String status =
        switch (m.state()) {
          case "in_progress" -> "in_progress";
          case "completed" -> "completed";
          default -> "scheduled";
        };
    List<IncidentUpdate> updates = new ArrayList<>();
    List<String> all = Prober.ENDPOINTS;
    if (!"scheduled".equals(status)) {
      updates.add(
          new IncidentUpdate(
              id + "-" + status,
              status,
              "completed".equals(status)
                  ? "The scheduled maintenance has been completed."
                  : "Scheduled maintenance is currently in progress.",
              id,
              "completed".equals(status) ? m.end() : m.start(),
              "completed".equals(status) ? m.end() : m.start(),
              "completed".equals(status) ? m.end() : m.start(),
              List.of(),
              false,
              null,
              null));
    }
    updates.add(
        new IncidentUpdate(
            id + "-scheduled",
            "scheduled",
            m.description()
                + (m.noticeQualifies()
                    ? " (notice qualified: " + m.noticeBusinessDays() + " business days)"
                    : " (notice did not qualify: fewer than 3 business days)"),
            id,
            m.createdAt(),
            m.createdAt(),
            m.createdAt(),
            List.of(),
            false,
            null,
            null));
    return new MaintenanceJson(
        id,
        m.description(),
        status,
        m.createdAt(),
        "completed".equals(status)
            ? m.end()
            : "in_progress".equals(status) ? m.start() : m.createdAt(),
        null,
        "completed".equals(status) ? m.end() : null,
        "maintenance",
        url + "#maintenance-" + id,
        "scheduled".equals(status) ? m.createdAt() : m.start(),
        PAGE_ID,
        updates,
        components(board, Set.copyOf(all)),
        m.start(),
        m.end());
  }
}
