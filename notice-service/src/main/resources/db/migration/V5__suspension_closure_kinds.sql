-- The written notices of a workspace's suspension (Terms of Service §2.3), its lifting and the
-- account's closure.
alter table notices drop constraint notices_kind_check;
alter table notices add constraint notices_kind_check check (kind in ('TERMS_UPDATE', 'API_CHANGE',
    'MAINTENANCE', 'MAINTENANCE_RESCHEDULED', 'MAINTENANCE_CANCELLED', 'SLA_MISS',
    'TERMINATION_RIGHT', 'GENERAL', 'SUSPENSION', 'SUSPENSION_LIFTED', 'CLOSURE'));
