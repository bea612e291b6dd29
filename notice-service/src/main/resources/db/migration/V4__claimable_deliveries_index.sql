-- The delivery workers claim due rows in next_attempt_at order (DeliveryOutbox.CLAIM). A notice to
-- 10,000 workspaces leaves tens of thousands of SENT rows behind; a partial index of the rows that
-- can still be claimed keeps each claim to the rows it takes. It replaces the (status,
-- next_attempt_at) index, which every delivery paid for on insert and on each status change.
create index deliveries_claimable_idx on deliveries (next_attempt_at)
    where status in ('PENDING', 'SENDING');

drop index deliveries_due_idx;
