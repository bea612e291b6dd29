-- Customer workspaces and the one workspace of the sla-evaluator's probe sources, so probe events
-- are recognisable and never mixed into customer data (no notices, no SLA reports).
alter table workspaces
    add column kind text not null default 'CUSTOMER' check (kind in ('CUSTOMER', 'PROBE'));

-- At most one probe workspace ("Tributary probes"), however many replicas ensure it at once.
create unique index workspaces_one_probe on workspaces (kind) where kind = 'PROBE';
