package survey

import (
	"context"
	"encoding/hex"
	"errors"

	"clinaudit/app/auth/secret"
	"clinaudit/app/store"
)

// Link errors, each with its own page.
var (
	ErrUnknownLink = errors.New("survey: no such link")
	ErrExpired     = errors.New("survey: the survey has closed")
	ErrCompleted   = errors.New("survey: already answered")
)

// Messages for the person answering, shared by the pages and the API.
const (
	MsgNotInSurvey = "This question is not in the survey"
	MsgMissing     = "Answer this question" // a required question shown, unanswered at the finish
)

// Response is one invitation being answered.
type Response struct {
	Invitation store.SurveyInvitation
	Survey     store.Survey
	Version    store.SurveyVersion
	Questions  []Question
	Answers    Answers
}

// ByToken finds a link's response. Errors: ErrUnknownLink, ErrExpired,
// ErrCompleted (the response is returned with the last two, for the page
// that says so).
func (s *Service) ByToken(ctx context.Context, token string) (Response, error) {
	inv, err := s.Store.GetSurveyInvitationByToken(ctx, hex.EncodeToString(secret.HashToken(token)))
	if errors.Is(err, store.ErrNotFound) {
		return Response{}, ErrUnknownLink
	} else if err != nil {
		return Response{}, err
	}
	return s.Load(ctx, inv.ID)
}

// Load reads an invitation's response (family accounts reach it by id).
// Errors: ErrUnknownLink, ErrExpired, ErrCompleted.
func (s *Service) Load(ctx context.Context, invitationID int64) (Response, error) {
	var r Response
	var err error
	if r.Invitation, err = s.Store.GetSurveyInvitation(ctx, invitationID); errors.Is(err, store.ErrNotFound) {
		return r, ErrUnknownLink
	} else if err != nil {
		return r, err
	}
	if r.Survey, err = s.Store.GetSurvey(ctx, r.Invitation.SurveyID); err != nil {
		return r, err
	}
	if r.Version, err = s.Store.GetSurveyVersion(ctx, r.Invitation.VersionID); err != nil {
		return r, err
	}
	r.Questions = MustParse(r.Version.Questions) // published: parsed when published
	as, err := s.Store.ListSurveyAnswers(ctx, invitationID)
	if err != nil {
		return r, err
	}
	r.Answers = Answers{}
	for _, a := range as {
		r.Answers[a.Question] = a.Answer
	}
	now := s.now()
	switch {
	case r.Invitation.CompletedAt != nil:
		return r, ErrCompleted
	case !Open(r.Survey, now) || !now.Before(r.Invitation.ExpiresAt):
		return r, ErrExpired
	}
	return r, nil
}

// Question returns the response's question by key.
func (r Response) Question(key string) (Question, bool) {
	for _, q := range r.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// Answer saves one answer (values as the form sent them) and returns the
// message for the person if it is refused (nothing is then saved).
func (s *Service) Answer(ctx context.Context, r *Response, key string, values []string) (string, error) {
	q, ok := r.Question(key)
	if !ok {
		return MsgNotInSurvey, nil
	}
	now := s.now()
	stored, msg := Normalise(q, values, now)
	if msg != "" {
		return msg, nil
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		if stored == "" {
			return tx.DeleteSurveyAnswer(ctx, store.DeleteSurveyAnswerParams{InvitationID: r.Invitation.ID, Question: key})
		}
		if err := tx.UpsertSurveyAnswer(ctx, store.UpsertSurveyAnswerParams{InvitationID: r.Invitation.ID, Question: key, Answer: stored, UpdatedAt: now}); err != nil {
			return err
		}
		return tx.MarkSurveyStarted(ctx, store.MarkSurveyStartedParams{StartedAt: &now, ID: r.Invitation.ID})
	})
	if err != nil {
		return "", err
	}
	if stored == "" {
		delete(r.Answers, key)
	} else {
		r.Answers[key] = stored
	}
	return "", nil
}

// Finish completes the response unless a required question shown is
// unanswered (those are returned, nothing changes). Its links then stop
// working.
func (s *Service) Finish(ctx context.Context, r *Response) ([]Question, error) {
	if m := Missing(r.Questions, r.Answers); len(m) > 0 {
		return m, nil
	}
	now := s.now()
	_, err := s.Store.CompleteSurveyInvitation(ctx, store.CompleteSurveyInvitationParams{CompletedAt: &now, ID: r.Invitation.ID})
	return nil, err
}

// Results are a survey's figures.
type Results struct {
	Survey    store.Survey
	Version   store.SurveyVersion
	Counts    store.SurveyResponseCounts
	Questions []Result
	// Responses are each started response's answers, by invitation, for
	// downloads; no names (the results carry no identifiers).
	Responses []Answers
	Completed []bool
}

// ResultsOf tallies a survey's answers under its latest published version.
func (s *Service) ResultsOf(ctx context.Context, surveyID int64) (Results, error) {
	var r Results
	var err error
	if r.Survey, err = s.Store.GetSurvey(ctx, surveyID); err != nil {
		return r, err
	}
	if r.Version, err = s.Store.GetPublishedSurveyVersion(ctx, surveyID); err != nil {
		return r, err
	}
	if r.Counts, err = s.Store.CountSurveyResponses(ctx, surveyID); err != nil {
		return r, err
	}
	invs, err := s.Store.ListSurveyInvitations(ctx, surveyID)
	if err != nil {
		return r, err
	}
	as, err := s.Store.ListSurveyAnswersForSurvey(ctx, surveyID)
	if err != nil {
		return r, err
	}
	by := map[int64]Answers{}
	for _, a := range as {
		if by[a.InvitationID] == nil {
			by[a.InvitationID] = Answers{}
		}
		by[a.InvitationID][a.Question] = a.Answer
	}
	for _, inv := range invs {
		if a, ok := by[inv.ID]; ok {
			r.Responses = append(r.Responses, a)
			r.Completed = append(r.Completed, inv.CompletedAt != nil)
		}
	}
	r.Questions = Summarise(MustParse(r.Version.Questions), r.Responses)
	return r, nil
}

// Rate is completed responses as a percentage of invitations.
func (r Results) Rate() float64 {
	if r.Counts.Invited == 0 {
		return 0
	}
	return 100 * float64(r.Counts.Completed) / float64(r.Counts.Invited)
}
