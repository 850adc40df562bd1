package web

import (
	"errors"
	"strconv"

	"clinaudit/app/registry"

	"github.com/gofiber/fiber/v2"
)

// The review queue of onboarding submissions (issue 17, docs/registry.md
// "Review queue"): registry managers only (package registry refuses
// others); a decision is one transaction and one trail row.

type onboardingListPage struct {
	registryPage
	registry.SubmissionPage
	Tabs             []registry.Choice
	PrevURL, NextURL string
}

func (s *server) handleOnboardingList(c *fiber.Ctx) error {
	page, _ := strconv.Atoi(c.Query("page"))
	p, err := s.registry().ListSubmissions(c.UserContext(), actor(c), registrySlug(), c.Query("status"), page)
	if err != nil {
		return err
	}
	data, err := s.registryPage(c, "Families asking to join")
	if err != nil {
		return err
	}
	out := onboardingListPage{registryPage: data, SubmissionPage: p, Tabs: registry.SubmissionStatuses}
	at := func(n int) string { return "/registry/onboarding?status=" + p.Status + "&page=" + strconv.Itoa(n) }
	if p.Page > 1 {
		out.PrevURL = at(p.Page - 1)
	}
	if p.Page < p.Pages {
		out.NextURL = at(p.Page + 1)
	}
	return renderPage(c, "pages/registry_onboarding", out)
}

type submissionPage struct {
	registryPage
	registry.SubmissionDetail
	Errors   fieldErrs
	Reason   string
	Decided  bool
	Relation string
	Sex      string
}

func (s *server) showSubmission(c *fiber.Ctx, id int64, errs fieldErrs, reason string) error {
	d, err := s.registry().GetSubmission(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	data, err := s.registryPage(c, "Request to join: "+d.Submission.PatientFirstName+" "+d.Submission.PatientSurname)
	if err != nil {
		return err
	}
	if errs != nil {
		data.Title = "Error: " + data.Title
	}
	return renderPage(c, "pages/registry_submission", submissionPage{registryPage: data, SubmissionDetail: d, Errors: errs, Reason: reason,
		Decided: d.Submission.Status != registry.StatusVerified, Relation: registry.Label(registry.RelationshipTypes, d.Submission.Relationship),
		Sex: registry.Label(registry.Sexes, strconv.FormatInt(d.Submission.PatientSex, 10))})
}

// StatusLabel is a status as people read it.
func (submissionPage) StatusLabel(s string) string {
	return registry.Label(registry.SubmissionStatuses, s)
}

// StatusLabel is a status as people read it.
func (onboardingListPage) StatusLabel(s string) string {
	return registry.Label(registry.SubmissionStatuses, s)
}

func (s *server) handleSubmissionShow(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.showSubmission(c, id, nil, "")
}

func (s *server) handleSubmissionDecide(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d := registry.Decision{Action: c.FormValue("action"), Reason: c.FormValue("reason")}
	d.PatientID, _ = strconv.ParseInt(c.FormValue("patient_id"), 10, 64)
	d.ContactID, _ = strconv.ParseInt(c.FormValue("contact_id"), 10, 64)
	err = s.registry().Decide(c.UserContext(), me(c), id, d, requestIDOf(c))
	var fe registry.FieldErrors
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.showSubmission(c, id, toFieldErrs(fe), d.Reason)
	}
	if err != nil {
		return err
	}
	if d.Action == registry.DecideReject {
		return c.Redirect("/registry/onboarding?done=rejected", fiber.StatusSeeOther)
	}
	// Approved or matched: the patient's page, with the consent just recorded.
	sub, err := s.registry().GetSubmission(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if sub.Submission.PatientID == nil { // its patient purged since: nothing to show
		return c.Redirect("/registry/onboarding", fiber.StatusSeeOther)
	}
	return c.Redirect(patientURL(*sub.Submission.PatientID)+"?done=onboarded", fiber.StatusSeeOther)
}

// Val is an optional trail value as text.
func (submissionPage) Val(v *string) string {
	if v == nil {
		return "(none)"
	}
	return *v
}
