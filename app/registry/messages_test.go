package registry

import (
	"testing"

	"clinaudit/app/outbox"
	"clinaudit/app/store"
)

// What a lock screen shows (an email's subject, a text) may not name the
// contact or their patients; words that merely contain a name may.
func TestLeaksIdentifiers(t *testing.T) {
	c := store.RegistryContact{FirstName: "Grace", Surname: "Hopper"}
	links := []store.RegistryLink{{PatientFirstName: "Ada", PatientSurname: "Lovelace", RegistryRef: "R1234567"}}
	for _, tc := range []struct {
		m     ContactMessage
		field string // "" when allowed
	}{
		{ContactMessage{Channel: outbox.Email, Subject: "Family day", Body: "Dear Ada Lovelace"}, ""}, // a body is not shown
		{ContactMessage{Channel: outbox.Email, Subject: "About Ada"}, FieldSubject},
		{ContactMessage{Channel: outbox.Email, Subject: "hopper family"}, FieldSubject},
		{ContactMessage{Channel: outbox.Email, Subject: "Adam's news"}, ""}, // Ada inside a word
		{ContactMessage{Channel: outbox.SMS, Body: "Record R1234567 updated"}, FieldBody},
		{ContactMessage{Channel: outbox.SMS, Body: "Call 943 476 5919"}, FieldBody},
		{ContactMessage{Channel: outbox.SMS, Body: "Clinic moved to Room 4"}, ""},
		{ContactMessage{Channel: outbox.SMS, Template: "registry_message", Values: map[string]string{"body": "Lovelace"}}, FieldBody},
		{ContactMessage{Channel: outbox.Email, Template: "registry_message", Values: map[string]string{"subject": "Lovelace", "body": "x"}}, FieldSubject},
		{ContactMessage{Channel: outbox.Email, Template: "registry_message", Values: map[string]string{"subject": "News", "body": "Lovelace"}}, ""},
	} {
		errs := leaksIdentifiers(tc.m, c, links)
		got := ""
		if len(errs) > 0 {
			got = errs[0].Field
		}
		if got != tc.field {
			t.Errorf("%+v: refused on %q, want %q", tc.m, got, tc.field)
		}
	}
}

// A message is a subject and body or a template on request with its
// values; the contact's name and the registry are the app's to fill.
func TestMessageOf(t *testing.T) {
	c := store.RegistryContact{FirstName: "Grace", Surname: "Hopper", Email: "g@example.org", MayContact: true}
	n, errs := messageOf(ContactMessage{Channel: outbox.Email, Subject: " News ", Body: "Hello"}, c, "Rett syndrome registry")
	if len(errs) > 0 || n.Template != "registry_message" || n.Values["subject"] != "News" || n.Values["contact_name"] != "Grace Hopper" ||
		n.Values["registry"] != "Rett syndrome registry" || n.Channel != outbox.Email {
		t.Errorf("subject and body: %+v %v", n, errs)
	}
	n, errs = messageOf(ContactMessage{Channel: outbox.SMS, Template: "registry_message", Values: map[string]string{"body": "Hi"}}, c, "R")
	if len(errs) > 0 || n.Values["subject"] != "" || n.Values["body"] != "Hi" {
		t.Errorf("an SMS template without a subject: %+v %v", n, errs)
	}
	for _, tc := range []struct {
		m     ContactMessage
		field string
	}{
		{ContactMessage{Channel: outbox.Email, Body: "x"}, FieldSubject},
		{ContactMessage{Channel: outbox.Email, Subject: "a\nb", Body: "x"}, FieldSubject},
		{ContactMessage{Channel: outbox.SMS}, FieldBody},
		{ContactMessage{Channel: outbox.SMS, Body: string(make([]byte, 460))}, FieldBody},
		{ContactMessage{Channel: outbox.SMS, Body: "x", Values: map[string]string{"body": "y"}}, "values"},
		{ContactMessage{Channel: outbox.Email, Template: "sign_in_code"}, FieldTemplate},
		{ContactMessage{Channel: outbox.Email, Template: "registry_message", Values: map[string]string{"subject": "s"}}, "values/body"},
		{ContactMessage{Channel: outbox.Email, Template: "registry_message", Values: map[string]string{"subject": "s", "body": "b", "extra": "e"}}, "values/extra"},
		{ContactMessage{Channel: outbox.Email, Template: "registry_message", Values: map[string]string{"subject": "s", "body": "b", "registry": "r"}}, "values/registry"},
	} {
		if _, errs := messageOf(tc.m, c, "R"); len(errs) == 0 || errs[0].Field != tc.field {
			t.Errorf("%+v: %v, want a refusal on %s", tc.m, errs, tc.field)
		}
	}
}
