-- +goose Up
-- Carers invited by a family (issue 17): a single-use link emailed to the
-- invitee, stored hashed, who joins as a contact with a relationship to the
-- patient and a family account. And the family account as an author in the
-- registry's trail (changed_by stays the staff author; one of them or
-- neither, the command line, is set).

CREATE TABLE family_invitations (
    id                  INTEGER PRIMARY KEY,
    token_hash          TEXT NOT NULL,
    registry_id         INTEGER NOT NULL REFERENCES registries (id),
    patient_id          INTEGER NOT NULL REFERENCES registry_patients (id) ON DELETE CASCADE,
    invited_by          INTEGER NOT NULL REFERENCES family_accounts (id) ON DELETE CASCADE,
    email               TEXT NOT NULL, -- lower-case
    relationship_type   TEXT NOT NULL CHECK (relationship_type IN ('mother', 'father', 'guardian', 'carer', 'sibling', 'other')),
    legal_authority     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMP NOT NULL,
    expires_at          TIMESTAMP NOT NULL,
    used_at             TIMESTAMP,
    accepted_account_id INTEGER REFERENCES family_accounts (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX family_invitations_token_key ON family_invitations (token_hash);
CREATE INDEX family_invitations_patient_idx ON family_invitations (patient_id, id);

-- No foreign key, like the trail's other ids: the trail outlives nothing it
-- names (the purge), and an account gone leaves its rows without a name.
ALTER TABLE registry_changes ADD COLUMN changed_by_family INTEGER;

-- +goose Down
ALTER TABLE registry_changes DROP COLUMN changed_by_family;
DROP TABLE family_invitations;
