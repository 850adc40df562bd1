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

		// A claim holds a key; a second claim is refused until it expires.
		claim := store.ClaimAPIIdempotencyParams{TokenID: id, Key: "c", Fingerprint: "f", CreatedAt: at(30), ExpiresAt: at(31)}
		n, err = s.ClaimAPIIdempotency(ctx, claim)
		wantRows(t, "ClaimAPIIdempotency", n, err, 1)
		n, err = s.ClaimAPIIdempotency(ctx, claim)
		wantRows(t, "ClaimAPIIdempotency of a held key", n, err, 0)
		if r := get[store.APIIdempotency](t)(s.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: id, Key: "c", Now: at(30)})); r.Status != 0 || r.Fingerprint != "f" {
			t.Errorf("a claim reads %+v", r)
		}
		claim.CreatedAt, claim.ExpiresAt, claim.Fingerprint = at(31), at(32), "g"
		n, err = s.ClaimAPIIdempotency(ctx, claim)
		wantRows(t, "ClaimAPIIdempotency of an expired claim", n, err, 1)
		check(t, s.PutAPIIdempotency(ctx, store.PutAPIIdempotencyParams{TokenID: id, Key: "c", Fingerprint: "g", Status: 201, Body: "{}", CreatedAt: at(31), ExpiresAt: at(90)}))
		check(t, s.ReleaseAPIIdempotency(ctx, store.ReleaseAPIIdempotencyParams{TokenID: id, Key: "c"}))
		if r := get[store.APIIdempotency](t)(s.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: id, Key: "c", Now: at(40)})); r.Status != 201 {
			t.Errorf("ReleaseAPIIdempotency took an answered key: %+v", r)
		}
		claim.Key = "d"
		n, err = s.ClaimAPIIdempotency(ctx, claim)
		wantRows(t, "ClaimAPIIdempotency d", n, err, 1)
		check(t, s.ReleaseAPIIdempotency(ctx, store.ReleaseAPIIdempotencyParams{TokenID: id, Key: "d"}))
		_, err = s.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: id, Key: "d", Now: at(31)})
		wantNotFound(t, "GetAPIIdempotency after ReleaseAPIIdempotency", err)

		// OAuth clients and the tokens issued to them.
		cid := get[int64](t)(s.CreateAPIClient(ctx, store.CreateAPIClientParams{UserID: bob, Name: "lab", ClientID: "c1", SecretHash: "s",
			Access: "read", Domain: "audit", CreatedBy: &ann, CreatedAt: at(0)}))
		_, err = s.CreateAPIClient(ctx, store.CreateAPIClientParams{UserID: ann, Name: "x", ClientID: "c1", SecretHash: "t", Access: "read", Domain: "audit", CreatedAt: at(0)})
		wantConflict(t, "CreateAPIClient with a taken client_id", err)
		cl := get[store.APIClient](t)(s.GetAPIClientByClientID(ctx, "c1"))
		if cl.ID != cid || cl.UserID != bob || cl.SecretHash != "s" || cl.Access != "read" || cl.Domain != "audit" || *cl.CreatedBy != ann || cl.RevokedAt != nil {
			t.Errorf("GetAPIClientByClientID = %+v", cl)
		}
		_, err = s.GetAPIClientByClientID(ctx, "nope")
		wantNotFound(t, "GetAPIClientByClientID", err)
		if cs := get[[]store.APIClient](t)(s.ListUserAPIClients(ctx, bob)); len(cs) != 1 || cs[0].ID != cid {
			t.Errorf("ListUserAPIClients = %+v", cs)
		}
		issued := get[int64](t)(s.CreateAPIToken(ctx, store.CreateAPITokenParams{UserID: bob, ClientID: &cid, Name: "oauth", Hash: "h2", Access: "read", Domain: "audit", CreatedAt: at(0), ExpiresAt: at(15)}))
		if ts := get[[]store.APIToken](t)(s.ListUserAPITokens(ctx, bob)); len(ts) != 0 {
			t.Errorf("ListUserAPITokens lists a client's token: %+v", ts)
		}
		check(t, s.PutAPIIdempotency(ctx, store.PutAPIIdempotencyParams{TokenID: issued, Key: "k", Fingerprint: "f", Status: 201, Body: "{}", CreatedAt: at(0), ExpiresAt: at(100)}))
		n, err = s.RevokeAPIClientTokens(ctx, store.RevokeAPIClientTokensParams{RevokedAt: ptr(at(3)), ClientID: &cid})
		wantRows(t, "RevokeAPIClientTokens", n, err, 1)
		n, err = s.RevokeAPIClient(ctx, store.RevokeAPIClientParams{RevokedAt: ptr(at(3)), ID: cid, UserID: ann})
		wantRows(t, "RevokeAPIClient of another account's client", n, err, 0)
		n, err = s.RevokeAPIClient(ctx, store.RevokeAPIClientParams{RevokedAt: ptr(at(3)), ID: cid, UserID: bob})
		wantRows(t, "RevokeAPIClient", n, err, 1)
		n, err = s.DeleteExpiredClientTokens(ctx, at(14))
		wantRows(t, "DeleteExpiredClientTokens before expiry", n, err, 0)
		n, err = s.DeleteExpiredClientTokens(ctx, at(15))
		wantRows(t, "DeleteExpiredClientTokens", n, err, 1)
		_, err = s.GetAPIIdempotency(ctx, store.GetAPIIdempotencyParams{TokenID: issued, Key: "k", Now: at(5)})
		wantNotFound(t, "GetAPIIdempotency of a deleted token", err)
		if _, err := s.GetAPITokenByHash(ctx, "h1"); err != nil {
			t.Errorf("DeleteExpiredClientTokens took a personal token: %v", err)
		}
	})
}
