package storetest_test

import (
	"context"
	"errors"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// SMS factors: a pending number keeps the verified one until confirmed; a
// code is spent once, only before it expires, only by its hash.
func TestSMSFactorQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if _, err := s.GetSMSFactor(ctx, "u:1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no factor = %v, want ErrNotFound", err)
		}
		n, err := s.SetSMSCode(ctx, store.SetSMSCodeParams{CodeHash: "h", CodeExpiresAt: ptr(at(5)), UpdatedAt: at(0), Owner: "u:1"})
		wantRows(t, "SetSMSCode without a factor", n, err, 0)
		check(t, s.StartSMSFactor(ctx, store.StartSMSFactorParams{Owner: "u:1", PendingPhone: "+447700900123", CodeHash: "h1", CodeExpiresAt: ptr(at(5)), UpdatedAt: at(0)}))
		n, err = s.UseSMSCode(ctx, store.UseSMSCodeParams{Now: at(1), Owner: "u:1", CodeHash: "wrong"})
		wantRows(t, "UseSMSCode, wrong hash", n, err, 0)
		n, err = s.UseSMSCode(ctx, store.UseSMSCodeParams{Now: at(1), Owner: "f:1", CodeHash: "h1"})
		wantRows(t, "UseSMSCode, another owner", n, err, 0)
		n, err = s.UseSMSCode(ctx, store.UseSMSCodeParams{Now: at(6), Owner: "u:1", CodeHash: "h1"})
		wantRows(t, "UseSMSCode, expired", n, err, 0)
		n, err = s.UseSMSCode(ctx, store.UseSMSCodeParams{Now: at(1), Owner: "u:1", CodeHash: "h1"})
		wantRows(t, "UseSMSCode", n, err, 1)
		n, err = s.UseSMSCode(ctx, store.UseSMSCodeParams{Now: at(1), Owner: "u:1", CodeHash: "h1"})
		wantRows(t, "UseSMSCode again", n, err, 0)
		n, err = s.ConfirmSMSPhone(ctx, store.ConfirmSMSPhoneParams{Now: ptr(at(1)), Owner: "u:1"})
		wantRows(t, "ConfirmSMSPhone", n, err, 1)
		f := get[store.SmsFactor](t)(s.GetSMSFactor(ctx, "u:1"))
		if f.Phone != "+447700900123" || f.PendingPhone != "" || f.VerifiedAt == nil || !f.VerifiedAt.Equal(at(1)) || f.CodeHash != "" {
			t.Errorf("confirmed = %+v", f)
		}
		// A new number pending: the verified one stays.
		check(t, s.StartSMSFactor(ctx, store.StartSMSFactorParams{Owner: "u:1", PendingPhone: "+447700900999", CodeHash: "h2", CodeExpiresAt: ptr(at(7)), UpdatedAt: at(2)}))
		if f := get[store.SmsFactor](t)(s.GetSMSFactor(ctx, "u:1")); f.Phone != "+447700900123" || f.PendingPhone != "+447700900999" {
			t.Errorf("changing = %+v", f)
		}
		n, err = s.SetSMSCode(ctx, store.SetSMSCodeParams{CodeHash: "h3", CodeExpiresAt: ptr(at(8)), UpdatedAt: at(3), Owner: "u:1"})
		wantRows(t, "SetSMSCode", n, err, 1)
		n, err = s.UseSMSCode(ctx, store.UseSMSCodeParams{Now: at(3), Owner: "u:1", CodeHash: "h2"})
		wantRows(t, "UseSMSCode, replaced", n, err, 0)
		check(t, s.DeleteSMSFactor(ctx, "u:1"))
		if _, err := s.GetSMSFactor(ctx, "u:1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete = %v", err)
		}
	})
}
