package web

import (
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
	API        tokensSection
}

// handleAccount shows the signed-in user's account and recent sign-ins.
func (s *server) handleAccount(c *fiber.Ctx) error {
	sec, err := s.tokensSection(c, signedIn(c).User.ID)
	if err != nil {
		return err
	}
	return s.renderAccount(c, sec, 0, false)
}

// renderAccount renders the account page with its API token part.
func (s *server) renderAccount(c *fiber.Ctx, sec tokensSection, ended int64, endedAsked bool) error {
	id := signedIn(c)
	events, err := s.Store.ListSignInEvents(c.UserContext(), store.ListSignInEventsParams{UserID: &id.User.ID, PageLimit: 20})
	if err != nil {
		return err
	}
	return renderPage(c, "pages/account", accountPage{page: s.page(c, "Your account", "account"), User: id.User, Events: events,
		Ended: ended, EndedAsked: endedAsked, API: sec})
}

// handleEndOtherSessions signs the user out of every other browser.
func (s *server) handleEndOtherSessions(c *fiber.Ctx) error {
	id := signedIn(c)
	n, err := s.Auth.EndOtherSessions(c.UserContext(), *id)
	if err != nil {
		return err
	}
	sec, err := s.tokensSection(c, id.User.ID)
	if err != nil {
		return err
	}
	return s.renderAccount(c, sec, n, true)
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
