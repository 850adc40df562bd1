package e2e

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/cli"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
)

// TestFamilyJourney is issue 17's walk through in a real browser: a new
// family fills in the onboarding form, reads the verification email from
// the outbox and verifies; a registry manager approves the request; the
// family signs in without a password (the code from the email), edits the
// patient (autosave), invites a second carer who joins, and withdraws
// consent for research contact. Each step is checked in the database and
// in the trail; axe-core checks every family page.
func TestFamilyJourney(t *testing.T) { eachEngine(t, testFamilyJourney) }

var (
	verifyLinkRE = regexp.MustCompile(`/registries/[a-z]+/verify/[A-Za-z0-9_-]+`)
	signInCodeRE = regexp.MustCompile(`code on the sign-in page: (\d{6})`)
	joinLinkRE   = regexp.MustCompile(`/family/join/[A-Za-z0-9_-]+`)
)

const (
	familyEmail = "wren.parent@family.e2e.invalid"
	carerEmail  = "gran@family.e2e.invalid"
)

// waitEmail waits for an email to addr whose subject contains subject (a
// job sends it) and returns its text, as the outbox keeps it.
func (d *serverDB) waitEmail(t *testing.T, addr, subject string) string {
	t.Helper()
	for range 300 {
		ms, err := d.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: addr, PageLimit: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if strings.Contains(m.Subject, subject) {
				return m.BodyText
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no email %q to %s", subject, addr)
	return ""
}

// one reads one value of a query on the server's database.
func (d *serverDB) one(t *testing.T, query string, args ...any) string {
	t.Helper()
	var v sql.NullString
	if err := d.DB().QueryRowContext(context.Background(), query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v.String
}

func testFamilyJourney(t *testing.T, e store.Engine) {
	findBrowser(t)
	srv := startServer(t, e)
	srv.addRegistryManager()
	db := srv.openDB()
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 180*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	fam := startBrowser(t, ctx)

	// 1. The onboarding form.
	if st := fam.submit("open the onboarding form", chromedp.Navigate(srv.base+"/registries/rett/join")); st != 200 {
		t.Fatalf("join form: %d", st)
	}
	fam.do("fill in the onboarding form",
		chromedp.SendKeys(css("main #first_name"), "Robin"),
		chromedp.SendKeys(css("main #surname"), "Fairweather"),
		chromedp.SendKeys(css("main #email"), familyEmail),
		chromedp.Click(css("main #preferred_channel-email")),
		chromedp.Click(css("main #relationship-mother")),
		chromedp.Click(css("main #legal_authority-yes")),
		chromedp.SendKeys(css("main #patient_first_name"), "Wren"),
		chromedp.SendKeys(css("main #patient_surname"), "Fairweather"),
		chromedp.SendKeys(css("main #patient_date_of_birth-day"), "9"),
		chromedp.SendKeys(css("main #patient_date_of_birth-month"), "6"),
		chromedp.SendKeys(css("main #patient_date_of_birth-year"), "2018"),
		chromedp.Click(css("main #patient_sex-2")),
		chromedp.Click(css("main #consent")),
		chromedp.Click(css("main #research_contact")))
	// The form is boosted by htmx: no document load to wait for.
	fam.do("send the onboarding form", chromedp.Click(css("main #join")))
	fam.waitText("the onboarding form is sent", "main h1", "Check your email")
	if got := db.one(t, "SELECT status FROM registry_onboarding WHERE email = ?", familyEmail); got != "pending" {
		t.Fatalf("the submission is %q, want pending", got)
	}

	// 2. The verification email, from the outbox.
	link := verifyLinkRE.FindString(db.waitEmail(t, familyEmail, "Confirm your email"))
	if link == "" {
		t.Fatal("no verification link in the email")
	}
	fam.submit("open the verification link", chromedp.Navigate(srv.base+link))
	if st := fam.submit("confirm the email address", chromedp.Click(css("main #confirm"))); st != 200 {
		t.Fatalf("verify: %d", st)
	}
	if got := db.one(t, "SELECT status FROM registry_onboarding WHERE email = ?", familyEmail); got != "verified" {
		t.Fatalf("after verifying, the submission is %q", got)
	}
	sub := db.one(t, "SELECT id FROM registry_onboarding WHERE email = ?", familyEmail)

	// 3. A registry manager approves it.
	mgr := startBrowser(t, ctx)
	mgr.submit("open staff sign-in", chromedp.Navigate(srv.base+"/sign-in"))
	mgr.signInAs("sign in as the registry manager", registryManagerEmail, cli.DemoPassword)
	if st := mgr.submit("open the request", chromedp.Navigate(srv.base+"/registry/onboarding/"+sub)); st != 200 {
		t.Fatalf("request page: %d", st)
	}
	if st := mgr.submit("approve", chromedp.Click(css("main #approve"))); st != 200 {
		t.Fatalf("approve: %d (page: %s)", st, mgr.where())
	}
	patient := db.one(t, "SELECT patient_id FROM registry_onboarding WHERE email = ? AND status = 'approved'", familyEmail)
	if patient == "" {
		t.Fatal("the request was not approved with a patient")
	}
	if !strings.Contains(db.waitEmail(t, familyEmail, "Welcome"), "/family/sign-in") {
		t.Error("the welcome email does not say where to sign in")
	}

	// 4. Passwordless sign-in: the code from the email.
	if st := fam.submit("open family sign-in", chromedp.Navigate(srv.base+"/family/sign-in")); st != 200 {
		t.Fatalf("family sign-in: %d", st)
	}
	fam.axeCheck("family sign-in")
	fam.do("type the email", chromedp.SendKeys(css("main #email"), familyEmail))
	if st := fam.submit("ask for a sign-in email", chromedp.Click(css("main #send"))); st != 200 {
		t.Fatalf("ask for the email: %d", st)
	}
	fam.axeCheck("family sign-in code")
	m := signInCodeRE.FindStringSubmatch(db.waitEmail(t, familyEmail, "sign-in link"))
	if m == nil {
		t.Fatal("no code in the sign-in email")
	}
	fam.do("type the code", chromedp.SendKeys(css("main #code"), m[1]))
	if st := fam.submit("sign in with the code", chromedp.Click(css("main #sign-in"))); st != 200 || fam.path() != "/family" {
		t.Fatalf("sign in: %d at %s", st, fam.where())
	}
	if got := fam.text("main #family-patients"); !strings.Contains(got, "Wren Fairweather") {
		t.Fatalf("the family's patients: %q", got)
	}
	account := db.one(t, "SELECT id FROM family_accounts WHERE email = ? AND last_sign_in_at IS NOT NULL", familyEmail)
	if account == "" {
		t.Fatal("no family account signed in")
	}
	fam.axeCheck("family home")

	// 5. Autosave on the patient's page, in the trail as the family's.
	if st := fam.submit("open the patient", chromedp.Click(css("main #family-patients a"))); st != 200 {
		t.Fatalf("patient page: %d", st)
	}
	fam.axeCheck("family patient page")
	fam.do("type a postcode", chromedp.SendKeys(css("main #postcode"), "CB2 0QQ"), chromedp.Click(css("main #nhs_number")))
	fam.waitText("postcode autosave", "#st-postcode", "Saved")
	if got := db.one(t, "SELECT postcode FROM registry_patients WHERE id = ?", patient); got != "CB20QQ" {
		t.Errorf("postcode stored as %q", got)
	}
	if got := db.one(t, "SELECT changed_by_family FROM registry_changes WHERE patient_id = ? AND field = 'postcode' ORDER BY id DESC LIMIT 1", patient); got != account {
		t.Errorf("the postcode's trail row names %q, want the family account %s", got, account)
	}

	// 6. Invite a second carer, who joins.
	if st := fam.submit("open the invitation form", chromedp.Click(css("main #invite"))); st != 200 {
		t.Fatalf("invite form: %d", st)
	}
	fam.axeCheck("invite a carer")
	fam.do("fill in the invitation", chromedp.SendKeys(css("main #email"), carerEmail), chromedp.SetValue(css("main #type"), "carer"),
		chromedp.Click(css("main #legal_authority-no")))
	if st := fam.submit("send the invitation", chromedp.Click(css("main #send-invite"))); st != 200 || !strings.Contains(fam.text("main #notice"), "invitation has been sent") {
		t.Fatalf("invite: %d at %s", st, fam.where())
	}
	join := joinLinkRE.FindString(db.waitEmail(t, carerEmail, "invited"))
	if join == "" {
		t.Fatal("no link in the invitation")
	}
	gran := startBrowser(t, ctx)
	if st := gran.submit("open the invitation", chromedp.Navigate(srv.base+join)); st != 200 {
		t.Fatalf("invitation page: %d", st)
	}
	gran.axeCheck("join a family")
	gran.do("give a name", chromedp.SendKeys(css("main #first_name"), "Gwen"), chromedp.SendKeys(css("main #surname"), "Fairweather"))
	if st := gran.submit("join", chromedp.Click(css("main #join"))); st != 200 || gran.path() != "/family" {
		t.Fatalf("join: %d at %s", st, gran.where())
	}
	if got := gran.text("main #family-patients"); !strings.Contains(got, "Wren") {
		t.Errorf("the carer's patients: %q", got)
	}
	if got := db.one(t, `SELECT r.type FROM registry_relationships r JOIN family_accounts a ON a.contact_id = r.contact_id
		WHERE a.email = ? AND r.patient_id = ?`, carerEmail, patient); got != "carer" {
		t.Errorf("the carer's relationship is %q", got)
	}
	if got := db.one(t, `SELECT count(*) FROM registry_changes WHERE entity = 'relationship' AND patient_id = ? AND changed_by_family = ?`, patient, account); got == "0" {
		t.Error("the carer's relationship is not in the trail as made on the family's invitation")
	}

	// 7. Withdraw consent for research contact.
	fam.submit("back to the patient", chromedp.Navigate(srv.base+"/family/patients/"+patient+"/consent"))
	fam.axeCheck("family consent")
	if got := fam.text("main #part-research_contact"); got != "Yes" {
		t.Fatalf("research contact before withdrawing: %q", got)
	}
	if st := fam.submit("withdraw research contact", chromedp.Click(css("main #withdraw-research_contact"))); st != 200 {
		t.Fatalf("withdraw: %d", st)
	}
	if got := fam.text("main #part-research_contact"); got != "No" {
		t.Errorf("research contact after withdrawing: %q", got)
	}
	if got := db.one(t, "SELECT kind FROM registry_consents WHERE patient_id = ? ORDER BY id DESC LIMIT 1", patient); got != "withdrawal" {
		t.Errorf("the latest consent row is %q, want a withdrawal", got)
	}
	if got := db.one(t, `SELECT new_value FROM registry_changes WHERE patient_id = ? AND entity = 'consent' AND field = 'research_contact'
		AND changed_by_family = ? ORDER BY id DESC LIMIT 1`, patient, account); got != "no" {
		t.Errorf("the withdrawal's trail row: %q", got)
	}
	srv.checkLogs()
}
