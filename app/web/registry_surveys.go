package web

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"clinaudit/app/apperr"
	"clinaudit/app/datefield"
	"clinaudit/app/outbox"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/survey"

	"github.com/gofiber/fiber/v2"
)

// The registry's surveys, staff side (docs/surveys.md): registry managers
// write, publish, send and close them; registry viewers see the results
// (which carry no names). The public answering pages are survey_public.go.

func (s *server) surveys() *survey.Service {
	base := ""
	if s.Auth != nil {
		base = s.Auth.Config.BaseURL
	}
	return &survey.Service{Store: s.Store, BaseURL: base, Now: s.Now}
}

type surveyForm struct {
	Title, Intro, Questions string
	Closes                  registry.DateInput
}

type surveysPage struct {
	registryPage
	Surveys []store.Survey
	Form    surveyForm
	Errors  fieldErrs
	Syntax  string
	Now     time.Time
}

// surveyDraft reads the edit form.
func surveyDraft(c *fiber.Ctx) (surveyForm, survey.Draft, fieldErrs) {
	f := surveyForm{Title: c.FormValue("title"), Intro: c.FormValue("intro"), Questions: c.FormValue("questions"),
		Closes: registry.DateInput{Day: c.FormValue("closes-day"), Month: c.FormValue("closes-month"), Year: c.FormValue("closes-year")}}
	d := survey.Draft{Title: f.Title, Intro: f.Intro, Questions: f.Questions}
	var errs fieldErrs
	if datefield.IsBlank(f.Closes.Day, f.Closes.Month, f.Closes.Year) {
		errs = append(errs, fieldErr{Field: "closes", Message: "Enter the date the survey closes"})
	} else if t, err := datefield.Parse("The closing date", f.Closes.Day, f.Closes.Month, f.Closes.Year); err != nil {
		errs = append(errs, fieldErr{Field: "closes", Message: err.Error()})
	} else {
		d.Closes = t.Add(24*time.Hour - time.Second) // to the end of that day (UTC)
	}
	return f, d, errs
}

// problems turns a draft's problems into the form's errors; a closing
// date already refused is not refused twice.
func problems(errs fieldErrs, ps []survey.Problem) fieldErrs {
	for _, p := range ps {
		if p.Field == "closes" && errs.For("closes") != "" {
			continue
		}
		errs = append(errs, fieldErr{Field: p.Field, Message: p.Message})
	}
	return errs
}

func (s *server) requireSurveyEditor(c *fiber.Ctx) (registryPage, error) {
	p, err := s.registryPage(c, "Surveys")
	if err == nil && !p.CanEdit {
		err = apperr.ErrForbidden
	}
	return p, err
}

// handleSurveys lists the surveys: managers open each to edit and send
// it, and get the new-survey form; viewers open the results.
func (s *server) handleSurveys(c *fiber.Ctx) error {
	p, err := s.registryPage(c, "Surveys")
	if err != nil {
		return err
	}
	return s.renderSurveys(c, p, surveyForm{}, nil)
}

func (s *server) renderSurveys(c *fiber.Ctx, p registryPage, f surveyForm, errs fieldErrs) error {
	list, err := s.Store.ListSurveys(c.UserContext(), p.Registry.ID)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		p.Title = "Error: " + p.Title
	}
	return renderPage(c, "pages/registry_surveys", surveysPage{registryPage: p, Surveys: list, Form: f, Errors: errs, Syntax: survey.Syntax, Now: s.Now()})
}

func (s *server) handleSurveyCreate(c *fiber.Ctx) error {
	p, err := s.requireSurveyEditor(c)
	if err != nil {
		return err
	}
	f, d, errs := surveyDraft(c)
	var id int64
	if len(errs) == 0 {
		var ps []survey.Problem
		id, ps, err = s.surveys().Create(c.UserContext(), p.Registry.ID, me(c).ID, d)
		if err != nil {
			return err
		}
		errs = problems(errs, ps)
	} else {
		_, ps := survey.Check(d, s.Now())
		errs = problems(errs, ps)
	}
	if len(errs) > 0 {
		return s.renderSurveys(c, p, f, errs)
	}
	return c.Redirect(fmt.Sprintf("/registry/surveys/%d?done=created", id), fiber.StatusSeeOther)
}

type surveyPage struct {
	registryPage
	Survey      store.Survey
	Latest      store.SurveyVersion
	Published   *store.SurveyVersion
	Form        surveyForm
	Errors      fieldErrs
	Syntax      string
	Open        bool
	Invitations []store.SurveyInvitationRow
	Relations   []registry.Choice
	Report      *survey.SendReport
	SendError   string
	Flash       string
}

// loadSurvey reads the survey of the path, in this registry (404 else).
func (s *server) loadSurvey(c *fiber.Ctx, p registryPage) (store.Survey, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return store.Survey{}, apperr.ErrNotFound
	}
	sv, err := s.Store.GetSurvey(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && sv.RegistryID != p.Registry.ID) {
		return sv, apperr.ErrNotFound
	}
	return sv, err
}

var surveyFlashes = map[string]string{"created": "Survey created as a draft.", "saved": "Saved.", "published": "Published: this version can be sent and will not change.", "closed": "The survey is closed: its links no longer work."}

func (s *server) handleSurveyShow(c *fiber.Ctx) error {
	p, err := s.requireSurveyEditor(c)
	if err != nil {
		return err
	}
	sv, err := s.loadSurvey(c, p)
	if err != nil {
		return err
	}
	return s.renderSurvey(c, p, sv, surveyPage{Flash: surveyFlashes[c.Query("done")]})
}

func (s *server) renderSurvey(c *fiber.Ctx, p registryPage, sv store.Survey, v surveyPage) error {
	ctx := c.UserContext()
	latest, err := s.Store.GetLatestSurveyVersion(ctx, sv.ID)
	if err != nil {
		return err
	}
	if pub, err := s.Store.GetPublishedSurveyVersion(ctx, sv.ID); err == nil {
		v.Published = &pub
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if v.Invitations, err = s.Store.ListSurveyInvitations(ctx, sv.ID); err != nil {
		return err
	}
	if v.Form.Title == "" && len(v.Errors) == 0 {
		c := sv.ClosesAt.UTC()
		v.Form = surveyForm{Title: latest.Title, Intro: latest.Intro, Questions: latest.Questions,
			Closes: registry.DateInput{Day: strconv.Itoa(c.Day()), Month: strconv.Itoa(int(c.Month())), Year: strconv.Itoa(c.Year())}}
	}
	if len(v.Errors) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	p.Title = sv.Title
	v.registryPage, v.Survey, v.Latest, v.Syntax, v.Open, v.Relations = p, sv, latest, survey.Syntax, survey.Open(sv, s.Now()), registry.RelationshipTypes
	return renderPage(c, "pages/registry_survey", v)
}

func (s *server) handleSurveySave(c *fiber.Ctx) error {
	p, err := s.requireSurveyEditor(c)
	if err != nil {
		return err
	}
	sv, err := s.loadSurvey(c, p)
	if err != nil {
		return err
	}
	f, d, errs := surveyDraft(c)
	if len(errs) == 0 {
		ps, err := s.surveys().Save(c.UserContext(), sv.ID, me(c).ID, d)
		if err != nil {
			return err
		}
		errs = problems(errs, ps)
	} else {
		_, ps := survey.Check(d, s.Now())
		errs = problems(errs, ps)
	}
	if len(errs) > 0 {
		return s.renderSurvey(c, p, sv, surveyPage{Form: f, Errors: errs})
	}
	return c.Redirect(fmt.Sprintf("/registry/surveys/%d?done=saved", sv.ID), fiber.StatusSeeOther)
}

func (s *server) handleSurveyPublish(c *fiber.Ctx) error {
	p, err := s.requireSurveyEditor(c)
	if err != nil {
		return err
	}
	sv, err := s.loadSurvey(c, p)
	if err != nil {
		return err
	}
	if err := s.surveys().Publish(c.UserContext(), sv.ID); errors.Is(err, survey.ErrNoDraft) {
		return c.Redirect(fmt.Sprintf("/registry/surveys/%d", sv.ID), fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/registry/surveys/%d?done=published", sv.ID), fiber.StatusSeeOther)
}

func (s *server) handleSurveyClose(c *fiber.Ctx) error {
	p, err := s.requireSurveyEditor(c)
	if err != nil {
		return err
	}
	sv, err := s.loadSurvey(c, p)
	if err != nil {
		return err
	}
	if err := s.surveys().Close(c.UserContext(), sv.ID); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/registry/surveys/%d?done=closed", sv.ID), fiber.StatusSeeOther)
}

func (s *server) handleSurveySend(c *fiber.Ctx) error {
	p, err := s.requireSurveyEditor(c)
	if err != nil {
		return err
	}
	sv, err := s.loadSurvey(c, p)
	if err != nil {
		return err
	}
	f := survey.Filter{Relationship: c.FormValue("relationship"), PrimaryOnly: c.FormValue("primary") == "yes"}
	if f.Relationship != "" && !validChoice(registry.RelationshipTypes, f.Relationship) {
		f.Relationship = ""
	}
	switch ch := c.FormValue("channel"); ch {
	case "email", "sms":
		f.Channel = outbox.Channel(ch)
	}
	rep, err := s.surveys().Send(c.UserContext(), sv.ID, me(c).ID, p.Registry.Name, f)
	v := surveyPage{}
	switch {
	case errors.Is(err, survey.ErrNotPublished):
		v.SendError = "Publish the survey before sending it."
	case errors.Is(err, survey.ErrClosed):
		v.SendError = "The survey is closed."
	case err != nil:
		return err
	default:
		v.Report = &rep
	}
	if v.SendError != "" {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.renderSurvey(c, p, sv, v)
}

func validChoice(cs []registry.Choice, v string) bool {
	for _, c := range cs {
		if c.Code == v {
			return true
		}
	}
	return false
}
