package storetest_test

// The conformance suite: one test per query group (queries/shared/*.sql),
// each run on both engines by storetest.Each, calling every method of its
// group at least once and reading back what it wrote. TestEveryQueryIsTested
// fails when a Queries method is called by none of them, so a new query
// comes with its test.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"clinaudit/app/store"
)

func TestEveryQueryIsTested(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	// The sorted case-list queries are called through ListChildrenSorted
	// and ListChildrenInScopeSorted, for every column and direction.
	sorted := reflect.TypeFor[store.ChildListQueries]()
	q := reflect.TypeFor[store.Queries]()
	for i := range q.NumMethod() {
		name := q.Method(i).Name
		if _, ok := sorted.MethodByName(name); ok {
			continue
		}
		if !strings.Contains(src.String(), "."+name+"(") {
			t.Errorf("no conformance test calls %s", name)
		}
	}
}

// at is a fixed time, minute m after a base: whole seconds, UTC, so both
// engines give it back equal.
func at(m int) time.Time {
	return time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute)
}

func ptr[T any](v T) *T { return &v }

// check fails the test at once on an error.
func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// get returns v, failing the test at once on an error.
func get[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: err = %v, want ErrNotFound", what, err)
	}
}

func wantConflict(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("%s: err = %v, want ErrConflict", what, err)
	}
}

func wantRows(t *testing.T, what string, got int64, err error, want int64) {
	t.Helper()
	if err != nil || got != want {
		t.Errorf("%s = %d, %v; want %d rows", what, got, err, want)
	}
}

// newUser creates a user and returns its id: a clinician of org, or a
// national viewer when org is nil.
func newUser(t *testing.T, s store.Queries, email string, org *int64) int64 {
	t.Helper()
	role := "clinician"
	if org == nil {
		role = "national_view"
	}
	id, err := s.CreateUser(context.Background(), store.CreateUserParams{Email: email, FirstName: "Ann",
		Surname: strings.ToUpper(email[:1]) + email[1:strings.Index(email, "@")], Role: role, OrganisationID: org, CreatedAt: at(0)})
	check(t, err)
	return id
}

// org returns the id of a reference organisation.
func org(t *testing.T, s store.Queries, ods string) int64 {
	t.Helper()
	o, err := s.GetOrganisationByODS(context.Background(), ods)
	check(t, err)
	return o.ID
}

func day(y int, m time.Month, d int) *store.Date {
	v := store.NewDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	return &v
}

// newChild adds an unregistered child at organisation lead and returns its
// id. Names and numbers derive from auditID ("A1": surname "Surname-A1").
func newChild(t *testing.T, s store.Queries, auditID string, lead int64, by *int64) int64 {
	t.Helper()
	id, err := s.InsertChild(context.Background(), childParams(auditID, lead, by))
	check(t, err)
	return id
}

func childParams(auditID string, lead int64, by *int64) store.InsertChildParams {
	return store.InsertChildParams{AuditID: auditID, NHSNumber: ptr("nhs-" + auditID), FirstName: "First-" + auditID,
		Surname: "Surname-" + auditID, DateOfBirth: day(2015, 6, 1), Sex: 1, Postcode: "CB2 0QQ", Ethnicity: "A",
		LeadOrganisationID: lead, CreatedAt: at(0), CreatedBy: by}
}

// newRegisteredChild adds a child registered in cohort at organisation lead,
// at version 2.
func newRegisteredChild(t *testing.T, s store.Queries, auditID string, lead int64, cohort int64) int64 {
	t.Helper()
	id := newChild(t, s, auditID, lead, nil)
	n, err := s.RegisterChild(context.Background(), store.RegisterChildParams{FirstPaediatricAssessmentDate: day(2024, 12, 1),
		Cohort: &cohort, LeadOrganisationID: lead, UpdatedAt: at(1), ID: id, Version: 1})
	if err != nil || n != 1 {
		t.Fatalf("RegisterChild = %d, %v", n, err)
	}
	return id
}
