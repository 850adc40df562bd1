package web

import (
	"errors"
	"fmt"
	"strings"

	"clinaudit/app/apperr"
	"clinaudit/app/chart"
	"clinaudit/app/export"
	"clinaudit/app/store"
	"clinaudit/app/survey"

	"github.com/gofiber/fiber/v2"
)

// A survey's results: the response rate and, per question, a bar chart
// (app/chart, as the dashboards draw) with its data table beside it, and
// the answers as CSV or XLSX. No names: every registry role sees them.

type questionResult struct {
	survey.Result
	Chart *chart.Layout
}

type surveyResultsPage struct {
	registryPage
	Results   survey.Results
	Rate      string
	Questions []questionResult
}

func (s *server) surveyResults(c *fiber.Ctx) (registryPage, survey.Results, error) {
	p, err := s.registryPage(c, "Survey results")
	if err != nil {
		return p, survey.Results{}, err
	}
	sv, err := s.loadSurvey(c, p)
	if err != nil {
		return p, survey.Results{}, err
	}
	r, err := s.surveys().ResultsOf(c.UserContext(), sv.ID)
	if errors.Is(err, store.ErrNotFound) {
		return p, r, apperr.ErrNotFound // not published: no results yet
	}
	return p, r, err
}

func (s *server) handleSurveyResults(c *fiber.Ctx) error {
	p, r, err := s.surveyResults(c)
	if err != nil {
		return err
	}
	v := surveyResultsPage{registryPage: p, Results: r, Rate: fmt.Sprintf("%.0f%%", r.Rate())}
	v.Title = "Results: " + r.Survey.Title
	for _, q := range r.Questions {
		qr := questionResult{Result: q}
		// Nobody has answered yet: no chart, the table says so.
		if len(q.Counts) > 0 && q.Answered > 0 {
			bars := make([]chart.Bar, len(q.Counts))
			for i, cnt := range q.Counts {
				bars[i] = chart.Bar{Label: cnt.Answer, Value: cnt.Pct, HasValue: true}
			}
			l := chart.Horizontal(q.Label, bars, nil, "")
			l.ID = "chart-" + q.Key
			qr.Chart = &l
		}
		v.Questions = append(v.Questions, qr)
	}
	return renderPage(c, "pages/registry_survey_results", v)
}

// handleSurveyDownload sends one row per response: its number, whether it
// is finished, and each question's answer (a multiple choice's choices
// joined by "; ").
func (s *server) handleSurveyDownload(c *fiber.Ctx) error {
	_, r, err := s.surveyResults(c)
	if err != nil {
		return err
	}
	format := c.Query("format")
	if format != "csv" && format != "xlsx" {
		return apperr.New(apperr.Invalid, "Choose CSV or XLSX")
	}
	header := []string{"response", "finished"}
	for _, q := range r.Questions {
		header = append(header, q.Key)
	}
	rows := make([][]string, len(r.Responses))
	for i, a := range r.Responses {
		row := []string{fmt.Sprint(i + 1), map[bool]string{true: "yes", false: "no"}[r.Completed[i]]}
		for _, q := range r.Questions {
			row = append(row, strings.Join(survey.Choices(a[q.Key]), "; "))
		}
		rows[i] = row
	}
	name := fmt.Sprintf("survey-%d-v%d.%s", r.Survey.ID, r.Version.Version, format)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	if format == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		return export.WriteTableCSV(c.Response().BodyWriter(), header, rows)
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return export.WriteTableXLSX(c.Response().BodyWriter(), "Responses", header, rows)
}
