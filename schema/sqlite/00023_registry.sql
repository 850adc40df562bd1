-- +goose NO TRANSACTION
-- +goose Up
-- The patient registry (issue 16, docs/registry.md): registries hosted beside
-- the audit, their patients with genetic findings, the contacts linked to
-- them (parents, guardians, carers, clinicians) and those links. What is
-- particular to one registry (its name, diagnosis and genetic choices,
-- consent text) is data: registries.definition, written from
-- app/registry's embedded definition at start-up.
--
-- Two roles for the registry's staff. Like the national roles they belong to
-- no organisation: a registry is one programme, not a trust's. SQLite cannot
-- change a CHECK constraint, so users is rebuilt (the 12 steps of SQLite's
-- ALTER TABLE page, https://sqlite.org/lang_altertable.html#otheralter):
-- foreign keys off, which only works outside a transaction, then the
-- rebuild in one transaction of its own, so a failure leaves the old table
-- (litestore rolls it back and turns foreign keys on again when a migration
-- fails). Before committing, every foreign key of the database is checked:
-- the check inserts the number of broken references into a temporary table
-- whose CHECK refuses anything but 0, failing the migration by name. users
-- has one index and no triggers or views; the index is recreated. The
-- writer is one connection, so the pragmas and the transaction share it.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_new (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE, -- stored lower-case
    first_name        TEXT NOT NULL,
    surname           TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('national_full', 'national_edit', 'national_view',
                                                    'lead_clinician', 'clinician', 'administrator',
                                                    'registry_manager', 'registry_viewer')),
    organisation_id   INTEGER REFERENCES organisations (id),
    is_superuser      BOOLEAN NOT NULL DEFAULT FALSE,
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    email_confirmed   BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash     TEXT,      -- NULL until the owner sets one
    password_set_at   TIMESTAMP,
    totp_secret       TEXT,      -- set at enrolment, confirmed by a first code
    totp_confirmed_at TIMESTAMP,
    totp_last_step    INTEGER NOT NULL DEFAULT 0, -- refuses a code used twice
    two_factor_exempt BOOLEAN NOT NULL DEFAULT FALSE, -- demo accounts only
    last_sign_in_at   TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    -- National and registry roles belong to no organisation; everyone else to exactly one.
    CHECK ((role IN ('national_full', 'national_edit', 'national_view', 'registry_manager', 'registry_viewer')) = (organisation_id IS NULL))
);
INSERT INTO users_new (id, email, first_name, surname, role, organisation_id, is_superuser, is_active, email_confirmed, password_hash, password_set_at, totp_secret, totp_confirmed_at, totp_last_step, two_factor_exempt, last_sign_in_at, created_at, updated_at)
    SELECT id, email, first_name, surname, role, organisation_id, is_superuser, is_active, email_confirmed, password_hash, password_set_at, totp_secret, totp_confirmed_at, totp_last_step, two_factor_exempt, last_sign_in_at, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE registries (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL,  -- in addresses: "rett"
    name       TEXT NOT NULL,
    definition TEXT NOT NULL,  -- JSON: app/registry.Definition
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX registries_slug_key ON registries (slug);

-- Patients. Identity and diagnosis in one row; soft-deleted rows
-- (deleted_at) are restorable for 30 days, then purged with everything
-- that hangs off them.
CREATE TABLE registry_patients (
    id                     INTEGER PRIMARY KEY,
    registry_id            INTEGER NOT NULL REFERENCES registries (id),
    registry_ref           TEXT NOT NULL,  -- "R" and 7 Crockford base32 characters
    first_name             TEXT NOT NULL,
    surname                TEXT NOT NULL,
    date_of_birth          date NOT NULL,
    sex                    INTEGER NOT NULL CHECK (sex IN (0, 1, 2, 9)), -- SEX_TYPE, as the audit
    nhs_number             TEXT,           -- optional; 10 digits when given
    postcode               TEXT NOT NULL DEFAULT '', -- compact; '' not given
    diagnosis_date         date,
    diagnosis_confirmation TEXT NOT NULL DEFAULT '', -- a code of the definition's list
    clinical_status        TEXT NOT NULL DEFAULT '', -- a code of the definition's list
    date_of_death          date,
    notes                  TEXT NOT NULL DEFAULT '',
    created_at             TIMESTAMP NOT NULL,
    created_by             INTEGER REFERENCES users (id), -- NULL: the command line
    updated_at             TIMESTAMP NOT NULL,
    updated_by             INTEGER REFERENCES users (id),
    version                INTEGER NOT NULL DEFAULT 1,    -- bumped by every write
    deleted_at             TIMESTAMP,
    deleted_by             INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX registry_patients_registry_ref_key ON registry_patients (registry_ref);
-- One patient per NHS number in a registry (a deleted one included: restore it).
CREATE UNIQUE INDEX registry_patients_nhs_number_key ON registry_patients (registry_id, nhs_number);
CREATE INDEX registry_patients_name_idx ON registry_patients (registry_id, lower(surname), lower(first_name));
CREATE INDEX registry_patients_deleted_idx ON registry_patients (deleted_at) WHERE deleted_at IS NOT NULL;

-- A patient's genetic findings: several per patient (a pathogenic variant
-- and a variant of uncertain significance, say). Removed outright: the
-- trail keeps what they said.
CREATE TABLE registry_findings (
    id             INTEGER PRIMARY KEY,
    patient_id     INTEGER NOT NULL REFERENCES registry_patients (id) ON DELETE CASCADE,
    gene           TEXT NOT NULL,            -- a gene of the definition's list
    variant        TEXT NOT NULL,            -- HGVS: "c.473C>T"
    classification TEXT NOT NULL DEFAULT '', -- a code of the definition's list
    source_report  TEXT NOT NULL DEFAULT '', -- lab and report reference
    confirmed_by   TEXT NOT NULL DEFAULT '', -- who confirmed it (a clinical geneticist)
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    updated_by     INTEGER REFERENCES users (id),
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX registry_findings_patient_idx ON registry_findings (patient_id, id);

-- Contacts: people linked to patients. needs_review flags one linked to
-- nobody any more (a patient deleted, a link ended) for staff to decide on.
CREATE TABLE registry_contacts (
    id                 INTEGER PRIMARY KEY,
    registry_id        INTEGER NOT NULL REFERENCES registries (id),
    first_name         TEXT NOT NULL,
    surname            TEXT NOT NULL,
    email              TEXT NOT NULL DEFAULT '', -- lower-case
    phone              TEXT NOT NULL DEFAULT '', -- digits, "+44" form
    address            TEXT NOT NULL DEFAULT '', -- lines, without the postcode
    postcode           TEXT NOT NULL DEFAULT '',
    preferred_language TEXT NOT NULL DEFAULT '',
    preferred_channel  TEXT NOT NULL DEFAULT '' CHECK (preferred_channel IN ('', 'email', 'sms', 'letter')),
    may_contact        BOOLEAN NOT NULL DEFAULT TRUE,
    needs_review       BOOLEAN NOT NULL DEFAULT FALSE,
    notes              TEXT NOT NULL DEFAULT '',
    merged_into_id     INTEGER REFERENCES registry_contacts (id), -- set when merged away
    created_at         TIMESTAMP NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    updated_at         TIMESTAMP NOT NULL,
    updated_by         INTEGER REFERENCES users (id),
    version            INTEGER NOT NULL DEFAULT 1,
    deleted_at         TIMESTAMP,
    deleted_by         INTEGER REFERENCES users (id)
);
CREATE INDEX registry_contacts_name_idx ON registry_contacts (registry_id, lower(surname), lower(first_name));
CREATE INDEX registry_contacts_email_idx ON registry_contacts (registry_id, email);
CREATE INDEX registry_contacts_phone_idx ON registry_contacts (registry_id, phone);
CREATE INDEX registry_contacts_deleted_idx ON registry_contacts (deleted_at) WHERE deleted_at IS NOT NULL;

-- A contact's link to a patient. Ended (end_date) rather than removed when
-- it stops; deleted_at for one made by mistake.
CREATE TABLE registry_relationships (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES registry_patients (id) ON DELETE CASCADE,
    contact_id      INTEGER NOT NULL REFERENCES registry_contacts (id) ON DELETE CASCADE,
    type            TEXT NOT NULL CHECK (type IN ('mother', 'father', 'guardian', 'carer', 'clinician', 'sibling', 'other')),
    legal_authority BOOLEAN NOT NULL DEFAULT FALSE, -- parental responsibility, lasting power of attorney
    may_act         BOOLEAN NOT NULL DEFAULT FALSE, -- may act for the patient
    is_primary      BOOLEAN NOT NULL DEFAULT FALSE,
    start_date      date,
    end_date        date,
    created_at      TIMESTAMP NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    updated_at      TIMESTAMP NOT NULL,
    updated_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1,
    deleted_at      TIMESTAMP,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX registry_relationships_patient_idx ON registry_relationships (patient_id);
CREATE INDEX registry_relationships_contact_idx ON registry_relationships (contact_id);

-- The one trail of the registry: a row per changed field of a patient,
-- finding, contact or relationship (who, when, field, old -> new, cause),
-- in the transaction of the change. patient_id and contact_id say whose
-- history page shows it (a relationship's rows show on both). No foreign
-- keys: the purge removes a record's rows with it. version is the
-- record's version after the change, for autosave's per-field conflicts.
CREATE TABLE registry_changes (
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
CREATE INDEX registry_changes_entity_idx ON registry_changes (entity, entity_id, field, id);
CREATE INDEX registry_changes_patient_idx ON registry_changes (patient_id, id) WHERE patient_id IS NOT NULL;
CREATE INDEX registry_changes_contact_idx ON registry_changes (contact_id, id) WHERE contact_id IS NOT NULL;
CREATE TEMP TABLE users_rebuild_check (broken INTEGER CONSTRAINT foreign_keys_intact CHECK (broken = 0));
INSERT INTO users_rebuild_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE users_rebuild_check;
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
-- The same rebuild back. Registry accounts go; if one has left a trace
-- (a session, a sign-in, an audit trail entry) the foreign key check
-- refuses the rollback rather than leave it pointing at nobody.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE registry_changes;
DROP TABLE registry_relationships;
DROP TABLE registry_contacts;
DROP TABLE registry_findings;
DROP TABLE registry_patients;
DROP TABLE registries;
DELETE FROM users WHERE role IN ('registry_manager', 'registry_viewer');
CREATE TABLE users_new (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE, -- stored lower-case
    first_name        TEXT NOT NULL,
    surname           TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('national_full', 'national_edit', 'national_view',
                                                    'lead_clinician', 'clinician', 'administrator')),
    organisation_id   INTEGER REFERENCES organisations (id),
    is_superuser      BOOLEAN NOT NULL DEFAULT FALSE,
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    email_confirmed   BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash     TEXT,      -- NULL until the owner sets one
    password_set_at   TIMESTAMP,
    totp_secret       TEXT,      -- set at enrolment, confirmed by a first code
    totp_confirmed_at TIMESTAMP,
    totp_last_step    INTEGER NOT NULL DEFAULT 0, -- refuses a code used twice
    two_factor_exempt BOOLEAN NOT NULL DEFAULT FALSE, -- demo accounts only
    last_sign_in_at   TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    -- National roles belong to no organisation; everyone else to exactly one.
    CHECK ((role IN ('national_full', 'national_edit', 'national_view')) = (organisation_id IS NULL))
);
INSERT INTO users_new (id, email, first_name, surname, role, organisation_id, is_superuser, is_active, email_confirmed, password_hash, password_set_at, totp_secret, totp_confirmed_at, totp_last_step, two_factor_exempt, last_sign_in_at, created_at, updated_at)
    SELECT id, email, first_name, surname, role, organisation_id, is_superuser, is_active, email_confirmed, password_hash, password_set_at, totp_secret, totp_confirmed_at, totp_last_step, two_factor_exempt, last_sign_in_at, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_organisation_idx ON users (organisation_id);
CREATE TEMP TABLE users_rebuild_check (broken INTEGER CONSTRAINT foreign_keys_intact CHECK (broken = 0));
INSERT INTO users_rebuild_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE users_rebuild_check;
COMMIT;
PRAGMA foreign_keys = ON;
