-- +goose Up
-- Families join the registry themselves (issue 17, docs/registry.md
-- "Onboarding"): a submission of the public form, verified by email (a
-- link or a typed code, both stored only as SHA-256 hashes), then decided
-- by a registry manager. Unverified submissions are purged after 7 days,
-- decided ones 30 days after the decision (the trail keeps the decision).
CREATE TABLE registry_onboarding (
    id                    INTEGER PRIMARY KEY,
    registry_id           INTEGER NOT NULL REFERENCES registries (id),
    -- the person
    email                 TEXT NOT NULL, -- lower-case
    first_name            TEXT NOT NULL,
    surname               TEXT NOT NULL,
    phone                 TEXT NOT NULL DEFAULT '',
    address               TEXT NOT NULL DEFAULT '',
    postcode              TEXT NOT NULL DEFAULT '',
    preferred_language    TEXT NOT NULL DEFAULT '',
    preferred_channel     TEXT NOT NULL DEFAULT '' CHECK (preferred_channel IN ('', 'email', 'sms', 'letter')),
    relationship          TEXT NOT NULL CHECK (relationship IN ('mother', 'father', 'guardian', 'carer', 'sibling', 'other')),
    legal_authority       BOOLEAN NOT NULL DEFAULT FALSE,
    -- the patient
    patient_first_name    TEXT NOT NULL,
    patient_surname       TEXT NOT NULL,
    patient_date_of_birth date NOT NULL,
    patient_sex           INTEGER NOT NULL CHECK (patient_sex IN (0, 1, 2, 9)),
    patient_nhs_number    TEXT,
    patient_postcode      TEXT NOT NULL DEFAULT '',
    -- consent, to the version the form showed
    consent_version_id    INTEGER NOT NULL REFERENCES registry_consent_versions (id),
    take_part             BOOLEAN NOT NULL,
    research_contact      BOOLEAN NOT NULL,
    share_deidentified    BOOLEAN NOT NULL,
    -- verification
    token_hash            TEXT NOT NULL, -- hex SHA-256 of the link's token
    code_hash             TEXT NOT NULL, -- hex SHA-256 of the typed code, keyed by the submission
    code_failures         INTEGER NOT NULL DEFAULT 0,
    expires_at            TIMESTAMP NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    verified_at           TIMESTAMP,
    -- the decision
    status                TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'approved', 'rejected', 'matched')),
    decided_at            TIMESTAMP,
    decided_by            INTEGER REFERENCES users (id),
    decision_reason       TEXT NOT NULL DEFAULT '',
    patient_id            INTEGER REFERENCES registry_patients (id) ON DELETE SET NULL, -- approved or matched to
    contact_id            INTEGER REFERENCES registry_contacts (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX registry_onboarding_token_key ON registry_onboarding (token_hash);
CREATE INDEX registry_onboarding_queue_idx ON registry_onboarding (registry_id, status, id);
CREATE INDEX registry_onboarding_email_idx ON registry_onboarding (registry_id, email);

-- +goose Down
DROP TABLE registry_onboarding;
