package web

import (
	"context"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/kpi"
	"clinaudit/app/publish"
	"clinaudit/app/publish/publishtest"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/gofiber/fiber/v2"
)

// appSuppressing is authApp with the public pages' small-number threshold
// set (0: the default, 1: off).
func appSuppressing(t *testing.T, s store.Store, below int64) (*fiber.App, *auth.Service) {
	t.Helper()
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	return New(Deps{Store: s, Version: "test", Auth: a, Demo: true, SuppressBelow: below}), a
}

// publicColumnHeader is the counts line under a level's heading.
func publicColumnHeader(t *testing.T, p response, level aggregate.Level) string {
	t.Helper()
	return strings.Join(strings.Fields(p.doc.Find(`#public-kpi-table thead th[data-level="`+string(level)+`"] span`).Text()), " ")
}

// TestPublicPagesSuppressSmallNumbers publishes an organisation's figures
// built to hold each kind of small number, and reads the public page as
// anyone would: no count from 1 to 4 and no percentage that gives one
// away; the signed-in dashboard still shows the exact figures.
func TestPublicPagesSuppressSmallNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := publishtest.Cohort()
		app, a := appSuppressing(t, s, 0)
		makeStaff(t, s, a, "lead@rgt.example", access.LeadClinician, "RGT01")
		// Ten children at RGT01. ECG: 5 of 10 met it. MRI: 2 eligible,
		// both met it (the probe's "100% (2)"). Nurse: 1 of 10. Tertiary
		// input: 9 of 10 (so 1 did not). Mental health support: 7
		// eligible, 3 not scored: the total of 10 counted would give the 3
		// away by subtraction.
		for i := range int64(10) {
			scores := map[kpi.Measure]int64{kpi.ECG: i % 2, kpi.EpilepsySpecialistNurse: b(i == 0), kpi.TertiaryInput: b(i > 0)}
			if i < 2 {
				scores[kpi.MRI] = 1
			}
			if i < 7 {
				scores[kpi.MentalHealthSupport] = 1
			}
			publishtest.Child(t, s, "RGT01", scores)
		}
		// Three children in Wales: every count of theirs is small.
		for range 3 {
			publishtest.Child(t, s, "7A4H1", map[kpi.Measure]int64{kpi.ECG: 1})
		}
		// Six at RM332 and eight at RM335 (one trust), 4 of each had an
		// ECG. Nationally, Wales's 3 would be the national figure less the
		// English organisations': RM332's (the smallest) are withheld
		// too; then England's figure less RGT01's would give RM332's, so
		// RM335's are withheld as well, and RGT01's stay.
		for i := range 6 {
			publishtest.Child(t, s, "RM332", map[kpi.Measure]int64{kpi.ECG: b(i < 4)})
		}
		for i := range 8 {
			publishtest.Child(t, s, "RM335", map[kpi.Measure]int64{kpi.ECG: b(i < 4)})
		}
		if _, err := aggregate.Run(ctx, s, c); err != nil {
			t.Fatal(err)
		}
		if _, err := publish.Publish(ctx, s, publisher(t, s, a), c); err != nil {
			t.Fatal(err)
		}

		anon := newBrowser(t, app)
		p := anon.get("/public/organisations/RGT01")
		for _, tt := range []struct {
			m    kpi.Measure
			want string
		}{
			{kpi.ECG, "50% (10)"},
			{kpi.MRI, "fewer than 5"},
			{kpi.EpilepsySpecialistNurse, "fewer than 5 of 10"},
			{kpi.TertiaryInput, "more than 5 of 10"},
			{kpi.MentalHealthSupport, "100% (7)"},
		} {
			if got := publicCellText(p.doc, tt.m, aggregate.Organisation); got != tt.want {
				t.Errorf("RGT01 %s: %q, want %q", tt.m.ID(), got, tt.want)
			}
		}
		if got := publicColumnHeader(t, p, aggregate.Organisation); got != "ADDENBROOKE'S HOSPITAL, 10 registered, number counted not shown" {
			t.Errorf("RGT01's column: %q", got)
		}
		if got := publicCellText(p.doc, kpi.ECG, aggregate.National); got != "59% (27)" {
			t.Errorf("national ECG: %q", got)
		}
		hidden := p.doc.Find("#kpi-" + kpi.MRI.ID() + " .nhsuk-u-visually-hidden").First().Text()
		if strings.Contains(hidden, "2") || !strings.Contains(hidden, "Fewer than 5 eligible children") {
			t.Errorf("MRI's words for screen readers: %q", hidden)
		}
		if !strings.Contains(p.doc.Find("#small-numbers").Text(), `numbers from 1 to 4 are shown as "fewer than 5"`) {
			t.Errorf("the page does not say why: %q", p.doc.Find("#small-numbers").Text())
		}
		if strings.Contains(p.body, "100% (2)") || strings.Contains(p.body, "ineligible") {
			t.Error("the public page still shows a small count")
		}

		p = anon.get("/public/organisations/7A4H1")
		if got := publicCellText(p.doc, kpi.ECG, aggregate.Organisation); got != "fewer than 5" {
			t.Errorf("7A4H1 ECG: %q", got)
		}
		if got := publicColumnHeader(t, p, aggregate.Organisation); !strings.HasSuffix(got, ", fewer than 5 registered, fewer than 5 counted") {
			t.Errorf("7A4H1's column: %q", got)
		}

		// Withheld to cover Wales's small numbers in the national figures.
		p = anon.get("/public/organisations/RM332")
		if got := publicCellText(p.doc, kpi.ECG, aggregate.Organisation); got != "not shown" {
			t.Errorf("RM332 ECG: %q, want it withheld as cover", got)
		}
		if got := publicColumnHeader(t, p, aggregate.Organisation); !strings.HasSuffix(got, ", number registered not shown, number counted not shown") {
			t.Errorf("RM332's column: %q", got)
		}
		if hidden := p.doc.Find("#kpi-ecg .nhsuk-u-visually-hidden").First().Text(); !strings.Contains(hidden, "cannot be worked out by subtraction") {
			t.Errorf("RM332 ECG's words: %q", hidden)
		}
		if got := publicCellText(anon.get("/public/organisations/RM335").doc, kpi.ECG, aggregate.Organisation); got != "not shown" {
			t.Errorf("RM335 ECG: %q, want it withheld as cover for RM332's", got)
		}

		// Signed in, the dashboard shows the exact figures.
		lead := signIn(t, newBrowser(t, app), "lead@rgt.example")
		d := lead.get("/dashboards/organisations/RGT01")
		if !strings.Contains(d.body, "100% (2)") {
			t.Errorf("the signed-in dashboard lost its exact MRI figure: %s", d.doc.Find("#kpi-"+kpi.MRI.ID()).Text())
		}
	})
}

func b(v bool) int64 {
	if v {
		return 1
	}
	return 0
}

// publisher is a national full-access account to publish with.
func publisher(t *testing.T, s store.Store, a *auth.Service) access.Me {
	t.Helper()
	makeStaff(t, s, a, "publisher@e12.example", access.NationalFull, "")
	u, err := s.GetUserByEmail(context.Background(), "publisher@e12.example")
	if err != nil {
		t.Fatal(err)
	}
	return access.Me{ID: u.ID, Actor: access.Actor{Role: access.NationalFull}}
}
