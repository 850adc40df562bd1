package api_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// exampleClient is the bash block after the marker in docs/api.md.
func exampleClient(t *testing.T) string {
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "<!-- example-client -->\n```bash\n")
	script, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("docs/api.md has no example client block")
	}
	return script
}

// The example client in docs/api.md, run as written against a server
// listening on a port, adds what it says.
func TestExampleClient(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the example needs %s: %v", tool, err)
		}
	}
	script := exampleClient(t)
	storetest.Each(t, func(t *testing.T, s store.Store) {
		e := newEnv(t, s, 0)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = e.app.Listener(ln) }()
		t.Cleanup(func() { _ = e.app.Shutdown() })
		cmd := exec.Command("bash", "-c", script)
		cmd.Env = append(os.Environ(), "CLINAUDIT_URL=http://"+ln.Addr().String(),
			"CLINAUDIT_TOKEN="+e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry), "REGISTRY="+e.slug)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the example client failed: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "relationship ") || !strings.Contains(string(out), ": mother") {
			t.Errorf("the example printed %s", out)
		}
		ctx := context.Background()
		links, err := s.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: firstPatient(t, s)})
		if err != nil || len(links) != 1 || links[0].Type != "mother" || links[0].ContactFirstName != "Grace" || links[0].PatientFirstName != "Ada" {
			t.Errorf("after the example, links %+v (%v)", links, err)
		}
	})
}

func firstPatient(t *testing.T, s store.Store) int64 {
	t.Helper()
	rows, err := s.ListRegistryPatients(context.Background(), store.RegistryPatientListParams{Sort: "surname", RegistryID: 1, Deleted: "no", PageLimit: 10})
	if err != nil || len(rows) != 1 {
		t.Fatalf("patients after the example: %+v %v", rows, err)
	}
	return rows[0].ID
}
