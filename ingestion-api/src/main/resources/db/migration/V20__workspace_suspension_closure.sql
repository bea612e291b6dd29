-- Suspension (Terms of Service §2.3: "suspend ... upon written notice") and closure of a workspace.
-- Numbered V20 so that it never collides with the retention work's V6/V7.

-- The two columns the Tracking API's write-key lookup reads (one join it already makes): set while
-- a suspension is in effect, and once the workspace is closed.
alter table workspaces
    add column suspended_at    timestamptz,
    add column closed_at       timestamptz,
    -- The closure notice (notice-service's id) and when the closure job erased the data.
    add column closure_notice_id uuid,
    add column data_erased_at  timestamptz;

-- Every suspension ever asked for, kept as the record of what the customer was told and when.
-- PENDING_NOTICE: asked for, the written notice not yet delivered (the keys still work);
-- ACTIVE: in effect since effective_at; LIFTED: ended at lifted_at (effective_at null when it was
-- lifted before it took effect).
create table workspace_suspensions (
    id               uuid        primary key,
    workspace_id     uuid        not null references workspaces (id),
    reason           text        not null check (length(reason) between 1 and 2000),
    status           text        not null check (status in ('PENDING_NOTICE', 'ACTIVE', 'LIFTED')),
    requested_at     timestamptz not null,
    -- notice-service's SUSPENSION notice; null until it accepted the creation (the job retries
    -- with the same Idempotency-Key, so a retry never sends a second notice).
    notice_id        uuid,
    effective_at     timestamptz,
    lifted_at        timestamptz,
    lift_reason      text        check (length(lift_reason) <= 2000),
    -- The SUSPENSION_LIFTED notice; null until notice-service accepted it.
    lift_notice_id   uuid,
    check ((status = 'ACTIVE') = (effective_at is not null and lifted_at is null)),
    check ((status = 'LIFTED') = (lifted_at is not null))
);
-- At most one open suspension per workspace, whichever replica is asked: the database decides.
create unique index workspace_suspensions_one_open on workspace_suspensions (workspace_id)
    where status in ('PENDING_NOTICE', 'ACTIVE');
-- The job's work: pending suspensions and lifts whose notice is still to be created.
create index workspace_suspensions_to_do on workspace_suspensions (requested_at)
    where status = 'PENDING_NOTICE' or (status = 'LIFTED' and lift_notice_id is null);
create index workspace_suspensions_workspace on workspace_suspensions (workspace_id, requested_at);
-- The workspaces every replica watches to forget its cached write keys (SuspensionWatch).
create index workspaces_blocked on workspaces (id)
    where suspended_at is not null or closed_at is not null;
