package dev.tributary.sla.repository;

import dev.tributary.sla.client.IngestionApiClient.MinuteStats;
import dev.tributary.sla.evaluation.ProbeMinute;
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
import java.util.Set;
import java.util.UUID;

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

  /** Per minute, the endpoints none of whose results in that minute succeeded. */
  private static final String PROBE_MINUTES =
      """
      select minute, coalesce(array_agg(endpoint) filter (where not any_ok), '{}') as failed
      from (select minute, endpoint, bool_or(ok) as any_ok from sla.probe_results
            where minute >= $1 and minute < $2 group by minute, endpoint) per_endpoint
      group by minute
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

  /** Every minute in {@code [from, to)} with probe results, and its failed endpoints. */
  public Uni<List<ProbeMinute>> probeMinutes(Instant from, Instant to) {
    return pool.preparedQuery(PROBE_MINUTES)
        .execute(Tuple.of(utc(from), utc(to)))
        .map(
            rows -> {
              List<ProbeMinute> minutes = new ArrayList<>(rows.size());
              for (Row row : rows) {
                minutes.add(
                    new ProbeMinute(
                        row.getOffsetDateTime("minute").toInstant(),
                        Set.of(row.getArrayOfStrings("failed"))));
              }
              return minutes;
            });
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
                minutes.add(
                    new RequestMinute(
                        row.getOffsetDateTime("minute").toInstant(),
                        row.getLong("requests"),
                        row.getLong("rejected_4xx"),
                        row.getLong("throttled_429"),
                        row.getLong("failed_5xx")));
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
