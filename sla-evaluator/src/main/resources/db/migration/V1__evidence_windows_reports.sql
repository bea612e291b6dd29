-- sla-evaluator's schema: the evidence a month's figures are computed from (probe results, the
-- workspaces' request statistics, maintenance windows and exclusions), the frozen monthly reports
-- and the Special Termination Right records. All instants are timestamptz (UTC).

-- One probe call of one Tracking API endpoint: ours (location 'sla-evaluator') or posted by an
-- external prober. Append-only; minute = at truncated to the UTC minute.
create table probe_results (
    id          bigserial   primary key,
    at          timestamptz not null,
    minute      timestamptz not null,
    endpoint    text        not null
                check (endpoint in ('identify', 'track', 'page', 'screen', 'group', 'alias')),
    ok          boolean     not null,
    latency_ms  integer     check (latency_ms >= 0),
    location    text        not null check (length(location) between 1 and 100),
    status      integer,
    error       text,
    recorded_at timestamptz not null
);
create index probe_results_minute on probe_results (minute, endpoint);

-- A copy of ingestion-api's per-workspace, per-minute request counts (the counts only grow there,
-- so each collection replaces the copy).
create table request_stats (
    workspace_id  uuid        not null,
    minute        timestamptz not null,
    requests      bigint      not null check (requests >= 0),
    rejected_4xx  bigint      not null check (rejected_4xx >= 0),
    throttled_429 bigint      not null check (throttled_429 >= 0),
    failed_5xx    bigint      not null check (failed_5xx >= 0),
    collected_at  timestamptz not null,
    primary key (workspace_id, minute)
);
create index request_stats_minute on request_stats (minute);

-- Declared exclusions (SLA §2). Unauthorized use and customer-caused unavailability concern one
-- workspace; the other categories may concern everyone (workspace_id null).
create table exclusions (
    id           uuid        primary key,
    workspace_id uuid,
    start_at     timestamptz not null,
    end_at       timestamptz not null,
    category     text        not null check (category in ('UNAUTHORIZED_USE', 'CUSTOMER_CAUSED',
                     'FORCE_MAJEURE', 'DENIAL_OF_SERVICE', 'THIRD_PARTY_OUTAGE', 'INTERNET_PROBLEM',
                     'EMERGENCY_MAINTENANCE')),
    reason       text        not null check (length(reason) between 1 and 2000),
    declared_by  text        not null,
    declared_at  timestamptz not null,
    check (end_at > start_at),
    check (workspace_id is not null or category not in ('UNAUTHORIZED_USE', 'CUSTOMER_CAUSED'))
);
create index exclusions_range on exclusions (start_at, end_at);

-- Scheduled maintenance (SLA §3). notice_sent_at is set when the notice was sent outside this
-- platform (it then holds for every workspace); otherwise notice_id is notice-service's notice and
-- maintenance_notices holds when it first reached each workspace.
create table maintenance_windows (
    id             uuid        primary key,
    start_at       timestamptz not null,
    end_at         timestamptz not null,
    description    text        not null check (length(description) between 1 and 5000),
    notice_id      uuid,
    notice_sent_at timestamptz,
    status         text        not null default 'SCHEDULED'
                   check (status in ('SCHEDULED', 'CANCELLED', 'RESCHEDULED')),
    replaces       uuid        references maintenance_windows (id),
    created_at     timestamptz not null,
    created_by     text        not null,
    status_reason  text,
    check (end_at > start_at),
    -- Scheduled windows never overlap (a range exclusion needs no extension).
    exclude using gist (tstzrange(start_at, end_at) with &&) where (status = 'SCHEDULED')
);

create table maintenance_notices (
    window_id          uuid        not null references maintenance_windows (id),
    workspace_id       uuid        not null,
    first_delivered_at timestamptz,
    synced_at          timestamptz not null,
    primary key (window_id, workspace_id)
);

-- A closed month's report, frozen: recomputed only by an explicit correction
-- (report_corrections keeps every previous version and who asked for it and why).
create table monthly_reports (
    workspace_id            uuid        not null,
    month                   text        not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
    time_zone               text        not null,
    report                  jsonb       not null,
    ledger                  jsonb       not null,
    target_met              boolean     not null,
    frozen_at               timestamptz not null,
    revision                integer     not null default 1,
    sla_miss_notice_id      uuid,
    sla_miss_notice_sent_at timestamptz,
    primary key (workspace_id, month)
);

create table report_corrections (
    id              bigserial   primary key,
    workspace_id    uuid        not null,
    month           text        not null,
    revision        integer     not null,
    reason          text        not null,
    requested_by    text        not null,
    corrected_at    timestamptz not null,
    previous_report jsonb       not null,
    foreign key (workspace_id, month) references monthly_reports (workspace_id, month)
);

-- The customer's order form, for the pro-rata refund of the Special Termination Right (SLA §4).
create table order_forms (
    workspace_id uuid           primary key,
    term_start   date           not null,
    term_end     date           not null,
    prepaid_fees numeric(14, 2) not null check (prepaid_fees >= 0),
    currency     text           not null check (currency ~ '^[A-Z]{3}$'),
    updated_at   timestamptz    not null,
    check (term_end >= term_start)
);

-- The customer's written notice exercising the Special Termination Right.
create table termination_exercises (
    workspace_id     uuid           primary key,
    received_at      timestamptz    not null,
    reference        text           not null,
    termination_date date           not null,
    triggering_months text[]        not null,
    refund           numeric(14, 2),
    currency         text,
    recorded_by      text           not null,
    recorded_at      timestamptz    not null
);

-- TERMINATION_RIGHT notices sent, one per trigger (the failed month that completed it).
create table termination_notices (
    workspace_id uuid        not null,
    completed_by text        not null,
    notice_id    uuid        not null,
    deadline     timestamptz not null,
    created_at   timestamptz not null,
    primary key (workspace_id, completed_by)
);
