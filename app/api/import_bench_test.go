package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
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
// against the import command's path (answers.Service.Import, one document
// a transaction, which `clinaudit import` runs line by line) with the same
// children, on both engines. Figures: docs/performance.md.
func TestImportThroughTheAPI(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("API_IMPORT_CHILDREN"))
	if n <= 0 {
		t.Skip("set API_IMPORT_CHILDREN=1000 to measure (docs/performance.md)")
	}
	clients, _ := strconv.Atoi(os.Getenv("API_IMPORT_CLIENTS"))
	if clients <= 0 {
		clients = 1
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
		docs := make([]*audit.Child, 2*n)
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

		o, err := s.GetOrganisationByODS(ctx, "RM332")
		if err != nil {
			t.Fatal(err)
		}
		svc, me := answers.New(s, time.Now), answers.SystemActor(o)
		start = time.Now()
		for i, d := range docs[n:] {
			if _, err := svc.Import(ctx, me, answers.Import{Organisation: o, Child: d, RequestID: fmt.Sprint("bench:", i)}); err != nil {
				t.Fatal(err)
			}
		}
		importTook := time.Since(start)
		t.Logf("%s: %d children: API %d client(s) %.1f children/s (%v); import path %.1f children/s (%v)", s.Engine(), n, clients,
			float64(n)/apiTook.Seconds(), apiTook.Round(time.Millisecond), float64(n)/importTook.Seconds(), importTook.Round(time.Millisecond))
	})
}

func ptrTo[T any](v T) *T { return &v }
