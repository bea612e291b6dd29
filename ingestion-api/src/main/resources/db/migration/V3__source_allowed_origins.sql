-- The web origins browsers may send with a source's write key (a website's key is public).
-- Null: any origin, as at Segment. Stored normalised: scheme://host[:port], or scheme://*.domain.
alter table sources add column allowed_origins text[];
