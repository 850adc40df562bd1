package api

import (
	"context"
	"errors"

	"clinaudit/app/api/apigen"
	"clinaudit/app/children"
	"clinaudit/app/survey"

	"github.com/gofiber/fiber/v2"
)

// msgHidden refuses an answer to a question its "show if" hides, given
// the answers: the page never shows it, so never sends it.
const msgHidden = "This question is not asked, given the answers before it"

// SubmitSurveyResponse is the survey page (/s/{token}) as JSON: the link's
// token finds the response (survey.Service.ByToken), each answer is
// checked by the page's survey.Normalise, then saved by Answer, and
// Finish ends it if asked. Answers are all checked first, in the survey's
// order with "show if" seeing the answers sent, so a refusal saves nothing.
func (a *API) SubmitSurveyResponse(ctx context.Context, req apigen.SubmitSurveyResponseRequestObject) (apigen.SubmitSurveyResponseResponseObject, error) {
	svc := a.deps.Surveys()
	r, err := svc.ByToken(ctx, req.Body.Token)
	switch {
	case errors.Is(err, survey.ErrUnknownLink):
		return nil, problem(fiber.StatusNotFound, "There is no survey for this link")
	case errors.Is(err, survey.ErrCompleted):
		return nil, problem(fiber.StatusConflict, "This survey is already answered: the link takes no more answers")
	case errors.Is(err, survey.ErrExpired):
		return nil, problem(fiber.StatusGone, "This survey has closed")
	case err != nil:
		return nil, err
	}
	given, errs := surveyValues(r, req.Body.Answers)
	after := survey.Answers{}
	for k, v := range r.Answers {
		after[k] = v
	}
	now := a.deps.Now()
	for _, q := range r.Questions {
		vs, ok := given[q.Key]
		if !ok {
			continue
		}
		if !survey.Visible(q, after) {
			errs = append(errs, children.FieldError{Field: q.Key, Message: msgHidden})
			continue
		}
		stored, msg := survey.Normalise(q, vs, now)
		if msg != "" {
			errs = append(errs, children.FieldError{Field: q.Key, Message: msg})
			continue
		}
		after[q.Key] = stored
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, q := range r.Questions {
		if vs, ok := given[q.Key]; ok {
			msg, err := svc.Answer(ctx, &r, q.Key, vs)
			if err != nil {
				return nil, err
			}
			if msg != "" { // checked above; the clock moved on a date
				return nil, children.FieldErrors{{Field: q.Key, Message: msg}}
			}
		}
	}
	status := apigen.InProgress
	if req.Body.Finish != nil && *req.Body.Finish {
		missing, err := svc.Finish(ctx, &r)
		if err != nil {
			return nil, err
		}
		for _, q := range missing {
			errs = append(errs, children.FieldError{Field: q.Key, Message: survey.MsgMissing})
		}
		if len(errs) > 0 {
			return nil, errs // the answers sent are saved; the response is not finished
		}
		status = apigen.Completed
	}
	answered, total := survey.Progress(r.Questions, r.Answers)
	return apigen.SubmitSurveyResponse200JSONResponse{Status: status, Answered: answered, Total: total}, nil
}

// surveyValues are the answers sent as the page's inputs for each
// question: a date's three boxes, a multiple choice's ticks, else one
// value. Unknown questions, and questions given twice, are refused.
func surveyValues(r survey.Response, answers []apigen.SurveyAnswer) (map[string][]string, children.FieldErrors) {
	given := map[string][]string{}
	var errs children.FieldErrors
	for _, an := range answers {
		q, ok := r.Question(an.Question)
		switch {
		case !ok:
			errs = append(errs, children.FieldError{Field: an.Question, Message: survey.MsgNotInSurvey})
			continue
		case given[q.Key] != nil:
			errs = append(errs, children.FieldError{Field: q.Key, Message: "This question is answered twice: send one answer"})
			continue
		}
		vs := []string{}
		switch {
		case q.Type != survey.Multiple && an.Choices != nil:
			errs = append(errs, children.FieldError{Field: q.Key, Message: "Only a multiple choice question takes choices: send value"})
			continue
		case q.Type == survey.Multiple && an.Choices != nil:
			vs = append(vs, *an.Choices...)
		case q.Type == survey.Date:
			d, err := dateInput(str(an.Value))
			if err != nil {
				errs = append(errs, children.FieldError{Field: q.Key, Message: err.Error()})
				continue
			}
			vs = []string{d.Day, d.Month, d.Year}
		default:
			vs = append(vs, str(an.Value))
		}
		given[q.Key] = vs
	}
	return given, errs
}
