package export_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/export"
	"clinaudit/app/internal/testwait"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// Who may ask, who may download, and when.
func TestRecordExportAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newExportWorld(t, s)
		rm332, _ := s.GetOrganisationByODS(ctx, "RM332")
		if _, err := export.Ask(ctx, s, w.users["clin-rgt"], export.Request{Format: export.CSV}, time.Now()); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a clinician asked for an export: %v", err)
		}
		if _, err := export.Ask(ctx, s, w.users["lead-rgt"], export.Request{Format: export.CSV, Organisation: &rm332}, time.Now()); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a lead clinician exported another trust's organisation: %v", err)
		}
		if _, err := export.Ask(ctx, s, w.users["lead-rgt"], export.Request{Format: "xml"}, time.Now()); !errors.Is(err, export.ErrBadRequest) {
			t.Errorf("format xml: %v", err)
		}
		var ids []int64
		for range export.MaxUnfinished {
			id, err := export.Ask(ctx, s, w.users["lead-rm3"], export.Request{Format: export.CSV, Organisation: &rm332}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if _, err := export.Ask(ctx, s, w.users["lead-rm3"], export.Request{Format: export.CSV}, time.Now()); !errors.Is(err, export.ErrTooMany) {
			t.Errorf("export %d while %d wait: %v", export.MaxUnfinished+1, export.MaxUnfinished, err)
		}
		// The request and its job are one transaction: one job each.
		res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds(jobargs.ExportRecordsArgs{}.Kind()))
		if err != nil || len(res.Jobs) != export.MaxUnfinished {
			t.Errorf("%d records_export jobs, %v", len(res.Jobs), err)
		}
		if _, _, err := export.Open(ctx, s, w.users["lead-rm3"], ids[0], time.Now()); !errors.Is(err, export.ErrNotReady) {
			t.Errorf("open before the job ran: %v", err)
		}
		r := &export.Runner{Store: s, Answers: &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}}
		if err := r.RunExport(ctx, ids[0], false); err != nil {
			t.Fatal(err)
		}
		// Another user, even national, does not see it; a clinician who
		// lost the right does not either.
		if _, _, err := export.Open(ctx, s, w.users["national"], ids[0], time.Now()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another user opened the export: %v", err)
		}
		demoted := w.users["lead-rm3"]
		demoted.Actor.Role = access.Clinician
		if _, _, err := export.Open(ctx, s, demoted, ids[0], time.Now()); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a clinician opened their old export: %v", err)
		}
		if _, _, err := export.Open(ctx, s, w.users["lead-rm3"], ids[0], time.Now().Add(export.Retention+time.Minute)); !errors.Is(err, export.ErrExpired) {
			t.Errorf("open after expiry: %v", err)
		}
		// A deactivated owner's export is not written.
		if err := s.SetUserActive(ctx, store.SetUserActiveParams{ID: w.users["lead-rm3"].ID, IsActive: false, UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := r.RunExport(ctx, ids[1], false); err != nil {
			t.Fatal(err)
		}
		if x, _ := s.GetRecordExport(ctx, ids[1]); x.Status != "failed" || x.Chunks != 0 || !strings.Contains(x.Error, "no longer") {
			t.Errorf("deactivated owner's export: %+v", x)
		}
		// The purge job deletes what expired, with its pieces.
		purge := export.NewPurgeWorker(s, nil)
		purge.Now = func() time.Time { return time.Now().Add(export.Retention + time.Minute) }
		if err := purge.Work(ctx, &river.Job[jobargs.PurgeExportsArgs]{}); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if _, err := s.GetRecordExport(ctx, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("export %d after the purge: %v", id, err)
			}
		}
		if _, err := s.GetRecordExportChunk(ctx, store.GetRecordExportChunkParams{ExportID: ids[0], Seq: 0}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a purged export's file is still there: %v", err)
		}
	})
}

// End to end through River: the request's job, worked by the
// records_export worker, makes the export ready.
func TestRecordExportJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newExportWorld(t, s)
		runner := &export.Runner{Store: s, Answers: &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}}
		workers := river.NewWorkers()
		river.AddWorker(workers, &export.Worker{Runner: runner})
		// newExportWorld configured an insert-only client; this one works.
		if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 2, PollInterval: 100 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			stop, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_ = s.StopJobs(stop)
		}()
		id, err := export.Ask(ctx, s, w.users["lead-rgt"], export.Request{Format: export.CSV, Deidentified: true}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		testwait.Eventually(t, 30*time.Second, "the export to be ready", func() (string, bool) {
			x, err := s.GetRecordExport(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if x.Status == "failed" {
				t.Fatalf("export failed: %+v", x)
			}
			return fmt.Sprintf("%+v", x), x.Status == "ready"
		})
		x, file := w.download(t, "lead-rgt", id)
		if x.Children != 2 || strings.Contains(file, "Zebedee") || strings.Count(file, "\n") < 5 {
			t.Errorf("export %+v:\n%s", x, file)
		}
	})
}
