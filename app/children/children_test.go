package children_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/children"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/progress"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

type world struct {
	svc   *children.Service
	s     store.Store
	now   time.Time
	users map[string]store.User
}

// people: organisation roles at RM332 (Northern Care Alliance, trust RM3,
// which also runs RM335), a lead at RGT01 (another trust), a lead at 7A4H1
// (a Welsh health board), a clinician in Jersey, and the national roles.
var people = []auth.NewUser{
	{Email: "lead@nca.example", FirstName: "Lena", Surname: "Lead", Role: access.LeadClinician, Organisation: "RM332"},
	{Email: "clin@nca.example", FirstName: "Carl", Surname: "Clin", Role: access.Clinician, Organisation: "RM332"},
	{Email: "admin@nca.example", FirstName: "Abe", Surname: "Admin", Role: access.Administrator, Organisation: "RM332"},
	{Email: "lead@rgt.example", FirstName: "Rita", Surname: "Lead", Role: access.LeadClinician, Organisation: "RGT01"},
	{Email: "lead@wales.example", FirstName: "Llew", Surname: "Lead", Role: access.LeadClinician, Organisation: "7A4H1"},
	{Email: "clin@jersey.example", FirstName: "Jo", Surname: "Jersey", Role: access.Clinician, Organisation: "RGT1W"},
	{Email: "view@national.example", FirstName: "Nora", Surname: "View", Role: access.NationalView},
	{Email: "edit@national.example", FirstName: "Ned", Surname: "Edit", Role: access.NationalEdit},
	{Email: "full@national.example", FirstName: "Nadia", Surname: "Full", Role: access.NationalFull},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func newWorld(t *testing.T, s store.Store) *world {
	t.Helper()
	ctx := context.Background()
	// Writes to a child queue its rescoring (scorequeue).
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{s: s, now: day(2025, time.March, 10), users: map[string]store.User{}}
	w.svc = &children.Service{Store: s, Now: func() time.Time { return w.now }}
	// Locking needs a complete audit. These tests are about the lock's other
	// rules, so every audit counts as complete here; the check itself is
	// tested with real answers in app/answers (lock_test.go) and app/web.
	w.svc.Progress = func(context.Context, store.Queries, store.Child) (progress.Summary, error) {
		return progress.Summary{Complete: true}, nil
	}
	for _, p := range people {
		err := s.InTx(ctx, func(tx store.Tx) error {
			u, err := a.CreateUser(ctx, tx, p)
			w.users[p.Email] = u
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", p.Email, err)
		}
	}
	return w
}

func (w *world) me(t *testing.T, email string) access.Me {
	t.Helper()
	u, ok := w.users[email]
	if !ok {
		t.Fatalf("no user %s", email)
	}
	a, err := access.ActorFor(context.Background(), w.s, u)
	if err != nil {
		t.Fatal(err)
	}
	return access.Me{ID: u.ID, Actor: a}
}

func newChild(nhs, org string) children.NewChild {
	return children.NewChild{LeadOrganisation: org, Demographics: children.Demographics{FirstName: "Ava", Surname: "Smith",
		NHSNumber: nhs, DateOfBirth: children.DateInput{Day: "3", Month: "5", Year: "2015"}, Sex: "2", Ethnicity: "A", Postcode: "M6 8HD"}}
}

func jersey(n children.NewChild) children.NewChild {
	n.Postcode = "JE2 3QW"
	return n
}

// create adds a child or fails the test.
func (w *world) create(t *testing.T, email string, n children.NewChild) int64 {
	t.Helper()
	id, err := w.svc.Create(context.Background(), w.me(t, email), n)
	if err != nil {
		t.Fatalf("create %s: %v", n.NHSNumber, err)
	}
	return id
}

func (w *world) get(t *testing.T, email string, id int64) children.Child {
	t.Helper()
	c, err := w.svc.Get(context.Background(), w.me(t, email).Actor, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fieldError(err error) (children.FieldError, bool) {
	var fe children.FieldErrors
	if !errors.As(err, &fe) || len(fe) != 1 {
		return children.FieldError{}, false
	}
	return fe[0], true
}

func TestCreateStoresNormalisedDemographics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		n := newChild("943 476 5919", "rm335")
		n.Postcode, n.FirstName = "m6-8hd", " Ava  Rose "
		id := w.create(t, "clin@nca.example", n)
		c := w.get(t, "clin@nca.example", id)
		if c.NHSNumber != "9434765919" || c.NHSNumberDisplay() != "943 476 5919" || c.Postcode != "M68HD" ||
			c.PostcodeDisplay() != "M6 8HD" || c.FirstName != "Ava Rose" || c.DateOfBirthDisplay() != "3 May 2015" ||
			c.SexLabel() != "Female" || c.EthnicityLabel() != "White British" || c.Organisation.ODSCode != "RM335" {
			t.Errorf("stored %+v", c.Child)
		}
		if !children.IsAuditID(c.AuditID) || c.Version != 1 || c.Registered() || c.Locked() || c.Cohort != nil {
			t.Errorf("new child: audit ID %q, version %d, registered %v", c.AuditID, c.Version, c.Registered())
		}
		if !c.CanEdit || !c.CanRegister || c.CanLock || c.CanUnlock {
			t.Errorf("a clinician's actions on a new child: %+v", c)
		}
		if a := w.get(t, "admin@nca.example", id); !a.CanEdit || a.CanRegister {
			t.Errorf("an administrator edits demographics but does not register: %+v", a)
		}
	})
}

func TestCreateRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		for _, tc := range []struct {
			who, field, msg string
			n               children.NewChild
		}{
			{"clin@nca.example", "nhs_number", "This is not a valid NHS number: check the digits", newChild("4857773456", "RM332")},
			{"clin@nca.example", "lead_organisation", "Choose the child's lead organisation", newChild("9434765919", "")},
			{"clin@nca.example", "lead_organisation", "Choose the child's lead organisation from the list", newChild("9434765919", "NOPE1")},
			{"clin@nca.example", "lead_organisation", "You can only add children at organisations in your own trust or health board", newChild("9434765919", "RGT01")},
			{"lead@wales.example", "lead_organisation", "You can only add children at organisations in your own trust or health board", newChild("9434765919", "RM332")},
			// In Jersey the reference number is required and the NHS number not asked for.
			{"clin@jersey.example", "unique_reference_number", "Enter the child's unique reference number", jersey(newChild("9434765919", "RGT1W"))},
		} {
			_, err := w.svc.Create(ctx, w.me(t, tc.who), tc.n)
			if fe, ok := fieldError(err); !ok || fe.Field != tc.field || fe.Message != tc.msg {
				t.Errorf("%s at %s: %v, want %s: %s", tc.who, tc.n.LeadOrganisation, err, tc.field, tc.msg)
			}
		}
		if _, err := w.svc.Create(ctx, w.me(t, "view@national.example"), newChild("9434765919", "RM332")); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("national view-only creates a child: %v", err)
		}
		// A national role may add a child anywhere; a Welsh lead in Wales.
		w.create(t, "edit@national.example", newChild("9434765919", "RGT01"))
		w.create(t, "lead@wales.example", newChild("4010232137", "7A4H1"))

		// Jersey: reference numbers are unique too; the NHS number is not stored.
		j := newChild("9990000018", "RGT1W")
		j.UniqueReferenceNumber, j.Postcode = "je-1", "JE2 3QW"
		id := w.create(t, "clin@jersey.example", j)
		if c := w.get(t, "clin@jersey.example", id); c.NHSNumber != "" || c.UniqueReferenceNumber != "JE-1" || !c.Jersey() || c.NHSNumberDisplay() != "JE-1" {
			t.Errorf("Jersey child %+v", c.Child)
		}
		j.UniqueReferenceNumber = " Je-1"
		_, err := w.svc.Create(ctx, w.me(t, "clin@jersey.example"), j)
		if fe, ok := fieldError(err); !ok || fe.Message != children.MsgReferenceTaken {
			t.Errorf("duplicate reference number: %v", err)
		}
		// The Jersey child's NHS number was ignored, so it is free.
		w.create(t, "clin@nca.example", newChild("999 000 0018", "RM332"))
	})
}

func TestDuplicateNHSNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		w.create(t, "lead@rgt.example", newChild("9434765919", "RGT01"))
		// Someone in another trust, typing it differently, learns only
		// that the number is taken: nothing about the other child.
		_, err := w.svc.Create(ctx, w.me(t, "clin@nca.example"), newChild("943-476 5919", "RM332"))
		fe, ok := fieldError(err)
		if !ok || fe.Field != "nhs_number" || fe.Message != "This NHS number is already registered in the audit" {
			t.Errorf("duplicate: %v", err)
		}
		if strings.Contains(err.Error(), "RGT") || strings.Contains(err.Error(), "Ava") {
			t.Errorf("the message names the other child: %v", err)
		}
		// Editing a child to another's number is refused the same way;
		// keeping one's own number is fine.
		id := w.create(t, "clin@nca.example", newChild("4010232137", "RM332"))
		c := w.get(t, "clin@nca.example", id)
		d := children.DemographicsOf(c.Child)
		d.NHSNumber = "9434765919"
		err = w.svc.Update(ctx, w.me(t, "clin@nca.example"), id, c.Version, d)
		if fe, ok := fieldError(err); !ok || fe.Message != children.MsgNHSNumberTaken {
			t.Errorf("edit to a taken number: %v", err)
		}
		d.NHSNumber, d.Surname = "401 023 2137", "Smyth"
		if err := w.svc.Update(ctx, w.me(t, "clin@nca.example"), id, c.Version, d); err != nil {
			t.Errorf("edit keeping the number: %v", err)
		}
	})
}

// Ten people add the same child at once: exactly one succeeds, the others
// are told the number is taken.
func TestDuplicateNHSNumberUnderConcurrentCreation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		me := w.me(t, "clin@nca.example")
		var wg sync.WaitGroup
		errs := make([]error, 10)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = w.svc.Create(context.Background(), me, newChild("9434765919", "RM332"))
			})
		}
		wg.Wait()
		ok, taken := 0, 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if fe, is := fieldError(err); is && fe.Message == children.MsgNHSNumberTaken {
				taken++
			} else {
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || taken != 9 {
			t.Errorf("%d created, %d refused as taken; want 1 and 9", ok, taken)
		}
		p, err := w.svc.List(context.Background(), me.Actor, children.Filter{Query: "9434765919"})
		if err != nil || p.Total != 1 {
			t.Errorf("children with the number: %d, %v", p.Total, err)
		}
	})
}

func TestScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		rgt := w.create(t, "lead@rgt.example", newChild("9434765919", "RGT01"))
		wales := w.create(t, "lead@wales.example", newChild("4010232137", "7A4H1"))
		nca := w.create(t, "lead@nca.example", newChild("9990000018", "RM335"))
		for _, tc := range []struct {
			who  string
			id   int64
			want error
		}{
			{"lead@nca.example", rgt, children.ErrNotFound}, // another trust: not found, not forbidden
			{"lead@nca.example", wales, children.ErrNotFound},
			{"lead@nca.example", nca, nil}, // same trust, other hospital
			{"admin@nca.example", nca, nil},
			{"lead@wales.example", nca, children.ErrNotFound},
			{"lead@rgt.example", rgt, nil},
			{"view@national.example", wales, nil},
			{"clin@jersey.example", rgt, children.ErrNotFound},
		} {
			if _, err := w.svc.Get(ctx, w.me(t, tc.who).Actor, tc.id); !errors.Is(err, tc.want) && (err != nil || tc.want != nil) {
				t.Errorf("%s gets child %d: %v, want %v", tc.who, tc.id, err, tc.want)
			}
		}
		// Writes out of scope are not found either; in scope but not allowed, forbidden.
		lead := w.me(t, "lead@nca.example")
		if err := w.svc.Update(ctx, lead, rgt, 1, children.Demographics{}); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("edit another trust's child: %v", err)
		}
		if err := w.svc.Lock(ctx, lead, rgt, 1); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("lock another trust's child: %v", err)
		}
		reg := children.Registration{EligibilityConfirmed: true, FirstAssessment: children.DateInput{Day: "1", Month: "2", Year: "2025"}}
		if err := w.svc.Register(ctx, w.me(t, "admin@nca.example"), nca, reg); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an administrator registers: %v", err)
		}
		if err := w.svc.Register(ctx, w.me(t, "view@national.example"), nca, reg); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("national view-only registers: %v", err)
		}
		if err := w.svc.Update(ctx, w.me(t, "view@national.example"), nca, 1, children.Demographics{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("national view-only edits: %v", err)
		}
		// Moving the lead site at registration stays within scope.
		reg.LeadOrganisation = "RGT01"
		err := w.svc.Register(ctx, lead, nca, reg)
		if fe, ok := fieldError(err); !ok || fe.Field != "lead_organisation" {
			t.Errorf("register with another trust's organisation: %v", err)
		}
		reg.LeadOrganisation = "RGT1W"
		if fe, ok := fieldError(w.svc.Register(ctx, w.me(t, "full@national.example"), nca, reg)); !ok || !strings.Contains(fe.Message, "Jersey") {
			t.Errorf("register an English child in Jersey: %v", fe)
		}
		reg.LeadOrganisation = "RM332"
		if err := w.svc.Register(ctx, lead, nca, reg); err != nil {
			t.Fatal(err)
		}
		if c := w.get(t, "lead@nca.example", nca); c.Organisation.ODSCode != "RM332" {
			t.Errorf("lead site after registration: %s", c.Organisation.ODSCode)
		}
	})
}

// The cohort derivation of spec §7, through registration, with its worked
// examples, and the earliest dates each kind of user may enter (§4.1).
func TestRegistrationDerivesCohort(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		nhs := rand.New(rand.NewPCG(7, 7))
		for _, tc := range []struct {
			today    time.Time
			who, fpa string // fpa as d/m/yyyy
			cohort   int
			deadline string
			days     int
			err      string // a field error instead
		}{
			// Today 30 November 2022 (§7's examples): cohort 5 recruits, 4
			// submits; clinicians may go back to 1 December 2020.
			{today: day(2022, 11, 30), who: "clin@nca.example", fpa: "10/1/2022", cohort: 5, deadline: "9 January 2024", days: 406},
			{today: day(2022, 11, 30), who: "clin@nca.example", fpa: "1/1/2021", cohort: 4, deadline: "10 January 2023", days: 42},
			{today: day(2022, 11, 30), who: "clin@nca.example", fpa: "1/12/2020", cohort: 4, deadline: "10 January 2023", days: 42},
			{today: day(2022, 11, 30), who: "clin@nca.example", fpa: "30/11/2021", cohort: 4},
			{today: day(2022, 11, 30), who: "clin@nca.example", fpa: "1/12/2021", cohort: 5},
			{today: day(2022, 11, 30), who: "full@national.example", fpa: "30/11/2020",
				err: "First paediatric assessment date must be the same as or after 1 December 2020 (the start of cohort 4, the first cohort of the audit)"},
			{today: day(2022, 11, 30), who: "clin@nca.example", fpa: "1/12/2022", err: "First paediatric assessment date must be today or in the past"},
			// 14 January 2025 is cohort 6's deadline day (1 day left), in
			// the grace period: clinicians may still enter cohort 6.
			{today: day(2025, 1, 14), who: "clin@nca.example", fpa: "31/12/2022", cohort: 6, deadline: "14 January 2025", days: 1},
			{today: day(2025, 1, 14), who: "clin@nca.example", fpa: "30/11/2022",
				err: "First paediatric assessment date must be the same as or after 1 December 2022 (the start of cohort 6, the oldest cohort still open)"},
			// The national team may go back to the date of birth, but not
			// into a cohort whose deadline has passed.
			{today: day(2025, 1, 14), who: "full@national.example", fpa: "30/11/2022",
				err: "First paediatric assessment date is in cohort 5, whose submission deadline (9 January 2024) has passed"},
			// After the grace period the submitting cohort is the oldest open.
			{today: day(2025, 1, 15), who: "clin@nca.example", fpa: "31/12/2022",
				err: "First paediatric assessment date must be the same as or after 1 December 2023 (the start of cohort 7, the oldest cohort still open)"},
			{today: day(2025, 1, 15), who: "clin@nca.example", fpa: "1/12/2023", cohort: 7, deadline: "13 January 2026"},
			{today: day(2025, 1, 15), who: "clin@nca.example", fpa: "1/2/2015",
				err: "First paediatric assessment date must be the same as or after 1 December 2023 (the start of cohort 7, the oldest cohort still open)"},
			{today: day(2025, 1, 15), who: "full@national.example", fpa: "2/5/2015",
				err: "First paediatric assessment date must be the same as or after 3 May 2015 (the child's date of birth)"},
			{today: day(2025, 1, 15), who: "clin@nca.example", fpa: "31/2/2024", err: "First paediatric assessment date must be a real date"},
		} {
			w.now = tc.today
			id := w.create(t, "clin@nca.example", newChild(nhsnumber.Generate(nhs), "RM332"))
			var f [3]string
			copy(f[:], strings.Split(tc.fpa, "/"))
			err := w.svc.Register(ctx, w.me(t, tc.who), id, children.Registration{EligibilityConfirmed: true,
				FirstAssessment: children.DateInput{Day: f[0], Month: f[1], Year: f[2]}})
			name := fmt.Sprintf("%s on %s by %s", tc.fpa, tc.today.Format("2006-01-02"), tc.who)
			if tc.err != "" {
				if fe, ok := fieldError(err); !ok || fe.Field != "first_paediatric_assessment_date" || fe.Message != tc.err {
					t.Errorf("%s: %v\nwant %s", name, err, tc.err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			c := w.get(t, tc.who, id)
			if c.Cohort == nil || int(c.Cohort.Number) != tc.cohort || !c.EligibilityConfirmed || !c.Registered() ||
				c.RegisteredByName == "" {
				t.Errorf("%s: cohort %+v, registered %v by %q", name, c.Cohort, c.Registered(), c.RegisteredByName)
				continue
			}
			if tc.deadline != "" && c.Cohort.Deadline.Format("2 January 2006") != tc.deadline {
				t.Errorf("%s: deadline %s, want %s", name, c.Cohort.Deadline.Format("2 January 2006"), tc.deadline)
			}
			if tc.days != 0 && c.Cohort.DaysRemaining != tc.days {
				t.Errorf("%s: %d days remaining, want %d", name, c.Cohort.DaysRemaining, tc.days)
			}
		}

		// Eligibility must be confirmed; errors come together.
		w.now = day(2025, 3, 10)
		id := w.create(t, "clin@nca.example", newChild(nhsnumber.Generate(nhs), "RM332"))
		err := w.svc.Register(ctx, w.me(t, "clin@nca.example"), id, children.Registration{})
		var fe children.FieldErrors
		if !errors.As(err, &fe) || len(fe) != 2 || fe.For("eligibility") == "" || fe.For("first_paediatric_assessment_date") != "Enter the first paediatric assessment date" {
			t.Errorf("empty registration: %v", err)
		}
		// Registering again is for the national team only.
		reg := children.Registration{EligibilityConfirmed: true, FirstAssessment: children.DateInput{Day: "1", Month: "2", Year: "2025"}}
		if err := w.svc.Register(ctx, w.me(t, "clin@nca.example"), id, reg); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Register(ctx, w.me(t, "clin@nca.example"), id, reg); !errors.Is(err, children.ErrAlreadyRegistered) {
			t.Errorf("clinician registers twice: %v", err)
		}
		reg.FirstAssessment = children.DateInput{Day: "30", Month: "11", Year: "2024"}
		if err := w.svc.Register(ctx, w.me(t, "edit@national.example"), id, reg); err != nil {
			t.Errorf("national team changes a registration: %v", err)
		}
		c := w.get(t, "clin@nca.example", id)
		if c.Cohort.Number != 7 || c.RegisteredByName != "Carl Clin" || c.UpdatedByName != "Ned Edit" {
			t.Errorf("after re-registration: cohort %d, registered by %q, updated by %q", c.Cohort.Number, c.RegisteredByName, c.UpdatedByName)
		}
	})
}

// Locked children and children past their cohort's deadline refuse every
// write; unlocking reopens them until the deadline.
func TestLockAndDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		clin, lead := w.me(t, "clin@nca.example"), w.me(t, "lead@nca.example")
		w.now = day(2024, 12, 20)
		id := w.create(t, "clin@nca.example", newChild("9434765919", "RM332"))
		if err := w.svc.Lock(ctx, clin, id, 1); !errors.Is(err, children.ErrNotRegistered) {
			t.Errorf("lock before registration: %v", err)
		}
		reg := children.Registration{EligibilityConfirmed: true, FirstAssessment: children.DateInput{Day: "5", Month: "1", Year: "2023"}}
		if err := w.svc.Register(ctx, clin, id, reg); err != nil {
			t.Fatal(err) // cohort 6, deadline 14 January 2025
		}
		c := w.get(t, "clin@nca.example", id)
		if !c.CanLock || c.CanUnlock {
			t.Errorf("registered child: can lock %v, unlock %v", c.CanLock, c.CanUnlock)
		}
		if err := w.svc.Lock(ctx, clin, id, c.Version-1); !errors.Is(err, children.ErrStale) {
			t.Errorf("lock from a stale page: %v", err)
		}
		if err := w.svc.Lock(ctx, w.me(t, "admin@nca.example"), id, c.Version); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("administrator locks: %v", err)
		}
		w.now = day(2024, 12, 21)
		if err := w.svc.Lock(ctx, clin, id, c.Version); err != nil {
			t.Fatal(err)
		}
		c = w.get(t, "lead@nca.example", id)
		if !c.Locked() || c.LockedByName != "Carl Clin" || !c.LockedAt.Equal(day(2024, 12, 21)) || !errors.Is(c.ReadOnly, children.ErrLocked) {
			t.Errorf("locked: %v by %q at %v", c.Locked(), c.LockedByName, c.LockedAt)
		}
		if c.CanEdit || c.CanRegister || c.CanLock || !c.CanUnlock {
			t.Errorf("locked child's actions: edit %v register %v lock %v unlock %v", c.CanEdit, c.CanRegister, c.CanLock, c.CanUnlock)
		}
		d := children.DemographicsOf(c.Child)
		d.Surname = "Changed"
		for name, err := range map[string]error{
			"edit":     w.svc.Update(ctx, lead, id, c.Version, d),
			"register": w.svc.Register(ctx, w.me(t, "full@national.example"), id, reg),
			"lock":     w.svc.Lock(ctx, lead, id, c.Version),
		} {
			want := children.ErrLocked
			if name == "lock" {
				want = children.ErrAlreadyLocked
			}
			if !errors.Is(err, want) || !children.IsConflict(err) {
				t.Errorf("%s a locked child: %v", name, err)
			}
		}
		if err := w.svc.Unlock(ctx, lead, id); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Unlock(ctx, lead, id); !errors.Is(err, children.ErrNotLocked) {
			t.Errorf("unlock twice: %v", err)
		}
		c = w.get(t, "lead@nca.example", id)
		if c.Locked() || c.ReadOnly != nil {
			t.Errorf("unlocked child: %+v", c.Child)
		}
		// A form made before the unlock is stale.
		if err := w.svc.Update(ctx, lead, id, c.Version-2, d); !errors.Is(err, children.ErrStale) {
			t.Errorf("edit from a stale form: %v", err)
		}
		if err := w.svc.Update(ctx, lead, id, c.Version, d); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Lock(ctx, lead, id, c.Version+1); err != nil {
			t.Fatal(err)
		}

		// Deadline day: still open (1 day remaining), and unlockable.
		w.now = day(2025, 1, 14)
		c = w.get(t, "lead@nca.example", id)
		if c.Cohort.DaysRemaining != 1 || !c.CanUnlock {
			t.Errorf("deadline day: %d days, can unlock %v", c.Cohort.DaysRemaining, c.CanUnlock)
		}
		// The day after: read-only, locked or not, for everyone.
		w.now = day(2025, 1, 15)
		c = w.get(t, "full@national.example", id)
		if c.Cohort.DaysRemaining != 0 || c.CanEdit || c.CanRegister || c.CanLock || c.CanUnlock {
			t.Errorf("after the deadline: %+v", c)
		}
		if err := w.svc.Unlock(ctx, w.me(t, "full@national.example"), id); !errors.Is(err, children.ErrPastDeadline) {
			t.Errorf("unlock after the deadline: %v", err)
		}
		// An unlocked child of a closed cohort is read-only too.
		w.now = day(2024, 12, 20)
		other := w.create(t, "clin@nca.example", newChild("4010232137", "RM332"))
		if err := w.svc.Register(ctx, clin, other, reg); err != nil {
			t.Fatal(err)
		}
		w.now = day(2025, 1, 15)
		oc := w.get(t, "clin@nca.example", other)
		if !errors.Is(oc.ReadOnly, children.ErrPastDeadline) {
			t.Errorf("read-only reason %v", oc.ReadOnly)
		}
		d = children.DemographicsOf(oc.Child)
		for name, err := range map[string]error{
			"edit":     w.svc.Update(ctx, clin, other, oc.Version, d),
			"register": w.svc.Register(ctx, w.me(t, "full@national.example"), other, reg),
			"lock":     w.svc.Lock(ctx, clin, other, oc.Version),
		} {
			if !errors.Is(err, children.ErrPastDeadline) {
				t.Errorf("%s past the deadline: %v", name, err)
			}
		}
	})
}

func TestListSearchFilterSortPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		lead := w.me(t, "lead@nca.example")
		empty, err := w.svc.List(ctx, lead.Actor, children.Filter{})
		if err != nil || !empty.NoChildren || empty.Total != 0 {
			t.Fatalf("empty list: %+v %v", empty, err)
		}

		// 60 children in trust RM3 (55 at RM332, 5 at RM335), 3 elsewhere.
		type kid struct {
			first, surname, nhs, org string
			fpa                      string // "" unregistered
			lock                     bool
		}
		kids := []kid{
			{"Zoe", "Adams", "9434765919", "RM332", "1/1/2025", true},
			{"Yusuf", "Baker", "4010232137", "RM335", "1/12/2023", false},
			{"Xena", "Clark", "9990000018", "RM332", "", false},
		}
		r := rand.New(rand.NewPCG(1, 2))
		for i := range 57 {
			org := "RM332"
			if i%15 == 0 {
				org = "RM335"
			}
			kids = append(kids, kid{"Pat", fmt.Sprintf("Filler%02d", i), nhsnumber.Generate(r), org, "", false})
		}
		w.now = day(2025, 3, 10)
		ids := map[string]int64{}
		for _, k := range kids {
			n := newChild(k.nhs, k.org)
			n.FirstName, n.Surname = k.first, k.surname
			id := w.create(t, "lead@nca.example", n)
			ids[k.surname] = id
			if k.fpa != "" {
				f := strings.Split(k.fpa, "/")
				if err := w.svc.Register(ctx, lead, id, children.Registration{EligibilityConfirmed: true,
					FirstAssessment: children.DateInput{Day: f[0], Month: f[1], Year: f[2]}}); err != nil {
					t.Fatal(err)
				}
			}
			if k.lock {
				if err := w.svc.Lock(ctx, lead, id, 2); err != nil {
					t.Fatal(err)
				}
			}
		}
		w.create(t, "lead@rgt.example", newChild(nhsnumber.Generate(r), "RGT01"))
		w.create(t, "lead@wales.example", newChild(nhsnumber.Generate(r), "7A4H1"))

		list := func(who string, f children.Filter) children.Page {
			t.Helper()
			p, err := w.svc.List(ctx, w.me(t, who).Actor, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			return p
		}
		names := func(p children.Page) []string {
			var out []string
			for _, r := range p.Rows {
				out = append(out, r.Surname)
			}
			return out
		}
		// Scope, totals and paging: 50 a page, the last page short.
		p := list("lead@nca.example", children.Filter{})
		if p.Total != 60 || p.Pages != 2 || len(p.Rows) != 50 || p.Totals.Total != 60 || p.Totals.Registered != 2 || p.NoChildren {
			t.Errorf("trust list: total %d, pages %d, rows %d, totals %+v", p.Total, p.Pages, len(p.Rows), p.Totals)
		}
		if got := names(p)[:3]; !slices.Equal(got, []string{"Adams", "Baker", "Clark"}) {
			t.Errorf("default sort by surname: %v", got)
		}
		p2 := list("lead@nca.example", children.Filter{Page: 2})
		if len(p2.Rows) != 10 || p2.Filter.Page != 2 {
			t.Errorf("page 2: %d rows", len(p2.Rows))
		}
		if p := list("lead@nca.example", children.Filter{Page: 99}); p.Filter.Page != 2 || len(p.Rows) != 10 {
			t.Errorf("a page past the end shows the last: page %d", p.Filter.Page)
		}
		seen := map[int64]bool{}
		for _, r := range append(p.Rows, p2.Rows...) {
			if seen[r.ID] {
				t.Errorf("child %d on both pages", r.ID)
			}
			seen[r.ID] = true
		}
		if p := list("view@national.example", children.Filter{}); p.Total != 62 {
			t.Errorf("national list: %d", p.Total)
		}
		if p := list("lead@wales.example", children.Filter{}); p.Total != 1 {
			t.Errorf("Welsh list: %d", p.Total)
		}

		// Search: name either way round, NHS number in any spacing, audit ID.
		for q, want := range map[string][]string{
			"zoe":            {"Adams"},
			"ADAMS ZOE":      {"Adams"},
			"yusuf baker":    {"Baker"},
			"401 023 2137":   {"Baker"},
			"401-023":        {"Baker"},
			"filler0":        {"Filler00", "Filler01", "Filler02", "Filler03", "Filler04", "Filler05", "Filler06", "Filler07", "Filler08", "Filler09"},
			"nobody at all":  nil,
			"9434765919 zoe": nil,
		} {
			if got := names(list("lead@nca.example", children.Filter{Query: q})); !slices.Equal(got, want) {
				t.Errorf("search %q: %v, want %v", q, got, want)
			}
		}
		clark := w.get(t, "lead@nca.example", ids["Clark"])
		for _, q := range []string{clark.AuditID, strings.ToLower(clark.AuditID), clark.AuditID[:5]} {
			if got := names(list("lead@nca.example", children.Filter{Query: q})); !slices.Contains(got, "Clark") {
				t.Errorf("search by audit ID %q: %v", q, got)
			}
		}
		// Another trust's child is never found, even by its exact number.
		rgt := list("view@national.example", children.Filter{Org: "RGT01"})
		if len(rgt.Rows) != 1 {
			t.Fatalf("national, RGT01: %d", len(rgt.Rows))
		}
		if p := list("lead@nca.example", children.Filter{Query: rgt.Rows[0].NHSNumber}); p.Total != 0 {
			t.Errorf("another trust's child found by NHS number")
		}

		// Filters.
		for _, tc := range []struct {
			f    children.Filter
			want int64
		}{
			{children.Filter{Cohort: 8}, 1},
			{children.Filter{Cohort: 7}, 1},
			{children.Filter{Cohort: 6}, 0},
			{children.Filter{Registered: "yes"}, 2},
			{children.Filter{Registered: "no"}, 58},
			{children.Filter{Locked: "yes"}, 1},
			{children.Filter{Locked: "no", Registered: "yes"}, 1},
			{children.Filter{Org: "RM335"}, 5},
			{children.Filter{Org: "rm332", Registered: "yes"}, 1},
			{children.Filter{Org: "RM332", Query: "baker"}, 0},
		} {
			p := list("lead@nca.example", tc.f)
			if p.Total != tc.want || p.NoChildren {
				t.Errorf("filter %+v: %d, want %d", tc.f, p.Total, tc.want)
			}
		}
		if p := list("lead@nca.example", children.Filter{Org: "RM335"}); p.Totals.Total != 5 || p.Totals.Registered != 1 {
			t.Errorf("RM335 totals %+v", p.Totals)
		}
		// An organisation outside scope is refused, however it was sent.
		for _, org := range []string{"RGT01", "7A4H1", "NOPE1"} {
			if _, err := w.svc.List(ctx, lead.Actor, children.Filter{Org: org}); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("filter by %s: %v", org, err)
			}
		}

		// Sort: every column, both ways, over the whole trust list.
		all := map[int64]children.Row{}
		for _, pg := range []children.Page{p, p2} {
			for _, r := range pg.Rows {
				all[r.ID] = r
			}
		}
		orgName := func(ods string) string { return strings.ToLower(ods) }
		key := func(col string, r children.Row) string {
			switch col {
			case "audit_id":
				return r.AuditID
			case "nhs_number":
				return r.NHSNumber
			case "date_of_birth":
				return r.DateOfBirth.String()
			case "cohort":
				return fmt.Sprintf("%03s", r.CohortNumber())
			case "organisation":
				return orgName(r.OrganisationName)
			case "days_remaining":
				if n, ok := r.DaysRemaining(); ok {
					return fmt.Sprintf("%08d", n+1000000)
				}
				return ""
			case "submitted":
				if r.LockedAt != nil {
					return r.LockedAt.UTC().Format(time.RFC3339Nano)
				}
				return ""
			case "progress":
				if r.AuditProgress != nil {
					return fmt.Sprintf("%03d", *r.AuditProgress)
				}
				return ""
			case "status":
				switch {
				case r.Locked:
					return "2"
				case r.Registered:
					return "1"
				}
				return "0"
			}
			return strings.ToLower(r.Surname + " " + r.FirstName)
		}
		for _, col := range children.SortColumns {
			for _, desc := range []bool{false, true} {
				var got []children.Row
				for page := 1; page <= 2; page++ {
					got = append(got, list("lead@nca.example", children.Filter{Sort: col, Desc: desc, Page: page}).Rows...)
				}
				if len(got) != 60 {
					t.Fatalf("sort %s: %d rows", col, len(got))
				}
				ok := sort.SliceIsSorted(got, func(i, j int) bool {
					if desc {
						return key(col, got[i]) > key(col, got[j])
					}
					return key(col, got[i]) < key(col, got[j])
				})
				if !ok {
					t.Errorf("sort by %s desc=%v is out of order", col, desc)
				}
			}
		}
		// Cohort sorts as a number, unregistered children first.
		if got := list("lead@nca.example", children.Filter{Sort: "cohort", Desc: true}).Rows; got[0].CohortNumber() != "8" || got[1].CohortNumber() != "7" {
			t.Errorf("cohort descending starts %s, %s", got[0].CohortNumber(), got[1].CohortNumber())
		}
	})
}
