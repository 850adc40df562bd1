package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/auth"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/gofiber/fiber/v2"
)

// The access matrix: every route the app serves × every role (and
// superuser, and signed out) × a record in the actor's own organisation,
// another organisation of the same trust, another trust, and a Welsh health
// board. Expectations are written out here, not derived from the policy
// code, so a slip in either shows. A route the app serves that this table
// does not list fails TestMatrixListsEveryRoute.

type who int

const (
	whoAnyone    who = iota // public
	whoPending              // only a session between password and second factor
	whoSignedIn             // any signed-in account
	whoViewStaff            // every role may view staff (within scope for targets)
	whoManageStaff
	whoViewChild     // every role may view children (within scope for targets)
	whoEditChild     // add a child, change demographics
	whoRegisterChild // register a child
	whoLockChild     // lock and unlock a child
	whoTransferChild // ask for, cancel, accept and reject a transfer of lead organisation
	whoOptOutChild   // opt a child out
	whoDeleteChild   // delete a child
	whoRestoreChild  // see deleted children and restore them
	whoEditAudit     // answer the audit forms, add and remove their rows
	whoRecalculate   // rescore every child's KPIs
	whoPublish       // publish a cohort's figures for the public pages
	whoDownload      // download KPI tables (every signed-in role; which levels: TestKPIDownloads)
	whoExport        // export children's records, download one's own exports
	whoRecordViews   // read the record-view log
	whoViewJobs      // the job monitor, the notifications' status and templates
	whoRegistry      // see the registry (registry managers and viewers)
	whoRegistryIDs   // see the registry's identifiers and contacts (registry managers)
	whoEditRegistry  // change the registry (registry managers)
	// whoAPIToken: /api/v1's operations, called with a bearer token, never
	// a session; their role × token-scope matrices are app/api's
	// TestAPIMatrix (the registry) and TestChildrenAndAnswers (the audit).
	whoAPIToken
	whoFamily    // a family session, and no staff one (TestFamilyMatrix)
	whoSMSFactor // set up SMS codes as the second factor: signed-in staff not in a privileged role
)

type route struct {
	method, path string // path as registered
	who          who
	target       bool // has an account or child id: scope applies
}

var matrix = []route{
	{"GET", "/", whoAnyone, false},
	{"GET", "/organisations", whoAnyone, false},
	{"GET", "/healthz", whoAnyone, false},
	{"GET", "/readyz", whoAnyone, false},
	{"GET", "/sign-in", whoAnyone, false},
	{"POST", "/sign-in", whoAnyone, false},
	{"POST", "/sign-out", whoAnyone, false},
	{"GET", "/forgot-password", whoAnyone, false},
	{"POST", "/forgot-password", whoAnyone, false},
	{"GET", "/account/set-password/:token", whoAnyone, false},
	{"POST", "/account/set-password/:token", whoAnyone, false},
	{"GET", "/demo/mailbox", whoAnyone, false},
	{"GET", "/sign-in/two-factor", whoPending, false},
	{"POST", "/sign-in/two-factor", whoPending, false},
	{"POST", "/sign-in/two-factor/start", whoPending, false},
	{"POST", "/sign-in/two-factor/setup", whoPending, false},
	{"POST", "/sign-in/two-factor/sms", whoPending, false},
	{"GET", "/account", whoSignedIn, false},
	{"POST", "/account/end-other-sessions", whoSignedIn, false},
	{"POST", "/account/api-tokens", whoSignedIn, false},
	{"POST", "/account/api-tokens/:token/revoke", whoSignedIn, false},
	// The JSON API (app/api): its contract and reference are public.
	{"GET", "/api/v1/openapi.json", whoAnyone, false},
	{"POST", "/api/v1/oauth/token", whoAnyone, false}, // the client's credentials decide
	{"GET", "/api/v1/docs", whoAnyone, false},
	{"GET", "/api/v1/registries/:registry/patients", whoAPIToken, false},
	{"POST", "/api/v1/registries/:registry/patients", whoAPIToken, false},
	{"GET", "/api/v1/patients/:id", whoAPIToken, false},
	{"DELETE", "/api/v1/patients/:id", whoAPIToken, false},
	{"PATCH", "/api/v1/patients/:id", whoAPIToken, false},
	{"PATCH", "/api/v1/contacts/:id", whoAPIToken, false},
	{"GET", "/api/v1/registries/:registry/contacts", whoAPIToken, false},
	{"POST", "/api/v1/registries/:registry/contacts", whoAPIToken, false},
	{"GET", "/api/v1/contacts/:id", whoAPIToken, false},
	{"DELETE", "/api/v1/contacts/:id", whoAPIToken, false},
	{"GET", "/api/v1/patients/:id/relationships", whoAPIToken, false},
	{"POST", "/api/v1/patients/:id/relationships", whoAPIToken, false},
	{"DELETE", "/api/v1/relationships/:id", whoAPIToken, false},
	{"GET", "/api/v1/children", whoAPIToken, false},
	{"POST", "/api/v1/children", whoAPIToken, false},
	{"GET", "/api/v1/children/:id", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/registration", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/forms/:form/answers", whoAPIToken, false},
	{"GET", "/api/v1/children/:id/kpis", whoAPIToken, false},
	// The child's record after it is added (app/api/children_admin.go,
	// rows.go; by role in children_admin_test.go and rows_test.go).
	{"PATCH", "/api/v1/children/:id", whoAPIToken, false},
	{"DELETE", "/api/v1/children/:id", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/restore", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/lock", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/unlock", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/opt-out", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/transfer", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/transfer/:answer", whoAPIToken, false},
	{"POST", "/api/v1/children/:id/forms/:form/rows", whoAPIToken, false},
	{"DELETE", "/api/v1/children/:id/forms/:form/rows/:row", whoAPIToken, false},
	// The API's public operations (api.Public): no token; the pages'
	// limits, honeypot and neutral answers (app/api's onboarding_test.go).
	{"POST", "/api/v1/registries/:registry/onboarding/submissions", whoAnyone, false},
	{"POST", "/api/v1/onboarding/email-verifications", whoAnyone, false},
	{"POST", "/api/v1/survey-responses", whoAnyone, false},
	// Files and notifications (app/api/files.go, notifications.go).
	{"GET", "/api/v1/patients/:id/files", whoAPIToken, false},
	{"POST", "/api/v1/patients/:id/files", whoAPIToken, false},
	{"GET", "/api/v1/files/:id", whoAPIToken, false},
	{"GET", "/api/v1/files/:id/content", whoAPIToken, false},
	{"POST", "/api/v1/notifications/emails", whoAPIToken, false},
	{"POST", "/api/v1/notifications/sms", whoAPIToken, false},
	{"POST", "/session/extend", whoSignedIn, false},
	{"GET", "/admin/users", whoViewStaff, false},
	{"GET", "/admin/kpi-recalculation", whoRecalculate, false},
	{"GET", "/admin/record-views", whoRecordViews, false},
	{"POST", "/account/notifications", whoSignedIn, false},
	{"POST", "/account/sms", whoSMSFactor, false},
	{"POST", "/account/sms/confirm", whoSMSFactor, false},
	{"POST", "/account/sms/remove", whoSignedIn, false},
	{"GET", "/admin/notifications", whoViewJobs, false},
	{"GET", "/admin/notifications/templates", whoViewJobs, false},
	// Posted by GOV.UK Notify with a bearer token, no session: its own
	// test (TestNotifyCallback) checks the token.
	{"POST", "/notifications/govuk-notify/callback", whoAnyone, false},
	// Dashboards: every role sees those of its own trust or health board.
	{"GET", "/dashboards", whoViewChild, false},
	{"GET", "/dashboards/go", whoViewChild, false},
	{"GET", "/dashboards/organisations/:ods", whoViewChild, true},
	{"GET", "/dashboards/organisations/:ods/demographics", whoViewChild, true},
	{"GET", "/dashboards/measures/:measure", whoViewChild, false},
	{"POST", "/dashboards/aggregate", whoRecalculate, false},
	{"POST", "/admin/kpi-recalculation", whoRecalculate, false},
	{"POST", "/admin/kpi-recalculation/check", whoRecalculate, false},
	{"GET", "/admin/users/new", whoManageStaff, false},
	{"POST", "/admin/users", whoManageStaff, false},
	{"GET", "/admin/users/:id", whoViewStaff, true},
	{"GET", "/admin/users/:id/edit", whoManageStaff, true},
	{"POST", "/admin/users/:id/edit", whoManageStaff, true},
	{"POST", "/admin/users/:id/:action", whoManageStaff, true},
	{"POST", "/admin/users/:id/api-clients", whoManageStaff, true},
	{"POST", "/admin/users/:id/api-clients/:client/revoke", whoManageStaff, true},
	{"GET", "/children", whoViewChild, false},
	{"GET", "/children/new", whoEditChild, false},
	{"GET", "/children/transfers", whoTransferChild, false},
	{"GET", "/children/deleted", whoRestoreChild, false},
	{"POST", "/children", whoEditChild, false},
	{"GET", "/children/:id", whoViewChild, true},
	{"GET", "/children/:id/edit", whoEditChild, true},
	{"POST", "/children/:id/edit", whoEditChild, true},
	{"GET", "/children/:id/register", whoRegisterChild, true},
	{"POST", "/children/:id/register", whoRegisterChild, true},
	{"GET", "/children/:id/lock", whoLockChild, true},
	{"POST", "/children/:id/lock", whoLockChild, true},
	{"POST", "/children/:id/unlock", whoLockChild, true},
	// Transfers: the place is the child's lead organisation, except for
	// accept and reject, where it is the organisation asked to take the
	// child (the child itself is at an organisation out of every
	// organisation actor's reach).
	{"GET", "/children/:id/transfer", whoTransferChild, true},
	{"POST", "/children/:id/transfer", whoTransferChild, true},
	{"POST", "/children/:id/transfer/accept", whoTransferChild, true},
	{"POST", "/children/:id/transfer/reject", whoTransferChild, true},
	{"POST", "/children/:id/transfer/cancel", whoTransferChild, true},
	{"GET", "/children/:id/opt-out", whoOptOutChild, true},
	{"POST", "/children/:id/opt-out", whoOptOutChild, true},
	{"GET", "/children/:id/delete", whoDeleteChild, true},
	{"POST", "/children/:id/delete", whoDeleteChild, true},
	{"POST", "/children/:id/restore", whoRestoreChild, true}, // a deleted child at the place
	{"GET", "/children/:id/audit", whoViewChild, true},
	{"GET", "/children/:id/history", whoViewChild, true},
	{"GET", "/children/:id/kpis", whoViewChild, true},
	{"GET", "/children/:id/forms/:form", whoViewChild, true},
	{"GET", "/children/:id/forms/:form/question", whoViewChild, true},
	{"POST", "/children/:id/forms/:form/answer", whoEditAudit, true},
	{"POST", "/children/:id/forms/:form/rows", whoEditAudit, true},
	{"POST", "/children/:id/forms/:form/rows/:row/remove", whoEditAudit, true},
	// Published results, publishing, KPI downloads and record exports.
	{"GET", "/public", whoAnyone, false},
	{"GET", "/public/organisations/:ods", whoAnyone, false},
	{"GET", "/dashboards/publish", whoPublish, false},
	{"POST", "/dashboards/publish", whoPublish, false},
	{"GET", "/dashboards/download", whoDownload, false},
	{"GET", "/exports", whoExport, false},
	{"POST", "/exports", whoExport, false},
	{"GET", "/exports/:id/download", whoExport, false}, // the actor's own export
	// The registry: registry roles and superusers; audit roles none. Its
	// records belong to no organisation, so there is no place to vary.
	{"GET", "/registry", whoRegistry, false},
	{"GET", "/registry/patients", whoRegistry, false},
	{"GET", "/registry/patients/new", whoEditRegistry, false},
	{"POST", "/registry/patients", whoEditRegistry, false},
	{"GET", "/registry/patients/:id", whoRegistry, false},
	{"GET", "/registry/patients/:id/field", whoEditRegistry, false},
	{"POST", "/registry/patients/:id/field", whoEditRegistry, false},
	{"GET", "/registry/patients/:id/history", whoRegistryIDs, false},
	{"POST", "/registry/patients/:id/findings", whoEditRegistry, false},
	{"POST", "/registry/patients/:id/findings/:finding/remove", whoEditRegistry, false},
	{"GET", "/registry/patients/:id/link", whoEditRegistry, false},
	{"POST", "/registry/patients/:id/link", whoEditRegistry, false},
	{"POST", "/registry/patients/:id/relationships/:rel/remove", whoEditRegistry, false},
	{"POST", "/registry/patients/:id/delete", whoEditRegistry, false},
	{"POST", "/registry/patients/:id/restore", whoEditRegistry, false},
	{"GET", "/registry/contacts", whoRegistryIDs, false},
	{"GET", "/registry/reports", whoRegistry, false},
	{"GET", "/registry/contacts/new", whoEditRegistry, false},
	{"POST", "/registry/contacts", whoEditRegistry, false},
	{"GET", "/registry/contacts/:id", whoRegistryIDs, false},
	{"GET", "/registry/contacts/:id/field", whoEditRegistry, false},
	{"POST", "/registry/contacts/:id/field", whoEditRegistry, false},
	{"GET", "/registry/contacts/:id/history", whoRegistryIDs, false},
	{"GET", "/registry/contacts/:id/merge", whoEditRegistry, false},
	{"POST", "/registry/contacts/:id/merge", whoEditRegistry, false},
	{"POST", "/registry/contacts/:id/delete", whoEditRegistry, false},
	{"POST", "/registry/contacts/:id/restore", whoEditRegistry, false},
	// Onboarding, consent and subject access (issue 17): the public pages
	// are anyone's (TestJoin*); the review queue, withdrawals and subject
	// access are identifiers, so registry managers'; viewers may read the
	// consent versions and settings.
	{"GET", "/registries/:slug/join", whoAnyone, false},
	{"POST", "/registries/:slug/join", whoAnyone, false},
	{"GET", "/registries/:slug/join/sent", whoAnyone, false},
	{"GET", "/registries/:slug/verify", whoAnyone, false},
	{"POST", "/registries/:slug/verify", whoAnyone, false},
	{"GET", "/registries/:slug/verify/:token", whoAnyone, false},
	{"POST", "/registries/:slug/verify/:token", whoAnyone, false},
	{"GET", "/registry/onboarding", whoEditRegistry, false},
	{"GET", "/registry/onboarding/:id", whoEditRegistry, false},
	{"POST", "/registry/onboarding/:id/decide", whoEditRegistry, false},
	{"GET", "/registry/consent", whoRegistry, false},
	{"POST", "/registry/consent", whoEditRegistry, false},
	{"POST", "/registry/settings", whoEditRegistry, false},
	{"GET", "/registry/patients/:id/consent", whoRegistryIDs, false},
	{"POST", "/registry/patients/:id/consent", whoEditRegistry, false},
	{"POST", "/registry/patients/:id/withdraw", whoEditRegistry, false},
	{"GET", "/registry/contacts/:id/subject-access", whoEditRegistry, false},
	{"GET", "/registry/surveys", whoRegistry, false}, // viewers: the list, to the results
	{"POST", "/registry/surveys", whoEditRegistry, false},
	{"GET", "/registry/surveys/:id", whoEditRegistry, false},
	{"POST", "/registry/surveys/:id", whoEditRegistry, false},
	{"POST", "/registry/surveys/:id/publish", whoEditRegistry, false},
	{"POST", "/registry/surveys/:id/send", whoEditRegistry, false},
	{"POST", "/registry/surveys/:id/close", whoEditRegistry, false},
	{"GET", "/registry/surveys/:id/results", whoRegistry, false}, // no names in them
	{"GET", "/registry/surveys/:id/results/download", whoRegistry, false},
	// A survey's public pages: the personal link is the key
	// (TestSurveyFlow checks unknown, finished and closed links).
	{"GET", "/s/:token", whoAnyone, false},
	{"POST", "/s/:token", whoAnyone, false},
	{"POST", "/s/:token/answer", whoAnyone, false},
	{"POST", "/s/:token/finish", whoAnyone, false},
	// Files, here a registry patient's (its rules: identifiers to see,
	// edit rights to change); links are signed for the actor. An audit
	// child's files follow the child's rules: TestChildFiles.
	{"GET", "/files/download/:token", whoRegistryIDs, false},
	{"POST", "/files/upload/:token", whoEditRegistry, false},
	{"GET", "/files/:id", whoRegistryIDs, false},
	{"POST", "/files/proposals/:id/confirm", whoEditRegistry, false},
	{"POST", "/files/proposals/:id/reject", whoEditRegistry, false},
	// The families' sign-in and private area: family sessions only
	// (TestFamilyMatrix, family_matrix_test.go).
	{"GET", "/family/sign-in", whoAnyone, false},
	{"POST", "/family/sign-in", whoAnyone, false},
	{"POST", "/family/sign-in/code", whoAnyone, false},
	{"GET", "/family/sign-in/link/:token", whoAnyone, false},
	{"POST", "/family/sign-in/link/:token", whoAnyone, false},
	{"GET", "/family/join/:token", whoAnyone, false},
	{"POST", "/family/join/:token", whoAnyone, false},
	{"POST", "/family/sign-out", whoAnyone, false},
	{"GET", "/family/two-factor", whoFamily, false},
	{"POST", "/family/two-factor", whoFamily, false},
	{"POST", "/family/two-factor/sms", whoFamily, false},
	{"GET", "/family", whoFamily, false},
	{"GET", "/family/profile", whoFamily, false},
	{"GET", "/family/profile/field", whoFamily, false},
	{"POST", "/family/profile/field", whoFamily, false},
	{"GET", "/family/patients/new", whoFamily, false},
	{"POST", "/family/patients", whoFamily, false},
	{"GET", "/family/patients/:id", whoFamily, false},
	{"GET", "/family/patients/:id/field", whoFamily, false},
	{"POST", "/family/patients/:id/field", whoFamily, false},
	{"GET", "/family/patients/:id/delete", whoFamily, false},
	{"POST", "/family/patients/:id/delete", whoFamily, false},
	{"GET", "/family/patients/:id/invite", whoFamily, false},
	{"POST", "/family/patients/:id/invite", whoFamily, false},
	{"GET", "/family/patients/:id/consent", whoFamily, false},
	{"POST", "/family/patients/:id/consent", whoFamily, false},
	{"POST", "/family/patients/:id/withdraw", whoFamily, false},
	{"GET", "/family/data", whoFamily, false},
	{"POST", "/family/surveys/:id", whoFamily, false},
	{"GET", "/family/files/download/:token", whoFamily, false},
}

// Who may see and change the registry: written out, not read from the
// policy.
var (
	registryViewers = map[string]bool{"registry_manager": true, "registry_viewer": true, "superuser": true}
	registryEditors = map[string]bool{"registry_manager": true, "superuser": true}
	registryRoles   = map[string]bool{"registry_manager": true, "registry_viewer": true}
)

// Who may publish (the national team with full access) and export
// records (that team and lead clinicians): written out, not read from the
// policy.
var (
	publishers = map[string]bool{"national_full": true, "superuser": true}
	exporters  = map[string]bool{"national_full": true, "lead_clinician": true, "superuser": true}
)

// Who may manage staff: written out, not read from the policy.
var managers = map[string]bool{"national_full": true, "lead_clinician": true, "superuser": true}

// Who may add children and change their demographics (everyone but
// national view-only), and who may register, lock and unlock them (not
// administrators either): written out, not read from the policy.
var (
	childEditors = map[string]bool{"national_full": true, "national_edit": true, "lead_clinician": true, "clinician": true,
		"administrator": true, "superuser": true}
	childRegistrars = map[string]bool{"national_full": true, "national_edit": true, "lead_clinician": true, "clinician": true,
		"superuser": true}
	// Transfers: lead clinicians and the national team with full access.
	childTransferers = map[string]bool{"national_full": true, "lead_clinician": true, "superuser": true}
	// Opt-out and deletion: not administrators, not the national team
	// without full access.
	childRemovers = map[string]bool{"national_full": true, "lead_clinician": true, "clinician": true, "superuser": true}
	// Deleted children: the national team with full access only.
	childRestorers = map[string]bool{"national_full": true, "superuser": true}
	// A national KPI recalculation: the national team with full access.
	recalculators = map[string]bool{"national_full": true, "superuser": true}
)

// elsewhere is an organisation other than ods, out of reach of the
// organisation actors (who are at RM332, trust RM3) unless ods is.
func elsewhere(ods string) string {
	if ods == "RGT01" {
		return "7A4H1"
	}
	return "RGT01"
}

type matrixActor struct {
	name     string // role, "superuser" or "signed out"
	national bool
	token    string
	csrf     string // the CSRF cookie's value, which forms repeat
}

// Places: the actor's own organisation, another in the same trust (RM3,
// Northern Care Alliance), another trust, a Welsh health board.
var places = []struct{ name, ods string }{
	{"own organisation", "RM332"}, {"same trust", "RM335"}, {"other trust", "RGT01"}, {"Welsh health board", "7A4H1"},
}

func TestMatrixListsEveryRoute(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	app, _ := authApp(t, s, false)
	listed := map[string]bool{}
	for _, r := range matrix {
		listed[r.method+" "+r.path] = true
	}
	var missing []string
	for _, r := range app.GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || strings.HasPrefix(r.Path, "/static") {
			continue
		}
		if !listed[r.Method+" "+r.Path] {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes not in the access matrix: %v", missing)
	}
}

func TestAccessMatrix(t *testing.T) {
	// The halves in parallel: each has its own app, store and actors, and
	// the PostgreSQL half's thousands of requests mostly wait on the server.
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		a.Config.SMS = true // SMS second factor routes (whoSMSFactor)

		mk := func(email string, role access.Role, org string, superuser bool) store.User {
			var u store.User
			err := s.InTx(ctx, func(tx store.Tx) error {
				var err error
				// Actors skip the second factor (as demo accounts do), so a
				// session is complete straight after the password.
				u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "M", Surname: "Atrix", Role: role, Organisation: org, Superuser: superuser, TwoFactorSkip: true})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		var actors []matrixActor
		for _, r := range access.Roles {
			org := "RM332"
			if !r.HasOrganisation() {
				org = ""
			}
			actors = append(actors, matrixActor{name: string(r), national: r.National()})
			u := mk(string(r)+"@actor.example", r, org, false)
			if err := a.SetPasswordDirect(ctx, u, testPassword); err != nil {
				t.Fatal(err)
			}
		}
		// A superuser with an organisation role: the flag, not the role, decides.
		actors = append(actors, matrixActor{name: "superuser", national: true})
		su := mk("superuser@actor.example", access.Clinician, "RM332", true)
		if err := a.SetPasswordDirect(ctx, su, testPassword); err != nil {
			t.Fatal(err)
		}
		actors = append(actors, matrixActor{name: "signed out"})
		for i := range actors {
			if actors[i].name == "signed out" {
				continue
			}
			res, err := a.SignIn(ctx, actors[i].name+"@actor.example", testPassword, auth.Client{IP: "10.9.9.9"})
			if err != nil {
				t.Fatal(err)
			}
			actors[i].token = res.Token
		}
		targets, odsOf := map[string]store.User{}, map[string]string{}
		for _, p := range places {
			odsOf[p.name] = p.ods
			targets[p.name] = mk("target-"+strings.ToLower(p.ods)+"@example.org", access.Clinician, p.ods, false)
		}
		// Child routes get a fresh child at the place for every request, in
		// the state the route needs: registered to lock, locked to unlock.
		nhsRand, nhsUsed := rand.New(rand.NewPCG(12, 12)), map[string]bool{}
		nhs := func() string {
			for {
				if n := nhsnumber.Generate(nhsRand); !nhsUsed[n] {
					nhsUsed[n] = true
					return n
				}
			}
		}
		today := time.Now().In(london(t))
		recruiting, _ := cohort.ForDate(today)
		matrixFigures(t, s, recruiting)
		newChild := func(ods, path string) (int64, string) {
			answer := strings.HasSuffix(path, "/accept") || strings.HasSuffix(path, "/reject")
			at := ods
			if answer {
				at = elsewhere(ods) // the place is where the transfer goes
			}
			o, err := s.GetOrganisationByODS(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			n, dob, now := nhs(), store.Date{Year: 2015, Month: 5, Day: 3}, time.Now()
			p := store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &n, FirstName: "Mat", Surname: "Rix",
				DateOfBirth: &dob, Sex: 1, Postcode: "ZZ993WZ", Ethnicity: "Z", LeadOrganisationID: o.ID, CreatedAt: now}
			if strings.HasSuffix(path, "/lock") || strings.HasSuffix(path, "/unlock") || strings.Contains(path, "/forms/") {
				fpa, c := store.NewDate(today), int64(recruiting)
				p.FirstPaediatricAssessmentDate, p.EligibilityConfirmed, p.Cohort, p.RegisteredAt = &fpa, true, &c, &now
			}
			if strings.HasSuffix(path, "/unlock") {
				p.LockedAt = &now
			}
			id, err := s.InsertChild(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if answer || strings.HasSuffix(path, "/cancel") {
				dest := elsewhere(ods) // cancel: the child is at the place, going elsewhere
				if answer {
					dest = ods
				}
				to, err := s.GetOrganisationByODS(ctx, dest)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.InsertChildTransfer(ctx, store.InsertChildTransferParams{ChildID: id, FromOrganisationID: o.ID,
					ToOrganisationID: to.ID, RequestedAt: now}); err != nil {
					t.Fatal(err)
				}
			}
			if strings.HasSuffix(path, "/restore") {
				if _, err := s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{UpdatedAt: now, ID: id, Version: 1}); err != nil {
					t.Fatal(err)
				}
			}
			return id, n
		}

		// One page per actor sets its CSRF cookie (a double-submit token,
		// not tied to the request), which every request of the actor then
		// carries: a page load before each request doubled the test's time.
		for i := range actors {
			b := newBrowser(t, app)
			if actors[i].token != "" {
				b.jar["session"] = actors[i].token
			}
			b.get("/")
			if actors[i].csrf = b.jar["csrf"]; actors[i].csrf == "" {
				t.Fatalf("%s: no CSRF cookie from /", actors[i].name)
			}
		}
		send := func(act matrixActor, method, path string, form url.Values) *http.Response {
			b := newBrowser(t, app)
			if act.token != "" {
				b.jar["session"] = act.token
			}
			b.jar["csrf"] = act.csrf
			if method == "GET" {
				req := httptest.NewRequest(method, path, nil)
				for k, v := range b.jar {
					req.AddCookie(&http.Cookie{Name: k, Value: v})
				}
				resp, err := app.Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				return resp
			}
			if form == nil {
				form = url.Values{}
			}
			form.Set("csrf", b.jar["csrf"])
			req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range b.jar {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		refused := func(resp *http.Response) bool {
			loc := resp.Header.Get("Location")
			return resp.StatusCode == fiber.StatusForbidden || resp.StatusCode == fiber.StatusNotFound ||
				resp.StatusCode == fiber.StatusUnauthorized ||
				(resp.StatusCode == fiber.StatusSeeOther && (strings.HasPrefix(loc, "/sign-in?next=") || loc == "/sign-in/two-factor" || loc == "/sign-in"))
		}

		for _, r := range matrix {
			for _, act := range actors {
				if r.who == whoAnyone || r.who == whoPending || r.who == whoFamily {
					continue // covered by the sign-in tests (no account data behind them) and TestFamilyMatrix
				}
				if r.who == whoAPIToken {
					continue // app/api's TestAPIMatrix, by token
				}
				var ps []string
				if r.target {
					for _, p := range places {
						ps = append(ps, p.name)
					}
				} else {
					ps = []string{""}
				}
				for _, place := range ps {
					path, form := r.path, url.Values{}
					child := strings.HasPrefix(r.path, "/children")
					if strings.HasPrefix(r.path, "/registry") {
						path, form = matrixRegistry(t, s, r.method, r.path)
					} else if strings.HasPrefix(r.path, "/files") {
						var uid int64
						if u, err := s.GetUserByEmail(ctx, act.name+"@actor.example"); err == nil {
							uid = u.ID
						}
						path, form = matrixFiles(t, s, r.method, r.path, uid)
					} else if r.target && child {
						id, n := newChild(odsOf[place], r.path)
						path = strings.Replace(path, ":id", fmt.Sprint(id), 1)
						form = childForm(n)
						form.Set("version", "1")
					} else if r.target {
						path = strings.Replace(path, ":id", fmt.Sprint(targets[place].ID), 1)
					}
					switch {
					case strings.Contains(r.path, ":ods"):
						path = strings.Replace(path, ":ods", odsOf[place], 1)
					case strings.Contains(r.path, ":measure"):
						path = strings.Replace(path, ":measure", "ecg", 1)
					case r.path == "/dashboards/aggregate":
						form.Set("cohort", "8")
					case strings.Contains(r.path, "/forms/:form"):
						path = strings.Replace(strings.Replace(path, ":form", "management", 1), ":row", "999999", 1)
						form.Set("key", "management.0.has_an_aed_been_given")
						form.Set("management.0.has_an_aed_been_given", "true")
						form.Set("list", "list-antiepilepsy_medicines-maintenance")
						form.Set("client_key", fmt.Sprint(time.Now().UnixNano()))
						if strings.HasSuffix(r.path, "/question") {
							path += "?key=management.0.has_an_aed_been_given"
						}
					case r.path == "/children" && r.method == "POST":
						form = childForm(nhs())
					case strings.HasSuffix(r.path, "/transfer") && r.method == "POST":
						form.Set("organisation", elsewhere(odsOf[place]))
					case strings.HasSuffix(r.path, "/register") && r.method == "POST":
						form = url.Values{"eligibility": {"yes"}, "lead_organisation": {odsOf[place]},
							"first_paediatric_assessment_date-day":   {fmt.Sprint(today.Day())},
							"first_paediatric_assessment_date-month": {fmt.Sprint(int(today.Month()))},
							"first_paediatric_assessment_date-year":  {fmt.Sprint(today.Year())}}
					case child:
					case strings.HasSuffix(path, "/:action"):
						path = strings.Replace(path, ":action", "unlock", 1)
					case strings.HasSuffix(path, "/edit") && r.method == "POST":
						form = url.Values{"role": {"clinician"}, "organisation": {odsOf[place]}}
					case r.path == "/admin/users" && r.method == "POST":
						form = url.Values{"email": {fmt.Sprintf("new-%d@example.org", time.Now().UnixNano())}, "first_name": {"N"},
							"surname": {"W"}, "role": {"clinician"}, "organisation": {"RM332"}}
						if registryRoles[act.name] {
							form.Set("role", "registry_viewer") // the account they may give
							form.Del("organisation")
						}
					case r.path == "/admin/users/:id/api-clients":
						form = url.Values{"name": {"matrix"}, "access": {"read"}, "domain": {"audit"}}
					case r.path == "/admin/users/:id/api-clients/:client/revoke":
						path = strings.Replace(path, ":client", fmt.Sprint(matrixAPIClient(t, s, targets[place].ID)), 1)
					case r.path == "/account/api-tokens":
						form = url.Values{"name": {"matrix"}, "access": {"read"}, "domain": {"registry"}, "days": {"7"}}
					case r.path == "/account/api-tokens/:token/revoke" && act.name != "signed out":
						path = strings.Replace(path, ":token", fmt.Sprint(matrixAPIToken(t, s, act.name)), 1)
					case r.path == "/dashboards/download":
						path += fmt.Sprintf("?level=national&format=csv&cohort=%d", recruiting)
					case r.path == "/dashboards/publish" && r.method == "POST":
						form.Set("cohort", fmt.Sprint(int(recruiting)))
					case r.path == "/exports" && r.method == "POST":
						form.Set("format", "csv")
						form.Set("kind", "deidentified")
					case r.path == "/exports/:id/download":
						path = strings.Replace(path, ":id", fmt.Sprint(matrixExport(t, s, act.name)), 1)
					}
					want := act.name != "signed out"
					switch r.who {
					case whoViewStaff:
						// every role may view staff
					case whoManageStaff:
						want = want && managers[act.name]
					case whoViewChild:
						// every role may view children
					case whoEditChild:
						want = want && childEditors[act.name]
					case whoRegisterChild, whoLockChild, whoEditAudit:
						want = want && childRegistrars[act.name]
					case whoTransferChild:
						want = want && childTransferers[act.name]
					case whoOptOutChild, whoDeleteChild:
						want = want && childRemovers[act.name]
					case whoRestoreChild:
						want = want && childRestorers[act.name]
					case whoRecalculate, whoRecordViews, whoViewJobs:
						want = want && recalculators[act.name] // national full access and superusers
					case whoPublish:
						want = want && publishers[act.name]
					case whoSMSFactor: // privileged roles keep the authenticator app
						want = want && !act.national && !registryRoles[act.name]
					case whoExport:
						want = want && exporters[act.name]
					case whoDownload:
						// every role may download the national table
					case whoRegistry:
						want = want && registryViewers[act.name]
					case whoRegistryIDs, whoEditRegistry:
						want = want && registryEditors[act.name]
					}
					if registryRoles[act.name] && r.who != whoSignedIn && !strings.HasPrefix(r.path, "/registry") && !strings.HasPrefix(r.path, "/files") && r.path != "/dashboards/go" { // go: 400 without a choice, for anyone
						// Registry roles have nothing of the audit. A registry
						// manager manages the registry's accounts: the staff
						// list (of those alone) and the invite form, but no
						// audit account (every target here is one).
						want = act.name == "registry_manager" && strings.HasPrefix(r.path, "/admin/users") && !r.target
					}
					if r.target && !act.national {
						want = want && (place == "own organisation" || place == "same trust")
					}
					resp := send(act, r.method, path, form)
					if resp.StatusCode >= 500 {
						t.Errorf("%s %s as %s: %d", r.method, r.path, act.name, resp.StatusCode)
					}
					if got := !refused(resp); got != want {
						t.Errorf("%s %s as %s, target %s: allowed=%v (status %d, Location %q), want %v",
							r.method, r.path, act.name, place, got, resp.StatusCode, resp.Header.Get("Location"), want)
					}
				}
			}
		}
	})
}

// matrixAPIToken is a new personal API token of the actor's, by id.
func matrixAPIToken(t *testing.T, s store.Store, actor string) int64 {
	t.Helper()
	u, err := s.GetUserByEmail(context.Background(), actor+"@actor.example")
	if err != nil {
		t.Fatal(err)
	}
	_, id, err := (&api.Tokens{Store: s, Now: time.Now}).Create(context.Background(), u.ID, api.TokenInput{Name: "m", Access: "read", Domain: "audit", Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// matrixAPIClient is a new API client acting as the account, by id.
func matrixAPIClient(t *testing.T, s store.Store, userID int64) int64 {
	t.Helper()
	tokens := &api.Tokens{Store: s, Now: time.Now}
	if _, _, err := tokens.RegisterClient(context.Background(), userID, userID, api.ClientInput{Name: "m", Access: "read", Domain: "audit"}); err != nil {
		t.Fatal(err)
	}
	cs, err := tokens.Clients(context.Background(), userID)
	if err != nil || len(cs) == 0 {
		t.Fatal(err)
	}
	return cs[0].ID
}
