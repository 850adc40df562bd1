package api_test

import (
	"fmt"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

type contact struct {
	ID        int64  `json:"id"`
	Version   int64  `json:"version"`
	FirstName string `json:"first_name"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	Deleted   bool   `json:"deleted"`
}

type relationship struct {
	ID        int64  `json:"id"`
	PatientID int64  `json:"patient_id"`
	ContactID int64  `json:"contact_id"`
	Type      string `json:"type"`
	IsPrimary bool   `json:"is_primary"`
	StartDate string `json:"start_date"`
}

func TestContactsAndRelationships(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		contacts := api.Prefix + "/registries/" + e.slug + "/contacts"
		mum := map[string]any{"first_name": "Mia", "surname": "Api", "email": "MIA@example.org", "phone": "07700 900123", "may_contact": true}

		res := e.call("POST", contacts, w, mum, "Idempotency-Key", "c1")
		if res.Status != 201 {
			t.Fatalf("create contact: %d %s", res.Status, res.Body)
		}
		var c contact
		res.json(t, &c)
		if c.Email != "mia@example.org" || c.Phone == "" {
			t.Errorf("created %+v: the page's normalising did not run", c)
		}
		if again := e.call("POST", contacts, w, mum, "Idempotency-Key", "c1"); again.Status != 201 || string(again.Body) != string(res.Body) {
			t.Errorf("retried create: %d %s", again.Status, again.Body)
		}
		if res = e.call("POST", contacts, w, mum); res.Status != 409 {
			t.Errorf("duplicate contact: %d %s", res.Status, res.Body)
		}
		if res = e.call("POST", contacts, w, map[string]any{"first_name": "X", "email": "not an email"}); res.Status != 422 {
			t.Errorf("bad contact: %d %s", res.Status, res.Body)
		} else if pr := res.problem(t); len(pr.Errors) == 0 {
			t.Errorf("bad contact names no field: %+v", pr)
		}
		if res = e.call("POST", contacts, w, map[string]any{"may_contact": "yes"}); res.Status != 400 {
			t.Errorf("may_contact not a boolean: %d", res.Status)
		}
		if res = e.call("POST", api.Prefix+"/registries/nope/contacts", w, mum); res.Status != 404 {
			t.Errorf("contact in no registry: %d", res.Status)
		}
		var pg struct {
			Items []contact `json:"items"`
		}
		if res = e.call("GET", contacts, w, nil); res.Status != 200 {
			t.Fatalf("list contacts: %d", res.Status)
		}
		if res.json(t, &pg); len(pg.Items) != 1 || pg.Items[0].ID != c.ID {
			t.Errorf("contacts listed %s", res.Body)
		}
		if res = e.call("GET", contacts+"?cursor=zz", w, nil); res.Status != 400 {
			t.Errorf("bad cursor: %d", res.Status)
		}
		if res = e.call("GET", api.Prefix+"/registries/nope/contacts", w, nil); res.Status != 404 {
			t.Errorf("contacts of no registry: %d", res.Status)
		}
		one := fmt.Sprintf("%s/contacts/%d", api.Prefix, c.ID)
		if res = e.call("GET", one, w, nil); res.Status != 200 || res.Header.Get("ETag") != fmt.Sprintf(`"v%d"`, c.Version) {
			t.Errorf("get contact: %d %q", res.Status, res.Header.Get("ETag"))
		}
		for _, path := range []string{api.Prefix + "/contacts/999999", api.Prefix + "/contacts/x"} {
			if res = e.call("GET", path, w, nil); res.Status != 404 && res.Status != 400 {
				t.Errorf("get %s: %d", path, res.Status)
			}
		}

		// A relationship between a patient and the contact.
		res = e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", w, ann(1))
		var p patient
		res.json(t, &p)
		rels := fmt.Sprintf("%s/patients/%d/relationships", api.Prefix, p.ID)
		link := map[string]any{"contact_id": c.ID, "type": "mother", "is_primary": true, "start_date": "2015-02-10"}
		res = e.call("POST", rels, w, link)
		if res.Status != 201 {
			t.Fatalf("link: %d %s", res.Status, res.Body)
		}
		var r relationship
		if res.json(t, &r); r.ContactID != c.ID || r.Type != "mother" || !r.IsPrimary || r.StartDate != "2015-02-10" {
			t.Errorf("linked %+v", r)
		}
		bad := map[string]any{"contact_id": c.ID, "type": "cousin"}
		if res = e.call("POST", rels, w, bad); res.Status != 422 {
			t.Errorf("a bad type: %d %s", res.Status, res.Body)
		} else if pr := res.problem(t); pr.Errors[0].Field != "type" {
			t.Errorf("bad type problem %+v", pr)
		}
		if res = e.call("POST", rels, w, map[string]any{"type": "mother"}); res.Status != 400 {
			t.Errorf("no contact_id: %d", res.Status)
		}
		if res = e.call("POST", rels, w, map[string]any{"contact_id": 999999, "type": "mother"}); res.Status != 404 {
			t.Errorf("no such contact: %d", res.Status)
		}
		var list struct {
			Items []relationship `json:"items"`
		}
		res = e.call("GET", rels, e.token(access.RegistryViewer, api.AccessRead, api.DomainRegistry), nil)
		if res.json(t, &list); res.Status != 200 || len(list.Items) != 1 || list.Items[0].ID != r.ID {
			t.Errorf("relationships: %d %s", res.Status, res.Body)
		}
		for _, path := range []string{api.Prefix + "/patients/999999/relationships", api.Prefix + "/patients/x/relationships"} {
			if res = e.call("GET", path, w, nil); res.Status != 404 && res.Status != 400 {
				t.Errorf("GET %s: %d", path, res.Status)
			}
		}
		if res = e.call("DELETE", fmt.Sprintf("%s/relationships/%d", api.Prefix, r.ID), w, nil); res.Status != 204 {
			t.Errorf("unlink: %d %s", res.Status, res.Body)
		}
		if res = e.call("DELETE", fmt.Sprintf("%s/relationships/%d", api.Prefix, r.ID), w, nil); res.Status != 404 {
			t.Errorf("unlink again: %d", res.Status)
		}
		if res = e.call("DELETE", api.Prefix+"/relationships/x", w, nil); res.Status != 400 {
			t.Errorf("unlink of a bad id: %d", res.Status)
		}

		// Delete the contact: If-Match, 412 when stale.
		etag := e.call("GET", one, w, nil).Header.Get("ETag")
		if res = e.call("DELETE", one, w, nil, "If-Match", `"v0"`); res.Status != 412 {
			t.Errorf("stale contact delete: %d", res.Status)
		}
		if res = e.call("DELETE", one, w, nil); res.Status != 400 {
			t.Errorf("contact delete without If-Match: %d", res.Status)
		}
		if res = e.call("DELETE", one, w, nil, "If-Match", etag); res.Status != 204 {
			t.Errorf("contact delete: %d %s", res.Status, res.Body)
		}
		if res = e.call("DELETE", api.Prefix+"/contacts/999999", w, nil, "If-Match", "*"); res.Status != 404 {
			t.Errorf("delete of no contact: %d", res.Status)
		}
		if res = e.call("POST", rels, w, link); res.Status != 404 {
			t.Errorf("link to a deleted contact: %d", res.Status)
		}
	})
}
