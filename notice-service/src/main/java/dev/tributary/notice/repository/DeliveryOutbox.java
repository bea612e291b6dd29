package dev.tributary.notice.repository;

import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.DeliveryStage;
import dev.tributary.notice.domain.DeliveryStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The outbox as the delivery worker sees it: claims due deliveries, and records what their attempts
 * came to, many rows per statement.
 *
 * <p>A claim is one statement ({@link #CLAIM}: {@code FOR UPDATE SKIP LOCKED}, so replicas never
 * claim the same row, and a lease so a crashed worker's rows come back). Recording a group of
 * attempts is one statement too ({@link #RECORD}), so one transaction: an update of the deliveries,
 * fenced by the attempt number so a worker whose lease was taken over changes nothing, and an
 * insert of their append-only {@code delivery_attempts} rows (inserted even when fenced out: the
 * provider did accept or refuse the message, and the evidence says so). Each is a single round trip
 * to the database.
 */
@ApplicationScoped
public class DeliveryOutbox {

  /**
   * Claims due deliveries: PENDING ones and SENDING ones whose lease ran out (a worker died), in
   * the order they fell due ({@code deliveries_claimable_idx}). Times come from the application
   * clock ($1 now, $2 the lease end) so tests can drive them; $3 is the batch size, $4 the channels
   * with a configured provider.
   */
  static final String CLAIM =
      """
      update notice.deliveries
         set status = 'SENDING', attempts = attempts + 1, locked_until = $2
       where id in (select id from notice.deliveries
                     where status in ('PENDING', 'SENDING')
                       and (status = 'PENDING' or locked_until < $1)
                       and next_attempt_at <= $1
                       and channel = any($4)
                     order by next_attempt_at
                     limit $3
                     for update skip locked)
      returning id, notice_id, workspace_id, channel, address, attempts, stage
      """;

  /**
   * Records a group of attempts in one statement, so in one transaction: the new state of each
   * delivery, changed only while the row is still SENDING under the same attempt number (a SENT row
   * keeps its due time; the evidence columns are only ever filled), and one append-only {@code
   * delivery_attempts} row per attempt, inserted whether or not the row was fenced out. Answers the
   * ids of the deliveries that were updated.
   */
  static final String RECORD =
      """
      with a as (
        select * from unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::text[],
                             $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[],
                             $11::timestamptz[], $12::timestamptz[])
               as a(id, attempt, status, next_attempt_at, error, provider_message_id, accepted_at,
                    content_sha256, outcome, provider, started_at, finished_at)
      ), updated as (
        update notice.deliveries d
           set status = a.status, locked_until = null,
               next_attempt_at = coalesce(a.next_attempt_at, d.next_attempt_at),
               last_error = a.error,
               provider_message_id = coalesce(a.provider_message_id, d.provider_message_id),
               accepted_at = coalesce(a.accepted_at, d.accepted_at),
               content_sha256 = coalesce(a.content_sha256, d.content_sha256)
          from a
         where d.id = a.id and d.status = 'SENDING' and d.attempts = a.attempt
        returning d.id
      ), evidence as (
        insert into notice.delivery_attempts (delivery_id, attempt, started_at, finished_at,
            outcome, provider, provider_message_id, accepted_at, content_sha256, error)
        select id, attempt, started_at, finished_at, outcome, provider, provider_message_id,
               accepted_at, content_sha256, error
          from a
      )
      select id from updated
      """;

  /** A claimed delivery; {@code attempt} is its attempts count after the claim. */
  public record Claimed(
      UUID id,
      UUID noticeId,
      UUID workspaceId,
      Channel channel,
      String address,
      int attempt,
      DeliveryStage stage) {

    public boolean reminder() {
      return stage == DeliveryStage.REMINDER;
    }
  }

  /**
   * What one attempt came to: the delivery's new state ({@code status}, and for a retry {@code
   * nextAttemptAt}) and the attempt's evidence row ({@code outcome} SENT, RETRY or FAILED; for SENT
   * the provider's message id, the acceptance time and the content hash).
   */
  public record Attempt(
      Claimed delivery,
      DeliveryStatus status,
      Instant nextAttemptAt,
      String outcome,
      Instant startedAt,
      Instant finishedAt,
      String provider,
      String providerMessageId,
      Instant acceptedAt,
      String contentSha256,
      String error) {}

  private final Pool pool;

  public DeliveryOutbox(Pool pool) {
    this.pool = pool;
  }

  /** Claims up to {@code limit} due deliveries of {@code channels} until {@code lockedUntil}. */
  public Uni<List<Claimed>> claim(Instant now, Instant lockedUntil, int limit, String[] channels) {
    // One statement, so one transaction of its own: no BEGIN and COMMIT round trips around it.
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(at(now), at(lockedUntil), limit, channels))
        .map(
            rows -> {
              List<Claimed> claimed = new ArrayList<>();
              for (Row row : rows) {
                claimed.add(
                    new Claimed(
                        row.getUUID("id"),
                        row.getUUID("notice_id"),
                        row.getUUID("workspace_id"),
                        Channel.valueOf(row.getString("channel")),
                        row.getString("address"),
                        row.getInteger("attempts"),
                        DeliveryStage.valueOf(row.getString("stage"))));
              }
              return claimed;
            });
  }

  /**
   * Records a group of attempts in one transaction; answers the deliveries whose lease another
   * worker had taken over (their row was left as that worker has it).
   */
  public Uni<Set<UUID>> record(List<Attempt> attempts) {
    int n = attempts.size();
    UUID[] ids = new UUID[n];
    Integer[] numbers = new Integer[n];
    String[] statuses = new String[n];
    OffsetDateTime[] nextAttemptAt = new OffsetDateTime[n];
    String[] outcomes = new String[n];
    OffsetDateTime[] startedAt = new OffsetDateTime[n];
    OffsetDateTime[] finishedAt = new OffsetDateTime[n];
    String[] providers = new String[n];
    String[] messageIds = new String[n];
    OffsetDateTime[] acceptedAt = new OffsetDateTime[n];
    String[] sha256 = new String[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      Attempt attempt = attempts.get(i);
      ids[i] = attempt.delivery().id();
      numbers[i] = attempt.delivery().attempt();
      statuses[i] = attempt.status().name();
      nextAttemptAt[i] = at(attempt.nextAttemptAt());
      outcomes[i] = attempt.outcome();
      startedAt[i] = at(attempt.startedAt());
      finishedAt[i] = at(attempt.finishedAt());
      providers[i] = attempt.provider();
      messageIds[i] = attempt.providerMessageId();
      acceptedAt[i] = at(attempt.acceptedAt());
      sha256[i] = attempt.contentSha256();
      errors[i] = attempt.error();
    }
    Tuple row =
        Tuple.tuple(
            List.<Object>of(
                ids,
                numbers,
                statuses,
                nextAttemptAt,
                errors,
                messageIds,
                acceptedAt,
                sha256,
                outcomes,
                providers,
                startedAt,
                finishedAt));
    return pool.preparedQuery(RECORD).execute(row).map(updated -> takenOver(ids, updated));
  }

  private static Set<UUID> takenOver(UUID[] ids, RowSet<Row> updated) {
    Set<UUID> left = new HashSet<>(List.of(ids));
    for (Row row : updated) {
      left.remove(row.getUUID("id"));
    }
    return left;
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
