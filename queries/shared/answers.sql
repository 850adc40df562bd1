-- The answers of a child's audit forms, their rows, and the audit trail of
-- every change to them (schema 00008). A save runs, in one transaction:
-- BumpChildVersion (which also takes the child's row lock), ListAnswers and
-- ListChildRows, then UpsertAnswer or DeleteAnswer per changed field and
-- InsertAnswerChange per change.

-- BumpChildVersion is the first statement of every save: it orders saves to
-- one child (the row lock) and returns the version the save writes at. No
-- row for a deleted child.

-- name: BumpChildVersion :one
UPDATE children SET version = version + 1, updated_at = @updated_at, updated_by = @updated_by
WHERE id = @id AND deleted_at IS NULL
RETURNING version;

-- name: ListAnswers :many
SELECT a.section, a.row_id, a.field, a.value, a.version, a.updated_at, a.updated_by,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS updated_by_name
FROM answers a
LEFT JOIN users u ON u.id = a.updated_by
WHERE a.child_id = @child_id
ORDER BY a.section, a.row_id, a.field;

-- name: ListChildRows :many
SELECT id, section FROM child_rows WHERE child_id = @child_id ORDER BY id;

-- name: UpsertAnswer :exec
INSERT INTO answers (child_id, section, row_id, field, value, version, updated_at, updated_by)
VALUES (@child_id, @section, @row_id, @field, @value, @version, @updated_at, @updated_by)
ON CONFLICT (child_id, section, row_id, field) DO UPDATE
SET value = excluded.value, version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by;

-- name: DeleteAnswer :exec
DELETE FROM answers WHERE child_id = @child_id AND section = @section AND row_id = @row_id AND field = @field;

-- InsertChildRow adds a row unless the same Add button already did: then it
-- returns no row (ErrNotFound) and GetChildRowByClientKey finds the first.

-- name: InsertChildRow :one
INSERT INTO child_rows (child_id, section, client_key, created_at, created_by)
VALUES (@child_id, @section, @client_key, @created_at, @created_by)
ON CONFLICT (child_id, client_key) DO NOTHING
RETURNING id;

-- name: GetChildRowByClientKey :one
SELECT id, section FROM child_rows WHERE child_id = @child_id AND client_key = @client_key;

-- name: DeleteChildRow :execrows
DELETE FROM child_rows WHERE id = @id AND child_id = @child_id;

-- name: DeleteRowAnswers :exec
DELETE FROM answers WHERE child_id = @child_id AND row_id = @row_id;

-- name: InsertAnswerChange :exec
INSERT INTO answer_changes (child_id, section, row_id, field, old_value, new_value, cause, version, changed_at, changed_by, request_id)
VALUES (@child_id, @section, @row_id, @field, @old_value, @new_value, @cause, @version, @changed_at, @changed_by, @request_id);

-- ListAnswerChanges is a child's history, newest first, optionally only one
-- section, one field or one person (empty or 0: all).

-- name: ListAnswerChanges :many
SELECT c.id, c.section, c.row_id, c.field, c.old_value, c.new_value, c.cause, c.version, c.changed_at, c.changed_by,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS changed_by_name, c.request_id
FROM answer_changes c
LEFT JOIN users u ON u.id = c.changed_by
WHERE c.child_id = @child_id
  AND (CAST(@section_filter AS TEXT) = '' OR c.section = CAST(@section_filter AS TEXT))
  AND (CAST(@field_filter AS TEXT) = '' OR c.field = CAST(@field_filter AS TEXT))
  AND (CAST(@changed_by_filter AS BIGINT) = 0 OR c.changed_by = CAST(@changed_by_filter AS BIGINT))
ORDER BY c.id DESC
LIMIT @page_limit;

-- ChangeAuthor is someone who changed a child's record (its answers, or
-- the child itself), by name: one choice of a history's "changed by".

-- name: ListAnswerChangeAuthors :many
SELECT DISTINCT c.changed_by AS id, CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS name
FROM answer_changes c
JOIN users u ON u.id = c.changed_by
WHERE c.child_id = @child_id
ORDER BY name;

-- Opt-out (spec 11.2) removes everything about the child but the row that
-- keeps them counted: the answers, the rows and the trail of them.

-- name: DeleteChildAnswers :exec
DELETE FROM answers WHERE child_id = @child_id;

-- name: DeleteChildRows :exec
DELETE FROM child_rows WHERE child_id = @child_id;

-- name: DeleteChildAnswerChanges :exec
DELETE FROM answer_changes WHERE child_id = @child_id;

-- GetLastAnswerChange is the latest change to one answer, for a save of an
-- answer that has no row now: someone may have cleared it since the
-- clinician saw it (a conflict), which only the trail remembers.

-- name: GetLastAnswerChange :one
SELECT c.version, c.changed_at, c.changed_by, c.new_value,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS changed_by_name
FROM answer_changes c
LEFT JOIN users u ON u.id = c.changed_by
WHERE c.child_id = @child_id AND c.section = @section AND c.row_id = @row_id AND c.field = @field
ORDER BY c.id DESC
LIMIT 1;
