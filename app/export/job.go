package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/apperr"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// Record exports run as background jobs: Ask records the request and
// queues its job in one transaction; Runner.RunExport (the records_export
// job) writes the file, gzip-compressed, into the database a megabyte at a
// time; Open hands it to its owner, and only to them, once ready and
// until it expires. The exports_purge job deletes expired ones.

const (
	// Retention is how long an export is kept after it was asked for.
	Retention = 7 * 24 * time.Hour
	// MaxUnfinished is how many exports one user may have waiting or
	// running at once.
	MaxUnfinished = 3
	// chunkSize is how much of the compressed file each stored piece holds.
	chunkSize = 1 << 20
)

// Errors. A user who may not export these records gets apperr.ErrForbidden.
var (
	// ErrTooMany: the user has MaxUnfinished exports waiting already (the
	// form says so; no apperr code).
	ErrTooMany = errors.New("export: too many exports waiting")
	// ErrNotReady: the file is not written (yet, or the export failed).
	ErrNotReady = apperr.New(apperr.Conflict, "This export is not ready to download. The exports page says where it stands.")
	// ErrExpired: the export is past its expiry, about to be purged.
	ErrExpired = apperr.New(apperr.Gone, "This export has expired and is being deleted. Ask for a new one.")
	// ErrBadRequest: the request names no known format.
	ErrBadRequest = &apperr.Error{Code: apperr.Invalid, Err: errors.New("export: no such format")}
)

// Request is what a user asks to export: Format JSONL or CSV,
// identifiable or Deidentified, the children of Organisation (nil: every
// organisation the user may reach) in Cohort (0: every cohort).
type Request struct {
	Format       string
	Deidentified bool
	Organisation *store.Organisation
	Cohort       int64
}

// Ask records me's request, to expire after Retention, and queues its
// job, both in one transaction; it returns the export's id. Errors:
// ErrBadRequest, apperr.ErrForbidden, ErrTooMany, store.ErrJobsNotConfigured,
// the store's.
func Ask(ctx context.Context, s store.Store, me access.Me, req Request, now time.Time) (int64, error) {
	if req.Format != JSONL && req.Format != CSV {
		return 0, ErrBadRequest
	}
	if !me.Actor.Can(access.ExportRecords) {
		return 0, apperr.ErrForbidden
	}
	if _, ok := scopeOf(me.Actor); !ok {
		return 0, apperr.ErrForbidden
	}
	var org *int64
	if o := req.Organisation; o != nil {
		if !me.Actor.InScope(access.PlaceOfOrganisation(*o)) {
			return 0, apperr.ErrForbidden
		}
		org = &o.ID
	}
	var id int64
	err := s.InTx(ctx, func(tx store.Tx) error {
		n, err := tx.CountUnfinishedRecordExports(ctx, me.ID)
		if err != nil {
			return err
		}
		if n >= MaxUnfinished {
			return ErrTooMany
		}
		now = now.UTC()
		id, err = tx.InsertRecordExport(ctx, store.InsertRecordExportParams{UserID: me.ID, Format: req.Format, Deidentified: req.Deidentified,
			OrganisationID: org, Cohort: req.Cohort, RequestedAt: now, ExpiresAt: now.Add(Retention)})
		if err != nil {
			return err
		}
		return tx.InsertJob(ctx, jobargs.ExportRecordsArgs{ExportID: id}, nil)
	})
	return id, err
}

// scopeOf is the actor's reach as a Selection's Scope: "" for national
// roles, their trust's or health board's code otherwise; ok is false for
// an organisation user with neither, who reaches nothing.
func scopeOf(a access.Actor) (scope string, ok bool) {
	switch {
	case a.National():
		return "", true
	case a.Trust != "":
		return a.Trust, true
	case a.HealthBoard != "":
		return a.HealthBoard, true
	}
	return "", false
}

// Runner writes record exports: the records_export job's work.
type Runner struct {
	Store store.Store
	// Answers exports each child's document (answers.Service.Export).
	Answers *answers.Service
	Logger  *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

// What the owner reads when an export cannot be written.
const (
	msgNoLongerAllowed = "Your account may no longer export these records."
	msgRetrying        = "The export failed; it will be tried again in a few minutes."
	msgFailed          = "The export failed. Ask for it again, or contact the national audit team if it fails again."
)

// RunExport writes export id's file, if it is still wanted: the owner's
// access is read again now (a deactivated account, or one that lost the
// right or the organisation since asking, gets nothing), an earlier
// attempt's pieces are deleted, and the records are written. A failure
// puts the export back to pending for the job's next attempt, or, on the
// final one, marks it failed; the owner is told no more than that.
func (r *Runner) RunExport(ctx context.Context, id int64, final bool) error {
	x, err := r.Store.GetRecordExport(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil // purged, or its owner deleted
	}
	if err != nil {
		return err
	}
	if x.Status == "ready" || x.Status == "failed" {
		return nil
	}
	sel, err := r.selection(ctx, x)
	if errors.Is(err, apperr.ErrForbidden) {
		return r.fail(ctx, id, msgNoLongerAllowed)
	}
	if err != nil {
		return r.retry(ctx, id, final, err)
	}
	started := r.now()
	if err := r.Store.StartRecordExport(ctx, store.StartRecordExportParams{ID: id, StartedAt: &started}); err != nil {
		return err
	}
	children, size, chunks, err := r.write(ctx, x, sel)
	if err != nil {
		return r.retry(ctx, id, final, err)
	}
	finished := r.now()
	return r.Store.FinishRecordExport(ctx, store.FinishRecordExportParams{ID: id, FinishedAt: &finished,
		Children: int64(children), Size: size, Chunks: chunks, Scope: &sel.Scope})
}

// selection is the children export x holds, as its owner may reach them
// now; apperr.ErrForbidden when they may not.
func (r *Runner) selection(ctx context.Context, x store.RecordExport) (Selection, error) {
	u, err := r.Store.GetUser(ctx, x.UserID)
	if err != nil {
		return Selection{}, err
	}
	a, err := access.ActorFor(ctx, r.Store, u)
	if err != nil {
		return Selection{}, err
	}
	scope, ok := scopeOf(a)
	if !u.IsActive || !ok || !a.Can(access.ExportRecords) {
		return Selection{}, apperr.ErrForbidden
	}
	sel := Selection{Scope: scope, Cohort: x.Cohort}
	if x.OrganisationID != nil {
		o, err := r.Store.GetOrganisation(ctx, *x.OrganisationID)
		if err != nil {
			return Selection{}, err
		}
		if !a.InScope(access.PlaceOfOrganisation(o)) {
			return Selection{}, apperr.ErrForbidden
		}
		sel.OrganisationID = o.ID
	}
	return sel, nil
}

// write writes the file: records → gzip → pieces in the database.
func (r *Runner) write(ctx context.Context, x store.RecordExport, sel Selection) (children int, size, chunks int64, err error) {
	if err := r.Store.DeleteRecordExportChunks(ctx, x.ID); err != nil {
		return 0, 0, 0, err
	}
	opts := Options{Format: x.Format, Deidentified: x.Deidentified}
	if opts.Deidentified {
		opts.Key = make([]byte, 32)
		if _, err := rand.Read(opts.Key); err != nil {
			return 0, 0, 0, err
		}
	}
	pieces := &chunkWriter{ctx: ctx, q: r.Store, id: x.ID}
	gz := gzip.NewWriter(pieces)
	counted := &countingWriter{w: gz}
	rw, err := NewRecordWriter(counted, opts)
	if err != nil {
		return 0, 0, 0, err
	}
	children, err = EachChild(ctx, r.Store, r.Answers, sel, rw.Write)
	if err == nil {
		err = rw.Close()
	}
	if err == nil {
		err = gz.Close()
	}
	if err == nil {
		err = pieces.Close()
	}
	return children, counted.n, pieces.seq, err
}

func (r *Runner) retry(ctx context.Context, id int64, final bool, cause error) error {
	if r.Logger != nil {
		r.Logger.Error("record export failed", "export", id, "final", final, "err", cause)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if final {
		return errors.Join(cause, r.fail(ctx, id, msgFailed))
	}
	return errors.Join(cause, r.Store.RetryRecordExport(ctx, store.RetryRecordExportParams{ID: id, Error: msgRetrying}))
}

func (r *Runner) fail(ctx context.Context, id int64, msg string) error {
	finished := r.now()
	return r.Store.FailRecordExport(ctx, store.FailRecordExportParams{ID: id, FinishedAt: &finished, Error: msg})
}

// chunkWriter stores what is written as numbered pieces of chunkSize.
type chunkWriter struct {
	ctx context.Context
	q   store.Queries
	id  int64
	buf bytes.Buffer
	seq int64
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	for w.buf.Len() >= chunkSize {
		if err := w.flush(w.buf.Next(chunkSize)); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (w *chunkWriter) flush(data []byte) error {
	err := w.q.InsertRecordExportChunk(w.ctx, store.InsertRecordExportChunkParams{ExportID: w.id, Seq: w.seq, Data: bytes.Clone(data)})
	w.seq++
	return err
}

// Close stores what is left.
func (w *chunkWriter) Close() error {
	if w.buf.Len() == 0 {
		return nil
	}
	return w.flush(w.buf.Next(w.buf.Len()))
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Open is export id's file for me: the gzip stream as stored (Gunzip
// reads it plain). Only its owner may have it (anyone else: ErrNotFound,
// as for an export that does not exist), while they may still export
// records (apperr.ErrForbidden), once it is ready (ErrNotReady), until it
// expires (ErrExpired), and while their reach now covers what the file
// holds (else ErrNotFound: out of reach reads as absent).
func Open(ctx context.Context, q store.Queries, me access.Me, id int64, now time.Time) (store.RecordExport, io.Reader, error) {
	x, err := q.GetRecordExport(ctx, id)
	if err != nil {
		return x, nil, err
	}
	switch {
	case x.UserID != me.ID:
		return store.RecordExport{}, nil, store.ErrNotFound
	case !me.Actor.Can(access.ExportRecords):
		return x, nil, apperr.ErrForbidden
	case !now.Before(x.ExpiresAt):
		return x, nil, ErrExpired
	case x.Status != "ready":
		return x, nil, ErrNotReady
	}
	// The owner's reach now, not when they asked: a lead moved to another
	// trust loses the old trust's file as they lose its children.
	if ok, err := InReach(ctx, q, me.Actor, x); err != nil || !ok {
		if err == nil {
			err = store.ErrNotFound // out of reach reads as absent, as a child does
		}
		return store.RecordExport{}, nil, err
	}
	return x, &chunkReader{ctx: ctx, q: q, id: id, chunks: x.Chunks}, nil
}

// InReach reports whether a's reach now covers what export x's file
// holds: the reach it was written for (x.Scope), and its one organisation
// if it names one.
func InReach(ctx context.Context, q store.Queries, a access.Actor, x store.RecordExport) (bool, error) {
	scope, ok := scopeOf(a)
	if !ok || !covers(scope, x.Scope) {
		return false, nil
	}
	if x.OrganisationID == nil {
		return true, nil
	}
	o, err := q.GetOrganisation(ctx, *x.OrganisationID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && a.InScope(access.PlaceOfOrganisation(o)), err
}

// covers reports whether reach now (scopeOf: "" national, else a trust's
// or health board's code) covers a file written for reach written (nil:
// unknown, a file written before the reach was recorded).
func covers(now string, written *string) bool {
	if now == "" {
		return true // national: every organisation
	}
	return written != nil && *written == now
}

// Gunzip reads a stored file plain.
func Gunzip(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }

// chunkReader reads an export's pieces in order, one query each.
type chunkReader struct {
	ctx         context.Context
	q           store.Queries
	id          int64
	seq, chunks int64
	buf         []byte
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.seq >= r.chunks {
			return 0, io.EOF
		}
		data, err := r.q.GetRecordExportChunk(r.ctx, store.GetRecordExportChunkParams{ExportID: r.id, Seq: r.seq})
		if err != nil {
			return 0, fmt.Errorf("export %d, piece %d: %w", r.id, r.seq, err)
		}
		r.buf, r.seq = data, r.seq+1
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// Filename is the export's file name: children-RGT01-cohort-8-deidentified-2026-12-02.csv
// ("all" for every organisation in reach, "all-cohorts"), dated the UTC
// day it was asked for.
func Filename(x store.RecordExport) string {
	org, c, kind := "all", "all-cohorts", "identifiable"
	if x.OrganisationOds != "" {
		org = x.OrganisationOds
	}
	if x.Cohort != 0 {
		c = fmt.Sprintf("cohort-%d", x.Cohort)
	}
	if x.Deidentified {
		kind = "deidentified"
	}
	return fmt.Sprintf("children-%s-%s-%s-%s.%s", org, c, kind, x.RequestedAt.UTC().Format("2006-01-02"), x.Format)
}

// ContentType is the export's media type.
func ContentType(format string) string {
	if format == CSV {
		return "text/csv; charset=utf-8"
	}
	return "application/x-ndjson; charset=utf-8"
}
