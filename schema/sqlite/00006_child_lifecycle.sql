-- +goose Up
-- The life of a child's record after it is added (spec §11.2–§11.4):
-- transfers of the lead site between organisations, opt-out and deletion.

-- An opted-out child (§11.2) keeps its row, audit ID and lead organisation,
-- so it still counts in the audit's totals; everything else about them is
-- removed. opted_out_at marks the row; the person who did it is updated_by
-- (no write can follow an opt-out).
ALTER TABLE children ADD COLUMN opted_out_at TIMESTAMP;
-- Soft-deleted children (deleted_at, already in 00004) are purged 30 days on.
CREATE INDEX children_deleted_idx ON children (deleted_at) WHERE deleted_at IS NOT NULL;

-- Every request to move a child's lead site to another organisation (§11.4),
-- pending or answered: the accepted ones are the child's previous lead sites.
-- The child's lead organisation (children.lead_organisation_id) changes only
-- when the receiving organisation accepts.
CREATE TABLE child_transfers (
    id                   INTEGER PRIMARY KEY,
    child_id             INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    from_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    to_organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'cancelled')),
    requested_at         TIMESTAMP NOT NULL,
    requested_by         INTEGER REFERENCES users (id),
    responded_at         TIMESTAMP,  -- accepted, rejected or cancelled
    responded_by         INTEGER REFERENCES users (id),
    CHECK (from_organisation_id <> to_organisation_id),
    CHECK ((status = 'pending') = (responded_at IS NULL))
);
-- One pending transfer per child: a second request is a conflict.
CREATE UNIQUE INDEX child_transfers_pending_key ON child_transfers (child_id) WHERE status = 'pending';
CREATE INDEX child_transfers_child_idx ON child_transfers (child_id, requested_at);
CREATE INDEX child_transfers_to_pending_idx ON child_transfers (to_organisation_id) WHERE status = 'pending';
CREATE INDEX child_transfers_from_pending_idx ON child_transfers (from_organisation_id) WHERE status = 'pending';

-- +goose Down
DROP TABLE child_transfers;
DROP INDEX children_deleted_idx;
ALTER TABLE children DROP COLUMN opted_out_at;
