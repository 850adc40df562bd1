-- Bulk KPI recalculation (schema 00010): the run's progress row, and the
-- batched reads that let one job rescore every child with three queries
-- per batch instead of three per child.

-- name: InsertKPIRecalculation :one
INSERT INTO kpi_recalculations (rules_version, requested_by, requested_at)
VALUES (@rules_version, @requested_by, @requested_at)
RETURNING id;

-- name: GetKPIRecalculation :one
SELECT * FROM kpi_recalculations WHERE id = @id;

-- name: ListKPIRecalculations :many
SELECT r.*, CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS requested_by_name
FROM kpi_recalculations r
LEFT JOIN users u ON u.id = r.requested_by
ORDER BY r.id DESC
LIMIT @max_rows;

-- name: StartKPIRecalculation :exec
UPDATE kpi_recalculations SET started_at = coalesce(started_at, @started_at), total = @total, error = ''
WHERE id = @id;

-- name: ProgressKPIRecalculation :exec
UPDATE kpi_recalculations SET done = @done, last_child_id = @last_child_id WHERE id = @id;

-- name: FinishKPIRecalculation :exec
UPDATE kpi_recalculations SET finished_at = @finished_at, error = @error WHERE id = @id;

-- name: FailKPIRecalculation :exec
UPDATE kpi_recalculations SET error = @error WHERE id = @id;

-- name: CountChildrenToScore :one
SELECT count(*) FROM children WHERE deleted_at IS NULL;

-- ListChildrenToScore reads what GetChild reads, without the names of who
-- registered, locked or changed the child (scoring never needs them).

-- name: ListChildrenToScore :many
SELECT c.id, c.audit_id, coalesce(c.nhs_number, '') AS nhs_number,
    coalesce(c.unique_reference_number, '') AS unique_reference_number,
    coalesce(c.first_name, '') AS first_name, coalesce(c.surname, '') AS surname, c.date_of_birth, c.sex,
    coalesce(c.postcode, '') AS postcode, coalesce(c.ethnicity, '') AS ethnicity, c.lead_organisation_id,
    c.first_paediatric_assessment_date, c.eligibility_confirmed, c.cohort,
    c.registered_at, CAST('' AS TEXT) AS registered_by_name,
    c.locked_at, CAST('' AS TEXT) AS locked_by_name,
    c.created_at, c.updated_at, CAST('' AS TEXT) AS updated_by_name,
    c.version, c.opted_out_at
FROM children c
WHERE c.id > @after_id AND c.deleted_at IS NULL
ORDER BY c.id
LIMIT @max_rows;

-- ListAnswersOfChildren and ListChildRowsOfChildren read a batch of
-- children's answers and rows as one text per child, joined by the
-- database: parts separated by the unit separator (U+001F), items by the
-- record separator (U+001E), the two invisible characters between the
-- quotes below. Neither can occur in a section, field or JSON value (JSON
-- forbids raw control characters), and one row per child instead of one
-- per answer is most of what makes a national recalculation fast. Rows
-- come in no particular order: the reader sorts them by id.

-- ListAnswersOfChildrenRow is one child's answers: items joined by U+001E,
-- each "section U+001F row_id U+001F field U+001F value".

-- name: ListAnswersOfChildren :many
SELECT child_id, CAST(string_agg(section || '' || CAST(row_id AS TEXT) || '' || field || '' || value, '') AS TEXT) AS answer_list
FROM answers
WHERE child_id BETWEEN @first_id AND @last_id
GROUP BY child_id
ORDER BY child_id;

-- ListChildRowsOfChildrenRow is one child's rows: items joined by U+001E,
-- each "id U+001F section", in no particular order.

-- name: ListChildRowsOfChildren :many
SELECT child_id, CAST(string_agg(CAST(id AS TEXT) || '' || section, '') AS TEXT) AS row_list
FROM child_rows
WHERE child_id BETWEEN @first_id AND @last_id
GROUP BY child_id
ORDER BY child_id;
