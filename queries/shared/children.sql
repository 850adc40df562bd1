-- Children: the case list, one child's page, and the writes of its
-- demographics, registration and lock. Deleted children (deleted_at set) are
-- invisible to every query here. Text columns that an opt-out may blank are
-- read through coalesce so both engines give a string.
--
-- Opted-out children (spec 11.2, child_lifecycle.sql) are left out of the case
-- list unless OptedOut is 'yes' (only them) or 'all'.
--
-- The case list's scope is one parameter, scope: '' means every
-- organisation; otherwise children whose lead organisation is in that trust
-- (England) or health board (Wales), kept on each child as scope_code.

-- ChildListParams are the filters and page of the case list in every
-- organisation, sorted by one column (ChildListQueries). Empty strings and
-- zeros leave a filter off; OptedOut "" leaves opted-out children out, "yes"
-- lists only them, "all" both. With Searching, only the children a search
-- matches, as in CountChildrenMatchingParams.

-- ChildListInScopeParams are ChildListParams within one scope: the
-- scope_code of the children wanted (their lead organisation's trust or
-- health board).

-- ChildListItem is one row of the case list.

-- CountChildrenMatchingParams are a search of the case list: the children
-- whose name_key or first_name_key is in [NameFrom, NameTo), whose
-- number_key is in [NumberFrom, NumberTo) or whose audit ID is in
-- [AuditIDFrom, AuditIDTo] (empty bounds match nothing), within Scope ("":
-- every organisation), filtered as ChildListParams.

-- ListChildrenMatchingByNameParams are a page of a search sorted by name.

-- ListChildrenMatchingParams are a page of a search sorted by SortColumn.

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

-- InsertChildIfNewParams are InsertChildParams, for the bulk insert.

-- name: InsertChildIfNew :execrows
INSERT INTO children (audit_id, nhs_number, unique_reference_number, first_name, surname, date_of_birth, sex,
    postcode, ethnicity, lead_organisation_id, first_paediatric_assessment_date, eligibility_confirmed, cohort,
    registered_at, registered_by, locked_at, locked_by, created_at, created_by, updated_at, updated_by, version)
VALUES (@audit_id, @nhs_number, @unique_reference_number, CAST(@first_name AS TEXT), CAST(@surname AS TEXT),
    @date_of_birth, CAST(@sex AS BIGINT), CAST(@postcode AS TEXT), CAST(@ethnicity AS TEXT), @lead_organisation_id,
    @first_paediatric_assessment_date, @eligibility_confirmed, @cohort, @registered_at, @registered_by,
    @locked_at, @locked_by, @created_at, @created_by, @created_at, @created_by, 1)
ON CONFLICT DO NOTHING;

-- Child is one child as its page shows it: demographics (blank after an
-- opt-out), lead organisation, registration and lock, with the names of who
-- registered, locked and last changed it. OptedOutAt is set once the child
-- is opted out (spec 11.2).

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

-- ChildAtPlace is GetChild's child with where its lead organisation sits
-- (GetOrganisationPlace's trust and health board): what a write reads to
-- check access, in one statement rather than two (issue 22: round trips to
-- PostgreSQL). A conformance test holds it equal to the two reads.

-- name: GetChildAtPlace :one
SELECT c.id, c.audit_id, coalesce(c.nhs_number, '') AS nhs_number,
    coalesce(c.unique_reference_number, '') AS unique_reference_number,
    coalesce(c.first_name, '') AS first_name, coalesce(c.surname, '') AS surname, c.date_of_birth, c.sex,
    coalesce(c.postcode, '') AS postcode, coalesce(c.ethnicity, '') AS ethnicity, c.lead_organisation_id,
    c.first_paediatric_assessment_date, c.eligibility_confirmed, c.cohort,
    c.registered_at, CAST(coalesce(r.first_name || ' ' || r.surname, '') AS TEXT) AS registered_by_name,
    c.locked_at, CAST(coalesce(l.first_name || ' ' || l.surname, '') AS TEXT) AS locked_by_name,
    c.created_at, c.updated_at, CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS updated_by_name,
    c.version, c.opted_out_at,
    o.trust_ods_code AS place_trust_ods_code, o.local_health_board_ods_code AS place_local_health_board_ods_code
FROM children c
JOIN organisations o ON o.id = c.lead_organisation_id
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

-- The case list's pages, with a search or without, are the generated
-- queries of queries/*/children_list.sql (app/store/internal/listgen).
--
-- CountChildren counts the children matching the list's filters, without a
-- search, by adding up child_counts (kept exact by triggers, see
-- 00007_children_list_indexes.sql): a few thousand rows at most, however
-- many children there are. Registered is cohort <> 0 (a child has a cohort
-- exactly when registered).

-- CountChildrenParams count the case list without a search.

-- name: CountChildren :one
SELECT CAST(coalesce(sum(k.children), 0) AS BIGINT) AS children FROM child_counts k
WHERE (CAST(@scope AS TEXT) = '' OR k.scope_code = CAST(@scope AS TEXT))
  AND (CAST(@organisation_id AS BIGINT) = 0 OR k.lead_organisation_id = CAST(@organisation_id AS BIGINT))
  AND (CAST(@cohort AS BIGINT) = 0 OR k.cohort = CAST(@cohort AS BIGINT))
  AND (CAST(@registered AS TEXT) = '' OR (CAST(@registered AS TEXT) = 'yes') = (k.cohort <> 0))
  AND (CAST(@locked AS TEXT) = '' OR (CAST(@locked AS TEXT) = 'yes') = k.locked)
  AND (CAST(@opted_out AS TEXT) = 'all' OR (CAST(@opted_out AS TEXT) = 'yes') = k.opted_out);

-- ChildTotals counts every child in scope (of one organisation, if
-- organisation_id is not 0), and those registered, whatever the filters:
-- the list's statistics and its "no children yet" state. From child_counts,
-- as CountChildren.

-- ChildTotalsParams select every child in Scope ("": every organisation), or
-- of one organisation when OrganisationID is not 0.

-- name: ChildTotals :one
SELECT CAST(coalesce(sum(k.children), 0) AS BIGINT) AS total,
    CAST(coalesce(sum(CASE WHEN k.cohort <> 0 THEN k.children ELSE 0 END), 0) AS BIGINT) AS registered
FROM child_counts k
WHERE (CAST(@scope AS TEXT) = '' OR k.scope_code = CAST(@scope AS TEXT))
  AND (CAST(@organisation_id AS BIGINT) = 0 OR k.lead_organisation_id = CAST(@organisation_id AS BIGINT));
