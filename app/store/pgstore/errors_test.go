package pgstore

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"clinaudit/app/store"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestMapErrUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name string
		err  error
		want error // nil: neither unavailable nor another store error
	}{
		{"refused", fmt.Errorf("failed to connect: %w", refused), store.ErrUnavailable},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), store.ErrUnavailable},
		{"eof", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), store.ErrUnavailable},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, store.ErrUnavailable},
		{"starting up", &pgconn.PgError{Code: "57P03"}, store.ErrUnavailable},
		{"disk full", &pgconn.PgError{Code: "53100"}, store.ErrUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, store.ErrUnavailable},
		{"connection failure", &pgconn.PgError{Code: "08006"}, store.ErrUnavailable},
		{"read-only standby", &pgconn.PgError{Code: "25006"}, store.ErrUnavailable},
		{"conn closed", errors.New("conn closed"), store.ErrUnavailable},
		{"unique", &pgconn.PgError{Code: "23505", ConstraintName: "users_email_key"}, store.ErrConflict},
		{"no rows", pgx.ErrNoRows, store.ErrNotFound},
		{"syntax", &pgconn.PgError{Code: "42601"}, nil},
		{"check", &pgconn.PgError{Code: "23514"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapErr(tc.err)
			for _, e := range []error{store.ErrUnavailable, store.ErrConflict, store.ErrNotFound} {
				if errors.Is(got, e) != (e == tc.want) {
					t.Errorf("mapErr(%v) = %v; is %v: %v, want %v", tc.err, got, e, errors.Is(got, e), e == tc.want)
				}
			}
		})
	}
}
