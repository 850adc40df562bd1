-- The life of a child's record after it is added (spec 11.2 to 11.4):
-- transfer of the lead site, opt-out, soft deletion, restore and purge.
-- Deleted children stay invisible here as in children.sql, except to the
-- queries about deleted children themselves.

-- Transfers of lead site (spec 11.4). A transfer row carries where from and
-- where to; the child's lead organisation moves only when it is accepted.

-- InsertChildTransfer: a second pending transfer of the same child hits the
-- unique index child_transfers_pending_key (ErrConflict).

-- name: InsertChildTransfer :one
INSERT INTO child_transfers (child_id, from_organisation_id, to_organisation_id, status, requested_at, requested_by)
VALUES (@child_id, @from_organisation_id, @to_organisation_id, 'pending', @requested_at, @requested_by)
RETURNING id;

-- ChildTransfer is one request to move a child's lead site, with the names
-- of both organisations and of who asked and who answered. Status is
-- TransferPending, TransferAccepted, TransferRejected or TransferCancelled.

-- ListChildTransfers is a child's history of transfers, newest first: the
-- accepted ones are its previous lead sites, the pending one (at most one)
-- the request waiting for an answer.

-- name: ListChildTransfers :many
SELECT t.id, t.child_id, t.status, t.from_organisation_id, f.ods_code AS from_ods, f.name AS from_name,
    t.to_organisation_id, o.ods_code AS to_ods, o.name AS to_name,
    t.requested_at, CAST(coalesce(r.first_name || ' ' || r.surname, '') AS TEXT) AS requested_by_name,
    t.responded_at, CAST(coalesce(a.first_name || ' ' || a.surname, '') AS TEXT) AS responded_by_name
FROM child_transfers t
JOIN organisations f ON f.id = t.from_organisation_id
JOIN organisations o ON o.id = t.to_organisation_id
LEFT JOIN users r ON r.id = t.requested_by
LEFT JOIN users a ON a.id = t.responded_by
WHERE t.child_id = @child_id
ORDER BY t.requested_at DESC, t.id DESC;

-- AnswerChildTransfer closes a pending transfer as accepted, rejected or
-- cancelled; 0 rows when it is no longer pending (answered by someone else).

-- name: AnswerChildTransfer :execrows
UPDATE child_transfers SET status = CAST(@status AS TEXT), responded_at = @responded_at, responded_by = @responded_by
WHERE id = @id AND status = 'pending';

-- MoveChildLeadOrganisation is an accepted transfer: 0 rows when the child
-- is gone, opted out, or no longer at the transfer's origin.

-- name: MoveChildLeadOrganisation :execrows
UPDATE children SET lead_organisation_id = CAST(@to_organisation_id AS BIGINT),
    updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id AND lead_organisation_id = CAST(@from_organisation_id AS BIGINT)
  AND deleted_at IS NULL AND opted_out_at IS NULL;

-- ListPendingChildTransfers: pending transfers into or out of the scope
-- (both scope codes empty: everywhere), with enough of the child to know
-- who they are, and where both organisations sit, oldest first.

-- PendingChildTransfer is a transfer waiting for an answer, with who the
-- child is and where both organisations sit (trust in England, health board
-- in Wales; "" for the other).

-- name: ListPendingChildTransfers :many
SELECT t.id, t.child_id, c.audit_id, coalesce(c.nhs_number, '') AS nhs_number,
    coalesce(c.unique_reference_number, '') AS unique_reference_number,
    coalesce(c.first_name, '') AS first_name, coalesce(c.surname, '') AS surname, c.date_of_birth,
    t.from_organisation_id, f.ods_code AS from_ods, f.name AS from_name,
    coalesce(f.trust_ods_code, '') AS from_trust, coalesce(f.local_health_board_ods_code, '') AS from_board,
    t.to_organisation_id, o.ods_code AS to_ods, o.name AS to_name,
    coalesce(o.trust_ods_code, '') AS to_trust, coalesce(o.local_health_board_ods_code, '') AS to_board,
    t.requested_at, CAST(coalesce(r.first_name || ' ' || r.surname, '') AS TEXT) AS requested_by_name
FROM child_transfers t
JOIN children c ON c.id = t.child_id
JOIN organisations f ON f.id = t.from_organisation_id
JOIN organisations o ON o.id = t.to_organisation_id
LEFT JOIN users r ON r.id = t.requested_by
WHERE t.status = 'pending' AND c.deleted_at IS NULL
  AND ((CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
       OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT)
       OR f.trust_ods_code = CAST(@scope_trust AS TEXT) OR f.local_health_board_ods_code = CAST(@scope_board AS TEXT))
ORDER BY t.requested_at ASC, t.id ASC;

-- CountIncomingChildTransfers counts pending transfers into the scope.

-- name: CountIncomingChildTransfers :one
SELECT count(*) FROM child_transfers t
JOIN children c ON c.id = t.child_id
JOIN organisations o ON o.id = t.to_organisation_id
WHERE t.status = 'pending' AND c.deleted_at IS NULL
  AND ((CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
       OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT));

-- ListTransferOrganisations are the organisations a child may be
-- transferred to: every one in England or Wales.

-- name: ListTransferOrganisations :many
SELECT o.id, o.ods_code, o.name FROM organisations o
WHERE o.country_code IN ('E92000001', 'W92000004')
ORDER BY o.name, o.ods_code;

-- ListActiveUsersWithRole lists the active accounts with a role at an
-- organisation (organisation 0: national accounts), for notifications.

-- Recipient is an account to notify by email.

-- name: ListActiveUsersWithRole :many
SELECT u.id, u.email, u.first_name, u.surname FROM users u
WHERE u.is_active AND u.role = CAST(@role AS TEXT)
  AND ((CAST(@organisation_id AS BIGINT) = 0 AND u.organisation_id IS NULL)
       OR u.organisation_id = CAST(@organisation_id AS BIGINT))
ORDER BY u.email;

-- Opt-out (spec 11.2): every identifier and the registration are removed, the
-- row, audit ID and lead organisation are kept so the child still counts.

-- name: OptOutChild :execrows
UPDATE children SET updated_at = @updated_at, updated_by = @updated_by, opted_out_at = @updated_at,
    nhs_number = NULL, unique_reference_number = NULL, first_name = NULL, surname = NULL,
    date_of_birth = NULL, sex = NULL, postcode = NULL, ethnicity = NULL,
    first_paediatric_assessment_date = NULL, eligibility_confirmed = FALSE, cohort = NULL,
    registered_at = NULL, registered_by = NULL, locked_at = NULL, locked_by = NULL, version = version + 1
WHERE id = @id AND deleted_at IS NULL AND opted_out_at IS NULL;

-- DeleteChildTransfers removes a child's transfers: every site but the lead
-- one goes at an opt-out (spec 11.2.3).

-- name: DeleteChildTransfers :execrows
DELETE FROM child_transfers WHERE child_id = @child_id;

-- Soft deletion and restore. Deleting stamps who and when (updated_by,
-- spec 11.3) and hides the child from every other query.

-- name: SoftDeleteChild :execrows
UPDATE children SET updated_at = @updated_at, updated_by = @updated_by, deleted_at = @updated_at,
    version = version + 1
WHERE id = @id AND version = @version AND deleted_at IS NULL;

-- DeletedChild is a soft-deleted child waiting to be purged, with who
-- deleted it (the last to change it).

-- name: GetDeletedChild :one
SELECT id, audit_id, nhs_number, unique_reference_number, first_name, surname, date_of_birth,
    lead_organisation_id, organisation_ods, organisation_name, deleted_at, deleted_by_name
FROM deleted_children c
WHERE c.id = @id;

-- ListDeletedChildren: children deleted at or after a time (those that can
-- still be restored) or all deleted ones not yet purged, newest first.

-- name: ListDeletedChildren :many
SELECT id, audit_id, nhs_number, unique_reference_number, first_name, surname, date_of_birth,
    lead_organisation_id, organisation_ods, organisation_name, deleted_at, deleted_by_name
FROM deleted_children c
ORDER BY c.deleted_at DESC, c.id DESC
LIMIT @page_limit;

-- RestoreChild undoes a deletion made at or after deleted_since; 0 rows
-- for a child not deleted, or deleted before then.

-- name: RestoreChild :execrows
UPDATE children SET deleted_at = NULL, updated_at = @updated_at, updated_by = @updated_by, version = version + 1
WHERE id = @id AND deleted_at IS NOT NULL AND deleted_at >= @deleted_since;

-- Purging: children deleted before a time go for good, with every row that
-- hangs off them (transfers first; the foreign key cascades too).

-- name: PurgeDeletedChildTransfers :execrows
DELETE FROM child_transfers
WHERE child_id IN (SELECT c.id FROM children c WHERE c.deleted_at IS NOT NULL AND c.deleted_at < @deleted_before);

-- name: PurgeDeletedChildren :execrows
DELETE FROM children WHERE deleted_at IS NOT NULL AND deleted_at < @deleted_before;
