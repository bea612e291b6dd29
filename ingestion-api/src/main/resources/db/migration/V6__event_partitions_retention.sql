-- Retention (issue 12): events in day partitions, deduplication in its own small table, and a
-- per-workspace retention. README "Retention" explains the design; EventPartitions maintains it.

-- Days a workspace keeps its events; null means the service default (tributary.ingestion.retention).
alter table workspaces add column retention_days integer check (retention_days > 0);

-- The existing table becomes one partition of the new one, attached as it is rather than copied:
-- attaching reads it once to check its bounds and rewrites nothing, where copying would write
-- every row again (and its WAL and index entries) while the service is stopped, and need twice the
-- disk. Its rows leave with it once every workspace is past retention for its newest day; until
-- then the per-workspace deletes trim it like any partition.
alter table events rename to events_before_partitioning;
-- Its primary key was the deduplication and now is event_dedup's job; kept, it would refuse a
-- retry (stored in this partition until the next midnight) of a messageId older than the window.
alter table events_before_partitioning drop constraint events_pkey;
alter index events_source_received rename to events_before_partitioning_source_received;

-- Partitioned by the UTC day the event was received: one partition per day, named events_pYYYYMMDD
-- ([00:00, 24:00) UTC). Partitions can have no unique key without the partition key, so the table
-- has none; EventWriter deduplicates through event_dedup in the same statement.
create table events (
    source_id    uuid        not null,
    message_id   text        not null,
    workspace_id uuid        not null,
    type         text        not null,
    received_at  timestamptz not null,
    "timestamp"  timestamptz not null,
    payload      jsonb       not null
) partition by range (received_at);
-- Reads (recent, export) and the per-workspace retention deletes (by the workspace's sources).
create index events_source_received on events (source_id, received_at desc);

-- A safety net: an event whose day has no partition yet (the maintenance job stopped for days, or
-- a clock far ahead) is stored here instead of failing its flush. Normally empty; the gauge
-- tributary_ingestion_events_default_partition_rows says when it is not.
create table events_default partition of events default;

do $$
declare
    -- The old rows are all before the end of today (UTC); later days get their own partitions.
    first_day date := (now() at time zone 'UTC')::date + 1;
begin
    execute format(
        'alter table events_before_partitioning add constraint events_before_partitioning_bound'
            || ' check (received_at < %L::timestamptz)',
        first_day::text || ' 00:00:00+00');
    execute format(
        'alter table events attach partition events_before_partitioning'
            || ' for values from (minvalue) to (%L)',
        first_day::text || ' 00:00:00+00');
    -- The check made the attach's own scan unnecessary; the partition bound now says the same.
    alter table events_before_partitioning drop constraint events_before_partitioning_bound;
    -- The next week, so that inserts find their day even before the service's job first runs.
    for d in 0..7 loop
        execute format(
            'create table events_p%s partition of events for values from (%L) to (%L)',
            to_char(first_day + d, 'YYYYMMDD'),
            (first_day + d)::text || ' 00:00:00+00',
            (first_day + d + 1)::text || ' 00:00:00+00');
    end loop;
end
$$;

-- Deduplication by messageId across partitions: one row per (source, messageId) received within
-- the dedup window (tributary.ingestion.retention.dedup-window, 48 h by default), whatever day it
-- fell on. EventWriter inserts here first, in the same statement, and stores only the events whose
-- row it inserted; concurrent flushes of one messageId meet on this primary key as they met on the
-- events' primary key before. Rows older than the window are deleted in batches (EventPartitions);
-- the BRIN index finds them at almost no cost to the inserts.
create table event_dedup (
    source_id   uuid        not null,
    message_id  text        not null,
    received_at timestamptz not null,
    primary key (source_id, message_id)
);
create index event_dedup_received on event_dedup using brin (received_at) with (autosummarize = on);

-- The old table's recent messageIds, so a retry just after the upgrade is still stored once.
insert into event_dedup (source_id, message_id, received_at)
select source_id, message_id, received_at
from events_before_partitioning
where received_at >= now() - interval '48 hours';
