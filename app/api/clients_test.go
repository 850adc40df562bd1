package api_test

import (
	"context"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The client credentials grant: form or HTTP Basic credentials, a
// short-lived token in the client's scope acting as its account, and the
// RFC 6749 errors.
func TestClientCredentials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		ctx := context.Background()
		mgr, viewer := e.users[access.RegistryManager], e.users[access.RegistryViewer]
		id, secret, err := e.tokens.RegisterClient(ctx, mgr, viewer, api.ClientInput{Name: "Lab", Access: "read", Domain: "registry"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.tokens.RegisterClient(ctx, mgr, viewer, api.ClientInput{Name: "", Access: "all", Domain: "x"}); err == nil {
			t.Error("a client without a name or scope was registered")
		}
		form := func(v url.Values, header ...string) answer {
			return e.call("POST", api.Prefix+"/oauth/token", "", []byte(v.Encode()), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   int    `json:"expires_in"`
			Scope       string `json:"scope"`
		}
		res := form(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
		if res.json(t, &tok); res.Status != 200 || tok.AccessToken == "" || tok.ExpiresIn != 900 || tok.Scope != "read registry" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("token: %d %s", res.Status, res.Body)
		}
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
		if res = form(url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic); res.Status != 200 {
			t.Errorf("token by HTTP Basic: %d %s", res.Status, res.Body)
		}
		// The token acts as the viewer's account, in the client's scope.
		coll := api.Prefix + "/registries/" + e.slug + "/patients"
		if res = e.call("GET", coll, tok.AccessToken, nil); res.Status != 200 {
			t.Errorf("list with the client's token: %d", res.Status)
		}
		if res = e.call("POST", coll, tok.AccessToken, ann(1)); res.Status != 403 {
			t.Errorf("write with a read client's token: %d", res.Status)
		}
		// It expires after ClientTokenTTL.
		later := &api.Tokens{Store: s, Now: func() time.Time { return time.Now().Add(api.ClientTokenTTL + time.Second) }}
		if _, err := later.Authenticate(ctx, tok.AccessToken); err != api.ErrBadToken {
			t.Errorf("a client's token after its 15 minutes: %v", err)
		}
		// The errors of RFC 6749 section 5.2.
		var oe struct {
			Error string `json:"error"`
		}
		for _, c := range []struct {
			v      url.Values
			status int
			err    string
		}{
			{url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret}}, 400, "unsupported_grant_type"},
			{url.Values{"grant_type": {"client_credentials"}}, 400, "invalid_request"},
			{url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {"wrong"}}, 401, "invalid_client"},
			{url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {secret}}, 401, "invalid_client"},
		} {
			res = form(c.v)
			if res.json(t, &oe); res.Status != c.status || oe.Error != c.err {
				t.Errorf("%v: %d %s, want %d %s", c.v, res.Status, res.Body, c.status, c.err)
			}
		}
		// Revoking the client ends its tokens and its grants.
		cs, _ := e.tokens.Clients(ctx, viewer)
		if err := e.tokens.RevokeClient(ctx, viewer, cs[0].ID); err != nil {
			t.Fatal(err)
		}
		if res = e.call("GET", coll, tok.AccessToken, nil); res.Status != 401 {
			t.Errorf("a revoked client's token: %d", res.Status)
		}
		if res = form(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}); res.Status != 401 {
			t.Errorf("a revoked client's grant: %d", res.Status)
		}
		if err := e.tokens.RevokeClient(ctx, viewer, cs[0].ID); err == nil {
			t.Error("revoked twice")
		}
	})
}
