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
-- status_key orders not registered, registered, locked, opted out. Text keys
-- use the "C" collation: byte order, as SQLite compares, whatever the
-- database's locale, so both engines sort alike and a prefix search is a
-- range of the index.
ALTER TABLE children ADD COLUMN name_key TEXT COLLATE "C"
    GENERATED ALWAYS AS (lower(coalesce(surname, '') || ' ' || coalesce(first_name, ''))) STORED;
ALTER TABLE children ADD COLUMN first_name_key TEXT COLLATE "C"
    GENERATED ALWAYS AS (lower(coalesce(first_name, '') || ' ' || coalesce(surname, ''))) STORED;
ALTER TABLE children ADD COLUMN number_key TEXT COLLATE "C"
    GENERATED ALWAYS AS (coalesce(nhs_number, unique_reference_number, '')) STORED;
ALTER TABLE children ADD COLUMN status_key BIGINT
    GENERATED ALWAYS AS (CASE WHEN opted_out_at IS NOT NULL THEN 3 WHEN locked_at IS NOT NULL THEN 2
        WHEN registered_at IS NOT NULL THEN 1 ELSE 0 END) STORED;
-- Copied from the lead organisation by the triggers below (a generated
-- column cannot read another table): scope_code is its trust (England) or
-- local health board (Wales), every organisation having exactly one, so a
-- user's scope is one value; organisation_key is its name, lower-case.
ALTER TABLE children ADD COLUMN scope_code TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN organisation_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE children c SET scope_code = coalesce(o.trust_ods_code, o.local_health_board_ods_code), organisation_key = lower(o.name)
FROM organisations o WHERE o.id = c.lead_organisation_id;

-- +goose StatementBegin
CREATE FUNCTION children_organisation_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT coalesce(o.trust_ods_code, o.local_health_board_ods_code), lower(o.name)
    INTO NEW.scope_code, NEW.organisation_key
    FROM organisations o WHERE o.id = NEW.lead_organisation_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER children_organisation_keys BEFORE INSERT OR UPDATE OF lead_organisation_id ON children
    FOR EACH ROW EXECUTE FUNCTION children_organisation_keys();
-- Reference data can rename an organisation or move it to another trust.
-- +goose StatementBegin
CREATE FUNCTION organisations_children_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE children SET scope_code = coalesce(NEW.trust_ods_code, NEW.local_health_board_ods_code),
        organisation_key = lower(NEW.name)
    WHERE lead_organisation_id = NEW.id;
    UPDATE child_counts SET scope_code = coalesce(NEW.trust_ods_code, NEW.local_health_board_ods_code)
    WHERE lead_organisation_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER organisations_children_update AFTER UPDATE OF name, trust_ods_code, local_health_board_ods_code ON organisations
    FOR EACH ROW WHEN (OLD.name <> NEW.name OR OLD.trust_ods_code IS DISTINCT FROM NEW.trust_ods_code
        OR OLD.local_health_board_ods_code IS DISTINCT FROM NEW.local_health_board_ods_code)
    EXECUTE FUNCTION organisations_children_update();

-- child_counts: how many children (not deleted) each organisation has in
-- each cohort (0: not registered), locked or not, opted out or not. The
-- list's totals and its count without a search add up these rows (a few
-- thousand at most) instead of counting children. Kept by the triggers
-- below in the same transaction as every write, so the figures are exact.
-- scope_code is the organisation's, as on children, so a scope's figures
-- need no join.
CREATE TABLE child_counts (
    lead_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    cohort               BIGINT NOT NULL, -- 0: not registered
    locked               BOOLEAN NOT NULL,
    opted_out            BOOLEAN NOT NULL,
    scope_code           TEXT NOT NULL,
    children             BIGINT NOT NULL,
    PRIMARY KEY (lead_organisation_id, cohort, locked, opted_out)
);
INSERT INTO child_counts (lead_organisation_id, cohort, locked, opted_out, scope_code, children)
SELECT lead_organisation_id, coalesce(cohort, 0), locked_at IS NOT NULL, opted_out_at IS NOT NULL, scope_code, count(*)
FROM children WHERE deleted_at IS NULL
GROUP BY lead_organisation_id, coalesce(cohort, 0), locked_at IS NOT NULL, opted_out_at IS NOT NULL, scope_code;

-- +goose StatementBegin
CREATE FUNCTION child_counts_add(in_organisation BIGINT, in_cohort BIGINT, in_locked BOOLEAN, in_opted_out BOOLEAN, in_delta BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO child_counts AS k (lead_organisation_id, cohort, locked, opted_out, scope_code, children)
    SELECT in_organisation, in_cohort, in_locked, in_opted_out, coalesce(o.trust_ods_code, o.local_health_board_ods_code), in_delta
    FROM organisations o WHERE o.id = in_organisation
    ON CONFLICT (lead_organisation_id, cohort, locked, opted_out) DO UPDATE SET children = k.children + excluded.children
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION child_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_counted BOOLEAN := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL;
    is_counted  BOOLEAN := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL;
BEGIN
    -- Two rows change in a fixed order (organisation, then cohort, then
    -- the flags), so two transactions moving children opposite ways
    -- between the same two rows cannot deadlock.
    IF was_counted AND is_counted
        AND (NEW.lead_organisation_id, coalesce(NEW.cohort, 0), NEW.locked_at IS NOT NULL, NEW.opted_out_at IS NOT NULL)
          < (OLD.lead_organisation_id, coalesce(OLD.cohort, 0), OLD.locked_at IS NOT NULL, OLD.opted_out_at IS NOT NULL) THEN
        PERFORM child_counts_add(NEW.lead_organisation_id, coalesce(NEW.cohort, 0), NEW.locked_at IS NOT NULL, NEW.opted_out_at IS NOT NULL, 1);
        is_counted := FALSE;
    END IF;
    IF was_counted THEN
        PERFORM child_counts_add(OLD.lead_organisation_id, coalesce(OLD.cohort, 0), OLD.locked_at IS NOT NULL, OLD.opted_out_at IS NOT NULL, -1);
    END IF;
    IF is_counted THEN
        PERFORM child_counts_add(NEW.lead_organisation_id, coalesce(NEW.cohort, 0), NEW.locked_at IS NOT NULL, NEW.opted_out_at IS NOT NULL, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER child_counts_insert AFTER INSERT ON children
    FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION child_counts_change();
CREATE TRIGGER child_counts_update AFTER UPDATE OF lead_organisation_id, cohort, locked_at, opted_out_at, deleted_at ON children
    FOR EACH ROW WHEN (OLD.lead_organisation_id <> NEW.lead_organisation_id OR coalesce(OLD.cohort, 0) <> coalesce(NEW.cohort, 0)
        OR (OLD.locked_at IS NULL) <> (NEW.locked_at IS NULL) OR (OLD.opted_out_at IS NULL) <> (NEW.opted_out_at IS NULL)
        OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION child_counts_change();
CREATE TRIGGER child_counts_delete AFTER DELETE ON children
    FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION child_counts_change();

-- One index per sort column, nationally and within a scope, each in the
-- order of that column's ORDER BY (queries/*/children_list.sql), so a page
-- is a walk of the index that stops after it. NULLs come first ascending,
-- last descending, as on SQLite. Only children not deleted are indexed:
-- every list query says deleted_at IS NULL. The name index also carries the
-- filters' columns, as it is one of the search's ranges (below).
CREATE INDEX children_list_audit_id_idx ON children (audit_id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_name_idx ON children (name_key, id)
    INCLUDE (opted_out_at, scope_code, lead_organisation_id, cohort, registered_at, locked_at) WHERE deleted_at IS NULL;
CREATE INDEX children_list_number_idx ON children (number_key, id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_date_of_birth_idx ON children (date_of_birth NULLS FIRST, id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_cohort_idx ON children (cohort NULLS FIRST, id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_organisation_idx ON children (organisation_key, id) WHERE deleted_at IS NULL;
CREATE INDEX children_list_status_idx ON children (status_key, id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_audit_id_idx ON children (scope_code, audit_id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_name_idx ON children (scope_code, name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_number_idx ON children (scope_code, number_key, id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_date_of_birth_idx ON children (scope_code, date_of_birth NULLS FIRST, id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_cohort_idx ON children (scope_code, cohort NULLS FIRST, id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_organisation_idx ON children (scope_code, organisation_key, id) WHERE deleted_at IS NULL;
CREATE INDEX children_scope_status_idx ON children (scope_code, status_key, id) WHERE deleted_at IS NULL;
-- The search's ranges: "first name surname" here, "surname first" in
-- children_list_name_idx, NHS and reference numbers in
-- children_list_number_idx, audit IDs in children_list_audit_id_idx. The
-- two name ranges include name_key and every column the filters read, so a
-- search by name is counted and paged by name with index-only scans
-- (however the plan was cached: a generic plan reads every filter's
-- column), and only the page's rows are read.
CREATE INDEX children_first_name_key_idx ON children (first_name_key, id)
    INCLUDE (name_key, opted_out_at, scope_code, lead_organisation_id, cohort, registered_at, locked_at) WHERE deleted_at IS NULL;
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
DROP TRIGGER child_counts_delete ON children;
DROP TRIGGER child_counts_update ON children;
DROP TRIGGER child_counts_insert ON children;
DROP FUNCTION child_counts_change();
DROP FUNCTION child_counts_add(BIGINT, BIGINT, BOOLEAN, BOOLEAN, BIGINT);
DROP TABLE child_counts;
DROP TRIGGER organisations_children_update ON organisations;
DROP FUNCTION organisations_children_update();
DROP TRIGGER children_organisation_keys ON children;
DROP FUNCTION children_organisation_keys();
ALTER TABLE children DROP COLUMN organisation_key;
ALTER TABLE children DROP COLUMN scope_code;
ALTER TABLE children DROP COLUMN status_key;
ALTER TABLE children DROP COLUMN number_key;
ALTER TABLE children DROP COLUMN first_name_key;
ALTER TABLE children DROP COLUMN name_key;
