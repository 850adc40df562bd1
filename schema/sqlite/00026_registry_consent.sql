-- +goose Up
-- Consent in the patient registry (issue 17, docs/registry.md "Consent
-- versions", "Withdrawal policy"): the registry's consent text as numbered
-- versions (old ones kept), each patient's consent statements (who gave
-- them, when, to which version, what was agreed, withdrawals), and the
-- registry's settings for families joining and withdrawing.

-- A published consent text. Never changed or removed: a consent points at
-- the words the family agreed to.
CREATE TABLE registry_consent_versions (
    id           INTEGER PRIMARY KEY,
    registry_id  INTEGER NOT NULL REFERENCES registries (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    text         TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by INTEGER REFERENCES users (id) -- NULL: the first, from the definition
);
CREATE UNIQUE INDEX registry_consent_versions_key ON registry_consent_versions (registry_id, version);

-- A patient's consent, one row per statement, never updated: the latest row
-- is the consent in force, earlier rows its history. A withdrawal is a row
-- too (kind 'withdrawal'), with the parts still agreed and how it came.
CREATE TABLE registry_consents (
    id                 INTEGER PRIMARY KEY,
    patient_id         INTEGER NOT NULL REFERENCES registry_patients (id) ON DELETE CASCADE,
    contact_id         INTEGER REFERENCES registry_contacts (id) ON DELETE SET NULL, -- who gave it; NULL: staff on the patient's own word
    version_id         INTEGER NOT NULL REFERENCES registry_consent_versions (id),
    kind               TEXT NOT NULL CHECK (kind IN ('given', 'withdrawal')),
    take_part          BOOLEAN NOT NULL,
    research_contact   BOOLEAN NOT NULL,
    share_deidentified BOOLEAN NOT NULL,
    given_at           TIMESTAMP NOT NULL,
    recorded_by        INTEGER REFERENCES users (id), -- staff who recorded it; NULL: the family themselves
    withdrawn_at       TIMESTAMP,  -- a withdrawal: when it was received
    withdrawn_by       TEXT NOT NULL DEFAULT '', -- a withdrawal: who asked (name as told)
    withdrawn_how      TEXT NOT NULL DEFAULT '' CHECK (withdrawn_how IN ('', 'online', 'post', 'email', 'phone', 'in_person')),
    delete_due_at      TIMESTAMP,  -- withdrawal policy "delete": when the patient is deleted
    CHECK ((kind = 'withdrawal') = (withdrawn_at IS NOT NULL))
);
CREATE INDEX registry_consents_patient_idx ON registry_consents (patient_id, id);
CREATE INDEX registry_consents_due_idx ON registry_consents (delete_due_at) WHERE delete_due_at IS NOT NULL;

-- A registry's settings; a registry without a row has the defaults.
CREATE TABLE registry_settings (
    registry_id                  INTEGER PRIMARY KEY REFERENCES registries (id),
    verification_hours           INTEGER NOT NULL DEFAULT 24 CHECK (verification_hours BETWEEN 1 AND 168),
    withdrawal_policy            TEXT NOT NULL DEFAULT 'keep' CHECK (withdrawal_policy IN ('keep', 'deidentify', 'delete')),
    withdrawal_delete_after_days INTEGER NOT NULL DEFAULT 30 CHECK (withdrawal_delete_after_days BETWEEN 0 AND 3650),
    family_second_factor         TEXT NOT NULL DEFAULT 'optional' CHECK (family_second_factor IN ('optional', 'required')),
    updated_at                   TIMESTAMP NOT NULL,
    updated_by                   INTEGER REFERENCES users (id)
);

-- The trail records onboarding decisions, consents and settings too.
-- SQLite cannot change a CHECK constraint, so registry_changes is rebuilt
-- (nothing references it, so foreign keys may stay on).
CREATE TABLE registry_changes_new (
    id          INTEGER PRIMARY KEY,
    registry_id INTEGER NOT NULL REFERENCES registries (id),
    entity      TEXT NOT NULL CHECK (entity IN ('patient', 'finding', 'contact', 'relationship', 'submission', 'consent', 'consent_version', 'settings')),
    entity_id   INTEGER NOT NULL,
    patient_id  INTEGER,
    contact_id  INTEGER,
    field       TEXT NOT NULL,
    old_value   TEXT,  -- NULL: not set before
    new_value   TEXT,  -- NULL: not set after
    version     INTEGER NOT NULL,
    cause       TEXT NOT NULL CHECK (cause IN ('form', 'import', 'merge', 'deletion', 'restore', 'job', 'onboarding', 'consent', 'withdrawal', 'family')),
    note        TEXT NOT NULL DEFAULT '',
    changed_at  TIMESTAMP NOT NULL,
    changed_by  INTEGER REFERENCES users (id),
    request_id  TEXT NOT NULL DEFAULT ''
);
INSERT INTO registry_changes_new SELECT id, registry_id, entity, entity_id, patient_id, contact_id, field, old_value,
    new_value, version, cause, note, changed_at, changed_by, request_id FROM registry_changes;
DROP TABLE registry_changes;
ALTER TABLE registry_changes_new RENAME TO registry_changes;
CREATE INDEX registry_changes_entity_idx ON registry_changes (entity, entity_id, field, id);
CREATE INDEX registry_changes_patient_idx ON registry_changes (patient_id, id) WHERE patient_id IS NOT NULL;
CREATE INDEX registry_changes_contact_idx ON registry_changes (contact_id, id) WHERE contact_id IS NOT NULL;

-- +goose Down
DELETE FROM registry_changes WHERE entity IN ('submission', 'consent', 'consent_version', 'settings')
    OR cause IN ('onboarding', 'consent', 'withdrawal', 'family');
CREATE TABLE registry_changes_new (
    id          INTEGER PRIMARY KEY,
    registry_id INTEGER NOT NULL REFERENCES registries (id),
    entity      TEXT NOT NULL CHECK (entity IN ('patient', 'finding', 'contact', 'relationship')),
    entity_id   INTEGER NOT NULL,
    patient_id  INTEGER,
    contact_id  INTEGER,
    field       TEXT NOT NULL,
    old_value   TEXT,  -- NULL: not set before
    new_value   TEXT,  -- NULL: not set after
    version     INTEGER NOT NULL,
    cause       TEXT NOT NULL CHECK (cause IN ('form', 'import', 'merge', 'deletion', 'restore', 'job')),
    note        TEXT NOT NULL DEFAULT '',
    changed_at  TIMESTAMP NOT NULL,
    changed_by  INTEGER REFERENCES users (id),
    request_id  TEXT NOT NULL DEFAULT ''
);
INSERT INTO registry_changes_new SELECT id, registry_id, entity, entity_id, patient_id, contact_id, field, old_value,
    new_value, version, cause, note, changed_at, changed_by, request_id FROM registry_changes;
DROP TABLE registry_changes;
ALTER TABLE registry_changes_new RENAME TO registry_changes;
CREATE INDEX registry_changes_entity_idx ON registry_changes (entity, entity_id, field, id);
CREATE INDEX registry_changes_patient_idx ON registry_changes (patient_id, id) WHERE patient_id IS NOT NULL;
CREATE INDEX registry_changes_contact_idx ON registry_changes (contact_id, id) WHERE contact_id IS NOT NULL;
DROP TABLE registry_settings;
DROP TABLE registry_consents;
DROP TABLE registry_consent_versions;
