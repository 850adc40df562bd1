package backup_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/store"
	"clinaudit/app/synth"
)

// filler imports made-up children through the answers service, as
// `clinaudit import` and a clinician's saves do: each child, its answers,
// its trail and its scoring job in one transaction.
type filler struct {
	svc *answers.Service
	org store.Organisation
	gen *synth.Generator
}

func newFiller(t testing.TB, s store.Store, seed uint64) *filler {
	t.Helper()
	ctx := context.Background()
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	org, err := s.GetOrganisationByODS(ctx, "RM332")
	if err != nil {
		t.Fatal(err)
	}
	svc := answers.New(s, time.Now)
	gen := synth.New(synth.Options{Seed: seed, Today: audit.DateOf(svc.Children.Today()), Complete: 0.5})
	return &filler{svc: svc, org: org, gen: gen}
}

// add imports the next child (skipping documents whose NHS number another
// child has) and returns its id once committed: an acknowledged save.
func (f *filler) add(ctx context.Context) (int64, error) {
	for {
		d := f.gen.Next()
		id, err := f.svc.Import(ctx, answers.SystemActor(f.org), answers.Import{Organisation: f.org, Child: d.Child, RequestID: "backup-test"})
		var fe audit.Errors
		if errors.As(err, &fe) && slices.ContainsFunc(fe, func(e *audit.FieldError) bool { return e.Path == "case.nhs_number" }) {
			continue
		}
		return id, err
	}
}

// seed imports and scores n children.
func (f *filler) seed(t testing.TB, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for range n {
		id, err := f.add(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ScoreChild(ctx, id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}
