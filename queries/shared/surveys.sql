-- Survey is a registry's questionnaire: its title (the latest version's)
-- and when it closes.
-- name: InsertSurvey :one
INSERT INTO surveys (registry_id, title, closes_at, created_at, created_by)
VALUES (@registry_id, @title, @closes_at, @created_at, @created_by)
RETURNING id;

-- name: GetSurvey :one
SELECT * FROM surveys WHERE id = @id;

-- name: ListSurveys :many
SELECT * FROM surveys WHERE registry_id = @registry_id ORDER BY created_at DESC, id DESC;

-- name: UpdateSurvey :exec
UPDATE surveys SET title = @title, closes_at = @closes_at WHERE id = @id;

-- name: CloseSurvey :execrows
UPDATE surveys SET closed_at = @closed_at WHERE id = @id AND closed_at IS NULL;

-- SurveyVersion is one version of a survey's text; published_at set means
-- frozen.
-- name: InsertSurveyVersion :one
INSERT INTO survey_versions (survey_id, version, title, intro, questions, updated_at, updated_by)
VALUES (@survey_id, @version, @title, @intro, @questions, @updated_at, @updated_by)
RETURNING id;

-- name: GetSurveyVersion :one
SELECT * FROM survey_versions WHERE id = @id;

-- name: GetLatestSurveyVersion :one
SELECT * FROM survey_versions WHERE survey_id = @survey_id ORDER BY version DESC LIMIT 1;

-- name: GetPublishedSurveyVersion :one
SELECT * FROM survey_versions WHERE survey_id = @survey_id AND published_at IS NOT NULL ORDER BY version DESC LIMIT 1;

-- name: UpdateSurveyDraft :execrows
UPDATE survey_versions SET title = @title, intro = @intro, questions = @questions, updated_at = @updated_at, updated_by = @updated_by
WHERE id = @id AND published_at IS NULL;

-- name: PublishSurveyVersion :execrows
UPDATE survey_versions SET published_at = @published_at WHERE id = @id AND published_at IS NULL;

-- SurveyRecipient is a contact a survey may go to: linked (now) to a
-- patient of the registry that is not deleted.
-- name: ListSurveyRecipients :many
SELECT DISTINCT c.id, c.first_name, c.surname, c.email, c.phone, c.preferred_channel, c.may_contact
FROM registry_contacts c
JOIN registry_relationships r ON r.contact_id = c.id AND r.deleted_at IS NULL AND r.end_date IS NULL
JOIN registry_patients p ON p.id = r.patient_id AND p.deleted_at IS NULL AND p.date_of_death IS NULL
WHERE c.registry_id = @registry_id AND c.deleted_at IS NULL AND c.merged_into_id IS NULL
  AND (r.type = sqlc.narg('relationship') OR sqlc.narg('relationship') IS NULL)
  AND (r.is_primary OR NOT CAST(@primary_only AS boolean))
ORDER BY c.id;

-- SurveyInvitation is one contact's invitation to a version.
-- name: InsertSurveyInvitation :one
INSERT INTO survey_invitations (survey_id, version_id, contact_id, channel, created_at, created_by, expires_at)
VALUES (@survey_id, @version_id, @contact_id, @channel, @created_at, @created_by, @expires_at)
ON CONFLICT (survey_id, contact_id) DO NOTHING
RETURNING id;

-- name: InsertSurveyToken :exec
INSERT INTO survey_tokens (hash, invitation_id, created_at) VALUES (@hash, @invitation_id, @created_at);

-- name: GetSurveyInvitationByToken :one
SELECT i.* FROM survey_invitations i JOIN survey_tokens t ON t.invitation_id = i.id WHERE t.hash = @hash;

-- name: GetSurveyInvitation :one
SELECT * FROM survey_invitations WHERE id = @id;

-- SurveyInvitationRow is an invitation with its contact's name, for the
-- survey's page (registry managers).
-- name: ListSurveyInvitations :many
SELECT i.id, i.channel, i.created_at, i.started_at, i.completed_at, i.reminders, c.first_name, c.surname
FROM survey_invitations i JOIN registry_contacts c ON c.id = i.contact_id
WHERE i.survey_id = @survey_id ORDER BY c.surname, c.first_name, i.id;

-- SurveyResponseCounts: invited, started and completed.
-- name: CountSurveyResponses :one
SELECT count(*) AS invited, count(started_at) AS started, count(completed_at) AS completed
FROM survey_invitations WHERE survey_id = @survey_id;

-- name: MarkSurveyStarted :exec
UPDATE survey_invitations SET started_at = @started_at WHERE id = @id AND started_at IS NULL;

-- name: CompleteSurveyInvitation :execrows
UPDATE survey_invitations SET completed_at = @completed_at WHERE id = @id AND completed_at IS NULL;

-- SurveyAnswer is one answer of one invitation.
-- name: UpsertSurveyAnswer :exec
INSERT INTO survey_answers (invitation_id, question, answer, updated_at) VALUES (@invitation_id, @question, @answer, @updated_at)
ON CONFLICT (invitation_id, question) DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at;

-- name: DeleteSurveyAnswer :exec
DELETE FROM survey_answers WHERE invitation_id = @invitation_id AND question = @question;

-- name: ListSurveyAnswers :many
SELECT * FROM survey_answers WHERE invitation_id = @invitation_id ORDER BY question;

-- name: ListSurveyAnswersForSurvey :many
SELECT a.* FROM survey_answers a JOIN survey_invitations i ON i.id = a.invitation_id
WHERE i.survey_id = @survey_id ORDER BY a.invitation_id, a.question;

-- SurveyReminderDue is an unanswered invitation due a reminder, with what
-- the message needs.
-- name: ListSurveyRemindersDue :many
SELECT i.id, i.survey_id, i.channel, i.expires_at, c.first_name, c.surname, c.email, c.phone, c.preferred_channel, c.may_contact,
    s.title, g.name AS registry_name
FROM survey_invitations i
JOIN surveys s ON s.id = i.survey_id
JOIN registries g ON g.id = s.registry_id
JOIN registry_contacts c ON c.id = i.contact_id
WHERE i.completed_at IS NULL AND i.expires_at > @now AND s.closed_at IS NULL AND s.closes_at > @now
  AND c.deleted_at IS NULL AND i.reminders < @max_reminders
  AND ((i.last_reminded_at IS NULL AND i.created_at <= @due_before) OR i.last_reminded_at <= @due_before)
ORDER BY i.id LIMIT @page_limit;

-- name: MarkSurveyReminded :exec
UPDATE survey_invitations SET last_reminded_at = @reminded_at, reminders = reminders + 1 WHERE id = @id;

-- OpenSurvey is an invitation a contact has yet to finish.
-- name: ListOpenSurveysForContact :many
SELECT i.id AS invitation_id, i.survey_id, s.title, i.expires_at, i.started_at
FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id
WHERE i.contact_id = @contact_id AND i.completed_at IS NULL AND i.expires_at > @now AND s.closed_at IS NULL AND s.closes_at > @now
ORDER BY i.expires_at, i.id;
