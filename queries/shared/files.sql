-- Files (schema 00030, 00031; docs/files.md): app/files is their only
-- writer.

-- File is one stored file's row: who it belongs to, the object that holds
-- its encrypted bytes, and the key that opens them.

-- name: InsertFile :one
INSERT INTO files (owner_kind, owner_id, object_name, name, content_type, size, kind, staff_only, key_id, wrapped_key,
    extraction, created_at, created_by)
VALUES (@owner_kind, @owner_id, @object_name, @name, @content_type, @size, @kind, @staff_only, @key_id, @wrapped_key,
    @extraction, @created_at, @created_by)
RETURNING id;

-- name: GetFile :one
SELECT * FROM files WHERE id = @id;

-- name: ListFilesOf :many
SELECT * FROM files WHERE owner_kind = @owner_kind AND owner_id = @owner_id AND deleted_at IS NULL ORDER BY id DESC;

-- name: SetFileExtraction :execrows
UPDATE files SET extraction = @extraction, extraction_note = @extraction_note WHERE id = @id;

-- name: SoftDeleteFilesOf :execrows
UPDATE files SET deleted_at = @deleted_at WHERE owner_kind = @owner_kind AND owner_id = @owner_id AND deleted_at IS NULL;

-- name: RestoreFilesOf :execrows
UPDATE files SET deleted_at = NULL WHERE owner_kind = @owner_kind AND owner_id = @owner_id;

-- FileObject is a file's object and key: what the purge and key rotation
-- need.

-- name: ListFilesToPurge :many
SELECT id, object_name, key_id, wrapped_key FROM files WHERE deleted_at < @before ORDER BY id LIMIT @page_limit;

-- name: ListFileKeys :many
SELECT id, object_name, key_id, wrapped_key FROM files WHERE id > @after_id ORDER BY id LIMIT @page_limit;

-- name: UpdateFileKey :execrows
UPDATE files SET key_id = @key_id, wrapped_key = @wrapped_key WHERE id = @id AND key_id = @old_key_id;

-- name: DeleteFile :execrows
DELETE FROM files WHERE id = @id;

-- name: InsertFileDownload :exec
INSERT INTO file_downloads (file_id, user_id, family_account_id, downloaded_at)
VALUES (@file_id, sqlc.narg(user_id), sqlc.narg(family_account_id), @downloaded_at);

-- FileDownload is one download of a file: who (a staff user, or a family
-- account when UserID is nil) and when.

-- name: ListFileDownloads :many
SELECT d.id, d.user_id, d.family_account_id, COALESCE(u.first_name, '') AS first_name, COALESCE(u.surname, '') AS surname,
       COALESCE(u.email, fa.email, '') AS email, d.downloaded_at
FROM file_downloads d LEFT JOIN users u ON u.id = d.user_id LEFT JOIN family_accounts fa ON fa.id = d.family_account_id
WHERE d.file_id = @file_id ORDER BY d.id DESC LIMIT @page_limit;

-- name: InsertFileProposal :one
INSERT INTO file_proposals (file_id, gene, variant, transcript, protein, classification, evidence)
VALUES (@file_id, @gene, @variant, @transcript, @protein, @classification, @evidence)
RETURNING id;

-- DeleteFileProposals clears a file's undecided proposals (a rerun of the
-- extraction writes them afresh).

-- name: DeleteFileProposals :execrows
DELETE FROM file_proposals WHERE file_id = @file_id AND status = 'proposed';

-- FileProposal is a gene and variant read from a report, with its file.

-- name: GetFileProposal :one
SELECT p.id, p.file_id, p.gene, p.variant, p.transcript, p.protein, p.classification, p.evidence, p.status,
    f.owner_kind, f.owner_id, f.name AS file_name
FROM file_proposals p JOIN files f ON f.id = p.file_id
WHERE p.id = @id;

-- name: ListFileProposalsOf :many
SELECT p.id, p.file_id, p.gene, p.variant, p.transcript, p.protein, p.classification, p.evidence, p.status,
    f.owner_kind, f.owner_id, f.name AS file_name
FROM file_proposals p JOIN files f ON f.id = p.file_id
WHERE f.owner_kind = @owner_kind AND f.owner_id = @owner_id AND f.deleted_at IS NULL AND p.status = 'proposed'
ORDER BY p.id;

-- name: DecideFileProposal :execrows
UPDATE file_proposals SET status = @status, decided_at = @decided_at, decided_by = @decided_by, finding_id = @finding_id
WHERE id = @id AND status = 'proposed';
