package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
)

var joinCodeRE = regexp.MustCompile(`type this code: (\d{6})`)

// TestJoinFormAndReview fills the registry's public join form in a real
// browser (htmx-boosted: errors, then the answer, swapped in without a
// page load), verifies by the typed code, and has the registry manager
// open the request and the consent page; axe-core checks every page.
// (The whole family journey, with sign-in, is the families' area's test.)
func TestJoinFormAndReview(t *testing.T) { eachEngine(t, testJoinFormAndReview) }

func testJoinFormAndReview(t *testing.T, e store.Engine) {
	findBrowser(t)
	srv := startServer(t, e)
	srv.addRegistryManager()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	b := startBrowser(t, ctx)

	if status := b.submit("open the join form", chromedp.Navigate(srv.base+"/registries/rett/join")); status != 200 {
		t.Fatalf("join form: %d", status)
	}
	b.axeCheck("join form")
	b.do("fill in the form, without the consent",
		chromedp.SendKeys(css("main #first_name"), "Nia"),
		chromedp.SendKeys(css("main #surname"), "Pryce"),
		chromedp.SendKeys(css("main #email"), "nia.pryce@example.org"),
		chromedp.Click(css("main #preferred_channel-email")),
		chromedp.Click(css("main #relationship-mother")),
		chromedp.Click(css("main #legal_authority-yes")),
		chromedp.SendKeys(css("main #patient_first_name"), "Elin"),
		chromedp.SendKeys(css("main #patient_surname"), "Pryce"),
		chromedp.SendKeys(css("main #patient_date_of_birth-day"), "9"),
		chromedp.SendKeys(css("main #patient_date_of_birth-month"), "11"),
		chromedp.SendKeys(css("main #patient_date_of_birth-year"), "2018"),
		chromedp.Click(css("main #patient_sex-2")),
		chromedp.Click(css("main #join")))
	b.waitText("the refusal is swapped in", "main .nhsuk-error-summary", "agree to take part")
	if b.text("main #consent-error") == "" || eval[string](b, `document.querySelector("main #patient_first_name").value`) != "Elin" {
		t.Fatal("no message at the consent box, or the typing was lost")
	}
	b.checkConsoleExpecting("join form, with errors", "422")
	b.axeCheck("join form, with errors")
	b.do("agree and send", chromedp.Click(css("main #consent")), chromedp.Click(css("main #join")))
	b.waitText("the answer", "main h1", "Check your email")
	b.axeCheck("check your email")

	db := srv.openDB()
	ms, err := db.ListEmailsTo(ctx, store.ListEmailsToParams{ToAddress: "nia.pryce@example.org", PageLimit: 5})
	db.Close()
	if err != nil || len(ms) != 1 || joinCodeRE.FindStringSubmatch(ms[0].BodyText) == nil {
		t.Fatalf("verification email: %v %+v", err, ms)
	}
	code := joinCodeRE.FindStringSubmatch(ms[0].BodyText)[1]
	b.submit("open the code page", chromedp.Click(css("main #code-link")))
	b.axeCheck("enter the code")
	b.do("type the code", chromedp.SendKeys(css("main #email"), "nia.pryce@example.org"), chromedp.SendKeys(css("main #code"), code))
	if status := b.submit("confirm", chromedp.Click(css("main #confirm"))); status != 200 || b.text("main h1") != "Email address confirmed" {
		t.Fatalf("code: %d %q", status, b.text("main h1"))
	}
	b.axeCheck("email confirmed")

	b.submit("open sign-in", chromedp.Navigate(srv.base+"/sign-in"))
	b.signInAs("sign in as the registry manager", registryManagerEmail, cli.DemoPassword)
	b.submit("open the requests", chromedp.Click(css("main #registry-onboarding-link")))
	// The demo's verified request may be there too: Elin's by its name.
	href := eval[string](b, `([...document.querySelectorAll("main #submissions a")].find(a => a.textContent === "Elin Pryce") || {}).href || ""`)
	if href == "" {
		t.Fatalf("Elin's request is not in the queue: %q", b.text("main #submissions"))
	}
	b.axeCheck("requests to join")
	b.submit("open the request", chromedp.Navigate(href))
	b.axeCheck("a request to join")
	if status := b.submit("approve", chromedp.Click(css("main #approve"))); status != 200 || !strings.HasPrefix(b.path(), "/registry/patients/") {
		t.Fatalf("approve: %d at %s", status, b.where())
	}
	b.submit("open the consent", chromedp.Click(css("main #consent-link")))
	if got := b.text("main #take-part"); got != "Yes" {
		t.Errorf("takes part: %q", got)
	}
	b.axeCheck("patient consent")
	b.submit("open consent and settings", chromedp.Click(css("main #registry-consent-link")))
	b.axeCheck("consent and settings")
	srv.checkLogs()
}
