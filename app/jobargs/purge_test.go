package jobargs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"clinaudit/app/jobargs"

	"github.com/riverqueue/river"
)

// A purge runs at the worker's clock, logs its count under its key when it
// deleted any, and logs nothing when it failed (its count may be rows a
// rolled-back transaction kept).
func TestPurgeWorker(t *testing.T) {
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	var n int64
	var fail error
	var got time.Time
	w := &jobargs.PurgeWorker[jobargs.PurgeChildrenArgs]{
		Purge:   func(_ context.Context, now time.Time) (int64, error) { got = now; return n, fail },
		Limit:   time.Minute,
		Message: "purged things", Key: "things",
		Logger: slog.New(slog.NewTextHandler(&buf, nil)),
		Now:    func() time.Time { return at },
	}
	run := func() error { return w.Work(context.Background(), &river.Job[jobargs.PurgeChildrenArgs]{}) }
	if w.Timeout(nil) != time.Minute {
		t.Errorf("timeout %v", w.Timeout(nil))
	}

	if err := run(); err != nil || !got.Equal(at) || buf.Len() != 0 {
		t.Fatalf("nothing to purge: err %v, ran at %v, logged %q", err, got, buf.String())
	}
	n = 3
	if err := run(); err != nil || !strings.Contains(buf.String(), `msg="purged things" things=3`) {
		t.Fatalf("three purged: err %v, logged %q", err, buf.String())
	}
	buf.Reset()
	fail = errors.New("rolled back")
	if err := run(); !errors.Is(err, fail) || buf.Len() != 0 {
		t.Fatalf("failed purge: err %v, logged %q", err, buf.String())
	}

	w.Now, fail, got = nil, nil, time.Time{}
	if err := run(); err != nil || time.Since(got) > time.Minute {
		t.Errorf("no clock: ran at %v (%v)", got, err)
	}
}
