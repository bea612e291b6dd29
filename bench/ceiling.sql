-- pgbench transaction: 100 events in one multi-row insert into a copy of ingestion.events
-- (same primary key and index, same JSON size), i.e. what the group-commit writer does, minus HTTP.
insert into bench_ceiling.events (source_id, message_id, workspace_id, type, received_at, "timestamp", payload)
select '00000000-0000-0000-0000-000000000001', :client_id || '-' || txid_current() || '-' || g,
       '00000000-0000-0000-0000-000000000002', 'track', now(), now(),
       ('{"type":"track","messageId":"' || g || '","userId":"user-' || g || '","event":"Order Completed",'
        || '"properties":{"orderId":"o-1","revenue":42.5,"currency":"USD"},'
        || '"context":{"library":{"name":"wrk","version":"4"}},"timestamp":"2026-01-01T00:00:00Z",'
        || '"receivedAt":"2026-01-01T00:00:00.000Z","originalTimestamp":"2026-01-01T00:00:00Z"}')::jsonb
from generate_series(1, 100) g
on conflict do nothing;
