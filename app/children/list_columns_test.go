package children_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"clinaudit/app/children"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The case list's audit progress, days remaining and date submitted
// (spec §10.1): shown as a person reads them, and sortable both ways like
// the other columns, nationally, within a trust and with a search.
func TestListProgressDaysRemainingSubmitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := lifecycleWorld(t, s) // today is 10 March 2025
		lead := w.me(t, "lead@nca.example")
		r := rand.New(rand.NewPCG(7, 8))
		ids := map[string]int64{}
		for _, name := range []string{"Amy", "Bea", "Cal", "Dee"} {
			n := newChild(nhsnumber.Generate(r), "RM332")
			n.FirstName = name
			ids[name] = w.create(t, "lead@nca.example", n)
		}
		w.register(t, "lead@nca.example", ids["Amy"], "1", "1", "2025")  // cohort 8: deadline 12 January 2027
		w.register(t, "lead@nca.example", ids["Bea"], "1", "12", "2023") // cohort 7: deadline 13 January 2026
		w.register(t, "lead@nca.example", ids["Cal"], "1", "1", "2025")
		if err := w.svc.Lock(ctx, lead, ids["Cal"], 2); err != nil {
			t.Fatal(err)
		}
		// Progress as the scoring job stores it; a stale version is ignored.
		for name, pct := range map[string]int64{"Amy": 45, "Bea": 100, "Cal": 7} {
			c, err := s.GetChild(ctx, ids[name])
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SetChildAuditProgress(ctx, store.SetChildAuditProgressParams{ID: c.ID, Version: c.Version - 1, AuditProgress: 99}); err != nil {
				t.Fatal(err)
			}
			if err := s.SetChildAuditProgress(ctx, store.SetChildAuditProgressParams{ID: c.ID, Version: c.Version, AuditProgress: pct}); err != nil {
				t.Fatal(err)
			}
		}

		type cells struct{ Name, Progress, Days, Submitted string }
		read := func(f children.Filter) []cells {
			t.Helper()
			p, err := w.svc.List(ctx, lead.Actor, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []cells
			for _, r := range p.Rows {
				out = append(out, cells{r.FirstName, r.ProgressDisplay(), r.DaysRemainingDisplay(), r.SubmittedDisplay()})
			}
			return out
		}
		amy := cells{"Amy", "45%", "673 days", ""}
		bea := cells{"Bea", "100%", "309 days", ""}
		cal := cells{"Cal", "7%", "673 days", "10 March 2025"}
		dee := cells{"Dee", "", "", ""} // not registered
		for _, tt := range []struct {
			sort string
			want []cells // ascending; unregistered or unsubmitted first
		}{
			{"progress", []cells{dee, cal, amy, bea}},
			{"days_remaining", []cells{dee, bea, amy, cal}},
			{"submitted", []cells{amy, bea, dee, cal}},
		} {
			for _, desc := range []bool{false, true} {
				want := slices.Clone(tt.want)
				if desc {
					slices.Reverse(want)
				}
				for _, f := range []children.Filter{{Sort: tt.sort, Desc: desc}, {Sort: tt.sort, Desc: desc, Query: "smith"}} {
					if got := read(f); !slices.Equal(got, want) {
						t.Errorf("sorted by %s desc=%v (search %q):\n got %v\nwant %v", tt.sort, desc, f.Query, got, want)
					}
				}
			}
		}
	})
}
