package web

import (
	"strings"

	"clinaudit/app/notify"
	"clinaudit/app/notify/govuk"
	"clinaudit/app/outbox"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Notifications (docs/notifications.md): the delivery status of every
// message, the templates' preview, staff's own preferences and GOV.UK
// Notify's delivery receipts.

type notificationsPage struct {
	page
	Status, Channel string
	Counts          []store.CountNotificationsByStatusRow
	Rows            []store.Email
	Max             int64
}

var notificationStatuses = []string{outbox.StatusQueued, outbox.StatusSent, outbox.StatusDelivered, outbox.StatusFailed}

// handleNotifications lists the latest messages with their delivery
// status, filtered by status and channel.
func (s *server) handleNotifications(c *fiber.Ctx) error {
	p := notificationsPage{page: s.page(c, "Notifications", "notifications"), Max: 200}
	q := store.ListNotificationsParams{PageLimit: p.Max}
	if v := c.Query("status"); contains(notificationStatuses, v) {
		p.Status, q.Status = v, &v
	}
	if v := c.Query("channel"); v == string(outbox.Email) || v == string(outbox.SMS) {
		p.Channel, q.Channel = v, &v
	}
	var err error
	if p.Rows, err = s.Store.ListNotifications(c.UserContext(), q); err != nil {
		return err
	}
	if p.Counts, err = s.Store.CountNotificationsByStatus(c.UserContext()); err != nil {
		return err
	}
	return renderPage(c, "pages/notifications", p)
}

type templatePreview struct {
	notify.Template
	Email, SMS *notify.Rendered
}

type templatesPage struct {
	page
	Templates []templatePreview
}

// handleNotificationTemplates previews every template with its sample
// values: subject, plain text, HTML and the SMS's length in fragments.
func (s *server) handleNotificationTemplates(c *fiber.Ctx) error {
	p := templatesPage{page: s.page(c, "Message templates", "notifications")}
	for _, t := range notify.Templates() {
		tp := templatePreview{Template: t}
		for _, ch := range t.Channels() {
			r, err := notify.Render(t.Name, ch, t.Sample)
			if err != nil {
				return err
			}
			if ch == outbox.SMS {
				tp.SMS = &r
			} else {
				tp.Email = &r
			}
		}
		p.Templates = append(p.Templates, tp)
	}
	return renderPage(c, "pages/notification_templates", p)
}

// handleNotifyCallback takes GOV.UK Notify's delivery receipts. It is
// outside the CSRF check (Notify posts it, not a browser) and accepts only
// the bearer token configured in Notify (--notify-callback-token).
func (s *server) handleNotifyCallback(c *fiber.Ctx) error {
	if !govuk.CallbackAuthorised(c.Get(fiber.HeaderAuthorization), s.NotifyCallbackToken) {
		s.log(c).Warn("notify callback refused: wrong or missing bearer token")
		return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "unauthorised"})
	}
	r, err := govuk.ParseReceipt(c.Body())
	if err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "unreadable receipt"})
	}
	status, reason, ok := r.Outcome()
	if !ok {
		return c.SendStatus(fiber.StatusNoContent) // not final: nothing to keep
	}
	at := s.Now().UTC()
	if r.CompletedAt != nil {
		at = r.CompletedAt.UTC()
	}
	if _, err := notify.RecordReceipt(c.UserContext(), s.Store, govuk.Name, r.ID, status, reason, at); err != nil {
		return err
	}
	// An unknown id is acknowledged too: Notify would retry it in vain.
	return c.SendStatus(fiber.StatusNoContent)
}

// handleNotificationPrefs saves the signed-in user's own channel, mobile
// number and opt-out.
func (s *server) handleNotificationPrefs(c *fiber.Ctx) error {
	id := signedIn(c)
	pref := store.SetNotificationPreferenceParams{UserID: id.User.ID, Channel: c.FormValue("channel"),
		Phone: strings.TrimSpace(c.FormValue("phone")), OptedOut: c.FormValue("opted_out") == "yes", UpdatedAt: s.Now().UTC()}
	var errs fieldErrs
	if pref.Channel != string(outbox.Email) && pref.Channel != string(outbox.SMS) {
		errs = append(errs, fieldErr{Field: "channel-email", Message: "Choose email or text message"})
	}
	if pref.Phone != "" {
		if p, ok := registry.NormalisePhone(pref.Phone); ok {
			pref.Phone = p
		} else {
			errs = append(errs, fieldErr{Field: "phone", Message: "Enter a mobile number, like 07700 900123 or +44 7700 900123"})
		}
	}
	if pref.Channel == string(outbox.SMS) && pref.Phone == "" && errs.For("phone") == "" {
		errs = append(errs, fieldErr{Field: "phone", Message: "Enter a mobile number to receive text messages"})
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderAccount(c, accountPage{Pref: store.NotificationPreference(pref), Errors: errs, prefLoaded: true})
	}
	if err := s.Store.SetNotificationPreference(c.UserContext(), pref); err != nil {
		return err
	}
	return s.renderAccount(c, accountPage{Pref: store.NotificationPreference(pref), PrefSaved: true, prefLoaded: true})
}
