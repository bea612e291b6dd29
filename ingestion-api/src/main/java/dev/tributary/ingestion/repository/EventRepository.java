package dev.tributary.ingestion.repository;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads of stored events (the writes go through {@link EventWriter}). */
@ApplicationScoped
public class EventRepository {

  /** A stored event; {@code payload} is its JSON text as stored. */
  public record StoredEvent(
      String messageId, String type, Instant receivedAt, Instant timestamp, String payload) {}

  private static final String RECENT =
      """
      select message_id, type, received_at, "timestamp", payload::text
      from ingestion.events where source_id = $1
      order by received_at desc, message_id desc limit $2
      """;

  /** Keyset pagination in (received_at, message_id) order, so pages never skip or repeat. */
  private static final String RANGE_PAGE =
      """
      select message_id, type, received_at, "timestamp", payload::text
      from ingestion.events
      where source_id = $1 and received_at >= $2 and received_at < $3
        and (received_at, message_id) > ($4, $5)
      order by received_at, message_id limit $6
      """;

  private static final int EXPORT_PAGE = 1000;

  private final Pool pool;

  public EventRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<List<StoredEvent>> recent(UUID sourceId, int limit) {
    return pool.preparedQuery(RECENT)
        .execute(Tuple.of(sourceId, limit))
        .map(EventRepository::toEvents);
  }

  /** Every event of the source received in [from, to), oldest first, read page by page. */
  public Multi<StoredEvent> range(UUID sourceId, Instant from, Instant to) {
    OffsetDateTime start = from.atOffset(ZoneOffset.UTC);
    OffsetDateTime end = to.atOffset(ZoneOffset.UTC);
    return Multi.createBy()
        .repeating()
        .uni(
            () -> new StoredEvent[] {null},
            last -> {
              StoredEvent after = last[0];
              OffsetDateTime afterTime =
                  after == null
                      ? start.minusNanos(1000)
                      : after.receivedAt().atOffset(ZoneOffset.UTC);
              String afterId = after == null ? "" : after.messageId();
              return pool.preparedQuery(RANGE_PAGE)
                  .execute(
                      Tuple.from(List.of(sourceId, start, end, afterTime, afterId, EXPORT_PAGE)))
                  .map(EventRepository::toEvents)
                  .invoke(page -> last[0] = page.isEmpty() ? null : page.get(page.size() - 1));
            })
        .whilst(page -> page.size() == EXPORT_PAGE)
        .onItem()
        .disjoint();
  }

  private static List<StoredEvent> toEvents(Iterable<Row> rows) {
    List<StoredEvent> events = new ArrayList<>();
    for (Row row : rows) {
      events.add(
          new StoredEvent(
              row.getString(0),
              row.getString(1),
              row.getOffsetDateTime(2).toInstant(),
              row.getOffsetDateTime(3).toInstant(),
              row.getString(4)));
    }
    return events;
  }
}
