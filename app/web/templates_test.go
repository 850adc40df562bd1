package web

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"clinaudit/app/store"
	"clinaudit/templates"
)

// templateData is each template a handler renders, with the type of the
// data it passes. A page or partial added without an entry here fails
// TestTemplatesTypeCheck.
var templateData = map[string]any{
	"pages/account":                 accountPage{},
	"pages/notifications":           notificationsPage{},
	"pages/registry_surveys":        surveysPage{},
	"pages/registry_survey":         surveyPage{},
	"pages/registry_survey_results": surveyResultsPage{},
	"pages/survey_answer":           surveyAnswerPage{},
	"partials/survey_question":      surveyQuestionView{},
	"partials/survey_saved":         surveySavedPartial{},
	"pages/notification_templates":  templatesPage{},
	"pages/audit_form":              auditFormPage{},
	"pages/audit_history":           historyPage{},
	"pages/audit_kpis":              kpiPage{},
	"pages/audit_tasks":             auditPage{},
	"pages/backup_codes":            twoFactorPage{},
	"pages/child_conflict": struct {
		page
		ID      int64
		Message string
	}{},
	"pages/child_delete":    deleteFormPage{},
	"pages/child_deleted":   deletedPage{},
	"pages/child_form":      childFormPage{},
	"pages/child_list":      childListPage{},
	"pages/child_lock":      lockPage{},
	"pages/child_optout":    childShowPage{},
	"pages/child_register":  childRegisterPage{},
	"pages/child_show":      childShowPage{},
	"pages/child_transfer":  transferFormPage{},
	"pages/child_transfers": transfersPage{},
	"pages/dashboard_choose": struct {
		page
		Organisations []optionView
	}{},
	"pages/dashboard_measure":      measurePage{},
	"pages/dashboard_demographics": demographicsPage{},
	"pages/dashboard_organisation": dashboardPage{},
	"pages/error":                  errorPage{},
	"pages/exports":                exportsPage{},
	"pages/forgot_password":        forgotPage{},
	"pages/home": struct {
		page
		Counts store.ReferenceCounts
	}{},
	"pages/file_show":                fileShowPage{},
	"pages/file_upload":              fileUploadPage{},
	"pages/kpi_recalc":               recalcPage{},
	"pages/mailbox":                  mailboxPage{},
	"pages/organisations":            organisationsPage{},
	"pages/public_list":              publicListPage{},
	"pages/public_organisation":      publicOrgPage{},
	"pages/publish":                  publishPage{},
	"pages/record_views":             recordViewsPage{},
	"pages/registry_consent":         consentPage{},
	"pages/registry_contact":         contactShowPage{},
	"pages/registry_contact_new":     contactFormPage{},
	"pages/registry_contacts":        contactListPage{},
	"pages/registry_history":         registryHistoryPage{},
	"pages/registry_join":            joinPage{},
	"pages/registry_join_sent":       joinSentPage{},
	"pages/registry_link":            linkPage{},
	"pages/registry_merge":           mergePage{},
	"pages/registry_onboarding":      onboardingListPage{},
	"pages/registry_patient":         patientShowPage{},
	"pages/registry_patient_consent": patientConsentPage{},
	"pages/registry_patient_new":     patientFormPage{},
	"pages/registry_patients":        patientListPage{},
	"pages/registry_reports":         registryReportsPage{},
	"pages/registry_subject_access":  subjectAccessPage{},
	"pages/registry_submission":      submissionPage{},
	"pages/registry_verify":          verifyPage{},
	"pages/set_password":             setPasswordPage{},
	"pages/sign_in":                  signInPage{},
	"pages/staff_form":               staffFormPage{},
	"pages/staff_list":               staffListPage{},
	"pages/staff_show":               staffShowPage{},
	"pages/two_factor":               twoFactorPage{},
	"pages/two_factor_setup":         twoFactorPage{},
	"partials/audit_error":           "",
	"partials/audit_list_saved": struct {
		List     questionView
		Progress progressView
	}{},
	"partials/audit_question":           questionView{},
	"partials/audit_saved":              saveResult{},
	"partials/audit_progress_changes":   progressChanges{},
	"partials/child_results":            childListPage{},
	"partials/error_message":            errorPage{},
	"partials/export_list":              exportsPage{},
	"partials/kpi_recalc_runs":          recalcPage{},
	"partials/organisation_results":     organisationsPage{},
	"partials/public_results":           publicListPage{},
	"partials/registry_contact_results": contactListPage{},
	"partials/registry_patient_results": patientListPage{},
	"partials/staff_results":            staffListPage{},
}

// TestTemplatesTypeCheck checks every field, method and function every
// template uses against the Go type its handler passes: a misspelt field
// fails here instead of in a page a person reads.
func TestTemplatesTypeCheck(t *testing.T) {
	c, err := newTemplateCheck(templates.FS, templateFuncs())
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range templateData {
		typ := reflect.TypeOf(data)
		c.check(name, typ)
		if strings.HasPrefix(name, "pages/") {
			c.check("layouts/base", typ) // the layout sees the page's data
		}
	}
	for _, e := range c.errs {
		t.Error(e)
	}
	if u := c.unreached(); len(u) > 0 {
		t.Errorf("templates with no entry in templateData and no caller: %v", u)
	}
}

// TestTemplateCheckFindsMisspeltField proves the check fails on the bug it
// is for, through a range, a partial and a variable.
func TestTemplateCheckFindsMisspeltField(t *testing.T) {
	fsys := fstest.MapFS{
		"pages/list.html":   {Data: []byte(`{{range .Users}}{{template "partials/row" .}}{{end}}{{with $p := .Page}}{{$p.Filter.Nope}}{{end}}`)},
		"partials/row.html": {Data: []byte(`{{.Email}}{{if eq .OrganisationODS ""}}National{{end}}`)},
	}
	c, err := newTemplateCheck(fsys, templateFuncs())
	if err != nil {
		t.Fatal(err)
	}
	c.check("pages/list", reflect.TypeOf(struct {
		Users []store.UserListItem
		Page  staffListPage
	}{}))
	got := strings.Join(c.errs, "\n")
	for _, want := range []string{"field OrganisationODS in type store.UserListItem", "field Nope in type staff.Filter"} {
		if !strings.Contains(got, want) {
			t.Errorf("check did not report %q; reported:\n%s", want, got)
		}
	}
	if len(c.errs) != 2 {
		t.Errorf("want 2 errors, got %q", c.errs)
	}
}
