-- notice-service: the notices the customer agreement promises, the audience each was sent to
-- (snapshotted at creation, so evidence never changes afterwards) and one outbox row per message.

create table notices (
    id                  uuid        primary key,
    kind                text        not null,
    created_at          timestamptz not null,
    -- Idempotency-Key of the creating request and the SHA-256 of its body: the same key with the
    -- same body answers this notice again, with another body 409.
    idempotency_key     text,
    request_sha256      text,
    -- The audience as requested ({"type": "ALL" | "WORKSPACES" | "CREATED_BEFORE", ...}).
    audience            jsonb       not null,
    -- Channels the deliveries were created for, comma-separated (of the kind's allowed channels).
    channels            text        not null,
    -- TERMS_UPDATE
    document            text,
    version             text,
    url                 text,
    summary             text,
    effective_at        timestamptz,
    material            boolean,
    legal_change        boolean,
    -- MAINTENANCE, MAINTENANCE_RESCHEDULED, MAINTENANCE_CANCELLED
    window_start        timestamptz,
    window_end          timestamptz,
    description         text,
    related_notice_id   uuid references notices (id),
    -- SLA §3: three Pacific business days of notice; a shorter notice is still sent, marked here.
    lead_time_required_business_days integer,
    lead_time_met       boolean,
    -- SLA_MISS, TERMINATION_RIGHT: the calendar month (YYYY-MM) and free details
    month               text,
    extra               jsonb,
    -- GENERAL
    subject             text,
    body                text,
    constraint notices_kind_check check (kind in ('TERMS_UPDATE', 'API_CHANGE', 'MAINTENANCE',
        'MAINTENANCE_RESCHEDULED', 'MAINTENANCE_CANCELLED', 'SLA_MISS', 'TERMINATION_RIGHT',
        'GENERAL')),
    constraint notices_idempotency_key_unique unique (idempotency_key),
    constraint notices_channels_check check (channels ~ '^(EMAIL|SMS)(,(EMAIL|SMS))?$'),
    constraint notices_window_check check (window_end is null or window_end > window_start),
    constraint notices_month_check check (month is null or month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);

create index notices_created_at_idx on notices (created_at desc);

-- The audience snapshot: who the notice was for, as ingestion-api described them at creation.
create table notice_recipients (
    notice_id            uuid        not null references notices (id),
    workspace_id         uuid        not null,
    workspace_name       text        not null,
    time_zone            text        not null,
    workspace_created_at timestamptz not null,
    primary key (notice_id, workspace_id)
);

create index notice_recipients_workspace_idx on notice_recipients (workspace_id);

-- The transactional outbox: one row per (notice, workspace, channel, address), created in the
-- notice's transaction. Workers claim due rows with
--   select ... where status = 'PENDING' and next_attempt_at <= now()
--   order by next_attempt_at for update skip locked limit n
-- so replicas never send the same delivery twice and a crash never loses one.
create table deliveries (
    id                  uuid        primary key,
    notice_id           uuid        not null,
    workspace_id        uuid        not null,
    contact_name        text,
    channel             text        not null,
    address             text        not null,
    status              text        not null,
    attempts            integer     not null default 0,
    next_attempt_at     timestamptz not null,
    last_error          text,
    -- Evidence, written once when the provider accepts the message.
    provider_message_id text,
    accepted_at         timestamptz,
    content_sha256      text,
    created_at          timestamptz not null,
    constraint deliveries_recipient_fk foreign key (notice_id, workspace_id)
        references notice_recipients (notice_id, workspace_id),
    constraint deliveries_channel_check check (channel in ('EMAIL', 'SMS')),
    constraint deliveries_status_check check (status in ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    constraint deliveries_attempts_check check (attempts >= 0),
    constraint deliveries_unique_message unique (notice_id, workspace_id, channel, address)
);

create index deliveries_due_idx on deliveries (status, next_attempt_at);
create index deliveries_workspace_idx on deliveries (workspace_id);
