-- +goose Up
-- The record-view log (docs/security.md): one row each time a signed-in
-- user opens a page of a child's record, for access audits (NHS Data
-- Security and Protection Toolkit). Kept for --record-view-retention (the
-- record_views_purge job). child_id has no foreign key and audit_id is
-- copied: the log outlives a child purged or opted out, which is when an
-- access audit may need it most.
CREATE TABLE record_views (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    child_id  INTEGER NOT NULL,
    audit_id  TEXT NOT NULL,
    route     TEXT NOT NULL,              -- the path, ids only (never a query string)
    viewed_at TIMESTAMP NOT NULL
);
CREATE INDEX record_views_viewed_idx ON record_views (viewed_at);
CREATE INDEX record_views_user_idx ON record_views (user_id, id);
CREATE INDEX record_views_audit_idx ON record_views (audit_id, id);

-- +goose Down
DROP TABLE record_views;
