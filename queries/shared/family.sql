-- Families' accounts, sign-in tokens, sessions and carer invitations
-- (schema 00028-00029, docs/registry.md "Family sign-in").

-- name: CreateFamilyAccount :one
INSERT INTO family_accounts (registry_id, contact_id, email, created_at, updated_at)
VALUES (@registry_id, @contact_id, @email, @created_at, @created_at)
RETURNING id;

-- FamilyAccount is a family's account with the contact it signs in as and
-- its registry's rule for the second factor (registry_settings). An
-- account whose contact is deleted (or merged away) is not found: it signs
-- in no more, and its sessions end.

-- name: GetFamilyAccount :one
SELECT a.id, a.registry_id, a.contact_id, a.email, a.status, a.totp_secret, a.totp_confirmed_at,
    a.totp_last_step, a.last_sign_in_at, a.created_at, a.updated_at,
    c.first_name, c.surname,
    CAST(coalesce(rs.family_second_factor, 'optional') AS TEXT) AS family_second_factor
FROM family_accounts a
JOIN registry_contacts c ON c.id = a.contact_id
LEFT JOIN registry_settings rs ON rs.registry_id = a.registry_id
WHERE a.id = @id AND c.deleted_at IS NULL;

-- name: GetFamilyAccountByEmail :one
SELECT a.id, a.registry_id, a.contact_id, a.email, a.status, a.totp_secret, a.totp_confirmed_at,
    a.totp_last_step, a.last_sign_in_at, a.created_at, a.updated_at,
    c.first_name, c.surname,
    CAST(coalesce(rs.family_second_factor, 'optional') AS TEXT) AS family_second_factor
FROM family_accounts a
JOIN registry_contacts c ON c.id = a.contact_id
LEFT JOIN registry_settings rs ON rs.registry_id = a.registry_id
WHERE a.registry_id = @registry_id AND a.email = @email AND c.deleted_at IS NULL;

-- name: SetFamilyAccountStatus :exec
UPDATE family_accounts SET status = @status, updated_at = @updated_at WHERE id = @id;

-- name: SetFamilyAccountEmail :exec
UPDATE family_accounts SET email = @email, updated_at = @updated_at WHERE id = @id;

-- name: SetFamilyTOTPSecret :exec
UPDATE family_accounts SET totp_secret = @totp_secret, totp_confirmed_at = NULL, updated_at = @updated_at
WHERE id = @id;

-- name: ConfirmFamilyTOTP :execrows
UPDATE family_accounts SET totp_confirmed_at = @confirmed_at, updated_at = @confirmed_at
WHERE id = @id AND totp_secret IS NOT NULL AND totp_confirmed_at IS NULL;

-- UseFamilyTOTPStep records an accepted code's step; no row when that step
-- or a later one was used already (a replay).
-- name: UseFamilyTOTPStep :execrows
UPDATE family_accounts SET totp_last_step = @step WHERE id = @id AND totp_last_step < @step;

-- name: RecordFamilySignIn :exec
UPDATE family_accounts SET last_sign_in_at = @at WHERE id = @id;

-- name: CreateFamilySignInToken :exec
INSERT INTO family_sign_in_tokens (account_id, link_hash, code_hash, created_at, expires_at)
VALUES (@account_id, @link_hash, @code_hash, @created_at, @expires_at);

-- UseFamilySignInLink spends a sign-in by its link: once, before it
-- expires, and not after its code was tried too often.
-- name: UseFamilySignInLink :one
UPDATE family_sign_in_tokens SET used_at = @now
WHERE link_hash = @link_hash AND used_at IS NULL AND expires_at > @now
RETURNING account_id;

-- FamilySignInToken is one emailed sign-in (link and code, hashed).

-- GetLatestFamilySignInToken is the account's newest sign-in still usable:
-- where a typed code is checked.
-- name: GetLatestFamilySignInToken :one
SELECT * FROM family_sign_in_tokens
WHERE account_id = @account_id AND used_at IS NULL AND expires_at > @now
ORDER BY id DESC
LIMIT 1;

-- CountFamilySignInAttempt counts a wrong code against a sign-in and
-- returns the attempts so far (the caller spends it at the limit).
-- name: CountFamilySignInAttempt :one
UPDATE family_sign_in_tokens SET attempts = attempts + 1 WHERE id = @id
RETURNING attempts;

-- UseFamilySignInCode spends a sign-in whose code matched (or was tried too
-- often): 0 rows when a concurrent request spent it first.
-- name: UseFamilySignInCode :execrows
UPDATE family_sign_in_tokens SET used_at = @now WHERE id = @id AND used_at IS NULL AND expires_at > @now;

-- name: RevokeFamilySignInTokens :exec
UPDATE family_sign_in_tokens SET used_at = @now WHERE account_id = @account_id AND used_at IS NULL;

-- name: DeleteSpentFamilySignInTokens :execrows
DELETE FROM family_sign_in_tokens WHERE used_at IS NOT NULL OR expires_at <= @before;

-- name: CreateFamilySession :exec
INSERT INTO family_sessions (id, account_id, two_factor_ok, created_at, last_seen_at, expires_at, ip, user_agent)
VALUES (@id, @account_id, @two_factor_ok, @created_at, @created_at, @expires_at, @ip, @user_agent);

-- name: GetFamilySession :one
SELECT * FROM family_sessions WHERE id = @id;

-- name: TouchFamilySession :exec
UPDATE family_sessions SET last_seen_at = @last_seen_at WHERE id = @id;

-- name: DeleteFamilySession :exec
DELETE FROM family_sessions WHERE id = @id;

-- name: DeleteFamilyAccountSessions :exec
DELETE FROM family_sessions WHERE account_id = @account_id;

-- name: DeleteExpiredFamilySessions :execrows
DELETE FROM family_sessions WHERE expires_at <= @now OR last_seen_at <= @idle_cutoff;

-- FamilyPatient is a patient a family account holds an active relationship
-- with authority for: the relationship not removed, not ended (an end date
-- after today is still current), with legal authority or leave to act for
-- the patient; the patient not deleted.

-- name: ListFamilyPatients :many
SELECT p.id, p.registry_ref, p.first_name, p.surname, p.date_of_birth, p.version,
    r.id AS relationship_id, r.type AS relationship_type
FROM family_accounts a
JOIN registry_contacts c ON c.id = a.contact_id AND c.deleted_at IS NULL
JOIN registry_relationships r ON r.contact_id = a.contact_id
JOIN registry_patients p ON p.id = r.patient_id
WHERE a.id = @account_id AND a.status = 'active'
  AND r.deleted_at IS NULL AND (r.end_date IS NULL OR r.end_date > @today)
  AND (r.legal_authority OR r.may_act)
  AND p.deleted_at IS NULL
ORDER BY p.surname, p.first_name, p.id;

-- name: CreateFamilyInvitation :one
INSERT INTO family_invitations (token_hash, registry_id, patient_id, invited_by, email, relationship_type,
    legal_authority, created_at, expires_at)
VALUES (@token_hash, @registry_id, @patient_id, @invited_by, @email, @relationship_type,
    @legal_authority, @created_at, @expires_at)
RETURNING id;

-- FamilyInvitation is a carer's invitation to join a patient's family.

-- name: GetFamilyInvitation :one
SELECT * FROM family_invitations WHERE token_hash = @token_hash;

-- UseFamilyInvitation spends an invitation: once, before it expires.
-- name: UseFamilyInvitation :execrows
UPDATE family_invitations SET used_at = @now, accepted_account_id = @accepted_account_id
WHERE id = @id AND used_at IS NULL AND expires_at > @now;

-- name: ListFamilyInvitations :many
SELECT * FROM family_invitations WHERE patient_id = @patient_id ORDER BY id DESC LIMIT @page_limit;

-- FindFamilyContactByEmail is the contact a first sign-in makes an account
-- for: of the registry, with that email, live, without an account, and
-- holding an active relationship with authority for a live patient (as
-- ListFamilyPatients). The oldest, if two contacts share the address.
-- name: FindFamilyContactByEmail :one
SELECT c.id FROM registry_contacts c
WHERE c.registry_id = @registry_id AND c.email = @email AND c.deleted_at IS NULL AND c.merged_into_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM family_accounts a WHERE a.contact_id = c.id)
  AND EXISTS (SELECT 1 FROM registry_relationships r JOIN registry_patients p ON p.id = r.patient_id
              WHERE r.contact_id = c.id AND r.deleted_at IS NULL AND (r.end_date IS NULL OR r.end_date > @today)
                AND (r.legal_authority OR r.may_act) AND p.deleted_at IS NULL)
ORDER BY c.id
LIMIT 1;

-- MoveFamilyAccount moves a contact's account to the contact it was merged
-- into, unless that one has an account of its own (then the merged-away
-- contact's account stays with it, deleted, and signs in no more).
-- name: MoveFamilyAccount :execrows
UPDATE family_accounts SET contact_id = @keep_id, updated_at = @updated_at
WHERE family_accounts.contact_id = @away_id
  AND NOT EXISTS (SELECT 1 FROM family_accounts k WHERE k.contact_id = @keep_id);
