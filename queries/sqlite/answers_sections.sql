-- A save whose progress cache knows the rest reads only its form's
-- sections (app/answers, issue 22). Same names in queries/postgres.

-- name: ListAnswersInSections :many
SELECT a.section, a.row_id, a.field, a.value, a.version, a.updated_at, a.updated_by,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS updated_by_name
FROM answers a
LEFT JOIN users u ON u.id = a.updated_by
WHERE a.child_id = @child_id AND a.section IN (sqlc.slice(sections))
ORDER BY a.section, a.row_id, a.field;

-- name: ListChildRowsInSections :many
SELECT id, section FROM child_rows WHERE child_id = @child_id AND section IN (sqlc.slice(sections)) ORDER BY id;
