-- ingestion-api owns the "ingestion" schema; Flyway creates it (quarkus.flyway.schemas).

create table workspaces (
    id                uuid        primary key,
    name              text        not null check (length(name) between 1 and 200),
    time_zone         text        not null default 'UTC',
    -- Per-workspace throughput limits; null means the service default.
    events_per_second integer     check (events_per_second > 0),
    burst             integer     check (burst > 0),
    created_at        timestamptz not null
);

-- Contacts designated for legal notices (Terms of Service §9.5): email and/or phone.
create table workspace_contacts (
    workspace_id uuid    not null references workspaces (id) on delete cascade,
    position     integer not null,
    name         text,
    email        text,
    phone        text,
    primary key (workspace_id, position),
    check (email is not null or phone is not null)
);

create table sources (
    id              uuid        primary key,
    workspace_id    uuid        not null references workspaces (id),
    name            text        not null check (length(name) between 1 and 200),
    -- Write keys are random 192-bit secrets, so an unsalted SHA-256 is enough to make a leaked
    -- table useless; only the hash is kept, the key is shown once at creation.
    write_key_hash  bytea       not null unique,
    write_key_hint  text        not null,
    created_at      timestamptz not null,
    revoked_at      timestamptz
);
create index sources_workspace on sources (workspace_id);

-- Accepted events. The primary key is the deduplication: a messageId a source already sent is
-- acknowledged again but stored once, across replicas, for as long as the event is retained.
create table events (
    source_id    uuid        not null,
    message_id   text        not null,
    workspace_id uuid        not null,
    type         text        not null,
    received_at  timestamptz not null,
    "timestamp"  timestamptz not null,
    payload      jsonb       not null,
    primary key (source_id, message_id)
);
create index events_source_received on events (source_id, received_at desc);

-- Per workspace and UTC minute: what the SLA evaluation needs of the workspace's own traffic.
-- Replicas add to these rows (never overwrite), so restarts and several replicas sum correctly.
create table request_stats (
    workspace_id    uuid        not null,
    minute          timestamptz not null,
    requests        bigint      not null default 0,
    events_accepted bigint      not null default 0,
    events_rejected bigint      not null default 0,
    rejected_4xx    bigint      not null default 0,
    throttled_429   bigint      not null default 0,
    failed_5xx      bigint      not null default 0,
    latency_sum_ms  double precision not null default 0,
    latency_max_ms  double precision not null default 0,
    -- Latency histogram: requests answered within 10, 50, 250 and 1000 ms (cumulative buckets).
    latency_le_10   bigint      not null default 0,
    latency_le_50   bigint      not null default 0,
    latency_le_250  bigint      not null default 0,
    latency_le_1000 bigint      not null default 0,
    primary key (workspace_id, minute),
    check (minute = date_trunc('minute', minute))
);
