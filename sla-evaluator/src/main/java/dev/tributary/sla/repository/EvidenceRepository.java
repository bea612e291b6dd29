package dev.tributary.sla.repository;

import dev.tributary.sla.client.IngestionApiClient.MinuteStats;
import dev.tributary.sla.evaluation.MonthEvaluator;
import dev.tributary.sla.evaluation.ProbeGap;
import dev.tributary.sla.evaluation.RequestMinute;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The measured evidence: probe results (ours and external probers') and the copy of ingestion-api's
 * per-workspace request statistics. Probe results are only ever appended.
 */
@ApplicationScoped
public class EvidenceRepository {

  /** A probe result to store. */
  public record ProbeRecord(
      Instant at,
      String endpoint,
      boolean ok,
      Integer latencyMs,
      String location,
      Integer status,
      String error) {}

  /** What was measured in one minute, for the per-minute audit trail. */
  public record MinuteEvidence(
      int probesOk, int probesFailed, long requests, long validRequests, long failed5xx) {}

  private static final String INSERT_PROBES =
      """
      insert into sla.probe_results (at, minute, endpoint, ok, latency_ms, location, status, error, recorded_at)
      select * from unnest($1::timestamptz[], $2::timestamptz[], $3::text[], $4::boolean[], $5::int[],
          $6::text[], $7::int[], $8::text[], $9::timestamptz[])
      """;

  private static final String UPSERT_STATS =
      """
      insert into sla.request_stats as s (workspace_id, minute, requests, rejected_4xx, throttled_429,
          failed_5xx, collected_at)
      select w, m, r, r4, r429, r5, $7 from unnest($1::uuid[], $2::timestamptz[], $3::bigint[],
          $4::bigint[], $5::bigint[], $6::bigint[]) as t(w, m, r, r4, r429, r5)
      order by 1, 2
      on conflict (workspace_id, minute) do update set
          requests = greatest(s.requests, excluded.requests),
          rejected_4xx = greatest(s.rejected_4xx, excluded.rejected_4xx),
          throttled_429 = greatest(s.throttled_429, excluded.throttled_429),
          failed_5xx = greatest(s.failed_5xx, excluded.failed_5xx),
          collected_at = excluded.collected_at
      """;

  private static final String REQUEST_MINUTES =
      """
      select minute, requests, rejected_4xx, throttled_429, failed_5xx from sla.request_stats
      where workspace_id = $1 and minute >= $2 and minute < $3
      """;

  private static final String PROBE_COUNTS =
      """
      select minute, count(*) filter (where ok) as ok, count(*) filter (where not ok) as failed
      from sla.probe_results where minute >= $1 and minute < $2 group by minute
      """;

  /** Per minute and endpoint of a UTC day or a range, whether any result was ok. */
  private static final String PROBE_STATES =
      """
      select minute, endpoint, bool_or(ok) as any_ok from sla.probe_results
      where minute >= $1 and minute < $2 group by minute, endpoint
      """;

  /** The same for the results stored after id $1, with the highest id read. */
  private static final String PROBE_STATES_SINCE =
      """
      select minute, endpoint, bool_or(ok) as any_ok, max(id) as max_id from sla.probe_results
      where id > $1 group by minute, endpoint
      """;

  /**
   * The minutes that reached SLA §1's error rate ($4 valid requests at least, $5 percent of them
   * 5xx), of one workspace ($3) or of all (null), through the partial index on failing minutes.
   */
  private static final String ERROR_RATE_MINUTES =
      """
      select workspace_id, minute, requests, rejected_4xx, throttled_429, failed_5xx
      from sla.request_stats
      where failed_5xx > 0 and minute >= $1 and minute < $2
        and ($3::uuid is null or workspace_id = $3)
        and requests - rejected_4xx - throttled_429 >= $4
        and failed_5xx * 100 >= $5 * (requests - rejected_4xx - throttled_429)
      order by minute
      """;

  /** The minutes of one workspace with request counts inside the given spans. */
  private static final String REQUEST_MINUTES_IN =
      """
      select r.minute from sla.request_stats r
      join unnest($2::timestamptz[], $3::timestamptz[]) as g(s, e)
        on r.minute >= g.s and r.minute < g.e
      where r.workspace_id = $1 order by r.minute
      """;

  private static final String PROBE_GAPS =
      """
      select start_minute, end_minute, reason from sla.probe_gaps
      where start_minute < $2 and end_minute > $1 order by start_minute
      """;

  /** One row of {@link #PROBE_STATES}: the minute, the endpoint and whether any call was ok. */
  public record ProbeState(Instant minute, String endpoint, boolean anyOk) {}

  private final Pool pool;

  public EvidenceRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Void> addProbeResults(List<ProbeRecord> results, Instant recordedAt) {
    if (results.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = results.size();
    OffsetDateTime[] at = new OffsetDateTime[n];
    OffsetDateTime[] minute = new OffsetDateTime[n];
    String[] endpoint = new String[n];
    Boolean[] ok = new Boolean[n];
    Integer[] latency = new Integer[n];
    String[] location = new String[n];
    Integer[] status = new Integer[n];
    String[] error = new String[n];
    OffsetDateTime[] recorded = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      ProbeRecord r = results.get(i);
      at[i] = utc(r.at());
      minute[i] = utc(r.at().truncatedTo(ChronoUnit.MINUTES));
      endpoint[i] = r.endpoint();
      ok[i] = r.ok();
      latency[i] = r.latencyMs();
      location[i] = r.location();
      status[i] = r.status();
      error[i] = r.error();
      recorded[i] = utc(recordedAt);
    }
    Tuple tuple =
        Tuple.tuple()
            .addArrayOfOffsetDateTime(at)
            .addArrayOfOffsetDateTime(minute)
            .addArrayOfString(endpoint)
            .addArrayOfBoolean(ok)
            .addArrayOfInteger(latency)
            .addArrayOfString(location)
            .addArrayOfInteger(status)
            .addArrayOfString(error)
            .addArrayOfOffsetDateTime(recorded);
    return pool.preparedQuery(INSERT_PROBES).execute(tuple).replaceWithVoid();
  }

  /** Per minute and endpoint in {@code [from, to)}: whether any probe result was ok. */
  public Uni<List<ProbeState>> probeStates(Instant from, Instant to) {
    return pool.preparedQuery(PROBE_STATES)
        .execute(Tuple.of(utc(from), utc(to)))
        .map(EvidenceRepository::probeStates);
  }

  /**
   * The same for the results stored after {@code afterId}, each given to {@code each}; answers the
   * highest id read ({@code afterId} when there was none).
   */
  public Uni<Long> probeStatesSince(long afterId, Consumer<ProbeState> each) {
    return pool.preparedQuery(PROBE_STATES_SINCE)
        .execute(Tuple.of(afterId))
        .map(
            rows -> {
              long highest = afterId;
              for (Row row : rows) {
                each.accept(probeState(row));
                highest = Math.max(highest, row.getLong("max_id"));
              }
              return highest;
            });
  }

  /** The highest probe result id stored so far (0 when none). */
  public Uni<Long> highestProbeId() {
    return pool.query("select coalesce(max(id), 0) as highest from sla.probe_results")
        .execute()
        .map(rows -> rows.iterator().next().getLong("highest"));
  }

  /** The recorded causes of probe gaps overlapping {@code [from, to)}, by start. */
  public Uni<List<ProbeGap>> probeGapReasons(Instant from, Instant to) {
    return pool.preparedQuery(PROBE_GAPS)
        .execute(Tuple.of(utc(from), utc(to)))
        .map(
            rows -> {
              List<ProbeGap> gaps = new ArrayList<>(rows.size());
              for (Row row : rows) {
                gaps.add(
                    new ProbeGap(
                        row.getOffsetDateTime("start_minute").toInstant(),
                        row.getOffsetDateTime("end_minute").toInstant(),
                        row.getString("reason")));
              }
              return gaps;
            });
  }

  /**
   * The minutes of {@code [from, to)} that reached SLA §1's error rate, by workspace; with a {@code
   * workspaceId}, only that workspace's.
   */
  public Uni<Map<UUID, List<RequestMinute>>> errorRateMinutes(
      UUID workspaceId, Instant from, Instant to) {
    return pool.preparedQuery(ERROR_RATE_MINUTES)
        .execute(
            Tuple.of(
                utc(from),
                utc(to),
                workspaceId,
                MonthEvaluator.MIN_REQUESTS_FOR_ERROR_RATE,
                MonthEvaluator.ERROR_RATE_PERCENT))
        .map(
            rows -> {
              Map<UUID, List<RequestMinute>> byWorkspace = new HashMap<>();
              for (Row row : rows) {
                byWorkspace
                    .computeIfAbsent(row.getUUID("workspace_id"), id -> new ArrayList<>())
                    .add(requestMinute(row));
              }
              return byWorkspace;
            });
  }

  /** The minutes of one workspace with request counts inside {@code gaps}. */
  public Uni<List<Instant>> requestMinutesIn(UUID workspaceId, List<ProbeGap> gaps) {
    if (gaps.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    OffsetDateTime[] starts = new OffsetDateTime[gaps.size()];
    OffsetDateTime[] ends = new OffsetDateTime[gaps.size()];
    for (int i = 0; i < gaps.size(); i++) {
      starts[i] = utc(gaps.get(i).start());
      ends[i] = utc(gaps.get(i).end());
    }
    return pool.preparedQuery(REQUEST_MINUTES_IN)
        .execute(
            Tuple.tuple()
                .addUUID(workspaceId)
                .addArrayOfOffsetDateTime(starts)
                .addArrayOfOffsetDateTime(ends))
        .map(
            rows -> {
              List<Instant> minutes = new ArrayList<>(rows.size());
              for (Row row : rows) {
                minutes.add(row.getOffsetDateTime("minute").toInstant());
              }
              return minutes;
            });
  }

  private static List<ProbeState> probeStates(Iterable<Row> rows) {
    List<ProbeState> states = new ArrayList<>();
    for (Row row : rows) {
      states.add(probeState(row));
    }
    return states;
  }

  private static ProbeState probeState(Row row) {
    return new ProbeState(
        row.getOffsetDateTime("minute").toInstant(),
        row.getString("endpoint"),
        row.getBoolean("any_ok"));
  }

  private static RequestMinute requestMinute(Row row) {
    return new RequestMinute(
        row.getOffsetDateTime("minute").toInstant(),
        row.getLong("requests"),
        row.getLong("rejected_4xx"),
        row.getLong("throttled_429"),
        row.getLong("failed_5xx"));
  }

  /**
   * Stores ingestion-api's counts. They only grow there, so a row is replaced by larger counts and
   * never shrinks (a late, partial answer cannot erase what an earlier one saw).
   */
  public Uni<Void> putRequestStats(List<MinuteStats> stats, Instant collectedAt) {
    if (stats.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = stats.size();
    UUID[] workspace = new UUID[n];
    OffsetDateTime[] minute = new OffsetDateTime[n];
    Long[] requests = new Long[n];
    Long[] rejected = new Long[n];
    Long[] throttled = new Long[n];
    Long[] failed = new Long[n];
    for (int i = 0; i < n; i++) {
      MinuteStats s = stats.get(i);
      workspace[i] = s.workspaceId();
      minute[i] = utc(s.minute());
      requests[i] = s.requests();
      rejected[i] = s.rejected4xx();
      throttled[i] = s.throttled429();
      failed[i] = s.failed5xx();
    }
    Tuple tuple =
        Tuple.tuple()
            .addArrayOfUUID(workspace)
            .addArrayOfOffsetDateTime(minute)
            .addArrayOfLong(requests)
            .addArrayOfLong(rejected)
            .addArrayOfLong(throttled)
            .addArrayOfLong(failed)
            .addOffsetDateTime(utc(collectedAt));
    return pool.preparedQuery(UPSERT_STATS).execute(tuple).replaceWithVoid();
  }

  /** The latest minute with collected statistics, if any. */
  public Uni<Optional<Instant>> latestStatsMinute() {
    return pool.query("select max(minute) as latest from sla.request_stats")
        .execute()
        .map(
            rows -> {
              OffsetDateTime latest = rows.iterator().next().getOffsetDateTime("latest");
              return Optional.ofNullable(latest).map(OffsetDateTime::toInstant);
            });
  }

  /** One workspace's request statistics in {@code [from, to)}. */
  public Uni<List<RequestMinute>> requestMinutes(UUID workspaceId, Instant from, Instant to) {
    return pool.preparedQuery(REQUEST_MINUTES)
        .execute(Tuple.of(workspaceId, utc(from), utc(to)))
        .map(
            rows -> {
              List<RequestMinute> minutes = new ArrayList<>(rows.size());
              for (Row row : rows) {
                minutes.add(requestMinute(row));
              }
              return minutes;
            });
  }

  /** Per minute of {@code [from, to)}, the probe and request counts of one workspace. */
  public Uni<Map<Instant, MinuteEvidence>> minuteEvidence(
      UUID workspaceId, Instant from, Instant to) {
    Uni<Map<Instant, int[]>> probes =
        pool.preparedQuery(PROBE_COUNTS)
            .execute(Tuple.of(utc(from), utc(to)))
            .map(
                rows -> {
                  Map<Instant, int[]> counts = new HashMap<>();
                  for (Row row : rows) {
                    counts.put(
                        row.getOffsetDateTime("minute").toInstant(),
                        new int[] {row.getInteger("ok"), row.getInteger("failed")});
                  }
                  return counts;
                });
    return Uni.combine()
        .all()
        .unis(probes, requestMinutes(workspaceId, from, to))
        .with(
            (probeCounts, requests) -> {
              Map<Instant, MinuteEvidence> evidence = new HashMap<>();
              probeCounts.forEach(
                  (minute, c) -> evidence.put(minute, new MinuteEvidence(c[0], c[1], 0, 0, 0)));
              for (RequestMinute r : requests) {
                int[] c = probeCounts.getOrDefault(r.minute(), new int[2]);
                evidence.put(
                    r.minute(),
                    new MinuteEvidence(c[0], c[1], r.requests(), r.validRequests(), r.failed5xx()));
              }
              return evidence;
            });
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
