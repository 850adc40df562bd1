package api_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/survey"
)

// docsScript is the bash block after the marker in docs/api.md.
func docsScript(t *testing.T, marker string) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "<!-- "+marker+" -->\n```bash\n")
	script, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatalf("docs/api.md has no %s block", marker)
	}
	return script
}

// The example clients in docs/api.md, run as written against a server
// listening on a port, do what they say: the registry system's script adds
// a patient, a contact and their relationship and uploads a file; the
// family's script answers the survey the team then sends to that contact.
func TestExampleClient(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the example needs %s: %v", tool, err)
		}
	}
	client, family := docsScript(t, "example-client"), docsScript(t, "example-survey")
	storetest.Each(t, func(t *testing.T, s store.Store) {
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, s, 0)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = e.app.Listener(ln) }()
		t.Cleanup(func() { _ = e.app.Shutdown() })
		url := "CLINAUDIT_URL=http://" + ln.Addr().String()
		dir := t.TempDir()
		pdf := []byte("%PDF-1.4\n% a report\n" + strings.Repeat("x", 3000) + "\n%%EOF\n")
		if err := os.WriteFile(filepath.Join(dir, "report.pdf"), pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		run := func(script string, env ...string) string {
			t.Helper()
			cmd := exec.Command("bash", "-c", script)
			cmd.Dir = dir
			cmd.Env = append(append(os.Environ(), url), env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the example failed: %v\n%s", err, out)
			}
			return string(out)
		}

		out := run(client, "CLINAUDIT_TOKEN="+e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry), "REGISTRY="+e.slug)
		if !strings.Contains(out, ": mother") || !strings.Contains(out, ": application/pdf, "+strconv.Itoa(len(pdf))+" bytes") {
			t.Errorf("the example printed %s", out)
		}
		ctx := context.Background()
		patientID := firstPatient(t, s)
		links, err := s.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: patientID})
		if err != nil || len(links) != 1 || links[0].Type != "mother" || links[0].ContactFirstName != "Grace" || links[0].PatientFirstName != "Ada" {
			t.Errorf("after the example, links %+v (%v)", links, err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "downloaded.pdf")); err != nil || !bytes.Equal(got, pdf) {
			t.Errorf("downloaded %d bytes (%v), want the %d sent", len(got), err, len(pdf))
		}

		_, svc := sendSurvey(t, e, 1)
		token := surveyLinkToken(t, e, "grace@example.org")
		if out := run(family, "SURVEY_TOKEN="+token); !strings.Contains(out, "survey completed: 3 of 4 answered") {
			t.Errorf("the family's example printed %s", out)
		}
		// A finished response reads with survey.ErrCompleted.
		r, err := svc.ByToken(ctx, token)
		if !errors.Is(err, survey.ErrCompleted) || r.Answers["sleep"] != "4" || !strings.Contains(r.Answers["helps"], "Music") || !strings.Contains(r.Answers["helps"], "Baths") {
			t.Errorf("after the family's example, answers %v (%v)", r.Answers, err)
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
