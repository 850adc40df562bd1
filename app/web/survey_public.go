package web

import (
	"errors"

	"clinaudit/app/apperr"
	"clinaudit/app/survey"

	"github.com/gofiber/fiber/v2"
)

// The public answering pages of a survey (docs/surveys.md), reached by a
// personal link alone (/s/<token>; the token never reaches the logs:
// loggedPath). Each answer saves as it is given, as the audit forms do
// (htmx posts one question to /answer); without JavaScript the page's
// form saves every answer at once. The same link works until the
// response is finished or the survey closes.

type surveyQuestionView struct {
	survey.Question
	ID, PostURL      string
	Value            string
	Chosen           map[string]bool
	Day, Month, Year string
	Visible, OOB     bool
	Error            string
}

type surveyAnswerPage struct {
	page
	Response  survey.Response
	Questions []surveyQuestionView
	Answered  int
	Total     int
	Action    string
	Errors    fieldErrs
	Done      bool // finished (now or before)
	Closed    bool
	SavedAll  bool
}

func surveyQuestionViews(r survey.Response, base string, errs map[string]string) []surveyQuestionView {
	var out []surveyQuestionView
	for _, q := range r.Questions {
		v := surveyQuestionView{Question: q, ID: "sq-" + q.Key, PostURL: base + "/answer", Value: r.Answers[q.Key],
			Visible: survey.Visible(q, r.Answers), Error: errs[q.Key], Chosen: map[string]bool{}}
		for _, c := range survey.Choices(v.Value) {
			v.Chosen[c] = true
		}
		if q.Type == survey.Date && len(v.Value) == 10 {
			v.Year, v.Month, v.Day = v.Value[:4], trimZero(v.Value[5:7]), trimZero(v.Value[8:10])
		}
		out = append(out, v)
	}
	return out
}

func trimZero(s string) string {
	if len(s) == 2 && s[0] == '0' {
		return s[1:]
	}
	return s
}

// openResponse reads the link's response, or renders the page that says
// why it cannot be answered (done is then true).
func (s *server) openResponse(c *fiber.Ctx) (survey.Response, bool, error) {
	r, err := s.surveys().ByToken(c.UserContext(), c.Params("token"))
	switch {
	case errors.Is(err, survey.ErrUnknownLink):
		return r, true, apperr.ErrNotFound
	case errors.Is(err, survey.ErrCompleted):
		return r, true, renderPage(c, "pages/survey_answer", surveyAnswerPage{page: s.page(c, r.Version.Title, ""), Response: r, Done: true})
	case errors.Is(err, survey.ErrExpired):
		c.Status(fiber.StatusGone)
		return r, true, renderPage(c, "pages/survey_answer", surveyAnswerPage{page: s.page(c, r.Version.Title, ""), Response: r, Closed: true})
	}
	return r, err != nil, err
}

func (s *server) renderSurveyAnswer(c *fiber.Ctx, r survey.Response, errs map[string]string, p surveyAnswerPage) error {
	base := "/s/" + c.Params("token")
	p.page, p.Response, p.Action = s.page(c, r.Version.Title, ""), r, base
	p.Questions = surveyQuestionViews(r, base, errs)
	p.Answered, p.Total = survey.Progress(r.Questions, r.Answers)
	for _, q := range p.Questions {
		if q.Error != "" && q.Visible {
			p.Errors = append(p.Errors, fieldErr{Field: q.ID, Message: q.Label + ": " + q.Error})
		}
	}
	if len(p.Errors) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		p.Title = "Error: " + p.Title
	}
	return renderPage(c, "pages/survey_answer", p)
}

func (s *server) handleSurveyAnswerPage(c *fiber.Ctx) error {
	r, done, err := s.openResponse(c)
	if done || err != nil {
		return err
	}
	return s.renderSurveyAnswer(c, r, nil, surveyAnswerPage{})
}

// surveyValues reads one question's inputs as the form sends them.
func surveyValues(c *fiber.Ctx, q survey.Question) []string {
	switch q.Type {
	case survey.Date:
		return []string{c.FormValue(q.Key + "-day"), c.FormValue(q.Key + "-month"), c.FormValue(q.Key + "-year")}
	case survey.Multiple:
		var out []string
		for _, v := range c.Request().PostArgs().PeekMulti(q.Key) {
			out = append(out, string(v))
		}
		return out
	}
	return []string{c.FormValue(q.Key)}
}

// handleSurveySaveAll saves every visible question the form sent (the
// page without JavaScript), then finishes when asked.
func (s *server) handleSurveySaveAll(c *fiber.Ctx) error {
	r, done, err := s.openResponse(c)
	if done || err != nil {
		return err
	}
	errs := map[string]string{}
	for _, q := range r.Questions {
		if !survey.Visible(q, r.Answers) {
			continue
		}
		msg, err := s.surveys().Answer(c.UserContext(), &r, q.Key, surveyValues(c, q))
		if err != nil {
			return err
		}
		if msg != "" {
			errs[q.Key] = msg
		}
	}
	if len(errs) == 0 && c.FormValue("finish") != "" {
		return s.finishSurvey(c, r)
	}
	return s.renderSurveyAnswer(c, r, errs, surveyAnswerPage{SavedAll: len(errs) == 0})
}

func (s *server) handleSurveyFinish(c *fiber.Ctx) error {
	r, done, err := s.openResponse(c)
	if done || err != nil {
		return err
	}
	return s.finishSurvey(c, r)
}

func (s *server) finishSurvey(c *fiber.Ctx, r survey.Response) error {
	missing, err := s.surveys().Finish(c.UserContext(), &r)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		errs := map[string]string{}
		for _, q := range missing {
			errs[q.Key] = survey.MsgMissing
		}
		return s.renderSurveyAnswer(c, r, errs, surveyAnswerPage{})
	}
	return renderPage(c, "pages/survey_answer", surveyAnswerPage{page: s.page(c, r.Version.Title, ""), Response: r, Done: true})
}

type surveySavedPartial struct {
	Question surveyQuestionView
	Others   []surveyQuestionView // the questions this answer shows or hides, out of band
	Answered int
	Total    int
}

// handleSurveyAnswer saves one answer (htmx). It answers into the
// question's message slot and, out of band, the progress badge and the
// conditional questions (shown or hidden by this answer).
func (s *server) handleSurveyAnswer(c *fiber.Ctx) error {
	r, done, err := s.openResponse(c)
	if done || err != nil {
		if done && err == nil {
			c.Set("HX-Refresh", "true") // finished or closed elsewhere: show that page
		}
		return err
	}
	q, ok := r.Question(c.FormValue("key"))
	if !ok {
		return apperr.New(apperr.Invalid, survey.MsgNotInSurvey)
	}
	msg, err := s.surveys().Answer(c.UserContext(), &r, q.Key, surveyValues(c, q))
	if err != nil {
		return err
	}
	views := surveyQuestionViews(r, "/s/"+c.Params("token"), map[string]string{q.Key: msg})
	p := surveySavedPartial{}
	p.Answered, p.Total = survey.Progress(r.Questions, r.Answers)
	for _, v := range views {
		switch {
		case v.Key == q.Key:
			p.Question = v
		case v.ShowIf != nil && v.ShowIf.Key == q.Key: // shown or hidden by this answer
			v.OOB = true
			p.Others = append(p.Others, v)
		}
	}
	if msg != "" {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return renderPartial(c, "partials/survey_saved", p)
}
