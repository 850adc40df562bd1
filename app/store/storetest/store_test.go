package storetest_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/refdata"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

func TestReferenceDataLoaded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		got, err := s.CountReferenceData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Row counts of the CSV files in app/refdata/data.
		want := store.ReferenceCounts{Organisations: 342, Trusts: 243, HealthBoards: 7, ICBs: 42,
			Regions: 7, Networks: 15, Countries: 5, Syndromes: 40, Medicines: 36}
		if got != want {
			t.Errorf("counts = %+v, want %+v", got, want)
		}
	})
}

func TestReferenceDataReloadIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		before, _ := s.CountReferenceData(ctx)
		loaded, err := refdata.Load(ctx, s, time.Now())
		if err != nil || loaded {
			t.Fatalf("second load: loaded=%v err=%v, want a no-op", loaded, err)
		}
		// A different recorded checksum forces a full upsert over existing rows.
		if err := s.SetMeta(ctx, store.SetMetaParams{Key: "refdata_checksum", Value: "stale", UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		loaded, err = refdata.Load(ctx, s, time.Now())
		if err != nil || !loaded {
			t.Fatalf("reload: loaded=%v err=%v, want a full load", loaded, err)
		}
		after, _ := s.CountReferenceData(ctx)
		if after != before {
			t.Errorf("counts changed on reload: %+v -> %+v", before, after)
		}
	})
}

func TestOrganisationGeography(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		tests := []struct {
			ods                                string
			trust, board, icb, region, country string
		}{
			// An English hospital: trust, ICB and region, no health board.
			{"RGT01", "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST", "", "NHS Cambridgeshire and Peterborough Integrated Care Board", "East of England", "England"},
			// Jersey is its own trust with no ICB or region.
			{"RGT1W", "JERSEY GENERAL HOSPITAL", "", "", "", "Jersey"},
		}
		for _, tt := range tests {
			o, err := s.GetOrganisationByODS(ctx, tt.ods)
			if err != nil {
				t.Fatalf("%s: %v", tt.ods, err)
			}
			if o.TrustName != tt.trust && !strings.Contains(o.TrustName, "JERSEY") {
				t.Errorf("%s trust = %q, want %q", tt.ods, o.TrustName, tt.trust)
			}
			if o.HealthBoardName != tt.board || o.ICBName != tt.icb || o.RegionName != tt.region || o.CountryName != tt.country {
				t.Errorf("%s = board %q icb %q region %q country %q", tt.ods, o.HealthBoardName, o.ICBName, o.RegionName, o.CountryName)
			}
		}
		// Every Welsh site hangs off a health board, with no ICB or region.
		welsh, err := s.ListOrganisations(ctx, store.ListOrganisationsParams{Pattern: "%", CountryCode: "W92000004", PageLimit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(welsh) != 28 {
			t.Errorf("Welsh organisations = %d, want 28", len(welsh))
		}
		for _, o := range welsh {
			if o.HealthBoardName == "" || o.TrustODSCode != nil || o.ICBODSCode != nil || o.NhsEnglandRegionCode != nil {
				t.Errorf("Welsh %s: board %q trust %v icb %v region %v", o.ODSCode, o.HealthBoardName, o.TrustODSCode, o.ICBODSCode, o.NhsEnglandRegionCode)
			}
		}
	})
}

func TestGetOrganisationNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		_, err := s.GetOrganisationByODS(context.Background(), "NOPE1")
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestListOrganisationsSearchAndPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		// Case-insensitive search on name, ODS code, or trust/board name.
		for _, tt := range []struct {
			pattern string
			min     int64
		}{{"%addenbrooke%", 1}, {"%rgt01%", 1}, {"%northern care alliance%", 11}, {"%no such place%", 0}} {
			n, err := s.CountOrganisations(ctx, store.CountOrganisationsParams{Pattern: tt.pattern})
			if err != nil {
				t.Fatal(err)
			}
			if (tt.min == 0 && n != 0) || n < tt.min {
				t.Errorf("count(%s) = %d, want >= %d (0 means exactly 0)", tt.pattern, n, tt.min)
			}
		}
		// Pages are disjoint, ordered and cover everything exactly once.
		seen := map[string]bool{}
		var last string
		for off := int64(0); ; off += 50 {
			page, err := s.ListOrganisations(ctx, store.ListOrganisationsParams{Pattern: "%", PageLimit: 50, PageOffset: off})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, o := range page {
				if seen[o.ODSCode] {
					t.Fatalf("%s on two pages", o.ODSCode)
				}
				seen[o.ODSCode] = true
				if key := o.Name + "\x00" + o.ODSCode; key < last {
					t.Fatalf("out of order at %s", o.ODSCode)
				} else {
					last = key
				}
			}
		}
		if len(seen) != 342 {
			t.Errorf("paged through %d organisations, want 342", len(seen))
		}
	})
}

type probeArgs struct {
	Note string `json:"note"`
}

func (probeArgs) Kind() string { return "storetest_probe" }

func TestJobInsertedInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		errRollback := errors.New("roll back")
		err := s.InTx(ctx, func(tx store.Tx) error {
			if err := tx.SetMeta(ctx, store.SetMetaParams{Key: "k", Value: "rolled back", UpdatedAt: time.Now()}); err != nil {
				return err
			}
			if err := tx.InsertJob(ctx, probeArgs{"rolled back"}, nil); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx = %v, want the function's error", err)
		}
		if jobs := listProbeJobs(t, s); len(jobs) != 0 {
			t.Errorf("rolled-back transaction left %d jobs", len(jobs))
		}
		if _, err := s.GetMeta(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back data: err = %v, want ErrNotFound", err)
		}

		err = s.InTx(ctx, func(tx store.Tx) error {
			if err := tx.SetMeta(ctx, store.SetMetaParams{Key: "k", Value: "committed", UpdatedAt: time.Now()}); err != nil {
				return err
			}
			return tx.InsertJob(ctx, probeArgs{"committed"}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		if jobs := listProbeJobs(t, s); len(jobs) != 1 {
			t.Errorf("committed transaction left %d jobs, want 1", len(jobs))
		}
		if v, err := s.GetMeta(ctx, "k"); err != nil || v != "committed" {
			t.Errorf("committed data = %q, %v", v, err)
		}
	})
}

func listProbeJobs(t *testing.T, s store.Store) []*rivertype.JobRow {
	t.Helper()
	res, err := s.ListJobs(context.Background(), river.NewJobListParams().Kinds("storetest_probe").First(100))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

type probeWorker struct {
	river.WorkerDefaults[probeArgs]
	s    store.Store
	done chan string
}

func (w *probeWorker) Work(ctx context.Context, job *river.Job[probeArgs]) error {
	err := w.s.SetMeta(ctx, store.SetMetaParams{Key: "worked", Value: job.Args.Note, UpdatedAt: time.Now()})
	w.done <- job.Args.Note
	return err
}

func TestJobsAreWorked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		workers := river.NewWorkers()
		w := &probeWorker{s: s, done: make(chan string, 1)}
		river.AddWorker(workers, w)
		if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 2, PollInterval: 100 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.InsertJob(ctx, probeArgs{"hello"}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case note := <-w.done:
			if note != "hello" {
				t.Errorf("worked %q", note)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("job not worked within 15s")
		}
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.StopJobs(stopCtx); err != nil {
			t.Fatal(err)
		}
		if v, err := s.GetMeta(ctx, "worked"); err != nil || v != "hello" {
			t.Errorf("worker's write = %q, %v", v, err)
		}
	})
}

func TestMigrationsUpDownUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		st, err := s.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || store.Pending(st) {
			t.Fatalf("fresh store status = %+v, want all applied", st)
		}
		if err := s.MigrateDown(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.MigrationStatus(ctx); !store.Pending(st) {
			t.Error("after down, nothing is pending")
		}
		if err := s.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.MigrationStatus(ctx); store.Pending(st) {
			t.Error("after up, something is pending")
		}
	})
}

func TestConcurrentTransactions(t *testing.T) {
	// SQLite has one connection and PostgreSQL a pool: both must serialise
	// or isolate concurrent writers without losing one.
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		var ok atomic.Int64
		errs := make(chan error, 20)
		for i := range 20 {
			go func() {
				errs <- s.InTx(ctx, func(tx store.Tx) error {
					ok.Add(1)
					return tx.SetMeta(ctx, store.SetMetaParams{Key: "c" + string(rune('a'+i)), Value: "v", UpdatedAt: time.Now()})
				})
			}()
		}
		for range 20 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		for i := range 20 {
			if _, err := s.GetMeta(ctx, "c"+string(rune('a'+i))); err != nil {
				t.Errorf("write %d lost: %v", i, err)
			}
		}
	})
}
