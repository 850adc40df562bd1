package web

import (
	"errors"
	"strconv"
	"sync"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The audit forms: the task list, one page per form whose every question
// saves itself (POST .../answer, one field at a time), rows added and
// removed inline, and the child's history. Handlers only read the request
// and render; package answers checks access and state and saves, package
// forms decides what is valid and what an answer clears.

func (s *server) answers() *answers.Service {
	return &answers.Service{Store: s.Store, Children: s.children(), Progress: s.progress}
}

// auditPage is what the task list and the form pages share.
type auditPage struct {
	page
	Child    children.Child
	Progress progressView
	ReadOnly string
	CanEdit  bool
}

func (s *server) auditPage(c *fiber.Ctx, l *answers.Loaded, title, current string) (auditPage, error) {
	ch, err := s.children().Get(c.UserContext(), actor(c), l.Child.ID)
	if err != nil {
		return auditPage{}, err
	}
	p := auditPage{page: s.page(c, title, "children"), Child: ch, Progress: newProgressView(l, current)}
	p.CanEdit = access.Allowed(actor(c), access.EditAudit, access.PlaceOfOrganisation(ch.Organisation)) && ch.ReadOnly == nil && ch.Registered()
	switch {
	case ch.ReadOnly != nil:
		p.ReadOnly = ch.ReadOnly.Error()
	case !ch.Registered():
		p.ReadOnly = children.ErrNotRegisteredForms.Error()
	case !p.CanEdit:
		p.ReadOnly = "You can view this child's audit forms but not change them."
	}
	return p, nil
}

func (s *server) loadAnswers(c *fiber.Ctx) (*answers.Loaded, error) {
	id, err := childID(c)
	if err != nil {
		return nil, err
	}
	l, err := s.answers().Load(c.UserContext(), actor(c), id)
	if err != nil {
		return nil, err
	}
	c.Locals(localViewedChild, l.Child.AuditID)
	return l, nil
}

func (s *server) handleAuditTasks(c *fiber.Ctx) error {
	_, p, err := s.loadAuditPage(c, "Audit forms")
	if err != nil {
		return err
	}
	return renderPage(c, "pages/audit_tasks", p)
}

// loadAuditPage loads the child's record and its audit page titled title,
// for the pages that show no one form (tasks, history, KPIs).
func (s *server) loadAuditPage(c *fiber.Ctx, title string) (*answers.Loaded, auditPage, error) {
	l, err := s.loadAnswers(c)
	if err != nil {
		return nil, auditPage{}, err
	}
	p, err := s.auditPage(c, l, title, "")
	return l, p, err
}

type auditFormPage struct {
	auditPage
	Form      *forms.Form
	Questions []questionView
}

func formOf(c *fiber.Ctx) (*forms.Form, error) {
	f := forms.ByID(c.Params("form"))
	if f == nil {
		return nil, apperr.ErrNotFound
	}
	return f, nil
}

// formAndChild reads the form and the child an audit fragment's address
// names.
func formAndChild(c *fiber.Ctx) (*forms.Form, int64, error) {
	f, err := formOf(c)
	if err != nil {
		return nil, 0, err
	}
	id, err := childID(c)
	return f, id, err
}

func (s *server) handleAuditForm(c *fiber.Ctx) error {
	f, err := formOf(c)
	if err != nil {
		return err
	}
	l, err := s.loadAnswers(c)
	if err != nil {
		return err
	}
	p, v, err := s.formPage(c, l, f)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/audit_form", auditFormPage{auditPage: p, Form: f, Questions: v.questions()})
}

// formPage is one form's page of the audit and the view of its questions,
// read-only unless the user may edit the record.
func (s *server) formPage(c *fiber.Ctx, l *answers.Loaded, f *forms.Form) (auditPage, *formView, error) {
	p, err := s.auditPage(c, l, f.Title, f.ID)
	if err != nil {
		return auditPage{}, nil, err
	}
	centres, err := s.centreOptions(c)
	if err != nil {
		return auditPage{}, nil, err
	}
	return p, newFormView(l, f, !p.CanEdit, centres), nil
}

// centreCache holds the organisations a Milestones centre may be. They
// change only with the reference data, so they are read at most every few
// minutes rather than on every save.
type centreCache struct {
	mu      sync.Mutex
	options []optionView
	read    time.Time
}

// centreOptions lists the organisations a Milestones centre may be: every
// organisation of the reference data (spec §2.11), as the server accepts
// (forms.Env.OrganisationExists), Jersey's included.
func (s *server) centreOptions(c *fiber.Ctx) ([]optionView, error) {
	s.centres.mu.Lock()
	defer s.centres.mu.Unlock()
	if s.centres.options != nil && time.Since(s.centres.read) < 5*time.Minute {
		return s.centres.options, nil
	}
	orgs, err := s.Store.ListOrganisations(c.UserContext(), store.ListOrganisationsParams{Pattern: "%", PageLimit: 100000})
	if err != nil {
		return nil, err
	}
	out := make([]optionView, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, optionView{Value: o.ODSCode, Label: o.Name + " (" + o.ODSCode + ")"})
	}
	s.centres.options, s.centres.read = out, time.Now()
	return out, nil
}

// saveResult is the fragment a save answers with: the message slot's new
// content, and out-of-band the field's status and version, the follow-ups
// the answer shows or hides, other questions it changed, and the progress.
type saveResult struct {
	Question  questionView
	Status    string
	Error     string
	Conflict  *conflictView
	FollowUps *questionView
	Others    []questionView
	Progress  *progressView
	Changes   *progressChanges
	Version   int64
}

func (s *server) handleAuditAnswer(c *fiber.Ctx) error {
	f, id, err := formAndChild(c)
	if err != nil {
		return err
	}
	key, err := forms.ParseKey(c.FormValue("key"))
	if err != nil {
		return apperr.New(apperr.Unprocessable, "The answer did not say which question it is for.")
	}
	qid := key.ID()
	seen, _ := strconv.ParseInt(c.FormValue("v"), 10, 64)
	svc := s.answers()
	q := f.Question(key)
	if q == nil {
		return s.answerRefused(c, qid, fiber.StatusUnprocessableEntity, "This question is not on this form.")
	}
	var value forms.Literal
	if c.FormValue("clear") != "1" {
		value, err = q.Parse(key, formValues(c))
		if err != nil {
			return s.answerRefused(c, qid, fiber.StatusUnprocessableEntity, err.Error())
		}
	}
	saved, err := svc.Save(c.UserContext(), me(c), answers.Save{ChildID: id, Form: f, Key: key, Value: value, Seen: seen, RequestID: requestIDOf(c)})
	var fe *forms.FieldError
	var ce *answers.ConflictError
	switch {
	case errors.As(err, &fe):
		return s.answerRefused(c, qid, fiber.StatusUnprocessableEntity, fe.Message)
	case errors.As(err, &ce):
		return s.answerConflict(c, id, f, q, key, value, ce)
	case err != nil && children.IsConflict(err):
		return s.answerRefused(c, qid, fiber.StatusConflict, err.Error())
	case err != nil:
		return err
	}
	return s.renderSaved(c, saved, f, q, key)
}

// formValues reads every value of an input name from the posted form.
func formValues(c *fiber.Ctx) forms.Values {
	args := c.Request().PostArgs()
	return func(name string) []string {
		var out []string
		for _, b := range args.PeekMulti(name) {
			out = append(out, string(b))
		}
		return out
	}
}

func (s *server) answerRefused(c *fiber.Ctx, qid string, status int, message string) error {
	c.Status(status)
	return renderPartial(c, "partials/audit_saved", saveResult{Question: questionView{ID: qid}, Error: message, Status: "Not saved"})
}

func (s *server) answerConflict(c *fiber.Ctx, childID int64, f *forms.Form, q *forms.Question, key forms.Key, mine forms.Literal, ce *answers.ConflictError) error {
	qid := key.ID()
	base := "/children/" + strconv.FormatInt(childID, 10) + "/forms/" + f.ID
	cv := &conflictView{Theirs: answerText(q, ce.Theirs), By: ce.By, At: ce.At.In(londonTime).Format("15:04 on 2 January 2006"),
		Version: ce.Version, Mine: answerText(q, mine), Key: key.String(), PostURL: base + "/answer",
		KeepURL: base + "/question?key=" + key.String()}
	c.Status(fiber.StatusConflict)
	return renderPartial(c, "partials/audit_saved", saveResult{Question: questionView{ID: qid, Key: key.String()}, Conflict: cv, Status: "Not saved"})
}

// renderSaved answers a successful save.
func (s *server) renderSaved(c *fiber.Ctx, saved *answers.Saved, f *forms.Form, q *forms.Question, key forms.Key) error {
	centres, err := s.centreOptions(c)
	if err != nil {
		return err
	}
	v := newFormView(saved.Loaded, f, false, centres)
	// The question as the record places it: two lists can store the same
	// field (maintenance and rescue medicines), and the static lookup finds
	// the first.
	if located, _ := f.Locate(saved.Record, key); located != nil {
		q = located
	}
	var row *forms.Row
	if key.Row != 0 {
		row = saved.Record.Row(key.Row)
	}
	res := saveResult{Question: questionView{ID: key.ID(), Key: key.String()}, Status: "Saved", Version: saved.Version}
	if saved.Version == 0 {
		res.Version = saved.Child.Version
	}
	if len(q.FollowUps) > 0 {
		qv := v.question(q, row)
		res.FollowUps = &qv
	}
	res.Others = s.changedElsewhere(v, f, saved, q)
	if res.Changes = progressChangesFor(c, saved); res.Changes == nil {
		pv := newProgressView(saved.Loaded, f.ID)
		pv.OOB = true
		res.Progress = &pv
	}
	return renderPartial(c, "partials/audit_saved", res)
}

// progressChangesFor is what a save changed of the task list, when the
// page that posted it shows the progress at the version just before the
// save (its "pv", from #progress-v) and the service knew that progress, or
// at the save's version itself (the same answer again: nothing changed and
// the version did not move); nil otherwise, and the whole list is sent.
// The question's own "v" is not enough: it is the version that question
// was last saved or loaded at, and a conflict's "Use my answer" sends
// someone else's version.
func progressChangesFor(c *fiber.Ctx, saved *answers.Saved) *progressChanges {
	shown, err := strconv.ParseInt(c.FormValue("pv"), 10, 64)
	switch {
	case err != nil || saved.Version == 0:
		return nil
	case shown == saved.Version:
		// No version after shown's can exist before this save's answer, so
		// the save changed nothing and the page is current.
		return newProgressChanges(saved.Progress, saved.Loaded)
	case saved.Before != nil && shown == saved.Version-1:
		return newProgressChanges(*saved.Before, saved.Loaded)
	}
	return nil
}

// changedElsewhere re-renders the shown questions, other than the one saved
// and its follow-ups, whose answers the save changed (a derived answer,
// such as the keywords found in an episode's description).
func (s *server) changedElsewhere(v *formView, f *forms.Form, saved *answers.Saved, q *forms.Question) []questionView {
	inside := map[*forms.Question]bool{q: true}
	var mark func([]*forms.Question)
	mark = func(qs []*forms.Question) {
		for _, x := range qs {
			inside[x] = true
			mark(x.FollowUps)
			mark(x.RowItems)
		}
	}
	mark(q.FollowUps)
	var out []questionView
	seen := map[*forms.Question]bool{}
	for _, ch := range saved.Effect.Changes {
		other, shown := f.Locate(saved.Record, ch.Key)
		if other == nil || !shown || inside[other] || seen[other] {
			continue
		}
		seen[other] = true
		var row *forms.Row
		if ch.Key.Row != 0 {
			row = saved.Record.Row(ch.Key.Row)
		}
		qv := v.question(other, row)
		qv.OOB = true
		out = append(out, qv)
	}
	return out
}

// handleAuditQuestion re-renders one question as it is stored now: the
// "keep their answer" choice of a conflict.
func (s *server) handleAuditQuestion(c *fiber.Ctx) error {
	f, err := formOf(c)
	if err != nil {
		return err
	}
	key, err := forms.ParseKey(c.Query("key"))
	if err != nil {
		return apperr.ErrNotFound
	}
	l, err := s.loadAnswers(c)
	if err != nil {
		return err
	}
	q, shown := f.Locate(l.Record, key)
	if q == nil || !shown {
		return apperr.ErrNotFound
	}
	_, v, err := s.formPage(c, l, f)
	if err != nil {
		return err
	}
	var row *forms.Row
	if key.Row != 0 {
		row = l.Record.Row(key.Row)
	}
	qv := v.question(q, row)
	return renderPartial(c, "partials/audit_question", qv)
}
