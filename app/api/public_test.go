package api_test

import (
	"strings"
	"testing"

	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// Every operation is either scoped (a token must allow it) or public (no
// token), never both nor neither, and the document says which
// (`security: []`): a new operation cannot slip through unscoped, and a
// public one cannot be public by the middleware alone.
func TestEveryOperationScopedOrPublic(t *testing.T) {
	spec, err := api.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]bool{}
	for _, path := range spec.Doc.Paths.InMatchingOrder() {
		for _, op := range spec.Doc.Paths.Value(path).Operations() {
			name := strings.ToUpper(op.OperationID[:1]) + op.OperationID[1:]
			inDoc[name] = true
			_, scoped := api.Scopes[name]
			public := api.Public[name]
			docPublic := op.Security != nil && len(*op.Security) == 0
			switch {
			case name == "IssueToken": // its client's credentials, in its own handler
				if scoped || public || !docPublic {
					t.Errorf("IssueToken: scoped %v, public %v, security: [] %v", scoped, public, docPublic)
				}
			case scoped == public:
				t.Errorf("%s (%s): scoped %v and public %v: it must be exactly one", name, path, scoped, public)
			case docPublic != public:
				t.Errorf("%s (%s): public %v, but the document's security: [] is %v", name, path, public, docPublic)
			}
		}
	}
	for name := range api.Public {
		if !inDoc[name] {
			t.Errorf("api.Public names %s, which the document does not have", name)
		}
	}
	for name := range api.Scopes {
		if !inDoc[name] {
			t.Errorf("api.Scopes names %s, which the document does not have", name)
		}
	}
}

// Without a token, the public operations answer (here, the contract's
// 400 for an empty body) and every other operation is 401.
func TestPublicOperationsNeedNoToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := publicEnv(t, s)
		for _, path := range []string{"/registries/" + e.slug + "/onboarding/submissions", "/onboarding/email-verifications", "/survey-responses"} {
			if res := e.call("POST", api.Prefix+path, "", []byte(`[]`)); res.Status != 400 {
				t.Errorf("POST %s without a token: %d %s", path, res.Status, res.Body)
			}
		}
		for _, c := range []struct{ method, path string }{
			{"POST", "/registries/" + e.slug + "/patients"}, {"GET", "/registries/" + e.slug + "/onboarding/submissions"},
			{"POST", "/children"}, {"POST", "/survey-responses/x"},
		} {
			if res := e.call(c.method, api.Prefix+c.path, "", []byte(`{}`)); res.Status != 401 {
				t.Errorf("%s %s without a token: %d", c.method, c.path, res.Status)
			}
		}
	})
}
