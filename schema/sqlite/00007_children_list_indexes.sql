-- +goose Up
-- The case list at national scale (issue 5, docs/performance.md): every
-- sort of the list walks an index in order and stops after the page, and
-- the counts the page shows are sums over a small table instead of a count
-- of every child.
--
-- Sort and search keys. Generated columns, so no write has to know them:
-- name_key sorts by name and finds "surname first"; first_name_key finds
-- "first name surname"; number_key is the NHS number column (the Jersey
-- reference number where there is none) for sorting and searching;
-- status_key orders not registered, registered, locked, opted out.
ALTER TABLE children ADD COLUMN name_key TEXT
    GENERATED ALWAYS AS (lower(coalesce(surname, '') || ' ' || coalesce(first_name, ''))) VIRTUAL;
ALTER TABLE children ADD COLUMN first_name_key TEXT
    GENERATED ALWAYS AS (lower(coalesce(first_name, '') || ' ' || coalesce(surname, ''))) VIRTUAL;
ALTER TABLE children ADD COLUMN number_key TEXT
    GENERATED ALWAYS AS (coalesce(nhs_number, unique_reference_number, '')) VIRTUAL;
ALTER TABLE children ADD COLUMN status_key INTEGER
    GENERATED ALWAYS AS (CASE WHEN opted_out_at IS NOT NULL THEN 3 WHEN locked_at IS NOT NULL THEN 2
        WHEN registered_at IS NOT NULL THEN 1 ELSE 0 END) VIRTUAL;
-- Copied from the lead organisation by the triggers below (a generated
-- column cannot read another table): scope_code is its trust (England) or
-- local health board (Wales), every organisation having exactly one, so a
-- user's scope is one value; organisation_key is its name, lower-case.
ALTER TABLE children ADD COLUMN scope_code TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN organisation_key TEXT NOT NULL DEFAULT '';
UPDATE children SET
    scope_code = (SELECT coalesce(o.trust_ods_code, o.local_health_board_ods_code) FROM organisations o WHERE o.id = children.lead_organisation_id),
    organisation_key = (SELECT lower(o.name) FROM organisations o WHERE o.id = children.lead_organisation_id);

-- +goose StatementBegin
CREATE TRIGGER children_organisation_insert AFTER INSERT ON children
BEGIN
    UPDATE children SET
        scope_code = (SELECT coalesce(o.trust_ods_code, o.local_health_board_ods_code) FROM organisations o WHERE o.id = new.lead_organisation_id),
        organisation_key = (SELECT lower(o.name) FROM organisations o WHERE o.id = new.lead_organisation_id)
    WHERE id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER children_organisation_update AFTER UPDATE OF lead_organisation_id ON children
WHEN old.lead_organisation_id <> new.lead_organisation_id
BEGIN
    UPDATE children SET
        scope_code = (SELECT coalesce(o.trust_ods_code, o.local_health_board_ods_code) FROM organisations o WHERE o.id = new.lead_organisation_id),
        organisation_key = (SELECT lower(o.name) FROM organisations o WHERE o.id = new.lead_organisation_id)
    WHERE id = new.id;
END;
-- +goose StatementEnd
-- Reference data can rename an organisation or move it to another trust.
-- +goose StatementBegin
CREATE TRIGGER organisations_children_update AFTER UPDATE OF name, trust_ods_code, local_health_board_ods_code ON organisations
WHEN old.name <> new.name OR old.trust_ods_code IS NOT new.trust_ods_code
    OR old.local_health_board_ods_code IS NOT new.local_health_board_ods_code
BEGIN
    UPDATE children SET scope_code = coalesce(new.trust_ods_code, new.local_health_board_ods_code),
        organisation_key = lower(new.name)
    WHERE lead_organisation_id = new.id;
    UPDATE child_counts SET scope_code = coalesce(new.trust_ods_code, new.local_health_board_ods_code)
    WHERE lead_organisation_id = new.id;
END;
-- +goose StatementEnd

-- child_counts: how many children (not deleted) each organisation has in
-- each cohort (0: not registered), locked or not, opted out or not. The
-- list's totals and its count without a search add up these rows (a few
-- thousand at most) instead of counting children. Kept by the triggers
-- below in the same transaction as every write, so the figures are exact.
-- scope_code is the organisation's, as on children, so a scope's figures
-- need no join.
CREATE TABLE child_counts (
    lead_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    cohort               INTEGER NOT NULL, -- 0: not registered
    locked               BOOLEAN NOT NULL,
    opted_out            BOOLEAN NOT NULL,
    scope_code           TEXT NOT NULL,
    children             INTEGER NOT NULL,
    PRIMARY KEY (lead_organisation_id, cohort, locked, opted_out)
);
INSERT INTO child_counts (lead_organisation_id, cohort, locked, opted_out, scope_code, children)
SELECT lead_organisation_id, coalesce(cohort, 0), locked_at IS NOT NULL, opted_out_at IS NOT NULL, scope_code, count(*)
FROM children WHERE deleted_at IS NULL
GROUP BY lead_organisation_id, coalesce(cohort, 0), locked_at IS NOT NULL, opted_out_at IS NOT NULL, scope_code;

-- +goose StatementBegin
CREATE TRIGGER child_counts_insert AFTER INSERT ON children WHEN new.deleted_at IS NULL
BEGIN
    INSERT INTO child_counts (lead_organisation_id, cohort, locked, opted_out, scope_code, children)
    VALUES (new.lead_organisation_id, coalesce(new.cohort, 0), new.locked_at IS NOT NULL, new.opted_out_at IS NOT NULL,
        (SELECT coalesce(o.trust_ods_code, o.local_health_board_ods_code) FROM organisations o WHERE o.id = new.lead_organisation_id), 1)
    ON CONFLICT (lead_organisation_id, cohort, locked, opted_out) DO UPDATE SET children = children + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER child_counts_update AFTER UPDATE OF lead_organisation_id, cohort, locked_at, opted_out_at, deleted_at ON children
WHEN old.lead_organisation_id <> new.lead_organisation_id OR coalesce(old.cohort, 0) <> coalesce(new.cohort, 0)
    OR (old.locked_at IS NULL) <> (new.locked_at IS NULL) OR (old.opted_out_at IS NULL) <> (new.opted_out_at IS NULL)
    OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
BEGIN
    UPDATE child_counts SET children = children - 1
    WHERE old.deleted_at IS NULL AND lead_organisation_id = old.lead_organisation_id AND cohort = coalesce(old.cohort, 0)
        AND locked = (old.locked_at IS NOT NULL) AND opted_out = (old.opted_out_at IS NOT NULL);
    INSERT INTO child_counts (lead_organisation_id, cohort, locked, opted_out, scope_code, children)
    SELECT new.lead_organisation_id, coalesce(new.cohort, 0), new.locked_at IS NOT NULL, new.opted_out_at IS NOT NULL,
        (SELECT coalesce(o.trust_ods_code, o.local_health_board_ods_code) FROM organisations o WHERE o.id = new.lead_organisation_id), 1
    WHERE new.deleted_at IS NULL
    ON CONFLICT (lead_organisation_id, cohort, locked, opted_out) DO UPDATE SET children = children + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER child_counts_delete AFTER DELETE ON children WHEN old.deleted_at IS NULL
BEGIN
    UPDATE child_counts SET children = children - 1
    WHERE lead_organisation_id = old.lead_organisation_id AND cohort = coalesce(old.cohort, 0)
        AND locked = (old.locked_at IS NOT NULL) AND opted_out = (old.opted_out_at IS NOT NULL);
END;
-- +goose StatementEnd

-- One index per sort column, nationally and within a scope, each in the
-- order of that column's ORDER BY (queries/*/children_list.sql), so a page
-- is a walk of the index that stops after it. Each carries opted_out_at
-- and lead_organisation_id, so the rows OFFSET skips are read from the
-- index alone. Only children not deleted are indexed: every list query
-- says deleted_at IS NULL. The name index also carries scope_code, as it
-- is one of the search's ranges (below).
CREATE INDEX children_list_audit_id_idx ON children (audit_id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_name_idx ON children (name_key, id, opted_out_at, lead_organisation_id, scope_code) WHERE deleted_at IS NULL;
CREATE INDEX children_list_number_idx ON children (number_key, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_date_of_birth_idx ON children (date_of_birth, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_cohort_idx ON children (cohort, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_organisation_idx ON children (organisation_key, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_status_idx ON children (status_key, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_audit_id_idx ON children (scope_code, audit_id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_name_idx ON children (scope_code, name_key, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_number_idx ON children (scope_code, number_key, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_date_of_birth_idx ON children (scope_code, date_of_birth, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_cohort_idx ON children (scope_code, cohort, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_organisation_idx ON children (scope_code, organisation_key, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_status_idx ON children (scope_code, status_key, id, opted_out_at, lead_organisation_id) WHERE deleted_at IS NULL;
-- The search's ranges: "first name surname" here, "surname first" in
-- children_list_name_idx, NHS and reference numbers in
-- children_list_number_idx, audit IDs in children_list_audit_id_idx. The
-- two name ranges carry name_key and the columns of the default filters
-- (not opted out, the scope), so a search by name is counted and paged by
-- name from these indexes alone; SQLite reads the row only for a filter
-- that is on, or for the page itself.
CREATE INDEX children_first_name_key_idx ON children (first_name_key, id, name_key, opted_out_at, lead_organisation_id, scope_code) WHERE deleted_at IS NULL;
-- Replaced by the name keys: nothing searches lower(surname) alone any more.
DROP INDEX children_surname_idx;

-- +goose Down
CREATE INDEX children_surname_idx ON children (lower(surname));
DROP INDEX children_first_name_key_idx;
DROP INDEX children_scope_status_idx;
DROP INDEX children_scope_organisation_idx;
DROP INDEX children_scope_cohort_idx;
DROP INDEX children_scope_date_of_birth_idx;
DROP INDEX children_scope_number_idx;
DROP INDEX children_scope_name_idx;
DROP INDEX children_scope_audit_id_idx;
DROP INDEX children_list_status_idx;
DROP INDEX children_list_organisation_idx;
DROP INDEX children_list_cohort_idx;
DROP INDEX children_list_date_of_birth_idx;
DROP INDEX children_list_number_idx;
DROP INDEX children_list_name_idx;
DROP INDEX children_list_audit_id_idx;
DROP TRIGGER child_counts_delete;
DROP TRIGGER child_counts_update;
DROP TRIGGER child_counts_insert;
DROP TABLE child_counts;
DROP TRIGGER organisations_children_update;
DROP TRIGGER children_organisation_update;
DROP TRIGGER children_organisation_insert;
ALTER TABLE children DROP COLUMN organisation_key;
ALTER TABLE children DROP COLUMN scope_code;
ALTER TABLE children DROP COLUMN status_key;
ALTER TABLE children DROP COLUMN number_key;
ALTER TABLE children DROP COLUMN first_name_key;
ALTER TABLE children DROP COLUMN name_key;
