package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/survey"
)

// A signed-in family sees the surveys sent to them and opens one from the
// private area; another family's survey stays out of reach.
func TestFamilyOpensTheirSurveys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		svc := &registry.Service{Store: s, Now: time.Now}
		p, err := svc.AddPatient(ctx, matrixManager, registrySlug(), registry.PatientInput{FirstName: "Amy", Surname: "Hughes", Sex: "2",
			DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		c, err := svc.AddContact(ctx, matrixManager, registrySlug(), registry.ContactInput{FirstName: "Sarah", Surname: "Hughes",
			Email: "sarah@example.org", PreferredChannel: "email", MayContact: true}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Link(ctx, matrixManager, p.ID, c.ID, registry.RelationshipInput{Type: "mother", LegalAuthority: true}, ""); err != nil {
			t.Fatal(err)
		}
		seedFamily(t, s, "Bell", "bell@example.org", "", "email")

		reg, err := s.GetRegistryBySlug(ctx, registrySlug())
		if err != nil {
			t.Fatal(err)
		}
		ss := &survey.Service{Store: s}
		sid, problems, err := ss.Create(ctx, reg.ID, matrixManagerID(t, s), survey.Draft{Title: "Sleep and daily life",
			Questions: "sleep : scale* : How well does your child sleep?", Closes: time.Now().Add(48 * time.Hour)})
		if err != nil || len(problems) > 0 {
			t.Fatal(err, problems)
		}
		if err := ss.Publish(ctx, sid); err != nil {
			t.Fatal(err)
		}
		if rep, err := ss.Send(ctx, sid, matrixManagerID(t, s), reg.Name, survey.Filter{}); err != nil || rep.Invited != 2 {
			t.Fatalf("send: %+v, %v", rep, err)
		}
		theirs, err := survey.OpenForContact(ctx, s, c.ID, time.Now())
		if err != nil || len(theirs) != 1 {
			t.Fatalf("open for Sarah: %+v, %v", theirs, err)
		}
		invs, err := s.ListSurveyInvitations(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		var bells int64
		for _, i := range invs {
			if i.Surname == "Bell" {
				bells = i.ID
			}
		}

		b := newBrowser(t, app)
		familySignIn(t, s, a, b, "sarah@example.org")
		if got := b.get("/family").doc.Find("#family-surveys").Text(); !strings.Contains(got, "Sleep and daily life") || !strings.Contains(got, "Answer") {
			t.Fatalf("home page surveys: %q", got)
		}
		r := b.post(fmt.Sprintf("/family/surveys/%d", theirs[0].InvitationID), nil)
		loc := r.header.Get("Location")
		if r.status != 303 || !surveyLink.MatchString(loc) {
			t.Fatalf("opening the survey = %d %q", r.status, loc)
		}
		if page := b.get(surveyLink.FindString(loc)); page.status != 200 || !strings.Contains(page.doc.Find("h1").Text(), "Sleep and daily life") {
			t.Errorf("the survey page: %d %q", page.status, page.doc.Find("h1").Text())
		}
		if r := b.post(fmt.Sprintf("/family/surveys/%d", bells), nil); r.status != 404 {
			t.Errorf("another family's survey = %d, want 404", r.status)
		}
		if r := b.post("/family/surveys/nine", nil); r.status != 404 {
			t.Errorf("a bad id = %d, want 404", r.status)
		}
	})
}
