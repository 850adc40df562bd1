-- Families' onboarding submissions (schema 00027, docs/registry.md
-- "Onboarding"). app/registry/onboarding*.go is their only writer.

-- name: InsertOnboardingSubmission :one
INSERT INTO registry_onboarding (registry_id, email, first_name, surname, phone, address, postcode,
    preferred_language, preferred_channel, relationship, legal_authority, patient_first_name, patient_surname,
    patient_date_of_birth, patient_sex, patient_nhs_number, patient_postcode, consent_version_id, take_part,
    research_contact, share_deidentified, token_hash, code_hash, expires_at, created_at)
VALUES (@registry_id, @email, @first_name, @surname, @phone, @address, @postcode,
    @preferred_language, @preferred_channel, @relationship, @legal_authority, @patient_first_name, @patient_surname,
    @patient_date_of_birth, @patient_sex, @patient_nhs_number, @patient_postcode, @consent_version_id, @take_part,
    @research_contact, @share_deidentified, @token_hash, @code_hash, @expires_at, @created_at)
RETURNING id;

-- OnboardingSubmission is one submission of the onboarding form as stored.

-- name: GetOnboardingSubmission :one
SELECT * FROM registry_onboarding WHERE id = @id;

-- name: GetOnboardingByToken :one
SELECT * FROM registry_onboarding WHERE token_hash = @token_hash;

-- ListPendingOnboardingForEmail lists the unverified, unexpired submissions
-- of one email, newest first: where a typed code is looked for.

-- name: ListPendingOnboardingForEmail :many
SELECT * FROM registry_onboarding
WHERE registry_id = @registry_id AND email = @email AND status = 'pending' AND expires_at > @now
ORDER BY id DESC
LIMIT 5;

-- MarkOnboardingVerified verifies a pending submission that has not expired
-- at VerifiedAt: 1 row, once only.

-- name: MarkOnboardingVerified :execrows
UPDATE registry_onboarding SET status = 'verified', verified_at = @verified_at
WHERE id = @id AND status = 'pending' AND expires_at > @verified_at;

-- name: CountOnboardingCodeFailure :execrows
UPDATE registry_onboarding SET code_failures = code_failures + 1 WHERE id = @id;

-- name: ListOnboardingSubmissions :many
SELECT * FROM registry_onboarding
WHERE registry_id = @registry_id AND status = @status
ORDER BY id
LIMIT @page_limit OFFSET @page_offset;

-- name: CountOnboardingSubmissions :one
SELECT count(*) FROM registry_onboarding WHERE registry_id = @registry_id AND status = @status;

-- DecideOnboardingSubmission records a decision on a verified submission:
-- 1 row, once only.

-- name: DecideOnboardingSubmission :execrows
UPDATE registry_onboarding SET status = @status, decided_at = @decided_at, decided_by = @decided_by,
    decision_reason = @decision_reason, patient_id = @patient_id, contact_id = @contact_id
WHERE id = @id AND status = 'verified';

-- name: ListOnboardingForEmail :many
SELECT * FROM registry_onboarding WHERE registry_id = @registry_id AND email = @email ORDER BY id;

-- name: PurgeUnverifiedOnboarding :execrows
DELETE FROM registry_onboarding WHERE status = 'pending' AND created_at < @before;

-- name: PurgeDecidedOnboarding :execrows
DELETE FROM registry_onboarding WHERE status IN ('approved', 'rejected', 'matched') AND decided_at < @before;
