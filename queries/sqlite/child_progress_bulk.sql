-- SetChildrenAuditProgress is SetChildAuditProgress for a batch of the
-- bulk recalculation: progress is a JSON object whose keys are the
-- children's ids and whose values are [progress, version scored]. (sqlc's
-- SQLite grammar has no UPDATE ... FROM; SQLite keeps the parsed JSON
-- between the row lookups of one statement.)

-- name: SetChildrenAuditProgress :execrows
UPDATE children SET audit_progress = json_extract(CAST(@progress AS TEXT), '$."' || id || '"[0]')
WHERE id IN (SELECT CAST(r.key AS INTEGER) FROM json_each(CAST(@progress AS TEXT)) AS r)
  AND version = json_extract(CAST(@progress AS TEXT), '$."' || id || '"[1]');
