package api

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"clinaudit/app/answers"
	"clinaudit/app/api/apigen"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/registry"

	"github.com/gofiber/fiber/v2"
)

// The audit's half: children and their answers, through the same services
// as the case form, the registration page and the audit forms.

// ListChildren is a page of the children in the caller's reach, in the
// case list's default order.
func (a *API) ListChildren(ctx context.Context, req apigen.ListChildrenRequestObject) (apigen.ListChildrenResponseObject, error) {
	page, err := cursorPage(req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	p, err := a.deps.Children().List(ctx, callerOf(ctx).Me.Actor, children.Filter{Page: page})
	if err != nil {
		return nil, err
	}
	out := apigen.ListChildren200JSONResponse{Items: []apigen.Child{}}
	if p.Filter.Page == page {
		for _, r := range p.Rows {
			ch := apigen.Child{Id: r.ID, AuditId: r.AuditID, FirstName: opt(r.FirstName), Surname: opt(r.Surname),
				NhsNumber: opt(r.NHSNumber), DateOfBirth: opt(registry.ISO(r.DateOfBirth)), LeadOrganisation: r.OrganisationOds,
				Registered: r.Registered, Locked: r.Locked}
			if r.Cohort != nil {
				ch.Cohort = ptr(int(*r.Cohort))
			}
			out.Items = append(out.Items, ch)
		}
	}
	out.NextCursor = nextCursor(page, p.Pages)
	return out, nil
}

// CreateChild adds a child with the case form's checks.
func (a *API) CreateChild(ctx context.Context, req apigen.CreateChildRequestObject) (apigen.CreateChildResponseObject, error) {
	b := req.Body
	dob, err := dateInput(str(b.DateOfBirth))
	if err != nil {
		return nil, children.FieldErrors{{Field: "date_of_birth", Message: err.Error()}}
	}
	n := children.NewChild{Demographics: children.Demographics{FirstName: str(b.FirstName), Surname: str(b.Surname),
		NHSNumber: str(b.NhsNumber), UniqueReferenceNumber: str(b.UniqueReferenceNumber), DateOfBirth: dob,
		Sex: str(b.Sex), Ethnicity: str(b.Ethnicity), Postcode: str(b.Postcode)}, LeadOrganisation: str(b.LeadOrganisation)}
	caller := callerOf(ctx)
	id, err := a.deps.Children().Create(children.WithRequestID(ctx, caller.RequestID), caller.Me, n)
	if err != nil {
		return nil, err
	}
	ch, err := a.deps.Children().Get(ctx, caller.Me.Actor, id)
	if err != nil {
		return nil, err
	}
	etag, loc := etagOf(ch.Version), Prefix+"/children/"+strconv.FormatInt(id, 10)
	return apigen.CreateChild201JSONResponse{Body: childOf(ch), Headers: apigen.CreateChild201ResponseHeaders{ETag: &etag, Location: &loc}}, nil
}

// GetChild reads a child in the caller's reach.
func (a *API) GetChild(ctx context.Context, req apigen.GetChildRequestObject) (apigen.GetChildResponseObject, error) {
	ch, err := a.deps.Children().Get(ctx, callerOf(ctx).Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	etag := etagOf(ch.Version)
	return apigen.GetChild200JSONResponse{Body: childOf(ch), Headers: apigen.GetChild200ResponseHeaders{ETag: &etag}}, nil
}

// RegisterChild registers a child with the registration page's rules.
func (a *API) RegisterChild(ctx context.Context, req apigen.RegisterChildRequestObject) (apigen.RegisterChildResponseObject, error) {
	b := req.Body
	fpa, err := dateInput(str(b.FirstPaediatricAssessmentDate))
	if err != nil {
		return nil, children.FieldErrors{{Field: "first_paediatric_assessment_date", Message: err.Error()}}
	}
	caller := callerOf(ctx)
	r := children.Registration{EligibilityConfirmed: yes(b.EligibilityConfirmed), FirstAssessment: fpa, LeadOrganisation: str(b.LeadOrganisation)}
	if err := a.deps.Children().Register(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id, r); err != nil {
		return nil, err
	}
	ch, err := a.deps.Children().Get(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	etag := etagOf(ch.Version)
	return apigen.RegisterChild200JSONResponse{Body: childOf(ch), Headers: apigen.RegisterChild200ResponseHeaders{ETag: &etag}}, nil
}

// SaveAnswer saves one answer through answers.Service, as the audit form's
// autosave: the question parses the inputs as it parses the page's, then
// the same checks, conflict detection, trail and scoring job.
func (a *API) SaveAnswer(ctx context.Context, req apigen.SaveAnswerRequestObject) (apigen.SaveAnswerResponseObject, error) {
	f := forms.ByID(req.Form)
	if f == nil {
		return nil, problem(fiber.StatusNotFound, "There is no form "+strconv.Quote(req.Form))
	}
	b := req.Body
	key, err := forms.ParseKey(b.Key)
	if err != nil {
		return nil, children.FieldErrors{{Field: "key", Message: "The key does not name a question"}}
	}
	q := f.Question(key)
	if q == nil {
		return nil, children.FieldErrors{{Field: "key", Message: "This question is not on this form"}}
	}
	var value forms.Literal
	if !yes(b.Clear) {
		inputs := map[string][]string{}
		if b.Inputs != nil {
			inputs = *b.Inputs
		}
		if value, err = q.Parse(key, func(name string) []string { return inputs[name] }); err != nil {
			return nil, children.FieldErrors{{Field: key.ID(), Message: err.Error()}}
		}
	}
	var seen int64
	if req.Params.IfMatch != nil {
		v, ok := versionOf(*req.Params.IfMatch)
		if !ok {
			return nil, children.FieldErrors{{Field: "If-Match", Message: "Send the child's ETag as read"}}
		}
		seen = v
	}
	caller := callerOf(ctx)
	saved, err := a.deps.Answers().Save(ctx, caller.Me, answers.Save{ChildID: req.Id, Form: f, Key: key, Value: value, Seen: seen, RequestID: caller.RequestID})
	var fe *forms.FieldError
	var ce *answers.ConflictError
	switch {
	case errors.As(err, &fe):
		return nil, children.FieldErrors{{Field: key.ID(), Message: fe.Message}}
	case errors.As(err, &ce):
		p := problem(fiber.StatusConflict, ce.Error())
		p.Errors = []FieldIssue{{Field: key.ID(), Message: ce.Error()}}
		return nil, p
	case err != nil && children.IsConflict(err):
		return nil, problem(fiber.StatusConflict, err.Error())
	case err != nil:
		return nil, err
	}
	etag := etagOf(saved.Version)
	changed := len(saved.Effect.Changes) > 0 || len(saved.Effect.RemovedRows) > 0
	return apigen.SaveAnswer200JSONResponse{Body: apigen.AnswerSaved{Version: saved.Version, Changed: changed},
		Headers: apigen.SaveAnswer200ResponseHeaders{ETag: &etag}}, nil
}

// GetChildKPIs scores the child's answers as its performance summary does.
func (a *API) GetChildKPIs(ctx context.Context, req apigen.GetChildKPIsRequestObject) (apigen.GetChildKPIsResponseObject, error) {
	l, err := a.deps.Answers().Load(ctx, callerOf(ctx).Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	res := kpi.Score(l.Audit)
	out := apigen.GetChildKPIs200JSONResponse{}
	out.Measures = []struct {
		Number  string  `json:"number"`
		Outcome string  `json:"outcome"`
		Reason  *string `json:"reason,omitempty"`
		Title   string  `json:"title"`
	}{}
	for _, info := range kpi.Measures() {
		out.Measures = append(out.Measures, struct {
			Number  string  `json:"number"`
			Outcome string  `json:"outcome"`
			Reason  *string `json:"reason,omitempty"`
			Title   string  `json:"title"`
		}{Number: info.Number, Title: info.Title, Outcome: res.Outcome(info.Measure).String(), Reason: opt(res.Explanation(info.Measure).Reason)})
	}
	return out, nil
}

// versionOf reads a version from an ETag ("v12", weak or not).
func versionOf(etag string) (int64, bool) {
	s := strings.Trim(strings.TrimPrefix(strings.TrimSpace(etag), "W/"), `"`)
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "v"), 10, 64)
	return n, err == nil && strings.HasPrefix(s, "v") && n > 0
}

func childOf(ch children.Child) apigen.Child {
	out := apigen.Child{Id: ch.ID, AuditId: ch.AuditID, Version: &ch.Version, FirstName: opt(ch.FirstName), Surname: opt(ch.Surname),
		NhsNumber: opt(ch.NHSNumber), DateOfBirth: opt(registry.ISO(ch.DateOfBirth)), LeadOrganisation: ch.Organisation.ODSCode,
		Registered: ch.RegisteredAt != nil, Locked: ch.LockedAt != nil, OptedOut: ptr(ch.OptedOutAt != nil)}
	if ch.Child.Cohort != nil {
		out.Cohort = ptr(int(*ch.Child.Cohort))
	}
	return out
}
