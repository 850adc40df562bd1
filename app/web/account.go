package web

import (
	"clinaudit/app/notify"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

type accountPage struct {
	page
	User   store.User
	Events []store.SignInEvent
	// Ended is how many other sessions were just ended, when EndedAsked.
	Ended      int64
	EndedAsked bool
	// Pref is the notification preferences form (notifications.go).
	Pref      store.NotificationPreference
	Errors    fieldErrs
	PrefSaved bool
	// API is the personal API tokens part (account_tokens.go).
	API tokensSection
	// SMS is the SMS second factor part (sms_factor.go).
	SMS smsSection
	// prefLoaded and apiLoaded: the caller filled Pref or API (a form shown
	// again, a token just made); renderAccount reads the others.
	prefLoaded, apiLoaded bool
}

// handleAccount shows the signed-in user's account and recent sign-ins.
func (s *server) handleAccount(c *fiber.Ctx) error {
	return s.renderAccount(c, accountPage{})
}

// renderAccount fills in the account page's user and sign-ins, and the
// parts the caller did not fill: the notification preferences and the API
// tokens.
func (s *server) renderAccount(c *fiber.Ctx, p accountPage) error {
	id := signedIn(c)
	events, err := s.Store.ListSignInEvents(c.UserContext(), store.ListSignInEventsParams{UserID: &id.User.ID, PageLimit: 20})
	if err != nil {
		return err
	}
	if !p.prefLoaded {
		if p.Pref, err = notify.StaffPreference(c.UserContext(), s.Store, id.User.ID); err != nil {
			return err
		}
	}
	if !p.apiLoaded {
		if p.API, err = s.tokensSection(c, id.User.ID); err != nil {
			return err
		}
	}
	if !p.SMS.Offered && p.SMS.Notice == "" {
		if p.SMS, err = s.smsSectionFor(c, ""); err != nil {
			return err
		}
	}
	p.page, p.User, p.Events = s.page(c, "Your account", "account"), id.User, events
	return renderPage(c, "pages/account", p)
}

// handleEndOtherSessions signs the user out of every other browser.
func (s *server) handleEndOtherSessions(c *fiber.Ctx) error {
	id := signedIn(c)
	n, err := s.Auth.EndOtherSessions(c.UserContext(), *id)
	if err != nil {
		return err
	}
	return s.renderAccount(c, accountPage{Ended: n, EndedAsked: true})
}

type mailboxPage struct {
	page
	Emails []store.Email
}

// handleMailbox shows queued email in the demo, where no SMTP server is set.
func (s *server) handleMailbox(c *fiber.Ctx) error {
	emails, err := s.Store.ListEmails(c.UserContext(), 50)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/mailbox", mailboxPage{page: s.page(c, "Demo mailbox", "mailbox"), Emails: emails})
}
