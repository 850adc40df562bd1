package web

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// registeredChild adds a registered child at RM332, first assessed 40 days
// ago, and returns its id.
func registeredChild(t *testing.T, s store.Store, nhs string) int64 {
	t.Helper()
	ctx := context.Background()
	org, err := s.GetOrganisationByODS(ctx, "RM332")
	if err != nil {
		t.Fatal(err)
	}
	fpa := store.NewDate(time.Now().AddDate(0, 0, -40))
	n, _ := cohort.ForDate(fpa.Time())
	c, dob, now := int64(n), store.Date{Year: 2015, Month: 5, Day: 3}, time.Now()
	id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "Ava",
		Surname: "Smith", DateOfBirth: &dob, Sex: 2, Postcode: "ZZ993WZ", Ethnicity: "A", LeadOrganisationID: org.ID,
		FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var rowIDRE = regexp.MustCompile(`id="row-(\d+)"`)

// The medicine list hides medicines chosen in the child's other rows; the
// server refuses them too (a forged, replayed or stale request), with the
// message next to the field and 422, and stores nothing.
func TestSameMedicineTwiceRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		id := registeredChild(t, s, "4857773456")
		base := fmt.Sprintf("/children/%d/forms/management", id)
		clin := signIn(t, newBrowser(t, app), "clin@nca.example")
		clin.get(base) // the form page: its CSRF token
		save := func(key, value string) response {
			t.Helper()
			return clin.htmxPost(base+"/answer", url.Values{"key": {key}, "v": {"1000000"}, key: {value}})
		}
		if p := save("management.0.has_an_aed_been_given", "true"); p.status != 200 {
			t.Fatalf("has an AED been given: %d %.300s", p.status, p.body)
		}
		var rows []string
		for i := range 2 {
			p := clin.htmxPost(base+"/rows", url.Values{"list": {"list-antiepilepsy_medicines-maintenance"}, "client_key": {fmt.Sprintf("k%d", i)}})
			if p.status != 200 {
				t.Fatalf("add row: %d %.300s", p.status, p.body)
			}
			m := rowIDRE.FindAllStringSubmatch(p.body, -1)
			rows = append(rows, m[len(m)-1][1])
		}
		first, second := "antiepilepsy_medicines."+rows[0]+".medicine_name", "antiepilepsy_medicines."+rows[1]+".medicine_name"
		if p := save(first, "Lamotrigine"); p.status != 200 || !strings.Contains(p.body, "Saved") {
			t.Fatalf("first lamotrigine: %d %.300s", p.status, p.body)
		}
		p := save(second, "Lamotrigine")
		if p.status != 422 || !strings.Contains(p.doc.Find(".nhsuk-error-message").Text(), "This medicine is listed already for this child") {
			t.Errorf("second lamotrigine: %d %.300s", p.status, p.body)
		}
		// Nothing stored: the second row still offers no lamotrigine and has no medicine.
		page := clin.get(base)
		sel := page.doc.Find(`select[name="` + second + `"]`)
		if sel.Length() != 1 || sel.Find(`option[selected]`).Length() != 0 || sel.Find(`option[value="Lamotrigine"]`).Length() != 0 {
			t.Errorf("the second row after the refusal: %d selects, selected %q", sel.Length(), sel.Find(`option[selected]`).Text())
		}
		if p := save(second, "Levetiracetam"); p.status != 200 {
			t.Errorf("another medicine in the second row: %d %.300s", p.status, p.body)
		}
	})
}

// The centre lists offer every organisation the server accepts as a centre
// (spec §2.11: chosen from the organisation list), Jersey's hospital
// included: before, the page offered only England and Wales.
func TestCentreListOffersWhatTheServerAccepts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		id := registeredChild(t, s, "4857773456")
		base := fmt.Sprintf("/children/%d/forms/assessment", id)
		clin := signIn(t, newBrowser(t, app), "clin@nca.example")
		clin.get(base)
		k := "assessment.0.consultant_paediatrician_referral_made"
		if p := clin.htmxPost(base+"/answer", url.Values{"key": {k}, "v": {"1000000"}, k: {"true"}}); p.status != 200 {
			t.Fatalf("referral made: %d %.300s", p.status, p.body)
		}
		sel := clin.get(base).doc.Find(`select[name="sites.0.site_is_general_paediatric_centre"]`)
		for _, ods := range []string{"RGT01", "7A4H1", "RGT1W"} {
			if sel.Find(`option[value="`+ods+`"]`).Length() != 1 {
				t.Errorf("the centre list does not offer %s", ods)
			}
		}
		k = "sites.0.site_is_general_paediatric_centre"
		if p := clin.htmxPost(base+"/answer", url.Values{"key": {k}, "v": {"1000000"}, k: {"RGT1W"}}); p.status != 200 {
			t.Errorf("Jersey General Hospital as the centre: %d %.300s", p.status, p.body)
		}
		if p := clin.htmxPost(base+"/answer", url.Values{"key": {k}, "v": {"1000000"}, k: {"NOPE1"}}); p.status != 422 {
			t.Errorf("an unknown centre: %d", p.status)
		}
	})
}
