package dev.tributary.sla.service;

import dev.tributary.sla.client.NoticeService;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.client.WorkspaceRecord;
import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.repository.ReportRepository;
import dev.tributary.sla.repository.ReportRepository.FrozenReport;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Closes months: once a month has ended in a workspace's contract time zone (plus {@code
 * tributary.sla.close.grace}), its report is computed and frozen, and a workspace that missed the
 * target is sent an SLA_MISS notice. A notice that could not be created is retried every round.
 */
@ApplicationScoped
public class MonthCloser {

  /** How far back a first start closes months. */
  static final int MAX_MONTHS_BACK = 24;

  /** A month's close logs its progress every this many workspaces. */
  static final int PROGRESS_EVERY = 1_000;

  private final WorkspaceDirectory directory;
  private final ReportService reportService;
  private final ReportRepository reports;
  private final NoticeService notices;
  private final SlaConfig config;
  private final Clock clock;

  MonthCloser(
      WorkspaceDirectory directory,
      ReportService reportService,
      ReportRepository reports,
      NoticeService notices,
      SlaConfig config,
      Clock clock) {
    this.directory = directory;
    this.reportService = reportService;
    this.reports = reports;
    this.notices = notices;
    this.config = config;
    this.clock = clock;
  }

  @Scheduled(
      every = "5m",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "close-months")
  Uni<Void> scheduled() {
    return closeDueMonths()
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf("month close round did not finish: %s", failure.toString());
              return 0;
            })
        .replaceWithVoid();
  }

  /**
   * Freezes every due month of every workspace and sends the missing SLA_MISS notices. Month by
   * month (oldest first), the months already frozen are read at once and the others are evaluated
   * and frozen {@code tributary.sla.close.concurrency} at a time, so memory stays bounded however
   * many workspaces there are. Dying in the middle is harmless: each freeze is one insert that
   * happens at most once per workspace and month, and the next round does the rest.
   */
  public Uni<Integer> closeDueMonths() {
    Instant now = clock.instant();
    return directory
        .all()
        .flatMap(
            workspaces -> {
              Map<YearMonth, List<WorkspaceRecord>> due = new TreeMap<>();
              for (WorkspaceRecord ws : workspaces) {
                for (YearMonth month : dueMonths(ws, now)) {
                  due.computeIfAbsent(month, m -> new ArrayList<>()).add(ws);
                }
              }
              return Multi.createFrom()
                  .iterable(due.entrySet())
                  .onItem()
                  .transformToUniAndConcatenate(e -> closeMonth(e.getKey(), e.getValue()))
                  .collect()
                  .with(Collectors.summingInt(Integer::intValue));
            })
        .call(this::notifyMisses);
  }

  /** Freezes {@code month} for those of {@code workspaces} that have not got it frozen yet. */
  private Uni<Integer> closeMonth(YearMonth month, List<WorkspaceRecord> workspaces) {
    return reports
        .frozenWorkspaces(month)
        .flatMap(
            frozen -> {
              List<WorkspaceRecord> open =
                  workspaces.stream().filter(ws -> !frozen.contains(ws.id())).toList();
              if (open.isEmpty()) {
                return Uni.createFrom().item(0);
              }
              Log.infof("closing %s for %d workspaces", month, open.size());
              AtomicInteger done = new AtomicInteger();
              AtomicInteger failed = new AtomicInteger();
              return Multi.createFrom()
                  .iterable(open)
                  .onItem()
                  .transformToUni(
                      ws ->
                          reportService
                              .freeze(ws, month)
                              .invoke(
                                  () -> {
                                    int n = done.incrementAndGet();
                                    if (n % PROGRESS_EVERY == 0) {
                                      Log.infof("closed %s: %d of %d", month, n, open.size());
                                    }
                                  })
                              // One workspace's failure does not hold up the others; the next
                              // round retries it.
                              .onFailure()
                              .recoverWithItem(
                                  failure -> {
                                    failed.incrementAndGet();
                                    Log.warnf(
                                        "%s of workspace %s not frozen (retried next round): %s",
                                        month, ws.id(), failure.toString());
                                    return Optional.<MonthReport>empty();
                                  }))
                  .merge(config.close().concurrency())
                  .collect()
                  .with(Collectors.summingInt(stored -> stored.isPresent() ? 1 : 0))
                  .invoke(
                      frozenNow -> {
                        if (failed.get() > 0) {
                          Log.warnf(
                              "closing %s: %d frozen, %d failed", month, frozenNow, failed.get());
                        }
                      });
            });
  }

  /** The months of {@code ws} that have ended (with the grace period) by {@code now}. */
  List<YearMonth> dueMonths(WorkspaceRecord ws, Instant now) {
    ZoneId zone = ws.zone();
    YearMonth last = YearMonth.from(now.atZone(zone)).minusMonths(1);
    while (ReportService.monthStart(last.plusMonths(1), zone)
        .plus(config.close().grace())
        .isAfter(now)) {
      last = last.minusMonths(1);
    }
    YearMonth first = last.minusMonths(MAX_MONTHS_BACK - 1);
    if (ws.createdAt() != null) {
      YearMonth created = YearMonth.from(ws.createdAt().atZone(zone));
      first = created.isAfter(first) ? created : first;
    }
    if (config.close().firstMonth().isPresent()
        && config.close().firstMonth().get().isAfter(first)) {
      first = config.close().firstMonth().get();
    }
    List<YearMonth> due = new ArrayList<>();
    for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      due.add(m);
    }
    return due;
  }

  private Uni<Void> notifyMisses(Integer ignored) {
    return reports
        .missesWithoutNotice()
        .flatMap(
            misses ->
                Multi.createFrom()
                    .iterable(misses)
                    .onItem()
                    .transformToUniAndConcatenate(this::notifyMiss)
                    .collect()
                    .asList()
                    .replaceWithVoid());
  }

  private Uni<Void> notifyMiss(FrozenReport frozen) {
    MonthReport report = reportService.read(frozen.reportJson());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("availabilityPercent", report.availabilityPercent());
    details.put("targetPercent", report.targetPercent());
    details.put("unavailableMinutes", report.unavailableMinutes());
    details.put("eligibleMinutes", report.eligibleMinutes());
    details.put("excludedMinutes", report.excludedMinutes());
    details.put("totalMinutes", report.totalMinutes());
    details.put("timeZone", report.timeZone());
    return notices
        .slaMiss(frozen.workspaceId(), frozen.month(), details)
        .flatMap(
            created -> reports.setSlaMissNotice(frozen.workspaceId(), frozen.month(), created.id()))
        .invoke(
            () ->
                Log.infof(
                    "SLA_MISS notice of %s created for workspace %s",
                    frozen.month(), frozen.workspaceId()))
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf(
                  "SLA_MISS notice of %s for workspace %s not created yet (%s); will retry",
                  frozen.month(), frozen.workspaceId(), failure.toString());
              return Uni.createFrom().voidItem();
            });
  }
}
