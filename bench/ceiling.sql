-- pgbench transaction: what the group-commit writer (EventWriter) does for one batch request of
-- 100 events, minus HTTP: the same statement (deduplication in event_dedup, then the events that
-- were new), the same rows (one source's, the source one of :sources in turn as the batch load
-- takes its write keys; JSON of the same size) into copies of ingestion.event_dedup and
-- ingestion.events with their keys and indexes, on the same server with the same commit settings.
-- The payloads are text here; the writer sends them as UTF-8 bytes and converts them
-- (convert_from), which costs the server the same copy and encoding check as a text parameter.
\set source random(1, :sources)
with batch as (
    select ('00000000-0000-0000-0000-' || lpad(:source::text, 12, '0'))::uuid as s,
           :client_id || '-' || txid_current() || '-' || g as m,
           ('00000000-0000-0000-0001-' || lpad(:source::text, 12, '0'))::uuid as w,
           'track' as t, now() as r, now() as ts,
           '{"type":"track","messageId":"' || g || '","userId":"user-' || g || '","event":"Order Completed",'
           || '"properties":{"orderId":"o-1","revenue":42.5,"currency":"USD"},'
           || '"context":{"library":{"name":"wrk","version":"4"}},"timestamp":"2026-01-01T00:00:00Z",'
           || '"receivedAt":"2026-01-01T00:00:00.000Z","originalTimestamp":"2026-01-01T00:00:00Z",'
           || '"sentAt":"2026-01-01T00:00:01Z"}' as p
    from generate_series(1, 100) g
), fresh as (
    insert into bench_ceiling.event_dedup (source_id, message_id, received_at)
    select s, m, r from batch
    on conflict (source_id, message_id) do nothing
    returning source_id, message_id
)
insert into bench_ceiling.events (source_id, message_id, workspace_id, type, received_at, "timestamp", payload)
select b.s, b.m, b.w, b.t, b.r, b.ts, b.p::json
from batch b join fresh f on f.source_id = b.s and f.message_id = b.m;
