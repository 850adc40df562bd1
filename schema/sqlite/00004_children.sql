-- +goose Up
-- Children (Epilepsy12's Case, spec §2.1) with their lead organisation (the
-- lead Site of §2.2) and their registration (§2.3) folded in: one row each.
-- Demographics are nullable because an opt-out (§11.2) blanks them; the
-- application requires them on every create and edit.
CREATE TABLE children (
    id                               INTEGER PRIMARY KEY,
    -- "C" and 7 characters of Crockford base32: short, stable, searchable,
    -- and not derived from anything about the child.
    audit_id                         TEXT NOT NULL,
    nhs_number                       TEXT,    -- 10 digits; NULL in Jersey (and after an opt-out)
    unique_reference_number          TEXT,    -- Jersey only; NULL elsewhere
    first_name                       TEXT,
    surname                          TEXT,
    date_of_birth                    date,
    sex                              INTEGER CHECK (sex IN (0, 1, 2, 9)), -- SEX_TYPE
    postcode                         TEXT,    -- compact: upper-case, no spaces
    ethnicity                        TEXT,    -- ETHNICITIES code
    lead_organisation_id             INTEGER NOT NULL REFERENCES organisations (id),
    first_paediatric_assessment_date date,
    eligibility_confirmed            BOOLEAN NOT NULL DEFAULT FALSE,
    cohort                           INTEGER, -- derived from the first paediatric assessment date
    registered_at                    TIMESTAMP,
    registered_by                    INTEGER REFERENCES users (id),
    locked_at                        TIMESTAMP,
    locked_by                        INTEGER REFERENCES users (id),
    created_at                       TIMESTAMP NOT NULL,
    created_by                       INTEGER REFERENCES users (id), -- NULL: the command line (demo data)
    updated_at                       TIMESTAMP NOT NULL,
    updated_by                       INTEGER REFERENCES users (id),
    version                          INTEGER NOT NULL DEFAULT 1, -- bumped by every write, for stale-edit checks
    deleted_at                       TIMESTAMP,
    CHECK ((registered_at IS NULL) = (cohort IS NULL))
);
-- Unique constraints are named after their column: the store reports which
-- one a conflict hit.
CREATE UNIQUE INDEX children_audit_id_key ON children (audit_id);
CREATE UNIQUE INDEX children_nhs_number_key ON children (nhs_number);
CREATE UNIQUE INDEX children_unique_reference_number_key ON children (unique_reference_number);
CREATE INDEX children_lead_organisation_idx ON children (lead_organisation_id);
CREATE INDEX children_surname_idx ON children (lower(surname));
CREATE INDEX children_cohort_idx ON children (cohort);

-- +goose Down
DROP TABLE children;
