-- The replicas that share the workspaces' rate limits: each running ingestion-api keeps its row's
-- heartbeat fresh and divides every workspace's limit by the replicas whose heartbeat is recent,
-- so the total stays the workspace's limit while an autoscaler changes the replica count.
-- A replica deletes its row when it stops; a row whose heartbeat is stale is deleted by whichever
-- replica notices first.
create table replicas (
    id           text primary key,
    heartbeat_at timestamptz not null,
    started_at   timestamptz not null
);
