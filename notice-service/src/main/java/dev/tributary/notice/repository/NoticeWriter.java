package dev.tributary.notice.repository;

import dev.tributary.notice.domain.Delivery;
import dev.tributary.notice.domain.DeliveryStage;
import dev.tributary.notice.domain.DeliveryStatus;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes a new notice, its audience snapshot and its outbox deliveries in one transaction: either
 * all of it is committed or nothing is, so a notice never exists without its deliveries, a delivery
 * never without its notice, and a crash half-way leaves nothing behind.
 *
 * <p>A notice to 10,000 workspaces has 10,000 recipients and 30,000 deliveries (60,000 with
 * maintenance reminders), so the rows go in {@value #CHUNK} at a time, each chunk one {@code insert
 * … select from unnest(arrays)} statement on the transaction's connection, instead of one statement
 * per row.
 */
@ApplicationScoped
public class NoticeWriter {

  /** Rows per insert statement. */
  static final int CHUNK = 2000;

  static final String INSERT_NOTICE =
      """
      insert into notice.notices (id, kind, created_at, idempotency_key, request_sha256, audience,
          channels, document, version, url, summary, effective_at, material, legal_change,
          window_start, window_end, description, related_notice_id,
          lead_time_required_business_days, lead_time_met, month, extra, subject, body)
      values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
          $18, $19, $20, $21, $22::jsonb, $23, $24)
      """;

  static final String INSERT_RECIPIENTS =
      """
      insert into notice.notice_recipients (notice_id, workspace_id, workspace_name, time_zone,
          workspace_created_at)
      select $1, r.* from unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
                          as r(workspace_id, workspace_name, time_zone, workspace_created_at)
      """;

  static final String INSERT_DELIVERIES =
      """
      insert into notice.deliveries (id, notice_id, workspace_id, contact_name, channel, address,
          status, stage, attempts, next_attempt_at, created_at)
      select d.id, $1, d.workspace_id, d.contact_name, d.channel, d.address, d.status, d.stage, 0,
             d.next_attempt_at, $2
        from unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                    $9::text[], $10::timestamptz[])
             as d(id, workspace_id, contact_name, channel, address, status, stage, next_attempt_at)
      """;

  /** A cancellation or rescheduling cancels the related notice's reminders not sent yet. */
  static final String CANCEL_REMINDERS =
      """
      update notice.deliveries set status = 'CANCELLED', last_error = $2
       where notice_id = $1 and stage = 'REMINDER' and status = 'PENDING'
      """;

  private final Pool pool;

  public NoticeWriter(Pool pool) {
    this.pool = pool;
  }

  /**
   * Writes {@code notice} with its recipients and deliveries; when {@code cancelRemindersOf} is
   * set, cancels that notice's PENDING reminders in the same transaction. Answers how many
   * reminders were cancelled.
   */
  public Uni<Integer> create(
      Notice notice,
      List<NoticeRecipient> recipients,
      List<Delivery> deliveries,
      UUID cancelRemindersOf) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(INSERT_NOTICE)
                .execute(noticeRow(notice))
                .chain(
                    () ->
                        inChunks(connection, INSERT_RECIPIENTS, recipients, recipientRows(notice)))
                .chain(
                    () -> inChunks(connection, INSERT_DELIVERIES, deliveries, deliveryRows(notice)))
                .chain(
                    () ->
                        cancelRemindersOf == null
                            ? Uni.createFrom().item(0)
                            : connection
                                .preparedQuery(CANCEL_REMINDERS)
                                .execute(
                                    Tuple.of(
                                        cancelRemindersOf,
                                        "cancelled by " + notice.kind + " notice " + notice.id))
                                .map(rows -> rows.rowCount())));
  }

  private static <T> Uni<Void> inChunks(
      SqlConnection connection, String sql, List<T> rows, Function<List<T>, Tuple> toTuple) {
    Uni<Void> all = Uni.createFrom().voidItem();
    for (int from = 0; from < rows.size(); from += CHUNK) {
      List<T> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
      all =
          all.chain(() -> connection.preparedQuery(sql).execute(toTuple.apply(chunk)))
              .replaceWithVoid();
    }
    return all;
  }

  private static Tuple noticeRow(Notice n) {
    return Tuple.from(
        Arrays.asList(
            n.id,
            n.kind.name(),
            at(n.createdAt),
            n.idempotencyKey,
            n.requestSha256,
            new JsonObject(n.audience),
            n.channels,
            n.document,
            n.version,
            n.url,
            n.summary,
            at(n.effectiveAt),
            n.material,
            n.legalChange,
            at(n.windowStart),
            at(n.windowEnd),
            n.description,
            n.relatedNoticeId,
            n.leadTimeRequiredBusinessDays,
            n.leadTimeMet,
            n.month,
            n.extra == null ? null : new JsonObject(n.extra),
            n.subject,
            n.body));
  }

  private static Function<List<NoticeRecipient>, Tuple> recipientRows(Notice notice) {
    return chunk -> {
      int size = chunk.size();
      UUID[] workspaceIds = new UUID[size];
      String[] names = new String[size];
      String[] timeZones = new String[size];
      OffsetDateTime[] createdAt = new OffsetDateTime[size];
      for (int i = 0; i < size; i++) {
        NoticeRecipient r = chunk.get(i);
        workspaceIds[i] = r.workspaceId;
        names[i] = r.workspaceName;
        timeZones[i] = r.timeZone;
        createdAt[i] = at(r.workspaceCreatedAt);
      }
      return Tuple.tuple(List.<Object>of(notice.id, workspaceIds, names, timeZones, createdAt));
    };
  }

  private static Function<List<Delivery>, Tuple> deliveryRows(Notice notice) {
    return chunk -> {
      int size = chunk.size();
      UUID[] ids = new UUID[size];
      UUID[] workspaceIds = new UUID[size];
      String[] contactNames = new String[size];
      String[] channels = new String[size];
      String[] addresses = new String[size];
      String[] statuses = new String[size];
      String[] stages = new String[size];
      OffsetDateTime[] due = new OffsetDateTime[size];
      for (int i = 0; i < size; i++) {
        Delivery d = chunk.get(i);
        ids[i] = d.id;
        workspaceIds[i] = d.workspaceId;
        contactNames[i] = d.contactName;
        channels[i] = d.channel.name();
        addresses[i] = d.address;
        statuses[i] = (d.status == null ? DeliveryStatus.PENDING : d.status).name();
        stages[i] = (d.stage == null ? DeliveryStage.NOTICE : d.stage).name();
        due[i] = at(d.nextAttemptAt);
      }
      return Tuple.tuple(
          List.<Object>of(
              notice.id,
              at(notice.createdAt),
              ids,
              workspaceIds,
              contactNames,
              channels,
              addresses,
              statuses,
              stages,
              due));
    };
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
