package survey

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"clinaudit/app/auth/secret"
	"clinaudit/app/notify"
	"clinaudit/app/outbox"
	"clinaudit/app/store"
)

// Service writes surveys to the store. Authorisation is the caller's
// (the web layer's registry guard and EditRegistry); the public answering
// functions are reached by a link's token alone.
type Service struct {
	Store   store.Store
	BaseURL string // links are BaseURL + "/s/" + token
	Now     func() time.Time
	// ReminderAfter is how long after the last message a reminder goes
	// (DefaultReminderAfter when 0); MaxReminders how many (2 when 0).
	ReminderAfter time.Duration
	MaxReminders  int64
}

// DefaultReminderAfter is the wait before each reminder.
const DefaultReminderAfter = 7 * 24 * time.Hour

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Draft is what a manager writes.
type Draft struct {
	Title, Intro, Questions string
	Closes                  time.Time
}

// Problem is a mistake in a draft, on a form field.
type Problem struct{ Field, Message string }

// Check validates a draft.
func Check(d Draft, now time.Time) ([]Question, []Problem) {
	var ps []Problem
	switch t := strings.TrimSpace(d.Title); {
	case t == "":
		ps = append(ps, Problem{"title", "Enter a title"})
	case len(t) > 200:
		ps = append(ps, Problem{"title", "Keep the title under 200 characters"})
	}
	if len(d.Intro) > 4000 {
		ps = append(ps, Problem{"intro", "Keep the introduction under 4,000 characters"})
	}
	if !d.Closes.After(now) {
		ps = append(ps, Problem{"closes", "The closing date must be in the future"})
	}
	qs, errs := Parse(d.Questions)
	for _, e := range errs {
		ps = append(ps, Problem{"questions", "Questions, " + e.Error()})
	}
	return qs, ps
}

var (
	ErrNotPublished = errors.New("survey: publish the survey before sending it")
	ErrClosed       = errors.New("survey: the survey is closed")
	ErrNoDraft      = errors.New("survey: there is no draft to publish")
)

// Create adds a survey with its first (draft) version.
func (s *Service) Create(ctx context.Context, registryID, userID int64, d Draft) (int64, []Problem, error) {
	now := s.now()
	if _, ps := Check(d, now); len(ps) > 0 {
		return 0, ps, nil
	}
	var id int64
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		id, err = tx.InsertSurvey(ctx, store.InsertSurveyParams{RegistryID: registryID, Title: strings.TrimSpace(d.Title), ClosesAt: d.Closes, CreatedAt: now, CreatedBy: &userID})
		if err != nil {
			return err
		}
		_, err = tx.InsertSurveyVersion(ctx, store.InsertSurveyVersionParams{SurveyID: id, Version: 1, Title: strings.TrimSpace(d.Title),
			Intro: strings.TrimSpace(d.Intro), Questions: d.Questions, UpdatedAt: now, UpdatedBy: &userID})
		return err
	})
	return id, nil, err
}

// Save writes a draft: into the latest version while it is a draft, else
// as a new version (a published version never changes).
func (s *Service) Save(ctx context.Context, surveyID, userID int64, d Draft) ([]Problem, error) {
	now := s.now()
	if _, ps := Check(d, now); len(ps) > 0 {
		return ps, nil
	}
	return nil, s.Store.InTx(ctx, func(tx store.Tx) error {
		v, err := tx.GetLatestSurveyVersion(ctx, surveyID)
		if err != nil {
			return err
		}
		title, intro := strings.TrimSpace(d.Title), strings.TrimSpace(d.Intro)
		if err := tx.UpdateSurvey(ctx, store.UpdateSurveyParams{Title: title, ClosesAt: d.Closes, ID: surveyID}); err != nil {
			return err
		}
		if v.PublishedAt == nil {
			_, err = tx.UpdateSurveyDraft(ctx, store.UpdateSurveyDraftParams{Title: title, Intro: intro, Questions: d.Questions, UpdatedAt: now, UpdatedBy: &userID, ID: v.ID})
			return err
		}
		if v.Title == title && v.Intro == intro && v.Questions == d.Questions {
			return nil // only the closing date changed: no new version
		}
		_, err = tx.InsertSurveyVersion(ctx, store.InsertSurveyVersionParams{SurveyID: surveyID, Version: v.Version + 1, Title: title,
			Intro: intro, Questions: d.Questions, UpdatedAt: now, UpdatedBy: &userID})
		return err
	})
}

// Publish freezes the latest draft. Errors: ErrNoDraft.
func (s *Service) Publish(ctx context.Context, surveyID int64) error {
	v, err := s.Store.GetLatestSurveyVersion(ctx, surveyID)
	if err != nil {
		return err
	}
	if v.PublishedAt != nil {
		return ErrNoDraft
	}
	if _, errs := Parse(v.Questions); len(errs) > 0 {
		return fmt.Errorf("survey: the draft's questions do not parse: %v", errs[0])
	}
	now := s.now()
	_, err = s.Store.PublishSurveyVersion(ctx, store.PublishSurveyVersionParams{PublishedAt: &now, ID: v.ID})
	return err
}

// Close closes a survey now: links stop working, reminders stop.
func (s *Service) Close(ctx context.Context, surveyID int64) error {
	now := s.now()
	_, err := s.Store.CloseSurvey(ctx, store.CloseSurveyParams{ClosedAt: &now, ID: surveyID})
	return err
}

// Open reports whether a survey takes answers at t.
func Open(sv store.Survey, t time.Time) bool {
	return sv.ClosedAt == nil && t.Before(sv.ClosesAt)
}

// Filter chooses whom a survey goes to, and how.
type Filter struct {
	Relationship string         // "": any
	PrimaryOnly  bool           // only each patient's primary contacts
	Channel      outbox.Channel // "": each contact's preference
}

// SendReport says what a send did.
type SendReport struct {
	Invited, AlreadyInvited, OptedOut, NoAddress int
}

// closesText is the closing time as messages say it.
func closesText(t time.Time) string { return t.UTC().Format("2 January 2006") }

// link makes a new token for an invitation, stores its hash and returns
// the link.
func (s *Service) link(ctx context.Context, tx store.Tx, invitationID int64, now time.Time) (string, error) {
	plain, hash := secret.NewToken()
	if err := tx.InsertSurveyToken(ctx, store.InsertSurveyTokenParams{Hash: hex.EncodeToString(hash), InvitationID: invitationID, CreatedAt: now}); err != nil {
		return "", err
	}
	return s.BaseURL + "/s/" + plain, nil
}

// Send invites the contacts f selects to the survey's published version,
// each with a personal link by email or SMS, in one transaction. A contact
// invited before, opted out, or without an address for the channel is
// counted and skipped.
func (s *Service) Send(ctx context.Context, surveyID, userID int64, registryName string, f Filter) (SendReport, error) {
	var rep SendReport
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		rep = SendReport{}
		sv, err := tx.GetSurvey(ctx, surveyID)
		if err != nil {
			return err
		}
		if !Open(sv, now) {
			return ErrClosed
		}
		v, err := tx.GetPublishedSurveyVersion(ctx, surveyID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotPublished
		} else if err != nil {
			return err
		}
		var rel *string
		if f.Relationship != "" {
			rel = &f.Relationship
		}
		cs, err := tx.ListSurveyRecipients(ctx, store.ListSurveyRecipientsParams{RegistryID: sv.RegistryID, Relationship: rel, PrimaryOnly: f.PrimaryOnly})
		if err != nil {
			return err
		}
		tpl, _ := notify.Lookup("survey_invite")
		for _, c := range cs {
			r := notify.Recipient{Email: c.Email, Phone: c.Phone, Prefer: outbox.Channel(c.PreferredChannel), OptedOut: !c.MayContact}
			ch, _, err := r.Route(tpl, f.Channel)
			switch {
			case errors.Is(err, notify.ErrOptedOut):
				rep.OptedOut++
				continue
			case errors.Is(err, notify.ErrNoAddress):
				rep.NoAddress++
				continue
			case err != nil:
				return err
			}
			id, err := tx.InsertSurveyInvitation(ctx, store.InsertSurveyInvitationParams{SurveyID: surveyID, VersionID: v.ID, ContactID: c.ID,
				Channel: string(ch), CreatedAt: now, CreatedBy: &userID, ExpiresAt: sv.ClosesAt})
			if errors.Is(err, store.ErrNotFound) {
				rep.AlreadyInvited++
				continue
			} else if err != nil {
				return err
			}
			link, err := s.link(ctx, tx, id, now)
			if err != nil {
				return err
			}
			if _, _, err := notify.Send(ctx, tx, notify.Notification{Template: "survey_invite", To: r, Channel: ch, Values: map[string]string{
				"contact_name": c.FirstName + " " + c.Surname, "registry": registryName, "survey": v.Title, "link": link, "closes": closesText(sv.ClosesAt)}}, now); err != nil {
				return err
			}
			rep.Invited++
		}
		return nil
	})
	return rep, err
}

// SendReminders reminds every unfinished invitation of an open survey
// whose last message is ReminderAfter old, up to MaxReminders times, each
// with a new link to the same answers (the first link keeps working). The
// River periodic job survey_reminders runs it (ReminderWorker).
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	now := s.now()
	after, max := s.ReminderAfter, s.MaxReminders
	if after == 0 {
		after = DefaultReminderAfter
	}
	if max == 0 {
		max = 2
	}
	due, err := s.Store.ListSurveyRemindersDue(ctx, store.ListSurveyRemindersDueParams{Now: now, MaxReminders: max, DueBefore: now.Add(-after), PageLimit: 500})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range due {
		err := s.Store.InTx(ctx, func(tx store.Tx) error {
			if err := tx.MarkSurveyReminded(ctx, store.MarkSurveyRemindedParams{RemindedAt: &now, ID: d.ID}); err != nil {
				return err
			}
			r := notify.Recipient{Email: d.Email, Phone: d.Phone, Prefer: outbox.Channel(d.PreferredChannel), OptedOut: !d.MayContact}
			link, err := s.link(ctx, tx, d.ID, now)
			if err != nil {
				return err
			}
			_, _, err = notify.Send(ctx, tx, notify.Notification{Template: "survey_reminder", To: r, Channel: outbox.Channel(d.Channel), Values: map[string]string{
				"contact_name": d.FirstName + " " + d.Surname, "registry": d.RegistryName, "survey": d.Title, "link": link, "closes": closesText(d.ExpiresAt)}}, now)
			if errors.Is(err, notify.ErrOptedOut) || errors.Is(err, notify.ErrNoAddress) {
				return nil // counted as reminded: not asked again
			}
			if err == nil {
				sent++
			}
			return err
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// OpenForContact lists a contact's surveys still to answer: for the
// family accounts' private area (issue 17). Answering there uses the
// same functions as the link (Load, Answer, Finish) with the invitation
// id, under the family session instead of a token.
func OpenForContact(ctx context.Context, q store.Queries, contactID int64, now time.Time) ([]store.OpenSurvey, error) {
	return q.ListOpenSurveysForContact(ctx, store.ListOpenSurveysForContactParams{ContactID: contactID, Now: now})
}

// LinkForContact is a new personal link to one of a contact's open
// surveys, for a family signed in to the private area: it answers through
// the same public pages as an emailed link. ErrUnknownLink unless the
// invitation is the contact's and still open.
func (s *Service) LinkForContact(ctx context.Context, contactID, invitationID int64) (string, error) {
	now := s.now()
	var out string
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		open, err := OpenForContact(ctx, tx, contactID, now)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(open, func(o store.OpenSurvey) bool { return o.InvitationID == invitationID }) {
			return ErrUnknownLink
		}
		out, err = s.link(ctx, tx, invitationID, now)
		return err
	})
	return out, err
}
