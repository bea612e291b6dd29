-- Evaluation reads only what is not ordinary (issue 9): the minutes with 5xx answers are found
-- through this partial index, not by reading every workspace's every minute.
create index request_stats_failures on request_stats (minute, workspace_id) where failed_5xx > 0;

-- Stretches of minutes without any probe result whose cause the sla-evaluator knows (it was not
-- running, or its prober stalled, or the results could not be stored). Those minutes are "no data",
-- never availability; the reason shows in the per-minute ledger.
create table probe_gaps (
    start_minute timestamptz not null primary key,
    end_minute   timestamptz not null,
    reason       text        not null check (length(reason) between 1 and 500),
    recorded_at  timestamptz not null,
    check (end_minute > start_minute)
);
