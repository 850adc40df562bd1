-- +goose Up
-- The index of multiple deprivation by postcode, for the audit's
-- demographic breakdowns and the reporting views (docs/reference-data.md):
-- loaded by the operator with `clinaudit deprivation load FILE.csv` from an
-- open-licensed lookup, never fetched. Empty until loaded: quintiles then
-- show as not known. Keyed by the compact postcode (children.postcode).
CREATE TABLE postcode_deprivation (
    postcode     TEXT PRIMARY KEY,
    lsoa_code    TEXT NOT NULL DEFAULT '',
    imd_decile   BIGINT CHECK (imd_decile BETWEEN 1 AND 10),
    imd_quintile BIGINT NOT NULL CHECK (imd_quintile BETWEEN 1 AND 5) -- 1 most deprived
);

-- +goose Down
DROP TABLE postcode_deprivation;
