package web

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// BenchmarkAnswerSave is the full partial-save path over HTTP on loopback:
// session, CSRF, authorisation, validation, the transaction with its audit
// row and KPI job, and the fragment, at 16 and 64 clinicians saving at once
// (each on their own child). Its /direct sub-benchmarks run the same save
// through answers.Service with no HTTP, in the same run: the baseline.
// Reported: saves/s, p50 and p99 latency. docs/performance.md has figures.
func BenchmarkAnswerSave(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			w := newSaveWorld(b, e, 64)
			for _, n := range []int{16, 64} {
				b.Run(fmt.Sprintf("http-%d", n), func(b *testing.B) { w.run(b, n, w.httpSave) })
				b.Run(fmt.Sprintf("direct-%d", n), func(b *testing.B) { w.run(b, n, w.directSave) })
			}
		})
	}
}

type saveWorld struct {
	svc      *answers.Service
	base     string
	client   *http.Client
	tokens   []string
	me       []access.Me
	children []int64
	seq      atomic.Int64
	// shown is each worker's "pv": the version of the task list its last
	// save's answer showed, sent back as a page would.
	shown []string
}

var benchFields = []string{"general_examination_performed", "neurological_examination_performed",
	"developmental_learning_or_schooling_problems", "behavioural_or_emotional_problems"}

func newSaveWorld(b *testing.B, e store.Engine, n int) *saveWorld {
	ctx := context.Background()
	s := storetest.Open(b, e)
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	a.Config.AddressLimit = 1 << 30
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		b.Fatal(err)
	}
	app := New(Deps{Store: s, Version: "bench", Auth: a})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	b.Cleanup(func() { _ = app.Shutdown() })
	w := &saveWorld{base: "http://" + ln.Addr().String(),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 30 * time.Second}}
	w.svc = &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}, Progress: answers.NewProgressCache(0)}
	org, err := s.GetOrganisationByODS(ctx, "RGT01")
	if err != nil {
		b.Fatal(err)
	}
	today := time.Now()
	fpa := store.NewDate(today.AddDate(0, 0, -30))
	number, _ := cohort.ForDate(fpa.Time())
	c := int64(number)
	nhsRand, used := rand.New(rand.NewPCG(7, 7)), map[string]bool{}
	for i := range n {
		email := fmt.Sprintf("bench%d@rgt01.example", i)
		var u store.User
		if err := s.InTx(ctx, func(tx store.Tx) error {
			u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Bench", Surname: fmt.Sprint(i),
				Role: access.Clinician, Organisation: "RGT01", TwoFactorSkip: true})
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if err := a.SetPasswordDirect(ctx, u, testPassword); err != nil {
			b.Fatal(err)
		}
		res, err := a.SignIn(ctx, email, testPassword, auth.Client{IP: "10.2.2.2"})
		if err != nil {
			b.Fatal(err)
		}
		w.tokens = append(w.tokens, res.Token)
		w.me = append(w.me, access.Me{ID: u.ID, Actor: access.Actor{Role: access.Clinician, Organisation: org.ID, Trust: "RGT"}})
		number := nhsnumber.Generate(nhsRand)
		for used[number] {
			number = nhsnumber.Generate(nhsRand)
		}
		used[number] = true
		dob, now := store.Date{Year: 2015, Month: 5, Day: 3}, time.Now()
		id, err := s.InsertChild(ctx, store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &number, FirstName: "B",
			Surname: "Ench", DateOfBirth: &dob, Sex: 1, Postcode: "ZZ993WZ", Ethnicity: "Z", LeadOrganisationID: org.ID,
			FirstPaediatricAssessmentDate: &fpa, EligibilityConfirmed: true, Cohort: &c, RegisteredAt: &now, CreatedAt: now})
		if err != nil {
			b.Fatal(err)
		}
		w.children = append(w.children, id)
	}
	w.shown = make([]string, n)
	return w
}

// next is the i-th save of one clinician: cycling through fields and
// flipping answers, so every save changes something.
func (w *saveWorld) next() (field string, value string) {
	n := w.seq.Add(1)
	field = benchFields[n%int64(len(benchFields))]
	value = "true"
	if (n/int64(len(benchFields)))%2 == 1 {
		value = "false"
	}
	return field, value
}

func (w *saveWorld) httpSave(worker int) error {
	field, value := w.next()
	key := "first_paediatric_assessment.0." + field
	form := url.Values{"key": {key}, key: {value}, "v": {"1000000"}, "pv": {w.shown[worker]}}
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/children/%d/forms/first_paediatric_assessment/answer", w.base, w.children[worker]),
		strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", "bench-csrf")
	req.AddCookie(&http.Cookie{Name: "csrf", Value: "bench-csrf"})
	req.AddCookie(&http.Cookie{Name: "session", Value: w.tokens[worker]})
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), ">Saved<") {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	}
	if m := progressVersionRE.FindSubmatch(body); m != nil {
		w.shown[worker] = string(m[1])
	}
	return nil
}

var progressVersionRE = regexp.MustCompile(`id="progress-v" value="(\d+)"`)

func (w *saveWorld) directSave(worker int) error {
	field, value := w.next()
	_, err := w.svc.Save(context.Background(), w.me[worker], answers.Save{ChildID: w.children[worker], Form: forms.FirstPaediatricAssessment,
		Key: forms.Key{Section: "first_paediatric_assessment", Field: field}, Value: forms.Literal(value), Seen: 1 << 40, RequestID: "bench"})
	return err
}

// run makes b.N saves with n workers and reports throughput and latency.
func (w *saveWorld) run(b *testing.B, n int, save func(worker int) error) {
	var left atomic.Int64
	left.Store(int64(b.N))
	lat := make([][]time.Duration, n)
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				t := time.Now()
				if err := save(i); err != nil {
					failed.Store(err)
					return
				}
				lat[i] = append(lat[i], time.Since(t))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "saves/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
}
