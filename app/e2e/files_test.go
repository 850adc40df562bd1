package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/cli"
	"clinaudit/app/files/extract/extracttest"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
)

// linkTTL is the server's link lifetime in this test: short, so the test
// can watch a link expire.
const linkTTL = 15 * time.Second

// TestGeneticReportWalkthrough: a registry manager uploads a genetic
// report (a PDF) to a patient, sees the variant the job read from it,
// confirms it into the findings, downloads the report through its signed
// link and sees the download logged; the link is refused to another user,
// after it expires, and (a fresh one) after the patient is deleted.
func TestGeneticReportWalkthrough(t *testing.T) { eachEngine(t, testGeneticReportWalkthrough) }

func testGeneticReportWalkthrough(t *testing.T, e store.Engine) {
	findBrowser(t)
	srv := startServer(t, e, "--files-link-ttl", linkTTL.String())
	srv.addRegistryManager()
	other := "other.manager@registry.e2e.invalid"
	srv.addAccount(other, access.RegistryManager)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	report := filepath.Join(t.TempDir(), "MECP2 report.pdf")
	if err := os.WriteFile(report, extracttest.WritePDF([]string{"North West Genomic Laboratory Hub", "Molecular Genetics Report", "",
		"Gene | Transcript | Nucleotide change | Protein change | Classification",
		"MECP2 | NM_004992.4 | c.502C>T | p.(Arg168Ter) | Pathogenic (Class 5)"}), 0o600); err != nil {
		t.Fatal(err)
	}

	// The other user signs in first: a browser's start would eat the link's life.
	b2 := startBrowser(t, ctx)
	b2.submit("open sign-in", chromedp.Navigate(srv.base+"/sign-in"))
	b2.signInAs("sign in as another manager", other, cli.DemoPassword)

	b := startBrowser(t, ctx)
	b.submit("open sign-in", chromedp.Navigate(srv.base+"/sign-in"))
	b.signInAs("sign in as the registry manager", registryManagerEmail, cli.DemoPassword)
	b.submit("open the add form", chromedp.Navigate(srv.base+"/registry/patients/new"))
	b.do("fill in a patient",
		chromedp.SendKeys(css("main #first_name"), "Orla"),
		chromedp.SendKeys(css("main #surname"), "Reportson"),
		chromedp.SendKeys(css("main #date_of_birth-day"), "9"),
		chromedp.SendKeys(css("main #date_of_birth-month"), "3"),
		chromedp.SendKeys(css("main #date_of_birth-year"), "2018"),
		chromedp.Click(css("main #sex-2")))
	if status := b.submit("add the patient", chromedp.Click(css("main #save"))); status != 200 {
		t.Fatalf("add: %d", status)
	}
	patient := b.path()

	// Upload: the form is in a details element; open it, choose the file.
	b.do("choose the report",
		chromedp.Click(css("main #files ~ details summary")),
		chromedp.SetUploadFiles(css("main #file"), []string{report}),
		chromedp.SetValue(css("main #kind"), "genetic_report"))
	if status := b.submit("upload", chromedp.Click(css("main #upload"))); status != 200 || b.path() != patient {
		t.Fatalf("upload: %d at %s", status, b.where())
	}
	if !strings.Contains(b.text("main #file-table"), "MECP2 report.pdf") {
		t.Fatalf("the report is not listed: %q", b.text("main #file-table"))
	}
	b.axeCheck("patient page with files")

	// The job reads it in the background: the proposal appears.
	for i := 0; ; i++ {
		if eval[int](b, `document.querySelectorAll("main #proposal-table").length`) == 1 {
			break
		}
		if i == 60 {
			t.Fatalf("no proposal after a minute: %q", b.text("main #file-table"))
		}
		time.Sleep(time.Second)
		b.submit("reload for the proposal", chromedp.Navigate(srv.base+patient))
	}
	if got := b.text("main #proposal-table tbody"); !strings.Contains(got, "MECP2") || !strings.Contains(got, "c.502C>T") || !strings.Contains(got, "Pathogenic") {
		t.Fatalf("proposal: %q", got)
	}
	if strings.Contains(b.text("main #findings + *"), "c.502C>T") {
		t.Fatal("the variant is a finding before anyone confirmed it")
	}
	if status := b.submit("confirm", chromedp.Click(css("main #proposal-table form[action$='/confirm'] button"))); status != 200 {
		t.Fatalf("confirm: %d", status)
	}
	if got := b.text("main #finding-table"); !strings.Contains(got, "NM_004992.4:c.502C>T") || !strings.Contains(got, "Pathogenic") {
		t.Fatalf("findings after confirming: %q", got)
	}

	// The file's page: a signed link, a download, the download logged.
	if status := b.submit("open the file", chromedp.Click(css("main #file-table a"))); status != 200 {
		t.Fatalf("file page: %d", status)
	}
	filePage := b.path()
	issued := time.Now()
	link := eval[string](b, `document.querySelector("main #download").getAttribute("href")`)
	fetch := func(bb *browser, href string) string {
		return evalAwait[string](bb, `fetch(`+jsString(href)+`, {redirect: "manual"}).then(r => r.status + " " + (r.headers.get("content-disposition") || "") + " " + (r.headers.get("content-type") || ""))`)
	}
	if got := fetch(b, link); !strings.HasPrefix(got, "200 attachment;") || !strings.Contains(got, "application/pdf") {
		t.Fatalf("download: %q", got)
	}
	// Another user, at once (the link is short-lived): refused, though a
	// registry manager too.
	if got := fetch(b2, link); !strings.HasPrefix(got, "403") {
		t.Errorf("another user's use of the link: %q, want 403", got)
	}
	b.submit("reload the file page", chromedp.Navigate(srv.base+filePage))
	if got := b.text("main #download-log"); !strings.Contains(got, registryManagerEmail) {
		t.Fatalf("download log: %q", got)
	}
	b.axeCheck("file page")

	// A fresh link, then the patient deleted: refused.
	b.submit("reload the file page", chromedp.Navigate(srv.base+filePage))
	fresh := eval[string](b, `document.querySelector("main #download").getAttribute("href")`)
	b.submit("back to the patient", chromedp.Navigate(srv.base+patient))
	if status := b.submit("delete the patient", chromedp.Click(css("main #delete"))); status != 200 {
		t.Fatalf("delete: %d", status)
	}
	if got := fetch(b, fresh); !strings.HasPrefix(got, "404") {
		t.Errorf("the link after the patient's deletion: %q, want 404", got)
	}

	// The first link, once expired: refused as expired.
	time.Sleep(time.Until(issued.Add(linkTTL + time.Second)))
	if got := fetch(b, link); !strings.HasPrefix(got, "410") {
		t.Errorf("the expired link: %q, want 410", got)
	}
}

// addAccount adds an account that signs in with cli.DemoPassword and no
// second factor.
func (s *server) addAccount(email string, role access.Role) {
	s.t.Helper()
	ctx := context.Background()
	st := s.openDB()
	defer st.Close()
	a, err := auth.New(st, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		s.t.Fatal(err)
	}
	var u store.User
	if err := st.InTx(ctx, func(tx store.Tx) error {
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Otto", Surname: "Other", Role: role, TwoFactorSkip: true})
		return err
	}); err != nil {
		s.t.Fatal(err)
	}
	if err := a.SetPasswordDirect(ctx, u, cli.DemoPassword); err != nil {
		s.t.Fatal(err)
	}
}
