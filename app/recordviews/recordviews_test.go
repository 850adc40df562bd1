package recordviews_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/jobargs"
	"clinaudit/app/recordviews"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// Views older than the retention go at the purge; the boundary is kept;
// a retention of 0 keeps everything. The daily job does the same.
func TestPurgeKeepsTheRetentionPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		var u store.User
		if err := s.InTx(ctx, func(tx store.Tx) error {
			u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: "lead@nca.example", FirstName: "L", Surname: "L", Role: access.LeadClinician, Organisation: "RM332"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		keep := 2 * 365 * 24 * time.Hour
		for i, at := range []time.Time{now.Add(-keep - time.Second), now.Add(-keep), now.Add(-time.Hour)} {
			if err := recordviews.Log(ctx, s, recordviews.View{UserID: u.ID, ChildID: int64(i + 1), AuditID: "C0000001", Route: "/children/1", At: at}); err != nil {
				t.Fatal(err)
			}
		}
		count := func() int {
			p, err := recordviews.List(ctx, s, access.Actor{Role: access.NationalFull}, recordviews.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Views)
		}
		if n, err := recordviews.Purge(ctx, s, now, 0); n != 0 || err != nil || count() != 3 {
			t.Fatalf("retention 0 purged %d (%v)", n, err)
		}
		w := recordviews.NewPurgeWorker(s, keep, nil)
		w.Now = func() time.Time { return now }
		if err := w.Work(ctx, &river.Job[jobargs.PurgeRecordViewsArgs]{}); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != 2 {
			t.Errorf("after the purge %d views, want 2 (the boundary kept)", got)
		}
		if _, err := recordviews.List(ctx, s, access.Actor{Role: access.NationalEdit}, recordviews.Filter{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("national edit reads the log: %v", err)
		}
	})
}
