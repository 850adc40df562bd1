package storetest_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/storetest"
)

// Ready holds on a healthy database of either engine. On SQLite it fails
// with ErrUnavailable when free space is under the threshold, and a write
// while another connection holds the write lock fails with ErrUnavailable
// after the busy timeout, while reads go on.
func TestReadyAndUnavailable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("Ready on a healthy database: %v", err)
		}
		ls, ok := s.(*litestore.Store)
		if !ok {
			return // PostgreSQL's outage: TestPostgresOutageRecovers (app/cli)
		}
		ls.MinFreeBytes = 1 << 62
		if err := s.Ready(ctx); !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("Ready with too little free space = %v, want ErrUnavailable", err)
		}
		ls.MinFreeBytes = litestore.DefaultMinFreeBytes

		other, err := sql.Open("sqlite", litestore.DSN(ls.Path()))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		holder, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		err = s.SetMeta(ctx, store.SetMetaParams{Key: "probe", Value: "1", UpdatedAt: time.Now()})
		if !errors.Is(err, store.ErrUnavailable) || time.Since(start) > 8*time.Second {
			t.Errorf("write under a held lock: %v after %v, want ErrUnavailable within the busy timeout", err, time.Since(start))
		}
		err = s.InTx(ctx, func(tx store.Tx) error {
			return tx.SetMeta(ctx, store.SetMetaParams{Key: "probe", Value: "1", UpdatedAt: time.Now()})
		})
		if !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("transaction under a held lock: %v, want ErrUnavailable", err)
		}
		start = time.Now()
		if _, err := s.CountReferenceData(ctx); err != nil || time.Since(start) > time.Second {
			t.Errorf("read under a held lock: %v after %v", err, time.Since(start))
		}
		if err := s.Ready(ctx); err != nil {
			t.Errorf("Ready under a held lock: %v (reads work; saves wait)", err)
		}
		if _, err := holder.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMeta(ctx, store.SetMetaParams{Key: "probe", Value: "2", UpdatedAt: time.Now()}); err != nil {
			t.Errorf("write after the lock is released: %v", err)
		}
	})
}
