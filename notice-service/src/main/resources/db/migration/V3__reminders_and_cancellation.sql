-- Maintenance reminders: a second delivery per (notice, workspace, channel, address), due 24 h
-- (tributary.notice.reminder.lead) before the window starts, written in the notice's transaction.
-- A cancellation (or a rescheduling) of the maintenance cancels its still-PENDING reminders.
alter table deliveries add column stage text not null default 'NOTICE';
alter table deliveries add constraint deliveries_stage_check check (stage in ('NOTICE', 'REMINDER'));

alter table deliveries drop constraint deliveries_unique_message;
alter table deliveries add constraint deliveries_unique_message
    unique (notice_id, workspace_id, channel, address, stage);

alter table deliveries drop constraint deliveries_status_check;
alter table deliveries add constraint deliveries_status_check
    check (status in ('PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED'));

create index deliveries_reminders_idx on deliveries (notice_id) where stage = 'REMINDER';
