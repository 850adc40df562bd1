-- +goose Up
-- Reference data: geography, organisations and clinical lookups. Loaded from
-- app/refdata by an idempotent upsert at start-up, never edited by users.
CREATE TABLE app_meta (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE countries (
    code                TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    welsh_name          TEXT NOT NULL,
    takes_part_in_audit BOOLEAN NOT NULL
);

CREATE TABLE nhs_england_regions (
    code     TEXT PRIMARY KEY,
    ons_code TEXT NOT NULL,
    name     TEXT NOT NULL
);

CREATE TABLE integrated_care_boards (
    ods_code TEXT PRIMARY KEY,
    gss_code TEXT NOT NULL,
    name     TEXT NOT NULL
);

CREATE TABLE local_health_boards (
    ods_code   TEXT PRIMARY KEY,
    gss_code   TEXT NOT NULL,
    name       TEXT NOT NULL,
    welsh_name TEXT NOT NULL
);

CREATE TABLE open_uk_networks (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    country TEXT NOT NULL
);

CREATE TABLE london_boroughs (
    gss_code     TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    inner_london BOOLEAN NOT NULL
);

CREATE TABLE trusts (
    ods_code       TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    address_line_1 TEXT NOT NULL,
    address_line_2 TEXT NOT NULL,
    town           TEXT NOT NULL,
    postcode       TEXT NOT NULL,
    country        TEXT NOT NULL
);

CREATE TABLE organisations (
    id                          INTEGER PRIMARY KEY,
    ods_code                    TEXT NOT NULL UNIQUE,
    name                        TEXT NOT NULL,
    address1                    TEXT NOT NULL,
    address2                    TEXT NOT NULL,
    address3                    TEXT NOT NULL,
    city                        TEXT NOT NULL,
    county                      TEXT NOT NULL,
    postcode                    TEXT NOT NULL,
    latitude                    REAL,
    longitude                   REAL,
    telephone                   TEXT NOT NULL,
    website                     TEXT NOT NULL,
    trust_ods_code              TEXT REFERENCES trusts (ods_code),
    local_health_board_ods_code TEXT REFERENCES local_health_boards (ods_code),
    icb_ods_code                TEXT REFERENCES integrated_care_boards (ods_code),
    nhs_england_region_code     TEXT REFERENCES nhs_england_regions (code),
    openuk_network_code         TEXT REFERENCES open_uk_networks (code),
    country_code                TEXT NOT NULL REFERENCES countries (code),
    london_borough_gss_code     TEXT REFERENCES london_boroughs (gss_code),
    icb_assignment_ambiguous    BOOLEAN NOT NULL,
    -- England hangs organisations off a trust, Wales off a health board: exactly one.
    CHECK ((trust_ods_code IS NULL) <> (local_health_board_ods_code IS NULL))
);
CREATE INDEX organisations_trust_idx ON organisations (trust_ods_code);
CREATE INDEX organisations_lhb_idx ON organisations (local_health_board_ods_code);

CREATE TABLE syndromes (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    excludes_from_mri_kpi BOOLEAN NOT NULL
);

CREATE TABLE medicines (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    is_rescue BOOLEAN NOT NULL,
    -- "Other" appears twice: once as a rescue medicine, once as anti-seizure.
    UNIQUE (name, is_rescue)
);

CREATE TABLE semiology_keywords (
    id       INTEGER PRIMARY KEY,
    keyword  TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL
);

CREATE TABLE epilepsy_cause_categories (
    code  TEXT PRIMARY KEY,
    label TEXT NOT NULL
);

-- +goose Down
DROP TABLE epilepsy_cause_categories;
DROP TABLE semiology_keywords;
DROP TABLE medicines;
DROP TABLE syndromes;
DROP TABLE organisations;
DROP TABLE trusts;
DROP TABLE london_boroughs;
DROP TABLE open_uk_networks;
DROP TABLE local_health_boards;
DROP TABLE integrated_care_boards;
DROP TABLE nhs_england_regions;
DROP TABLE countries;
DROP TABLE app_meta;
