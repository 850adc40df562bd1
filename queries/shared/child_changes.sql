-- The trail of changes to a child itself (schema 00017): written by
-- children.record in the transaction of each change, read by the child's
-- history page beside answer_changes.

-- name: InsertChildChange :exec
INSERT INTO child_changes (child_id, kind, field, old_value, new_value, cause, note, changed_at, changed_by, request_id)
VALUES (@child_id, @kind, @field, @old_value, @new_value, @cause, @note, @changed_at, @changed_by, @request_id);

-- ListChildChanges is a child's trail, newest first, optionally of one kind
-- or one person (empty or 0: all).

-- ListChildChangesRow is one change to a child: Kind (demographics,
-- registration, lock, transfer, opt_out, deletion), the Field and its values
-- as stored (NULL: not set), the Cause (form, import, transfer,
-- national_team, job) and a Note when the values do not say why.

-- name: ListChildChanges :many
SELECT c.id, c.kind, c.field, c.old_value, c.new_value, c.cause, c.note, c.changed_at, c.changed_by,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS changed_by_name, c.request_id
FROM child_changes c
LEFT JOIN users u ON u.id = c.changed_by
WHERE c.child_id = @child_id
  AND (CAST(@kind_filter AS TEXT) = '' OR c.kind = CAST(@kind_filter AS TEXT))
  AND (CAST(@changed_by_filter AS BIGINT) = 0 OR c.changed_by = CAST(@changed_by_filter AS BIGINT))
ORDER BY c.id DESC
LIMIT @page_limit;

-- name: ListChildChangeAuthors :many
SELECT DISTINCT c.changed_by AS id, CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS name
FROM child_changes c
JOIN users u ON u.id = c.changed_by
WHERE c.child_id = @child_id
ORDER BY name;

-- An opt-out removes the trail's old identifiers with the rest (spec 11.2).

-- name: DeleteChildChanges :exec
DELETE FROM child_changes WHERE child_id = @child_id;

-- The one-off review of records locked before locking needed a complete
-- audit (schema 00019, the children_lock_review job).

-- name: ListChildrenLockReview :many
SELECT child_id FROM children_lock_review ORDER BY child_id LIMIT @page_limit;

-- name: DeleteChildLockReview :exec
DELETE FROM children_lock_review WHERE child_id = @child_id;

-- QueueChildrenLockReview puts every locked child up for the review, as
-- migration 00019 did (tests; an operator after restoring old data).

-- name: QueueChildrenLockReview :execrows
INSERT INTO children_lock_review (child_id)
SELECT id FROM children WHERE locked_at IS NOT NULL AND deleted_at IS NULL
ON CONFLICT (child_id) DO NOTHING;
