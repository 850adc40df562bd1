-- name: CreateUser :one
INSERT INTO users (email, first_name, surname, role, organisation_id, is_superuser,
    two_factor_exempt, created_at, updated_at)
VALUES (@email, @first_name, @surname, @role, @organisation_id, @is_superuser,
    @two_factor_exempt, @created_at, @created_at)
RETURNING id;

-- name: GetUser :one
SELECT * FROM users WHERE id = @id;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE email = @email;

-- name: SetUserPassword :exec
UPDATE users SET password_hash = @password_hash, password_set_at = @set_at,
    email_confirmed = TRUE, updated_at = @set_at
WHERE id = @id;

-- name: RehashUserPassword :exec
UPDATE users SET password_hash = @password_hash WHERE id = @id;

-- name: SetUserTOTPSecret :exec
UPDATE users SET totp_secret = @totp_secret, totp_confirmed_at = NULL, updated_at = @updated_at
WHERE id = @id;

-- ConfirmUserTOTP completes an enrolment; it affects no row when the user
-- is enrolled already. The code's step is recorded by UseTOTPStep, the one
-- once-only check every path shares.
-- name: ConfirmUserTOTP :execrows
UPDATE users SET totp_confirmed_at = @confirmed_at, updated_at = @confirmed_at
WHERE id = @id AND totp_secret IS NOT NULL AND totp_confirmed_at IS NULL;

-- UseTOTPStep records the time step of an accepted code; it affects no row
-- when that step (or a later one) was already used, which refuses replays.
-- name: UseTOTPStep :execrows
UPDATE users SET totp_last_step = @step WHERE id = @id AND totp_last_step < @step;

-- name: RecordUserSignIn :exec
UPDATE users SET last_sign_in_at = @at WHERE id = @id;

-- name: CreateSession :exec
INSERT INTO sessions (id, user_id, two_factor_ok, created_at, last_seen_at, expires_at, ip, user_agent)
VALUES (@id, @user_id, @two_factor_ok, @created_at, @created_at, @expires_at, @ip, @user_agent);

-- name: GetSession :one
SELECT * FROM sessions WHERE id = @id;

-- SessionIdentity is a session with its user and where the user's
-- organisation sits (NULLs for none): what every signed-in request reads,
-- in one statement rather than three (issue 22: round trips to PostgreSQL).
-- Its columns are GetSession's, GetUser's and GetOrganisationPlace's; a
-- conformance test holds them equal.

-- name: GetSessionIdentity :one
SELECT s.id, s.user_id, s.two_factor_ok, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent,
    u.email AS user_email, u.first_name AS user_first_name, u.surname AS user_surname, u.role AS user_role,
    u.organisation_id AS user_organisation_id, u.is_superuser AS user_is_superuser, u.is_active AS user_is_active,
    u.email_confirmed AS user_email_confirmed, u.password_hash AS user_password_hash,
    u.password_set_at AS user_password_set_at, u.totp_secret AS user_totp_secret,
    u.totp_confirmed_at AS user_totp_confirmed_at, u.totp_last_step AS user_totp_last_step,
    u.two_factor_exempt AS user_two_factor_exempt, u.last_sign_in_at AS user_last_sign_in_at,
    u.created_at AS user_created_at, u.updated_at AS user_updated_at,
    o.trust_ods_code AS place_trust_ods_code, o.local_health_board_ods_code AS place_local_health_board_ods_code
FROM sessions s
JOIN users u ON u.id = s.user_id
LEFT JOIN organisations o ON o.id = u.organisation_id
WHERE s.id = @id;

-- name: TouchSession :exec
UPDATE sessions SET last_seen_at = @last_seen_at WHERE id = @id;

-- name: DeleteSession :exec
DELETE FROM sessions WHERE id = @id;

-- name: DeleteUserSessions :exec
DELETE FROM sessions WHERE user_id = @user_id;

-- name: DeleteOtherUserSessions :execrows
DELETE FROM sessions WHERE user_id = @user_id AND id <> @keep_id;

-- name: DeleteExpiredSessions :execrows
DELETE FROM sessions WHERE expires_at <= @now OR last_seen_at <= @idle_cutoff;

-- name: CreateAuthToken :exec
INSERT INTO auth_tokens (hash, user_id, purpose, created_at, expires_at)
VALUES (@hash, @user_id, @purpose, @created_at, @expires_at);

-- UseAuthToken spends a token: exactly once, and only before it expires.
-- name: UseAuthToken :one
UPDATE auth_tokens SET used_at = @now
WHERE hash = @hash AND purpose = @purpose AND used_at IS NULL AND expires_at > @now
RETURNING user_id;

-- name: GetAuthToken :one
SELECT * FROM auth_tokens WHERE hash = @hash AND purpose = @purpose;

-- name: RevokeAuthTokens :exec
UPDATE auth_tokens SET used_at = @now WHERE user_id = @user_id AND purpose = @purpose AND used_at IS NULL;

-- DeleteSpentAuthTokens deletes the tokens that can no longer be used: used
-- (or revoked), or expired by @before (UseAuthToken needs expires_at > now).
-- name: DeleteSpentAuthTokens :execrows
DELETE FROM auth_tokens WHERE used_at IS NOT NULL OR expires_at <= @before;

-- name: InsertBackupCode :exec
INSERT INTO backup_codes (user_id, code_hash) VALUES (@user_id, @code_hash);

-- name: DeleteBackupCodes :exec
DELETE FROM backup_codes WHERE user_id = @user_id;

-- name: UseBackupCode :execrows
UPDATE backup_codes SET used_at = @now WHERE user_id = @user_id AND code_hash = @code_hash AND used_at IS NULL;

-- name: GetThrottle :one
SELECT * FROM sign_in_throttle WHERE key = @key;

-- name: PutThrottle :exec
INSERT INTO sign_in_throttle (key, failures, window_start, locked_until)
VALUES (@key, @failures, @window_start, @locked_until)
ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
    window_start = excluded.window_start, locked_until = excluded.locked_until;

-- name: DeleteThrottle :exec
DELETE FROM sign_in_throttle WHERE key = @key;

-- name: DeleteThrottlesWithPrefix :exec
DELETE FROM sign_in_throttle WHERE key LIKE @prefix;

-- name: InsertSignInEvent :exec
INSERT INTO sign_in_events (user_id, event, occurred_at, ip, user_agent)
VALUES (@user_id, @event, @occurred_at, @ip, @user_agent);

-- name: ListSignInEvents :many
SELECT * FROM sign_in_events WHERE user_id = @user_id ORDER BY occurred_at DESC, id DESC LIMIT @page_limit;

-- name: InsertEmail :one
INSERT INTO emails (to_address, subject, body_text, created_at, channel, body_html, template, essential)
VALUES (@to_address, @subject, @body_text, @created_at, @channel, @body_html, @template, @essential)
RETURNING id;

-- name: GetEmail :one
SELECT * FROM emails WHERE id = @id;

-- name: MarkEmailSent :exec
UPDATE emails SET sent_at = @sent_at, body_text = @body_text, body_html = '', attempts = attempts + 1, last_error = '',
    status = 'sent', status_reason = '', status_at = @sent_at, provider = @provider, provider_ref = @provider_ref
WHERE id = @id;

-- name: RecordEmailFailure :exec
UPDATE emails SET attempts = attempts + 1, last_error = @last_error, status = @status, status_reason = @status_reason,
    status_at = @status_at, provider = @provider
WHERE id = @id;

-- name: ListEmails :many
SELECT * FROM emails ORDER BY created_at DESC, id DESC LIMIT @page_limit;

-- name: SetUserActive :exec
UPDATE users SET is_active = @is_active, updated_at = @updated_at WHERE id = @id;

-- name: ListEmailsTo :many
SELECT * FROM emails WHERE to_address = @to_address ORDER BY created_at DESC, id DESC LIMIT @page_limit;
