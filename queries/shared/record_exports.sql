-- Record-level exports (schema 00013, docs/exports.md).

-- name: InsertRecordExport :one
INSERT INTO record_exports (user_id, format, deidentified, organisation_id, cohort, status, requested_at, expires_at)
VALUES (@user_id, @format, @deidentified, @organisation_id, @cohort, 'pending', @requested_at, @expires_at)
RETURNING id;

-- name: CountUnfinishedRecordExports :one
SELECT count(*) FROM record_exports WHERE user_id = @user_id AND status IN ('pending', 'running');

-- RecordExport is one export request: what was asked for (Format,
-- Deidentified, the organisation, 0 for every one in the owner's reach, and
-- Cohort, 0 for every cohort), where it stands (Status pending, running,
-- ready or failed; Error says why, for the owner) and the file (Children,
-- Size uncompressed, Chunks). Scope is the reach the file was written for
-- (schema 00022).

-- name: GetRecordExport :one
SELECT x.id, x.user_id, x.format, x.deidentified, x.organisation_id, x.cohort, x.status,
    x.requested_at, x.started_at, x.finished_at, x.expires_at, x.children, x.size, x.chunks, x.error, x.scope,
    CAST(coalesce(o.ods_code, '') AS TEXT) AS organisation_ods, CAST(coalesce(o.name, '') AS TEXT) AS organisation_name
FROM record_exports x
LEFT JOIN organisations o ON o.id = x.organisation_id
WHERE x.id = @id;

-- name: ListRecordExports :many
SELECT x.id, x.user_id, x.format, x.deidentified, x.organisation_id, x.cohort, x.status,
    x.requested_at, x.started_at, x.finished_at, x.expires_at, x.children, x.size, x.chunks, x.error, x.scope,
    CAST(coalesce(o.ods_code, '') AS TEXT) AS organisation_ods, CAST(coalesce(o.name, '') AS TEXT) AS organisation_name
FROM record_exports x
LEFT JOIN organisations o ON o.id = x.organisation_id
WHERE x.user_id = @user_id
ORDER BY x.id DESC
LIMIT @max_rows;

-- StartRecordExport marks the export running (again, on a retry); the
-- caller then deletes what an earlier attempt wrote.

-- name: StartRecordExport :exec
UPDATE record_exports SET status = 'running', started_at = @started_at, error = '' WHERE id = @id;

-- name: DeleteRecordExportChunks :exec
DELETE FROM record_export_chunks WHERE export_id = @export_id;

-- name: InsertRecordExportChunk :exec
INSERT INTO record_export_chunks (export_id, seq, data) VALUES (@export_id, @seq, @data);

-- name: GetRecordExportChunk :one
SELECT data FROM record_export_chunks WHERE export_id = @export_id AND seq = @seq;

-- name: FinishRecordExport :exec
UPDATE record_exports SET status = 'ready', finished_at = @finished_at, children = @children, size = @size,
    chunks = @chunks, error = '', scope = @scope
WHERE id = @id;

-- RetryRecordExport puts an export that failed back in the queue, saying
-- so; FailRecordExport gives up.

-- name: RetryRecordExport :exec
UPDATE record_exports SET status = 'pending', error = @error WHERE id = @id;

-- name: FailRecordExport :exec
UPDATE record_exports SET status = 'failed', finished_at = @finished_at, error = @error WHERE id = @id;

-- name: DeleteExpiredRecordExports :execrows
DELETE FROM record_exports WHERE expires_at <= @now;
