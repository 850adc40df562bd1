-- The case list's audit progress (schema 00020), stored by the KPI scoring
-- job with the child's results: only for the version of the child it
-- scored, so a slower job never overwrites a newer child's figure (the
-- newer save's own job writes that).

-- name: SetChildAuditProgress :exec
UPDATE children SET audit_progress = CAST(@audit_progress AS BIGINT)
WHERE id = @id AND version = @version;
