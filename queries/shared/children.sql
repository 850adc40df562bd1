-- Children: the case list, one child's page, and the writes of its
-- demographics, registration and lock. Deleted children (deleted_at set) are
-- invisible to every query here. Text columns that an opt-out may blank are
-- read through coalesce so both engines give a string.
--
-- Opted-out children (spec 11.2, child_lifecycle.sql) are left out of the case
-- list unless OptedOut is 'yes' (only them) or 'all'.
--
-- Scope parameters, as in user_admin.sql: ScopeTrust and ScopeBoard both
-- empty mean every organisation; otherwise children whose lead organisation
-- is in that trust (England) or health board (Wales).

-- name: InsertChild :one
INSERT INTO children (audit_id, nhs_number, unique_reference_number, first_name, surname, date_of_birth, sex,
    postcode, ethnicity, lead_organisation_id, first_paediatric_assessment_date, eligibility_confirmed, cohort,
    registered_at, registered_by, locked_at, locked_by, created_at, created_by, updated_at, updated_by, version)
VALUES (@audit_id, @nhs_number, @unique_reference_number, CAST(@first_name AS TEXT), CAST(@surname AS TEXT),
    @date_of_birth, CAST(@sex AS BIGINT), CAST(@postcode AS TEXT), CAST(@ethnicity AS TEXT), @lead_organisation_id,
    @first_paediatric_assessment_date, @eligibility_confirmed, @cohort, @registered_at, @registered_by,
    @locked_at, @locked_by, @created_at, @created_by, @created_at, @created_by, 1)
RETURNING id;

-- InsertChildIfNew is InsertChild for bulk loading (demo data): a child
-- whose NHS number or audit ID is taken is skipped, not an error, so one
-- clash does not abort a large transaction. It returns the rows inserted.

-- name: InsertChildIfNew :execrows
INSERT INTO children (audit_id, nhs_number, unique_reference_number, first_name, surname, date_of_birth, sex,
    postcode, ethnicity, lead_organisation_id, first_paediatric_assessment_date, eligibility_confirmed, cohort,
    registered_at, registered_by, locked_at, locked_by, created_at, created_by, updated_at, updated_by, version)
VALUES (@audit_id, @nhs_number, @unique_reference_number, CAST(@first_name AS TEXT), CAST(@surname AS TEXT),
    @date_of_birth, CAST(@sex AS BIGINT), CAST(@postcode AS TEXT), CAST(@ethnicity AS TEXT), @lead_organisation_id,
    @first_paediatric_assessment_date, @eligibility_confirmed, @cohort, @registered_at, @registered_by,
    @locked_at, @locked_by, @created_at, @created_by, @created_at, @created_by, 1)
ON CONFLICT DO NOTHING;

-- name: GetChild :one
SELECT c.id, c.audit_id, coalesce(c.nhs_number, '') AS nhs_number,
    coalesce(c.unique_reference_number, '') AS unique_reference_number,
    coalesce(c.first_name, '') AS first_name, coalesce(c.surname, '') AS surname, c.date_of_birth, c.sex,
    coalesce(c.postcode, '') AS postcode, coalesce(c.ethnicity, '') AS ethnicity, c.lead_organisation_id,
    c.first_paediatric_assessment_date, c.eligibility_confirmed, c.cohort,
    c.registered_at, CAST(coalesce(r.first_name || ' ' || r.surname, '') AS TEXT) AS registered_by_name,
    c.locked_at, CAST(coalesce(l.first_name || ' ' || l.surname, '') AS TEXT) AS locked_by_name,
    c.created_at, c.updated_at, CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS updated_by_name,
    c.version, c.opted_out_at
FROM children c
LEFT JOIN users r ON r.id = c.registered_by
LEFT JOIN users l ON l.id = c.locked_by
LEFT JOIN users u ON u.id = c.updated_by
WHERE c.id = @id AND c.deleted_at IS NULL;

-- Writes check the version the writer read (0 rows: someone else changed
-- the child first, or it is gone).

-- name: UpdateChildDemographics :execrows
UPDATE children SET nhs_number = @nhs_number, unique_reference_number = @unique_reference_number,
    first_name = CAST(@first_name AS TEXT), surname = CAST(@surname AS TEXT), date_of_birth = @date_of_birth,
    sex = CAST(@sex AS BIGINT), postcode = CAST(@postcode AS TEXT), ethnicity = CAST(@ethnicity AS TEXT),
    updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id AND version = @version AND deleted_at IS NULL;

-- name: RegisterChild :execrows
UPDATE children SET eligibility_confirmed = TRUE, first_paediatric_assessment_date = @first_paediatric_assessment_date,
    cohort = @cohort, lead_organisation_id = @lead_organisation_id,
    registered_at = coalesce(registered_at, @updated_at), registered_by = coalesce(registered_by, @updated_by),
    updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id AND version = @version AND deleted_at IS NULL;

-- name: LockChild :execrows
UPDATE children SET updated_at = @updated_at, updated_by = @updated_by,
    locked_at = @updated_at, locked_by = @updated_by, version = version + 1
WHERE id = @id AND version = @version AND locked_at IS NULL AND deleted_at IS NULL;

-- name: UnlockChild :execrows
UPDATE children SET locked_at = NULL, locked_by = NULL,
    updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id AND version = @version AND locked_at IS NOT NULL AND deleted_at IS NULL;

-- The case list. The search is one of: a name pattern (lower-case), NHS
-- number digits, or an audit ID prefix; patterns that do not apply are ''
-- and match nothing. Sort keys are text computed in the select list (sqlc's
-- SQLite parser drops parameters in ORDER BY), one ascending, one
-- descending, the other ''.

-- name: ListChildren :many
SELECT c.id, c.audit_id, coalesce(c.nhs_number, '') AS nhs_number,
    coalesce(c.unique_reference_number, '') AS unique_reference_number,
    coalesce(c.first_name, '') AS first_name, coalesce(c.surname, '') AS surname, c.date_of_birth, c.sex,
    c.cohort, CAST(c.registered_at IS NOT NULL AS BOOLEAN) AS registered,
    CAST(c.locked_at IS NOT NULL AS BOOLEAN) AS locked, CAST(c.opted_out_at IS NOT NULL AS BOOLEAN) AS opted_out,
    o.ods_code AS organisation_ods, o.name AS organisation_name,
    CAST(CASE WHEN CAST(@descending AS BOOLEAN) THEN '' ELSE CASE CAST(@sort_column AS TEXT)
        WHEN 'audit_id' THEN c.audit_id
        WHEN 'nhs_number' THEN coalesce(c.nhs_number, c.unique_reference_number, '')
        WHEN 'date_of_birth' THEN coalesce(CAST(c.date_of_birth AS TEXT), '')
        WHEN 'cohort' THEN coalesce(CASE WHEN c.cohort < 10 THEN '00' WHEN c.cohort < 100 THEN '0' ELSE '' END || CAST(c.cohort AS TEXT), '')
        WHEN 'organisation' THEN lower(o.name)
        WHEN 'status' THEN CASE WHEN c.opted_out_at IS NOT NULL THEN '3' WHEN c.locked_at IS NOT NULL THEN '2' WHEN c.registered_at IS NOT NULL THEN '1' ELSE '0' END
        ELSE lower(coalesce(c.surname, '') || ' ' || coalesce(c.first_name, '')) END END AS TEXT) AS sort_up,
    CAST(CASE WHEN CAST(@descending AS BOOLEAN) THEN CASE CAST(@sort_column AS TEXT)
        WHEN 'audit_id' THEN c.audit_id
        WHEN 'nhs_number' THEN coalesce(c.nhs_number, c.unique_reference_number, '')
        WHEN 'date_of_birth' THEN coalesce(CAST(c.date_of_birth AS TEXT), '')
        WHEN 'cohort' THEN coalesce(CASE WHEN c.cohort < 10 THEN '00' WHEN c.cohort < 100 THEN '0' ELSE '' END || CAST(c.cohort AS TEXT), '')
        WHEN 'organisation' THEN lower(o.name)
        WHEN 'status' THEN CASE WHEN c.opted_out_at IS NOT NULL THEN '3' WHEN c.locked_at IS NOT NULL THEN '2' WHEN c.registered_at IS NOT NULL THEN '1' ELSE '0' END
        ELSE lower(coalesce(c.surname, '') || ' ' || coalesce(c.first_name, '')) END ELSE '' END AS TEXT) AS sort_down
FROM children c
JOIN organisations o ON o.id = c.lead_organisation_id
WHERE c.deleted_at IS NULL
  AND ((CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
       OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT))
  AND (CAST(@search AS BOOLEAN) = FALSE
       OR lower(coalesce(c.first_name, '') || ' ' || coalesce(c.surname, '')) LIKE CAST(@name_pattern AS TEXT)
       OR lower(coalesce(c.surname, '') || ' ' || coalesce(c.first_name, '')) LIKE CAST(@name_pattern AS TEXT)
       OR c.nhs_number LIKE CAST(@number_pattern AS TEXT)
       OR upper(c.unique_reference_number) LIKE CAST(@reference_pattern AS TEXT)
       OR c.audit_id LIKE CAST(@audit_id_pattern AS TEXT))
  AND (CAST(@organisation_id AS BIGINT) = 0 OR c.lead_organisation_id = CAST(@organisation_id AS BIGINT))
  AND (CAST(@cohort AS BIGINT) = 0 OR c.cohort = CAST(@cohort AS BIGINT))
  AND (CAST(@registered AS TEXT) = '' OR (CAST(@registered AS TEXT) = 'yes') = (c.registered_at IS NOT NULL))
  AND (CAST(@locked AS TEXT) = '' OR (CAST(@locked AS TEXT) = 'yes') = (c.locked_at IS NOT NULL))
  AND (CAST(@opted_out AS TEXT) = 'all' OR (CAST(@opted_out AS TEXT) = 'yes') = (c.opted_out_at IS NOT NULL))
ORDER BY sort_up ASC, sort_down DESC, c.id ASC
LIMIT @page_limit OFFSET @page_offset;

-- name: CountChildren :one
SELECT count(*) FROM children c
JOIN organisations o ON o.id = c.lead_organisation_id
WHERE c.deleted_at IS NULL
  AND ((CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
       OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT))
  AND (CAST(@search AS BOOLEAN) = FALSE
       OR lower(coalesce(c.first_name, '') || ' ' || coalesce(c.surname, '')) LIKE CAST(@name_pattern AS TEXT)
       OR lower(coalesce(c.surname, '') || ' ' || coalesce(c.first_name, '')) LIKE CAST(@name_pattern AS TEXT)
       OR c.nhs_number LIKE CAST(@number_pattern AS TEXT)
       OR upper(c.unique_reference_number) LIKE CAST(@reference_pattern AS TEXT)
       OR c.audit_id LIKE CAST(@audit_id_pattern AS TEXT))
  AND (CAST(@organisation_id AS BIGINT) = 0 OR c.lead_organisation_id = CAST(@organisation_id AS BIGINT))
  AND (CAST(@cohort AS BIGINT) = 0 OR c.cohort = CAST(@cohort AS BIGINT))
  AND (CAST(@registered AS TEXT) = '' OR (CAST(@registered AS TEXT) = 'yes') = (c.registered_at IS NOT NULL))
  AND (CAST(@locked AS TEXT) = '' OR (CAST(@locked AS TEXT) = 'yes') = (c.locked_at IS NOT NULL))
  AND (CAST(@opted_out AS TEXT) = 'all' OR (CAST(@opted_out AS TEXT) = 'yes') = (c.opted_out_at IS NOT NULL));

-- ChildTotals counts every child in scope, and those registered, whatever
-- the filters: the list's statistics and its "no children yet" state.

-- name: ChildTotals :one
SELECT count(*) AS total, count(c.registered_at) AS registered FROM children c
JOIN organisations o ON o.id = c.lead_organisation_id
WHERE c.deleted_at IS NULL
  AND ((CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
       OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT))
  AND (CAST(@organisation_id AS BIGINT) = 0 OR c.lead_organisation_id = CAST(@organisation_id AS BIGINT));

