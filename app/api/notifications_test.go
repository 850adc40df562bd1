package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

type queued struct {
	ID       int64  `json:"id"`
	Channel  string `json:"channel"`
	Status   string `json:"status"`
	Template string `json:"template"`
}

// reachable adds a contact related to a living patient: one the registry
// writes to. It returns the contact's and the patient's ids.
func (e *env) reachable(token string, n int, fields map[string]any) (int64, patient) {
	e.t.Helper()
	var p patient
	e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", token, ann(n)).json(e.t, &p)
	body := map[string]any{"first_name": "Grace", "surname": fmt.Sprint("Example", n), "confirm": true}
	for k, v := range fields {
		body[k] = v
	}
	var c contact
	e.call("POST", api.Prefix+"/registries/"+e.slug+"/contacts", token, body).json(e.t, &c)
	if res := e.call("POST", fmt.Sprintf("%s/patients/%d/relationships", api.Prefix, p.ID), token,
		map[string]any{"contact_id": c.ID, "type": "mother"}); res.Status != 201 {
		e.t.Fatalf("relationship: %d %s", res.Status, res.Body)
	}
	return c.ID, p
}

func TestNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, s, 0)
		ctx := context.Background()
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		emails, sms := api.Prefix+"/notifications/emails", api.Prefix+"/notifications/sms"
		both := map[string]any{"email": "grace@example.org", "phone": "07700 900123", "may_contact": true}
		id, p := e.reachable(w, 1, both)

		// An email from a subject and body: queued in the outbox, to the
		// contact's address, in the registry_message template.
		res := e.call("POST", emails, w, map[string]any{"contact_id": id, "subject": "Family day", "body": "Our family day is on 12 June."})
		var q queued
		res.json(t, &q)
		if res.Status != 202 || q.Channel != "email" || q.Status != "queued" || q.Template != "registry_message" || q.ID == 0 {
			t.Fatalf("email: %d %s", res.Status, res.Body)
		}
		m, err := s.GetEmail(ctx, q.ID)
		if err != nil || m.ToAddress != "grace@example.org" || m.Subject != "Family day" || m.Channel != "email" ||
			!strings.Contains(m.BodyText, "Dear Grace Example1,") || !strings.Contains(m.BodyText, "Our family day is on 12 June.") || m.Essential {
			t.Errorf("outbox row: %+v %v", m, err)
		}
		// A text, from the template named with its values.
		res = e.call("POST", sms, w, map[string]any{"contact_id": id, "template": "registry_message", "values": map[string]string{"body": "Clinic moved to Room 4."}})
		res.json(t, &q)
		if res.Status != 202 || q.Channel != "sms" {
			t.Fatalf("sms: %d %s", res.Status, res.Body)
		}
		if m, err := s.GetEmail(ctx, q.ID); err != nil || m.Channel != "sms" || m.ToAddress == "" || !strings.HasPrefix(m.BodyText, "Clinic moved to Room 4.") {
			t.Errorf("sms row: %+v %v", m, err)
		}

		// Refusals with the reason, by the field; nothing queued.
		optedOut, _ := e.reachable(w, 2, map[string]any{"email": "o@example.org", "may_contact": false})
		var lone contact
		e.call("POST", api.Prefix+"/registries/"+e.slug+"/contacts", w, map[string]any{"first_name": "Lone", "surname": "Contact", "email": "l@example.org", "may_contact": true}).json(t, &lone)
		phoneOnly, _ := e.reachable(w, 3, map[string]any{"phone": "07700 900124", "may_contact": true})
		dead, dp := e.reachable(w, 4, both)
		if res := e.call("PATCH", fmt.Sprintf("%s/patients/%d", api.Prefix, dp.ID), w, map[string]any{"date_of_death": "2024-01-02"}, "If-Match", "*"); res.Status != 200 {
			t.Fatalf("date of death: %d %s", res.Status, res.Body)
		}
		for _, c := range []struct {
			name, path string
			body       map[string]any
			field, msg string
		}{
			{"opted out", emails, map[string]any{"contact_id": optedOut, "subject": "S", "body": "B"}, "contact_id", "This contact may not be contacted (they asked not to be, or a withdrawal stopped contact)"},
			{"no patient", emails, map[string]any{"contact_id": lone.ID, "subject": "S", "body": "B"}, "contact_id", "This contact has no current relationship to a living patient in the registry: the registry does not write to them"},
			{"patient died", sms, map[string]any{"contact_id": dead, "body": "B"}, "contact_id", "This contact has no current relationship to a living patient in the registry: the registry does not write to them"},
			{"no email", emails, map[string]any{"contact_id": phoneOnly, "subject": "S", "body": "B"}, "contact_id", "This contact has no email address"},
			{"no subject", emails, map[string]any{"contact_id": id, "body": "B"}, "subject", "Enter a subject"},
			{"no body", sms, map[string]any{"contact_id": id}, "body", "Enter the message"},
			{"a name in the subject", emails, map[string]any{"contact_id": id, "subject": "About " + p.Surname, "body": "B"}, "subject", "A subject or text message shows on a lock screen: leave out names and registry IDs"},
			{"a registry ID in a text", sms, map[string]any{"contact_id": id, "body": "Record " + p.RegistryID + " updated"}, "body", "A subject or text message shows on a lock screen: leave out names and registry IDs"},
			{"an NHS number in a text", sms, map[string]any{"contact_id": id, "body": "Number 943 476 5919"}, "body", "A subject or text message shows on a lock screen: leave out NHS numbers"},
			{"an essential template", sms, map[string]any{"contact_id": id, "template": "sign_in_code", "values": map[string]string{"code": "1", "expires": "now"}}, "template", `The template "sign_in_code" is sent by the app itself (sign-in codes, survey invitations with their personal links), not on request`},
			{"a survey template", emails, map[string]any{"contact_id": id, "template": "survey_invite"}, "template", `The template "survey_invite" is sent by the app itself (sign-in codes, survey invitations with their personal links), not on request`},
			{"no such template", emails, map[string]any{"contact_id": id, "template": "nothing"}, "template", `There is no template "nothing"`},
			{"template and body", emails, map[string]any{"contact_id": id, "template": "registry_message", "body": "B"}, "template", "Send a template and its values, or a subject and body, not both"},
			{"a value filled by the app", emails, map[string]any{"contact_id": id, "template": "registry_message", "values": map[string]string{"subject": "S", "body": "B", "contact_name": "Someone"}}, "values/contact_name", "contact_name is filled in from the contact and its registry: leave it out"},
		} {
			before, _ := s.ListEmails(ctx, 1000)
			res := e.call("POST", c.path, w, c.body)
			pr := res.problem(t)
			if res.Status != 422 || len(pr.Errors) == 0 || pr.Errors[0].Field != c.field || pr.Errors[0].Message != c.msg {
				t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
			}
			if after, _ := s.ListEmails(ctx, 1000); len(after) != len(before) {
				t.Errorf("%s: queued a message", c.name)
			}
		}

		// The contract: an address is no field; contact_id is required.
		if res := e.call("POST", emails, w, map[string]any{"to": "anyone@example.org", "subject": "S", "body": "B"}); res.Status != 400 {
			t.Errorf("an address instead of a contact: %d", res.Status)
		}
		if res := e.call("POST", sms, w, map[string]any{"contact_id": "x"}); res.Status != 400 {
			t.Errorf("a contact id not a number: %d", res.Status)
		}
		// Who may: whoever may edit the registry (who sends surveys from
		// its page); a read token is out of scope; no such contact is 404.
		for _, path := range []string{emails, sms} {
			body := map[string]any{"contact_id": id, "body": "B", "subject": "S"}
			if path == sms {
				delete(body, "subject")
			}
			if res := e.call("POST", path, e.token(access.RegistryViewer, api.AccessWrite, api.DomainRegistry), body); res.Status != 403 {
				t.Errorf("a viewer sends: %d", res.Status)
			}
			if res := e.call("POST", path, e.token(access.RegistryManager, api.AccessRead, api.DomainRegistry), body); res.Status != 403 {
				t.Errorf("a read token sends: %d", res.Status)
			}
			body["contact_id"] = 999999
			if res := e.call("POST", path, w, body); res.Status != 404 {
				t.Errorf("no such contact: %d", res.Status)
			}
		}
		// A deleted contact is not found.
		if res := e.call("DELETE", fmt.Sprintf("%s/contacts/%d", api.Prefix, dead), w, nil, "If-Match", "*"); res.Status != 204 {
			t.Fatalf("delete contact: %d", res.Status)
		}
		if res := e.call("POST", sms, w, map[string]any{"contact_id": dead, "body": "B"}); res.Status != 404 {
			t.Errorf("a deleted contact: %d", res.Status)
		}
	})
}

// A retried send (same key) queues one message; a key in flight is 409.
func TestNotificationsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, s, 0)
		ctx := context.Background()
		plain, tokenID, err := e.tokens.Create(ctx, e.users[access.RegistryManager], api.TokenInput{Name: "k", Access: "write", Domain: "registry", Days: 7})
		if err != nil {
			t.Fatal(err)
		}
		id, _ := e.reachable(plain, 1, map[string]any{"email": "g@example.org", "phone": "07700 900123", "may_contact": true})
		for _, path := range []string{api.Prefix + "/notifications/emails", api.Prefix + "/notifications/sms"} {
			body := []byte(fmt.Sprintf(`{"contact_id": %d, "body": "Hello"}`, id))
			if strings.HasSuffix(path, "emails") {
				body = []byte(fmt.Sprintf(`{"contact_id": %d, "subject": "Hi", "body": "Hello"}`, id))
			}
			var a, b queued
			e.call("POST", path, plain, body, "Idempotency-Key", "n-"+path).json(t, &a)
			res := e.call("POST", path, plain, body, "Idempotency-Key", "n-"+path)
			res.json(t, &b)
			if res.Status != 202 || res.Header.Get("Idempotent-Replayed") != "true" || a.ID != b.ID {
				t.Errorf("%s retried: %d %s (first %d)", path, res.Status, res.Body, a.ID)
			}
			n, err := s.ClaimAPIIdempotency(ctx, store.ClaimAPIIdempotencyParams{TokenID: tokenID, Key: "held-" + path, Fingerprint: "POST " + path + " " + api.BodyDigest("application/json", body),
				CreatedAt: time.Now().UTC(), ExpiresAt: time.Now().UTC().Add(time.Minute)})
			if err != nil || n != 1 {
				t.Fatalf("claim: %d %v", n, err)
			}
			if res := e.call("POST", path, plain, body, "Idempotency-Key", "held-"+path); res.Status != 409 {
				t.Errorf("%s while the key is held: %d", path, res.Status)
			}
		}
		all, _ := s.ListEmails(ctx, 1000)
		if len(all) != 2 {
			t.Errorf("%d messages queued, want 2", len(all))
		}
	})
}
