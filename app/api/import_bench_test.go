package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/api"
	"clinaudit/app/audit"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/synth"
)

// TestImportThroughTheAPI measures a hospital's import of N children
// (API_IMPORT_CHILDREN, e.g. 1000) through the API, over loopback HTTP
// with keep-alive, one child = POST /children + POST .../registration,
// against the `clinaudit import` command (the binary, built here as
// `make build` does, run on a fresh database with the same children as an
// import file in its format, one document a line), and against the
// command's path in process (answers.Service.Import, without the process
// start, the file and the migration check), in the same run, on both
// engines. Figures: docs/performance.md.
func TestImportThroughTheAPI(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("API_IMPORT_CHILDREN"))
	if n <= 0 {
		t.Skip("set API_IMPORT_CHILDREN=1000 to measure (docs/performance.md)")
	}
	clients, _ := strconv.Atoi(os.Getenv("API_IMPORT_CLIENTS"))
	if clients <= 0 {
		clients = 1
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "clinaudit")
	// The test's own build settings, so the build cache is shared.
	if out, err := exec.Command("go", "build", "-o", bin, "clinaudit/app/cmd/clinaudit").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, s, 1<<30)
		e.users[access.LeadClinician] = e.clinician(access.LeadClinician, "RM332")
		tok := e.token(access.LeadClinician, api.AccessWrite, api.DomainAudit)
		today := audit.DateOf(time.Now().In(londonTZ(t)))
		gen := synth.New(synth.Options{Seed: 7, Today: today})
		docs := make([]*audit.Child, 3*n)
		for i := range docs {
			d := gen.Next().Child
			docs[i] = &audit.Child{Case: d.Case, Registration: &audit.Registration{
				FirstPaediatricAssessmentDate: d.Registration.FirstPaediatricAssessmentDate, EligibilityCriteriaMet: ptrTo(true)}}
		}

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = e.app.Listener(ln) }()
		t.Cleanup(func() { _ = e.app.Shutdown() })
		base := "http://" + ln.Addr().String() + api.Prefix
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
		post := func(path string, body any) (map[string]any, error) {
			b, _ := json.Marshal(body)
			req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return nil, err
			}
			defer resp.Body.Close()
			var out map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode >= 300 {
				return nil, fmt.Errorf("%s: %d %v", path, resp.StatusCode, out)
			}
			return out, nil
		}
		viaAPI := func(d *audit.Child) error {
			c := d.Case
			body := map[string]any{"first_name": *c.FirstName, "surname": *c.Surname, "date_of_birth": c.DateOfBirth.String(),
				"sex": strconv.Itoa(*c.Sex), "ethnicity": *c.Ethnicity, "postcode": *c.Postcode, "lead_organisation": "RM332"}
			if c.NHSNumber != nil {
				body["nhs_number"] = *c.NHSNumber
			}
			ch, err := post("/children", body)
			if err != nil {
				return err
			}
			_, err = post(fmt.Sprintf("/children/%v/registration", ch["id"]), map[string]any{"eligibility_confirmed": true,
				"first_paediatric_assessment_date": d.Registration.FirstPaediatricAssessmentDate.String()})
			return err
		}

		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for w := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += clients {
					if err := viaAPI(docs[i]); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		apiTook := time.Since(start)

		// The command, on a fresh database, with the next n children as
		// its import file. An empty file first: what every run costs
		// (process start, opening the database, the migration check,
		// reference data) before its first child.
		file, empty := filepath.Join(dir, string(s.Engine())+".jsonl"), filepath.Join(dir, "empty.jsonl")
		var lines bytes.Buffer
		for _, d := range docs[n : 2*n] {
			var b bytes.Buffer
			if err := audit.Encode(&b, d); err != nil {
				t.Fatal(err)
			}
			if err := json.Compact(&lines, b.Bytes()); err != nil {
				t.Fatal(err)
			}
			lines.WriteByte('\n')
		}
		if err := os.WriteFile(file, lines.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(empty, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		dbURL := storetest.DatabaseURL(t, s.Engine())
		command := func(f string) time.Duration {
			start := time.Now()
			out, err := exec.Command(bin, "import", f, "--org", "RM332", "--database-url", dbURL, "--log-format", "json").CombinedOutput()
			took := time.Since(start)
			if err != nil || !bytes.Contains(out, []byte("rejected 0")) {
				t.Fatalf("clinaudit import %s: %v\n%s", f, err, out)
			}
			return took
		}
		startup := command(empty)
		commandTook := command(file)

		o, err := s.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		svc, me := answers.New(s, time.Now), answers.SystemActor(o)
		start = time.Now()
		for i, d := range docs[2*n:] {
			if _, err := svc.Import(ctx, me, answers.Import{Organisation: o, Child: d, RequestID: fmt.Sprint("bench:", i)}); err != nil {
				t.Fatal(err)
			}
		}
		importTook := time.Since(start)
		rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
		t.Logf("%s: %d children: API %d client(s) %.1f children/s (%v); `clinaudit import` %.1f children/s (%v, of which %v an empty import's start-up); import path in process %.1f children/s (%v)",
			s.Engine(), n, clients, rate(apiTook), apiTook.Round(time.Millisecond), rate(commandTook), commandTook.Round(time.Millisecond),
			startup.Round(time.Millisecond), rate(importTook), importTook.Round(time.Millisecond))
	})
}

func ptrTo[T any](v T) *T { return &v }
