package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestAPITokenQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		ann := newUser(t, s, "ann@example.org", nil)
		bob := newUser(t, s, "bob@example.org", nil)
		id := get[int64](t)(s.CreateAPIToken(ctx, store.CreateAPITokenParams{UserID: ann, Name: "lab feed", Hash: "h1", Access: "write", Domain: "registry", CreatedAt: at(0), ExpiresAt: at(60)}))
		_, err := s.CreateAPIToken(ctx, store.CreateAPITokenParams{UserID: bob, Name: "x", Hash: "h1", Access: "read", Domain: "audit", CreatedAt: at(0), ExpiresAt: at(60)})
		wantConflict(t, "CreateAPIToken with a taken hash", err)
		tok := get[store.APIToken](t)(s.GetAPITokenByHash(ctx, "h1"))
		if tok.ID != id || tok.UserID != ann || tok.Name != "lab feed" || tok.Access != "write" || tok.Domain != "registry" || !tok.ExpiresAt.Equal(at(60)) || tok.RevokedAt != nil {
			t.Errorf("GetAPITokenByHash = %+v", tok)
		}
		_, err = s.GetAPITokenByHash(ctx, "nope")
		wantNotFound(t, "GetAPITokenByHash", err)
		if ts := get[[]store.APIToken](t)(s.ListUserAPITokens(ctx, ann)); len(ts) != 1 || ts[0].ID != id {
			t.Errorf("ListUserAPITokens = %+v", ts)
		}
		n, err := s.RevokeAPIToken(ctx, store.RevokeAPITokenParams{RevokedAt: ptr(at(5)), ID: id, UserID: bob})
		wantRows(t, "RevokeAPIToken of another's token", n, err, 0)
		n, err = s.RevokeAPIToken(ctx, store.RevokeAPITokenParams{RevokedAt: ptr(at(5)), ID: id, UserID: ann})
		wantRows(t, "RevokeAPIToken", n, err, 1)
		if tok = get[store.APIToken](t)(s.GetAPITokenByHash(ctx, "h1")); tok.RevokedAt == nil || !tok.RevokedAt.Equal(at(5)) {
			t.Errorf("after RevokeAPIToken, revoked_at = %v", tok.RevokedAt)
		}

		// Idempotency keys: stored, read until they expire, replaced after.
		check(t, s.PutAPIIdempotency(ctx, store.PutAPIIdempotencyParams{TokenID: id, Key: "k", Fingerprint: "f", Status: 201, Body: "{}", Location: "/x", CreatedAt: at(0), ExpiresAt: at(10)}))
		if r := get[store.APIIdempotency](t)(s.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: id, Key: "k", Now: at(5)})); r.Status != 201 || r.Body != "{}" || r.Location != "/x" || r.Fingerprint != "f" {
			t.Errorf("GetAPIIdempotency = %+v", r)
		}
		_, err = s.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: id, Key: "k", Now: at(10)})
		wantNotFound(t, "GetAPIIdempotency after expiry", err)
		check(t, s.PutAPIIdempotency(ctx, store.PutAPIIdempotencyParams{TokenID: id, Key: "k", Fingerprint: "g", Status: 200, Body: "[]", CreatedAt: at(11), ExpiresAt: at(20)}))
		if r := get[store.APIIdempotency](t)(s.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: id, Key: "k", Now: at(12)})); r.Fingerprint != "g" {
			t.Errorf("after replacing, GetAPIIdempotency = %+v", r)
		}
		n, err = s.DeleteExpiredAPIIdempotency(ctx, at(20))
		wantRows(t, "DeleteExpiredAPIIdempotency", n, err, 1)
	})
}
