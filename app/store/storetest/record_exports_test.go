package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestRecordExportQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		ann := newUser(t, s, "ann@example.org", &lead)
		x := get[int64](t)(s.InsertRecordExport(ctx, store.InsertRecordExportParams{UserID: ann, Format: "csv", Deidentified: true, OrganisationID: &lead, Cohort: 7, RequestedAt: at(0), ExpiresAt: at(60)}))
		y := get[int64](t)(s.InsertRecordExport(ctx, store.InsertRecordExportParams{UserID: ann, Format: "jsonl", RequestedAt: at(1), ExpiresAt: at(30)}))
		if n := get[int64](t)(s.CountUnfinishedRecordExports(ctx, ann)); n != 2 {
			t.Errorf("CountUnfinishedRecordExports = %d, want 2", n)
		}
		_, err := s.GetRecordExport(ctx, y+100)
		wantNotFound(t, "GetRecordExport", err)

		check(t, s.StartRecordExport(ctx, store.StartRecordExportParams{StartedAt: ptr(at(2)), ID: x}))
		check(t, s.InsertRecordExportChunk(ctx, store.InsertRecordExportChunkParams{ExportID: x, Seq: 0, Data: []byte("stale")}))
		check(t, s.DeleteRecordExportChunks(ctx, x))
		check(t, s.InsertRecordExportChunk(ctx, store.InsertRecordExportChunkParams{ExportID: x, Seq: 0, Data: []byte("a,b\n")}))
		check(t, s.InsertRecordExportChunk(ctx, store.InsertRecordExportChunkParams{ExportID: x, Seq: 1, Data: []byte("1,2\n")}))
		wantConflict(t, "InsertRecordExportChunk twice", s.InsertRecordExportChunk(ctx, store.InsertRecordExportChunkParams{ExportID: x, Seq: 1, Data: []byte("x")}))
		check(t, s.FinishRecordExport(ctx, store.FinishRecordExportParams{FinishedAt: ptr(at(3)), Children: 1, Size: 8, Chunks: 2, Scope: ptr("RGT"), ID: x}))
		if d := get[[]byte](t)(s.GetRecordExportChunk(ctx, store.GetRecordExportChunkParams{ExportID: x, Seq: 1})); string(d) != "1,2\n" {
			t.Errorf("GetRecordExportChunk = %q", d)
		}
		_, err = s.GetRecordExportChunk(ctx, store.GetRecordExportChunkParams{ExportID: x, Seq: 2})
		wantNotFound(t, "GetRecordExportChunk past the last", err)
		e := get[store.RecordExport](t)(s.GetRecordExport(ctx, x))
		if e.Status != "ready" || !e.Deidentified || e.Cohort != 7 || !e.StartedAt.Equal(at(2)) || !e.FinishedAt.Equal(at(3)) || e.Chunks != 2 || e.Size != 8 ||
			*e.Scope != "RGT" || e.OrganisationOds != "RGT01" || e.Error != "" {
			t.Errorf("GetRecordExport when ready = %+v", e)
		}

		check(t, s.RetryRecordExport(ctx, store.RetryRecordExportParams{Error: "try again", ID: y}))
		if e := get[store.RecordExport](t)(s.GetRecordExport(ctx, y)); e.Status != "pending" || e.Error != "try again" {
			t.Errorf("after RetryRecordExport, %s %q", e.Status, e.Error)
		}
		check(t, s.FailRecordExport(ctx, store.FailRecordExportParams{FinishedAt: ptr(at(4)), Error: "gave up", ID: y}))
		if e := get[store.RecordExport](t)(s.GetRecordExport(ctx, y)); e.Status != "failed" || e.Error != "gave up" || !e.FinishedAt.Equal(at(4)) {
			t.Errorf("after FailRecordExport, %+v", e)
		}
		if n := get[int64](t)(s.CountUnfinishedRecordExports(ctx, ann)); n != 0 {
			t.Errorf("CountUnfinishedRecordExports when done = %d", n)
		}
		if es := get[[]store.RecordExport](t)(s.ListRecordExports(ctx, store.ListRecordExportsParams{UserID: ann, MaxRows: 10})); len(es) != 2 || es[0].ID != y {
			t.Errorf("ListRecordExports = %+v, want both, newest first", es)
		}
		n, err := s.DeleteExpiredRecordExports(ctx, at(30))
		wantRows(t, "DeleteExpiredRecordExports", n, err, 1)
		_, err = s.GetRecordExport(ctx, y)
		wantNotFound(t, "GetRecordExport of an expired export", err)
	})
}
