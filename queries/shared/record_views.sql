-- The record-view log (schema 00018, docs/security.md).

-- name: InsertRecordView :exec
INSERT INTO record_views (user_id, child_id, audit_id, route, viewed_at)
VALUES (@user_id, @child_id, @audit_id, @route, @viewed_at);

-- ListRecordViews is the log, newest first, optionally of one user or one
-- child (0, empty: all).

-- name: ListRecordViews :many
SELECT v.id, v.user_id, v.child_id, v.audit_id, v.route, v.viewed_at,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS user_name,
    CAST(coalesce(u.email, '') AS TEXT) AS user_email
FROM record_views v
LEFT JOIN users u ON u.id = v.user_id
WHERE (CAST(@user_filter AS BIGINT) = 0 OR v.user_id = CAST(@user_filter AS BIGINT))
  AND (CAST(@audit_id_filter AS TEXT) = '' OR v.audit_id = CAST(@audit_id_filter AS TEXT))
ORDER BY v.id DESC
LIMIT @page_limit;

-- name: PurgeRecordViews :execrows
DELETE FROM record_views WHERE viewed_at < @before;
