-- The private link of each workspace's status page (issue 13): only the SHA-256 of the link's
-- token is kept (hex), so reading the database does not open anyone's page. Rotating the link
-- replaces the row; the old token then matches nothing.
create table status_links (
    workspace_id uuid        primary key,
    token_sha256 text        not null unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz not null,
    created_by   text        not null
);
