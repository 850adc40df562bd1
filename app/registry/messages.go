package registry

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/notify"
	"clinaudit/app/outbox"
	"clinaudit/app/store"
)

// Messages to one contact (the API's notifications). A message goes to a
// registry contact by id, never to an address the caller gives: the app
// would otherwise relay mail and texts from the registry's own name to
// anyone, and a stolen token could phish with it. The contact's address,
// opt-out and eligibility are the registry's to decide, as for a survey
// invitation (survey.Service.Send): the contact is live (not deleted or
// merged), may be contacted (may_contact: off when they asked not to be,
// and turned off by a withdrawal), has a current relationship to a living
// patient in the registry, and has an address on the channel asked for.
// It is queued through notify.Send in the one outbox, in one transaction.

// ContactMessage is a message to queue for a contact: a template that
// may be sent on request (notify.Template.OnRequest) with its values, or
// a subject (email) and body, which are the registry_message template's.
type ContactMessage struct {
	Channel  outbox.Channel
	Template string
	Values   map[string]string
	Subject  string
	Body     string
}

// Queued is a message queued: its outbox id and template.
type Queued struct {
	ID       int64
	Channel  outbox.Channel
	Template string
}

// Message form fields.
const (
	FieldTemplate = "template"
	FieldSubject  = "subject"
	FieldBody     = "body"
)

// MessageContact queues m for contact id, by whoever may edit the
// registry (who may send a survey from its page). Errors:
// apperr.ErrForbidden, apperr.ErrNotFound, FieldErrors (the message, or
// why this contact may not be sent it), the store's.
func (s *Service) MessageContact(ctx context.Context, me access.Me, id int64, m ContactMessage) (Queued, error) {
	if err := authorize(me.Actor, access.EditRegistry); err != nil {
		return Queued{}, err
	}
	var q Queued
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := liveContact(ctx, tx, id)
		if err == nil && c.MergedIntoID != nil {
			err = apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		reg, err := registryOf(ctx, tx, c.RegistryID)
		if err != nil {
			return err
		}
		links, err := tx.ListRegistryLinks(ctx, store.ListRegistryLinksParams{ContactID: c.ID})
		if err != nil {
			return err
		}
		n, errs := messageOf(m, c, reg.Name)
		if len(errs) > 0 {
			return errs
		}
		if err := eligible(ctx, tx, c, links); err != nil {
			return err
		}
		if errs := leaksIdentifiers(m, c, links); len(errs) > 0 {
			return errs
		}
		q.ID, q.Channel, err = notify.Send(ctx, tx, n, s.now())
		switch {
		case errors.Is(err, notify.ErrOptedOut):
			return FieldErrors{{Field: FieldContactID, Message: "This contact may not be contacted (they asked not to be, or a withdrawal stopped contact)"}}
		case errors.Is(err, notify.ErrNoAddress) && m.Channel == outbox.SMS:
			return FieldErrors{{Field: FieldContactID, Message: "This contact has no mobile number"}}
		case errors.Is(err, notify.ErrNoAddress):
			return FieldErrors{{Field: FieldContactID, Message: "This contact has no email address"}}
		}
		q.Template = n.Template
		return err
	})
	return q, err
}

// messageOf checks m and makes it a notification to c.
func messageOf(m ContactMessage, c store.RegistryContact, registryName string) (notify.Notification, FieldErrors) {
	var errs FieldErrors
	add := func(f, msg string) { errs = append(errs, children.FieldError{Field: f, Message: msg}) }
	name := m.Template
	values := map[string]string{}
	if name == "" {
		name = "registry_message"
		if m.Channel == outbox.Email {
			switch sub := strings.TrimSpace(m.Subject); {
			case sub == "":
				add(FieldSubject, "Enter a subject")
			case utf8.RuneCountInString(sub) > 150 || strings.ContainsAny(sub, "\r\n"):
				add(FieldSubject, "The subject must be one line of 150 characters or fewer")
			}
			values["subject"] = strings.TrimSpace(m.Subject)
		} else if m.Subject != "" {
			add(FieldSubject, "A text message has no subject: leave it out")
		} else {
			values["subject"] = ""
		}
		body := strings.TrimSpace(m.Body)
		switch max := map[bool]int{true: 459, false: 5000}[m.Channel == outbox.SMS]; {
		case body == "":
			add(FieldBody, "Enter the message")
		case utf8.RuneCountInString(body) > max:
			add(FieldBody, "The message must be "+itoa(max)+" characters or fewer")
		}
		values["body"] = body
		if len(m.Values) > 0 {
			add("values", "Values go with a template: send a subject and body, or a template and its values")
		}
	} else {
		t, ok := notify.Lookup(name)
		switch {
		case !ok:
			add(FieldTemplate, "There is no template "+quote(name))
		case !t.OnRequest:
			add(FieldTemplate, "The template "+quote(name)+" is sent by the app itself (sign-in codes, survey invitations with their personal links), not on request")
		case m.Subject != "" || m.Body != "":
			add(FieldTemplate, "Send a template and its values, or a subject and body, not both")
		default:
			for _, f := range t.Fields {
				v, given := m.Values[f]
				switch {
				case !t.Uses(m.Channel, f) && !given:
					values[f] = "" // not in this channel's text (an SMS's subject)
				case f == "contact_name" || f == "registry":
					if given {
						add("values/"+f, f+" is filled in from the contact and its registry: leave it out")
					}
				case !given || strings.TrimSpace(v) == "":
					add("values/"+f, "Enter "+f)
				default:
					values[f] = strings.TrimSpace(v)
				}
			}
			for k := range m.Values {
				if !slices.Contains(t.Fields, k) {
					add("values/"+k, "The template "+quote(name)+" has no field "+k)
				}
			}
		}
	}
	values["contact_name"] = strings.TrimSpace(c.FirstName + " " + c.Surname)
	values["registry"] = registryName
	return notify.Notification{Template: name, Values: values, To: notify.ContactRecipient(c), Channel: m.Channel}, errs
}

// eligible refuses a contact the registry would not write to: as a
// survey's recipients, one with a current relationship to a living
// patient who is not deleted. may_contact and the address are notify's
// (the recipient's opt-out and routing).
func eligible(ctx context.Context, q store.Queries, c store.RegistryContact, links []store.RegistryLink) error {
	for _, l := range links {
		if l.EndDate != nil {
			continue
		}
		p, err := q.GetRegistryPatient(ctx, l.PatientID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if p.DeletedAt == nil && p.DateOfDeath == nil {
			return nil
		}
	}
	return FieldErrors{{Field: FieldContactID, Message: "This contact has no current relationship to a living patient in the registry: the registry does not write to them"}}
}

// leaksIdentifiers refuses names and registry IDs in what a lock screen
// shows, an email's subject and a text message (the rule notify's
// templates keep, TestNoIdentifiersInSMSOrSubjects), for free text: the
// contact's name and their patients' names and registry IDs. An NHS
// number (ten digits) is refused in any case.
func leaksIdentifiers(m ContactMessage, c store.RegistryContact, links []store.RegistryLink) FieldErrors {
	field, shown := FieldSubject, m.Subject
	if m.Channel == outbox.SMS {
		field, shown = FieldBody, m.Body
	}
	for k, v := range m.Values { // a template's own values may be shown too
		if k == "subject" || m.Channel == outbox.SMS {
			shown += "\n" + v
		}
	}
	words := []string{c.Surname}
	for _, l := range links {
		words = append(words, l.PatientFirstName, l.PatientSurname, l.RegistryRef)
	}
	lower := strings.ToLower(shown)
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if len(w) < 2 {
			continue
		}
		if regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(w) + `($|[^\pL\pN])`).MatchString(lower) {
			return FieldErrors{{Field: field, Message: "A subject or text message shows on a lock screen: leave out names and registry IDs"}}
		}
	}
	if nhsLike.MatchString(shown) {
		return FieldErrors{{Field: field, Message: "A subject or text message shows on a lock screen: leave out NHS numbers"}}
	}
	return nil
}

var nhsLike = regexp.MustCompile(`\b\d{3}\s?\d{3}\s?\d{4}\b`)

func quote(s string) string { return `"` + s + `"` }
