-- End-user deletion and suppression (issue 12), the shape of Segment's regulations API. README
-- "Regulations" explains the design; RegulationJob does the deleting, SuppressionWatch the
-- suppressing.

-- One row per regulation asked for, kept as the proof of the deletion: when, how many, who asked.
-- The subjects' ids are kept in the clear only while the work needs them: a DELETE's ids until it
-- has FINISHED (or FAILED), a suppression's never (suppressed_subjects holds their keyed hashes).
create table regulations (
    id              uuid        primary key,
    workspace_id    uuid        not null references workspaces (id),
    regulation_type text        not null
        check (regulation_type in ('SUPPRESS_WITH_DELETE', 'DELETE_ONLY', 'SUPPRESS_ONLY', 'UNSUPPRESS')),
    subject_type    text        not null check (subject_type in ('USER_ID', 'ANONYMOUS_ID')),
    subject_count   integer     not null check (subject_count > 0),
    subject_ids     text[],
    status          text        not null check (status in ('INITIALIZED', 'RUNNING', 'FINISHED', 'FAILED')),
    requested_by    text        check (length(requested_by) <= 200),
    requested_at    timestamptz not null,
    -- Privacy Notice: a deletion "may take up to 30 days"; past this it is overdue (a metric, an alert).
    deadline_at     timestamptz not null,
    started_at      timestamptz,
    finished_at     timestamptz,
    events_deleted  bigint      not null default 0,
    attempts        integer     not null default 0,
    last_error      text,
    -- The replica working on it until lease_until; another one takes over once the lease expired.
    lease_owner     uuid,
    lease_until     timestamptz,
    check ((status in ('FINISHED', 'FAILED')) = (finished_at is not null)),
    check (status not in ('FINISHED', 'FAILED') or subject_ids is null)
);
create index regulations_workspace on regulations (workspace_id, requested_at desc, id);
-- The job's work and the overdue gauge: the regulations not done yet.
create index regulations_open on regulations (requested_at) where status in ('INITIALIZED', 'RUNNING');

-- The suppressed subjects, as keyed hashes (HMAC-SHA256 of the subject type and id with
-- tributary.regulations.hash-key): enough to recognise a subject's new events, not to name it.
create table suppressed_subjects (
    workspace_id  uuid        not null references workspaces (id),
    subject_hash  bytea       not null,
    regulation_id uuid        not null references regulations (id),
    suppressed_at timestamptz not null,
    primary key (workspace_id, subject_hash)
);

-- Bumped in every transaction that changes suppressed_subjects: each replica reads this one row
-- every tributary.regulations.poll and reloads the (small) set only when it changed.
create table suppression_version (
    only_row boolean primary key default true check (only_row),
    version  bigint  not null
);
insert into suppression_version values (true, 0);

-- The deletion's lookups are indexes on (workspace_id, (payload ->> 'userId')) and the same for
-- 'anonymousId' on each past day's partition, built by RegulationJob once the day has ended; the
-- current day's partition has none, so the hot insert maintains no index for them. README
-- "Regulations" has the measurements.

-- Events of suppressed subjects: acknowledged (200, as Segment does) and not stored.
alter table request_stats add column events_suppressed bigint not null default 0;
