-- SMSFactor is a staff user's or family account's SMS second factor.
-- name: GetSMSFactor :one
SELECT * FROM sms_factors WHERE owner = @owner;

-- name: StartSMSFactor :exec
INSERT INTO sms_factors (owner, pending_phone, code_hash, code_expires_at, updated_at)
VALUES (@owner, @pending_phone, @code_hash, @code_expires_at, @updated_at)
ON CONFLICT (owner) DO UPDATE SET pending_phone = excluded.pending_phone, code_hash = excluded.code_hash,
    code_expires_at = excluded.code_expires_at, updated_at = excluded.updated_at;

-- name: SetSMSCode :execrows
UPDATE sms_factors SET code_hash = @code_hash, code_expires_at = @code_expires_at, updated_at = @updated_at
WHERE owner = @owner;

-- UseSMSCode spends the code when it matches and has not expired (one row).
-- name: UseSMSCode :execrows
UPDATE sms_factors SET code_hash = '', code_expires_at = NULL, updated_at = @now
WHERE owner = @owner AND code_hash <> '' AND code_hash = @code_hash AND code_expires_at > @now;

-- name: ConfirmSMSPhone :execrows
UPDATE sms_factors SET phone = pending_phone, pending_phone = '', verified_at = @now, updated_at = @now
WHERE owner = @owner AND pending_phone <> '';

-- name: DeleteSMSFactor :exec
DELETE FROM sms_factors WHERE owner = @owner;
