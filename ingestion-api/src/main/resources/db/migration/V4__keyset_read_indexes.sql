-- Indexes for the keyset pages of the internal reads, so a page costs its own rows however far
-- into the order it starts.

-- GET /internal/v1/workspaces (and the admin list): oldest first by (created_at, id).
create index workspaces_created_at_id on workspaces (created_at, id);

-- GET /internal/v1/request-stats without workspaceId: by (minute, workspace_id). With a
-- workspaceId the primary key (workspace_id, minute) serves the same order.
create index request_stats_minute_workspace on request_stats (minute, workspace_id);
