package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/cli"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
)

const registryManagerEmail = "manager@registry.e2e.invalid"

// addRegistryManager installs the hosted registry and adds a registry
// manager who signs in with cli.DemoPassword and no second factor.
func (s *server) addRegistryManager() {
	s.t.Helper()
	ctx := context.Background()
	st := s.openDB()
	defer st.Close()
	if err := registry.Install(ctx, st, time.Now()); err != nil {
		s.t.Fatal(err)
	}
	a, err := auth.New(st, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		s.t.Fatal(err)
	}
	var u store.User
	if err := st.InTx(ctx, func(tx store.Tx) error {
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: registryManagerEmail, FirstName: "Rita", Surname: "Registrar",
			Role: access.RegistryManager, TwoFactorSkip: true})
		return err
	}); err != nil {
		s.t.Fatal(err)
	}
	if err := a.SetPasswordDirect(ctx, u, cli.DemoPassword); err != nil {
		s.t.Fatal(err)
	}
}

// waitText waits until sel's text contains want.
func (b *browser) waitText(step, sel, want string) {
	b.t.Helper()
	for range 100 {
		if strings.Contains(eval[string](b, `(document.querySelector(`+jsString(sel)+`) || {}).textContent || ""`), want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s: %s never said %q (page: %s)", step, sel, want, b.where())
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// TestRegistryManagerWalkthrough walks a registry manager through the
// registry in a real browser: adding a patient (errors first), autosaving
// a field, adding two contacts by linking them (the second a duplicate,
// added only when confirmed), merging the duplicate, deleting and restoring
// the patient; axe-core checks every new page.
func TestRegistryManagerWalkthrough(t *testing.T) { eachEngine(t, testRegistryManagerWalkthrough) }

func testRegistryManagerWalkthrough(t *testing.T, e store.Engine) {
	findBrowser(t)
	srv := startServer(t, e)
	srv.addRegistryManager()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	b := startBrowser(t, ctx)

	b.submit("open sign-in", chromedp.Navigate(srv.base+"/sign-in"))
	b.signInAs("sign in as the registry manager", registryManagerEmail, cli.DemoPassword)
	if b.path() != "/registry/patients" {
		t.Fatalf("a registry manager lands at %s, want the patient list", b.where())
	}
	b.axeCheck("registry patient list")

	// Add a patient: no first name first.
	if status := b.submit("open the add form", chromedp.Click(css("main #add-patient"))); status != 200 {
		t.Fatalf("add form: %d", status)
	}
	b.axeCheck("add a patient")
	b.do("fill in the form without a first name",
		chromedp.SendKeys(css("main #surname"), "Quillfeather"),
		chromedp.SendKeys(css("main #date_of_birth-day"), "14"),
		chromedp.SendKeys(css("main #date_of_birth-month"), "2"),
		chromedp.SendKeys(css("main #date_of_birth-year"), "2017"),
		chromedp.Click(css("main #sex-2")))
	if status := b.submit("add without a first name", chromedp.Click(css("main #save"))); status != 422 {
		t.Fatalf("no first name: %d, want 422", status)
	}
	if got := b.text("main .nhsuk-error-summary a"); got == "" || b.text("main #first_name-error") == "" {
		t.Fatalf("no error summary or message next to the first name")
	}
	b.axeCheck("add a patient, with errors")
	b.do("give the first name", chromedp.SendKeys(css("main #first_name"), "Tamsin"))
	if status := b.submit("add the patient", chromedp.Click(css("main #save"))); status != 200 || !strings.HasPrefix(b.path(), "/registry/patients/") {
		t.Fatalf("add: %d at %s", status, b.where())
	}
	patient := b.path()
	if got := b.text("main h1"); got != "Tamsin Quillfeather" {
		t.Errorf("patient page heading %q", got)
	}
	b.axeCheck("patient page")

	// Autosave: notes save as they are typed.
	b.do("type notes", chromedp.SendKeys(css("main #notes"), "Seen in the genetics clinic"))
	b.waitText("notes autosave", "#st-notes", "Saved")

	// Link two contacts: a new one, then a second with the same email.
	link := func(step, first string, confirm bool) int64 {
		if status := b.submit("open add a relationship", chromedp.Navigate(srv.base+patient+"/link")); status != 200 {
			t.Fatalf("%s: link page %d", step, status)
		}
		b.do(step,
			chromedp.Click(css("main #contact-new")),
			chromedp.SendKeys(css("main #first_name"), first),
			chromedp.SendKeys(css("main #surname"), "Quillfeather"),
			chromedp.SendKeys(css("main #email"), "parent@example.org"),
			chromedp.SetValue(css("main #type"), "mother"),
			chromedp.Click(css("main #legal_authority-yes")),
			chromedp.Click(css("main #may_act-yes")),
			chromedp.Click(css("main #is_primary-yes")))
		if confirm {
			b.axeCheck("add a relationship")
		}
		return b.submit(step+": submit", chromedp.Click(css("main #save")))
	}
	if status := link("link the mother", "Mia", true); status != 200 || b.path() != patient {
		t.Fatalf("link the mother: %d at %s", status, b.where())
	}
	if status := link("link a duplicate of the mother", "Mia", false); status != 409 {
		t.Fatalf("a duplicate contact: %d, want 409 with a warning", status)
	}
	if !strings.Contains(b.text("main #duplicates"), "Mia Quillfeather") {
		t.Errorf("the duplicate warning does not name the contact")
	}
	b.axeCheck("add a relationship, duplicate warning")
	b.do("confirm it is someone else", chromedp.Click(css("main #contact-new")), chromedp.Click(css("main #confirm")))
	if status := b.submit("add the duplicate anyway", chromedp.Click(css("main #save"))); status != 200 || b.path() != patient {
		t.Fatalf("add anyway: %d at %s", status, b.where())
	}
	if n := eval[int](b, `document.querySelectorAll("main .nhsuk-card[data-link]").length`); n != 2 {
		t.Errorf("%d relationships shown, want 2", n)
	}

	// The first contact's page: autosave, then merge the duplicate into it.
	if status := b.submit("open the contact", chromedp.Click(css("main .nhsuk-card a[href^='/registry/contacts/']"))); status != 200 {
		t.Fatalf("contact page: %d", status)
	}
	contact := b.path()
	b.axeCheck("contact page")
	b.do("type a phone number", chromedp.SendKeys(css("main #phone"), "07700 900123"), chromedp.Click(css("main #preferred_language")))
	b.waitText("phone autosave", "#st-phone", "Saved")
	if status := b.submit("preview the merge", chromedp.Click(css("main a[data-merge]"))); status != 200 {
		t.Fatalf("merge preview: %d", status)
	}
	b.axeCheck("merge preview")
	if status := b.submit("merge", chromedp.Click(css("main #merge"))); status != 200 || b.path() != contact {
		t.Fatalf("merge: %d at %s", status, b.where())
	}
	if !strings.Contains(b.text("main #notice"), "merged") {
		t.Errorf("no confirmation of the merge")
	}
	if status := b.submit("contact history", chromedp.Navigate(srv.base+contact+"/history")); status != 200 {
		t.Fatalf("contact history: %d", status)
	}
	if !strings.Contains(b.text("main #history-table"), "merged Mia Quillfeather into this contact") {
		t.Errorf("the merge is not in the contact's history: %q", b.text("main #history-table"))
	}
	b.axeCheck("contact history")
	if status := b.submit("contact list", chromedp.Navigate(srv.base+"/registry/contacts")); status != 200 {
		t.Fatalf("contact list: %d", status)
	}
	b.axeCheck("contact list")

	// Delete the patient, then restore it.
	b.submit("back to the patient", chromedp.Navigate(srv.base+patient))
	if status := b.submit("delete", chromedp.Click(css("main #delete"))); status != 200 {
		t.Fatalf("delete: %d", status)
	}
	b.do("wait for the deleted banner", chromedp.WaitVisible(css("main #deleted")))
	b.axeCheck("deleted patient")
	if status := b.submit("restore", chromedp.Click(css("main #restore"))); status != 200 {
		t.Fatalf("restore: %d", status)
	}
	if got := b.text("main #notice"); got != "Restored." {
		t.Errorf("after restoring: %q", got)
	}
	if status := b.submit("patient history", chromedp.Navigate(srv.base+patient+"/history")); status != 200 {
		t.Fatalf("patient history: %d", status)
	}
	if !strings.Contains(b.text("main #history-table"), "Seen in the genetics clinic") {
		t.Errorf("the autosaved notes are not in the history")
	}
	b.axeCheck("patient history")
}
