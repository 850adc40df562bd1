package jobs

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/files"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Every job kind app/jobargs declares has exactly one worker in All,
// and every periodic job is of one of them: a job added to jobargs but not
// registered would be inserted and never worked.
func TestEveryJobHasAWorker(t *testing.T) {
	declared := declaredKinds(t)
	set := All(Deps{AggregateEvery: time.Minute})
	registered := slices.Sorted(slices.Values(set.kinds))
	if !slices.Equal(declared, registered) {
		t.Errorf("kinds declared in app/jobargs:\n%v\nkinds with a worker:\n%v", declared, registered)
	}
	for _, p := range set.periodic {
		if !slices.Contains(registered, p.args.Kind()) {
			t.Errorf("periodic job %s has no worker", p.args.Kind())
		}
	}
	if slices.ContainsFunc(All(Deps{}).periodic, func(p periodicJob) bool { return p.args.Kind() == (jobargs.AggregateArgs{}).Kind() }) {
		t.Error("--aggregate-every 0 still schedules the aggregation")
	}
}

// declaredKinds reads the Kind methods of app/jobargs: the string each
// returns, sorted.
func declaredKinds(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "app", "jobargs", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("app/jobargs: %v %v", files, err)
	}
	var kinds []string
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Kind" || len(fn.Body.List) != 1 {
				continue
			}
			ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				t.Fatalf("%s: a Kind method that does not return one literal", name)
			}
			lit, ok := ret.Results[0].(*ast.BasicLit)
			if !ok {
				t.Fatalf("%s: a Kind method that does not return one literal", name)
			}
			k, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	if len(kinds) < 10 {
		t.Fatalf("found only %d kinds in app/jobargs: %v", len(kinds), kinds)
	}
	return kinds
}

// The periodic jobs, as serve configures them, all run at start-up and
// complete on both engines; among them the children purge removes a child
// deleted 31 days ago and the token purge an expired invite link.
func TestPeriodicJobsRunOnStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		// Made before the jobs start, with no client to queue their
		// emails: an insert-only one.
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		old := deletedChild(t, s, time.Now().UTC().Add(-31*24*time.Hour))
		expired := expiredToken(t, s, a)

		b, err := files.OpenBucket(ctx, "file:"+t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		keys, _ := files.ParseKeys(files.NewKey("k"))
		fs := &files.Service{Store: s, Bucket: b, Keys: keys}
		set := All(Deps{Store: s, Auth: a, Answers: answers.New(s, time.Now), AggregateEvery: time.Hour, Files: fs})
		cfg := set.Config(2, nil)
		cfg.PollInterval = 100 * time.Millisecond
		if err := s.ConfigureJobs(cfg); err != nil {
			t.Fatal(err)
		}
		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = s.StopJobs(stop)
		})
		var kinds []string
		for _, p := range set.periodic {
			kinds = append(kinds, p.args.Kind())
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds(kinds...).States(rivertype.JobStateCompleted).First(100))
			if err != nil {
				t.Fatal(err)
			}
			done := map[string]bool{}
			for _, j := range res.Jobs {
				done[j.Kind] = true
			}
			if len(done) == len(kinds) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("completed within 30s: %v of %v", done, kinds)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if _, err := s.GetDeletedChild(ctx, old); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the scheduled purge left a child deleted 31 days ago: %v", err)
		}
		if _, err := s.GetAuthToken(ctx, expired); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the scheduled purge left an expired invite token: %v", err)
		}
	})
}

// deletedChild adds a child at RM332 and deletes it at deletedAt.
func deletedChild(t *testing.T, s store.Store, deletedAt time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, "RM332")
	if err != nil {
		t.Fatal(err)
	}
	nhs, dob := "9434765919", store.Date{Year: 2015, Month: 5, Day: 3}
	id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: "C0000001", NHSNumber: &nhs, FirstName: "Ava", Surname: "Smith",
		DateOfBirth: &dob, Sex: 2, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: o.ID, CreatedAt: deletedAt})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: deletedAt, ID: id, Version: 1}); err != nil || n != 1 {
		t.Fatalf("delete: %d, %v", n, err)
	}
	return id
}

// expiredToken adds an account with an invite token that expired a day
// ago, and returns how to look the token up.
func expiredToken(t *testing.T, s store.Store, a *auth.Service) store.GetAuthTokenParams {
	t.Helper()
	ctx := context.Background()
	var u store.User
	err := s.InTx(ctx, func(tx store.Tx) error {
		var err error
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: "late@example.org", FirstName: "Lee", Surname: "Late", Role: access.Clinician, Organisation: "RGT01"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	p := store.GetAuthTokenParams{Hash: "expired-invite", Purpose: "invite"}
	if err := s.CreateAuthToken(ctx, store.CreateAuthTokenParams{Hash: p.Hash, UserID: u.ID, Purpose: p.Purpose,
		CreatedAt: now.Add(-4 * 24 * time.Hour), ExpiresAt: now.Add(-24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return p
}
