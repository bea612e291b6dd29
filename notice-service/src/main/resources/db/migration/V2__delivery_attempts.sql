-- The delivery workers: a claimed delivery is SENDING until locked_until; a worker that dies
-- mid-send loses its lease and another worker claims the row again once locked_until has passed.
alter table deliveries add column locked_until timestamptz;

-- Evidence of every attempt, append-only: rows are inserted once and never updated, so what was
-- sent to whom, through which provider and when stays as it was recorded.
create table delivery_attempts (
    delivery_id         uuid        not null references deliveries (id),
    attempt             integer     not null,
    started_at          timestamptz not null,
    finished_at         timestamptz not null,
    outcome             text        not null,
    provider            text,
    provider_message_id text,
    accepted_at         timestamptz,
    -- SHA-256 (hex) of the exact rendered content sent; see NoticeRenderer.Rendered#sha256.
    content_sha256      text,
    error               text,
    primary key (delivery_id, attempt),
    constraint delivery_attempts_outcome_check check (outcome in ('SENT', 'RETRY', 'FAILED')),
    constraint delivery_attempts_provider_check
        check (provider is null or provider in ('smtp-primary', 'smtp-secondary', 'sms')),
    constraint delivery_attempts_sent_check
        check (outcome <> 'SENT' or (provider is not null and accepted_at is not null
            and content_sha256 is not null))
);

-- Evidence is never changed in place.
create function delivery_attempts_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'delivery_attempts is append-only';
end;
$$;

create trigger delivery_attempts_no_update before update or delete on delivery_attempts
    for each row execute function delivery_attempts_append_only();
