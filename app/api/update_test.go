package api_test

import (
	"fmt"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
		res := e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", w, ann(2))
		var p patient
		res.json(t, &p)
		one := fmt.Sprintf("%s/patients/%d", api.Prefix, p.ID)
		etag := res.Header.Get("ETag")

		res = e.call("PATCH", one, w, map[string]any{"first_name": "Anne", "date_of_birth": "2015-03-12"}, "If-Match", etag)
		if res.Status != 200 {
			t.Fatalf("update: %d %s", res.Status, res.Body)
		}
		var after patient
		if res.json(t, &after); after.FirstName != "Anne" || after.DateOfBirth != "2015-03-12" || res.Header.Get("ETag") == etag {
			t.Errorf("after the update %+v, ETag %q", after, res.Header.Get("ETag"))
		}
		// The ETag read before is stale now: 412, nothing saved.
		if res = e.call("PATCH", one, w, map[string]any{"first_name": "Old"}, "If-Match", etag); res.Status != 412 {
			t.Errorf("stale update: %d %s", res.Status, res.Body)
		}
		res.problem(t)
		etag = e.call("GET", one, w, nil).Header.Get("ETag")
		// The page's checks, on the field.
		res = e.call("PATCH", one, w, map[string]any{"date_of_birth": "2099-01-01"}, "If-Match", etag)
		if pr := res.problem(t); res.Status != 422 || pr.Errors[0].Field != "date_of_birth" {
			t.Errorf("a birth in the future: %d %+v", res.Status, pr)
		}
		for _, b := range []map[string]any{{}, {"registry_id": "R1"}} {
			if res = e.call("PATCH", one, w, b, "If-Match", etag); res.Status != 400 {
				t.Errorf("PATCH %v: %d", b, res.Status)
			}
		}
		if res = e.call("PATCH", api.Prefix+"/patients/999999", w, map[string]any{"notes": "x"}, "If-Match", "*"); res.Status != 404 {
			t.Errorf("update no patient: %d", res.Status)
		}
		v := e.token(access.RegistryViewer, api.AccessWrite, api.DomainRegistry)
		r := e.token(access.RegistryManager, api.AccessRead, api.DomainRegistry)
		for _, tok := range []string{v, r} {
			if res = e.call("PATCH", one, tok, map[string]any{"notes": "x"}, "If-Match", "*"); res.Status != 403 {
				t.Errorf("update by a viewer or a read token: %d", res.Status)
			}
		}
		if res = e.call("PATCH", one, "", map[string]any{"notes": "x"}, "If-Match", "*"); res.Status != 401 {
			t.Errorf("update without a token: %d", res.Status)
		}

		// A contact, the same way.
		res = e.call("POST", api.Prefix+"/registries/"+e.slug+"/contacts", w, map[string]any{"first_name": "Kit", "surname": "Api"})
		var c contact
		res.json(t, &c)
		cone := fmt.Sprintf("%s/contacts/%d", api.Prefix, c.ID)
		cetag := res.Header.Get("ETag")
		res = e.call("PATCH", cone, w, map[string]any{"email": "KIT@example.org", "may_contact": true}, "If-Match", cetag)
		var cafter contact
		if res.json(t, &cafter); res.Status != 200 || cafter.Email != "kit@example.org" {
			t.Errorf("contact update: %d %s", res.Status, res.Body)
		}
		if res = e.call("PATCH", cone, w, map[string]any{"email": "x"}, "If-Match", cetag); res.Status != 412 {
			t.Errorf("stale contact update: %d", res.Status)
		}
		cetag = e.call("GET", cone, w, nil).Header.Get("ETag")
		if res = e.call("PATCH", cone, w, map[string]any{"email": "not an email"}, "If-Match", cetag); res.Status != 422 {
			t.Errorf("bad email: %d %s", res.Status, res.Body)
		}
		for _, b := range []map[string]any{{}, {"may_contact": "yes"}} {
			if res = e.call("PATCH", cone, w, b, "If-Match", cetag); res.Status != 400 {
				t.Errorf("contact PATCH %v: %d", b, res.Status)
			}
		}
		if res = e.call("PATCH", api.Prefix+"/contacts/999999", w, map[string]any{"notes": "x"}, "If-Match", "*"); res.Status != 404 {
			t.Errorf("update no contact: %d", res.Status)
		}
		if res = e.call("PATCH", cone, r, map[string]any{"notes": "x"}, "If-Match", "*"); res.Status != 403 {
			t.Errorf("contact update by a read token: %d", res.Status)
		}
		if res = e.call("PATCH", cone, "", map[string]any{"notes": "x"}, "If-Match", "*"); res.Status != 401 {
			t.Errorf("contact update without a token: %d", res.Status)
		}
	})
}
