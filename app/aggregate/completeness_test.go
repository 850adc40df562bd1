package aggregate_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// A scorer that does not know the audit's completeness (nil) keeps what
// was stored; one that does replaces it.
func TestUpsertKeepsCompleteness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, []kid{{org: "RGT01", cohort: 7, fpa: yearOver, noKPI: true}})
		var scores [kpi.NumMeasures]*int64
		for _, c := range []struct {
			set  *bool
			want *bool
		}{{nil, nil}, {yes, yes}, {nil, yes}, {no, no}, {nil, no}} {
			storeScores(t, s, 1, 1, scores, c.set)
			r, err := s.GetKPIResult(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if (r.AuditComplete == nil) != (c.want == nil) || (r.AuditComplete != nil && *r.AuditComplete != *c.want) {
				t.Errorf("stored %v after storing %v, want %v", show(r.AuditComplete), show(c.set), show(c.want))
			}
		}
	})
}

func show(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "true"
	}
	return "false"
}

// The KPI job stores whether the audit was complete with the scores
// (answers.ScoreChild): a registered child with nothing answered is scored
// as not complete, not as unknown.
func TestScoringRecordsCompleteness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		insertPopulation(t, s, []kid{{org: "RGT01", cohort: 7, fpa: yearOver, noKPI: true}})
		scorer := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: func() time.Time { return testNow }}}
		if err := scorer.ScoreChild(ctx, 1); err != nil {
			t.Fatal(err)
		}
		r, err := s.GetKPIResult(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if r.AuditComplete == nil || *r.AuditComplete {
			t.Errorf("audit_complete %s after scoring an empty audit, want false", show(r.AuditComplete))
		}
	})
}
