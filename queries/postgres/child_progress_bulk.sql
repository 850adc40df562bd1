-- SetChildrenAuditProgress is SetChildAuditProgress for a batch of the
-- bulk recalculation: progress is a JSON object whose keys are the
-- children's ids and whose values are [progress, version scored].

-- name: SetChildrenAuditProgress :execrows
UPDATE children c SET audit_progress = (p.value->>0)::bigint
FROM jsonb_each(CAST(@progress AS TEXT)::jsonb) AS p
WHERE c.id = p.key::bigint AND c.version = (p.value->>1)::bigint;
