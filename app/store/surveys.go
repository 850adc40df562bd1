package store

import "context"

// SurveyQueries hold the registry's surveys (schema 00033,
// queries/shared/surveys.sql, docs/surveys.md). app/survey is their only
// writer.
type SurveyQueries interface {
	// InsertSurvey adds a survey and returns its id.
	InsertSurvey(ctx context.Context, arg InsertSurveyParams) (int64, error)
	// GetSurvey returns one survey. Errors: ErrNotFound.
	GetSurvey(ctx context.Context, id int64) (Survey, error)
	// ListSurveys lists a registry's surveys, newest first.
	ListSurveys(ctx context.Context, registryID int64) ([]Survey, error)
	// UpdateSurvey sets a survey's title and closing time.
	UpdateSurvey(ctx context.Context, arg UpdateSurveyParams) error
	// CloseSurvey closes a survey early; 0 rows if it was closed already.
	CloseSurvey(ctx context.Context, arg CloseSurveyParams) (int64, error)

	// InsertSurveyVersion adds a draft version and returns its id. Errors:
	// ErrConflict (that version number exists).
	InsertSurveyVersion(ctx context.Context, arg InsertSurveyVersionParams) (int64, error)
	// GetSurveyVersion returns one version. Errors: ErrNotFound.
	GetSurveyVersion(ctx context.Context, id int64) (SurveyVersion, error)
	// GetLatestSurveyVersion returns a survey's newest version, draft or
	// not. Errors: ErrNotFound.
	GetLatestSurveyVersion(ctx context.Context, surveyID int64) (SurveyVersion, error)
	// GetPublishedSurveyVersion returns a survey's newest published
	// version. Errors: ErrNotFound (none published).
	GetPublishedSurveyVersion(ctx context.Context, surveyID int64) (SurveyVersion, error)
	// UpdateSurveyDraft rewrites a draft; 0 rows for a published version.
	UpdateSurveyDraft(ctx context.Context, arg UpdateSurveyDraftParams) (int64, error)
	// PublishSurveyVersion freezes a draft; 0 rows if already published.
	PublishSurveyVersion(ctx context.Context, arg PublishSurveyVersionParams) (int64, error)

	// ListSurveyRecipients lists the contacts now linked to living,
	// undeleted patients of a registry, by relationship type when given
	// and primary contacts only when asked.
	ListSurveyRecipients(ctx context.Context, arg ListSurveyRecipientsParams) ([]SurveyRecipient, error)
	// InsertSurveyInvitation invites a contact and returns the id.
	// Errors: ErrNotFound when the contact is invited to that survey
	// already.
	InsertSurveyInvitation(ctx context.Context, arg InsertSurveyInvitationParams) (int64, error)
	// InsertSurveyToken adds a link (its hash) to an invitation.
	InsertSurveyToken(ctx context.Context, arg InsertSurveyTokenParams) error
	// GetSurveyInvitationByToken finds the invitation of a link's hash.
	// Errors: ErrNotFound.
	GetSurveyInvitationByToken(ctx context.Context, hash string) (SurveyInvitation, error)
	// GetSurveyInvitation returns one invitation. Errors: ErrNotFound.
	GetSurveyInvitation(ctx context.Context, id int64) (SurveyInvitation, error)
	// ListSurveyInvitations lists a survey's invitations with the
	// contacts' names.
	ListSurveyInvitations(ctx context.Context, surveyID int64) ([]SurveyInvitationRow, error)
	// CountSurveyResponses counts a survey's invitations, started and
	// completed.
	CountSurveyResponses(ctx context.Context, surveyID int64) (SurveyResponseCounts, error)
	// MarkSurveyStarted records the first answer's time.
	MarkSurveyStarted(ctx context.Context, arg MarkSurveyStartedParams) error
	// CompleteSurveyInvitation records the finish; 0 rows if finished
	// already.
	CompleteSurveyInvitation(ctx context.Context, arg CompleteSurveyInvitationParams) (int64, error)

	// UpsertSurveyAnswer saves one answer.
	UpsertSurveyAnswer(ctx context.Context, arg UpsertSurveyAnswerParams) error
	// DeleteSurveyAnswer removes one answer (cleared).
	DeleteSurveyAnswer(ctx context.Context, arg DeleteSurveyAnswerParams) error
	// ListSurveyAnswers lists one invitation's answers.
	ListSurveyAnswers(ctx context.Context, invitationID int64) ([]SurveyAnswer, error)
	// ListSurveyAnswersForSurvey lists every answer of a survey, by
	// invitation.
	ListSurveyAnswersForSurvey(ctx context.Context, surveyID int64) ([]SurveyAnswer, error)

	// ListSurveyRemindersDue lists unfinished invitations of open surveys
	// last messaged on or before dueBefore, with fewer reminders than
	// maxReminders.
	ListSurveyRemindersDue(ctx context.Context, arg ListSurveyRemindersDueParams) ([]SurveyReminderDue, error)
	// MarkSurveyReminded counts a reminder.
	MarkSurveyReminded(ctx context.Context, arg MarkSurveyRemindedParams) error
	// ListOpenSurveysForContact lists a contact's unfinished invitations
	// of open surveys, soonest to expire first.
	ListOpenSurveysForContact(ctx context.Context, arg ListOpenSurveysForContactParams) ([]OpenSurvey, error)
}
