package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"clinaudit/app/answers"
	"clinaudit/app/forms"
	"clinaudit/app/progress"
)

// questionView is one question as the form page renders it: everything the
// template needs, worked out here so the template stays a layout.
type questionView struct {
	Key, ID      string // "episodes.12.seizure_onset_date", "episodes-12-seizure_onset_date"
	Kind         string // yesno, radios, select, checkboxes, date, text, textarea, confirm, laterality, centre, derived, rows
	Label, Hint  string
	Optional     bool
	PostURL      string
	Version      int64
	Options      []optionView
	Day, Month   string
	Year, Text   string
	MaxLen       int
	Answered     bool
	ReadOnly     bool
	Trigger      string // hx-trigger for the save element
	FollowUps    []questionView
	HasFollowUps bool
	ListID       string // rows: the list container's id
	RowNoun      string
	Rows         []rowView
	AddURL       string
	ClientKey    string
	RowSection   string
	RowFilter    string
	Error        string
	Conflict     *conflictView
	// OOB marks a question re-rendered out of band by a save.
	OOB bool
}

type optionView struct {
	Value, Label, ID string
	Checked          bool
}

type rowView struct {
	ID        int64
	Number    int
	Title     string
	Items     []questionView
	RemoveURL string
	DomID     string
}

type conflictView struct {
	Theirs  string
	By, At  string
	Version int64
	Mine    string // the clinician's answer as its form value, to resend
	MineRaw string
	Key     string
	PostURL string
	KeepURL string
}

// formView builds the views of every shown question of a form.
type formView struct {
	form     *forms.Form
	rec      *forms.Record
	meta     map[forms.Key]answers.Meta
	version  int64
	base     string // /children/7/forms/<form>
	readOnly bool
	centres  []optionView
}

func newFormView(l *answers.Loaded, f *forms.Form, readOnly bool, centres []optionView) *formView {
	return &formView{form: f, rec: l.Record, meta: l.Meta, version: l.Child.Version,
		base: fmt.Sprintf("/children/%d/forms/%s", l.Child.ID, f.ID), readOnly: readOnly, centres: centres}
}

func (v *formView) questions() []questionView {
	return v.list(v.form.Questions, nil, nil)
}

// list renders the shown questions of qs (follow-ups of parent's answer).
func (v *formView) list(qs []*forms.Question, row *forms.Row, parent forms.Literal) []questionView {
	var out []questionView
	for _, q := range qs {
		if !q.ShownUnder(parent) {
			continue
		}
		out = append(out, v.question(q, row))
	}
	return out
}

func (v *formView) keyOf(q *forms.Question, row *forms.Row) forms.Key {
	k := forms.Key{Section: v.form.Section, Field: q.Field}
	if row != nil {
		k.Section, k.Row = row.Section, row.ID
	}
	if q.Kind == forms.Centre {
		k.Section = "sites"
	}
	return k
}

func (v *formView) question(q *forms.Question, row *forms.Row) questionView {
	if q.Kind == forms.Rows {
		return v.rows(q)
	}
	k := v.keyOf(q, row)
	ans := v.form.Answer(v.rec, q, row)
	qv := questionView{Key: k.String(), ID: k.ID(), Kind: kindName(q.Kind), Label: q.Label, Hint: q.Hint, Optional: q.Optional,
		PostURL: v.base + "/answer", Version: v.version, MaxLen: q.MaxLen, Answered: ans != nil, ReadOnly: v.readOnly,
		Trigger: "change, retry"}
	switch q.Kind {
	case forms.Text, forms.TextArea:
		qv.Trigger = "keyup changed delay:800ms, change, retry"
	case forms.Date:
		qv.Trigger = "date-complete, date-left, retry"
	}
	var str string
	var list []string
	_ = json.Unmarshal(ans, &str)
	_ = json.Unmarshal(ans, &list)
	switch q.Kind {
	case forms.YesNo, forms.Confirm:
		s := string(ans)
		if q.Kind == forms.YesNo {
			qv.Options = []optionView{{Value: "true", Label: "Yes", Checked: s == "true"}, {Value: "false", Label: "No", Checked: s == "false"}}
		} else {
			qv.Options = []optionView{{Value: "true", Label: q.Label, Checked: s == "true"}}
		}
	case forms.Laterality:
		for _, o := range []struct{ v, l string }{{"left", "Left"}, {"right", "Right"}, {"laterality_unknown", "Unknown"}} {
			qv.Options = append(qv.Options, optionView{Value: o.v, Label: o.l, Checked: str == o.v})
		}
	case forms.Radios, forms.Select, forms.Checkboxes:
		for _, c := range q.Offered(v.rec, row) {
			checked := false
			switch {
			case q.Kind == forms.Checkboxes:
				checked = contains(list, c.Code)
			case q.IntCodes:
				checked = string(ans) == c.Code
			default:
				checked = str == c.Code
			}
			qv.Options = append(qv.Options, optionView{Value: c.Code, Label: c.Label, Checked: checked})
		}
	case forms.Centre:
		for _, c := range v.centres {
			c.Checked = c.Value == str
			qv.Options = append(qv.Options, c)
		}
	case forms.Date:
		if str != "" && len(str) == 10 {
			qv.Year, qv.Month, qv.Day = str[0:4], strings.TrimLeft(str[5:7], "0"), strings.TrimLeft(str[8:10], "0")
		}
	case forms.Text, forms.TextArea:
		qv.Text = str
	}
	for i := range qv.Options {
		qv.Options[i].ID = fmt.Sprintf("%s-%d", qv.ID, i)
	}
	if m, ok := v.meta[k]; ok && m.Version > qv.Version {
		qv.Version = m.Version
	}
	qv.HasFollowUps = len(q.FollowUps) > 0
	qv.FollowUps = v.list(q.FollowUps, row, ans)
	return qv
}

func (v *formView) rows(q *forms.Question) questionView {
	filter := ""
	if q.RowFilter != nil {
		filter = q.RowFilter.Value
	}
	qv := questionView{Kind: "rows", Label: q.Label, Hint: q.Hint, RowNoun: q.RowNoun, RowSection: q.RowSection, RowFilter: filter,
		ListID: listID(q), AddURL: v.base + "/rows", ClientKey: newClientKey(), ReadOnly: v.readOnly}
	n := 0
	for _, r := range v.rec.RowsOf(q.RowSection) {
		if q.RowFilter != nil && string(r.Answers[q.RowFilter.Field]) != q.RowFilter.Value {
			continue
		}
		n++
		rv := rowView{ID: r.ID, Number: n, Title: fmt.Sprintf("%s %d", capitalise(q.RowNoun), n),
			RemoveURL: fmt.Sprintf("%s/rows/%d/remove", v.base, r.ID), DomID: fmt.Sprintf("row-%d", r.ID)}
		rv.Items = v.list(q.RowItems, r, nil)
		qv.Rows = append(qv.Rows, rv)
	}
	return qv
}

// listID names a list's container: its section, and which half of the
// medicines (rescue or not) it holds.
func listID(q *forms.Question) string {
	id := "list-" + q.RowSection
	if q.RowFilter != nil {
		id += "-" + map[string]string{"true": "rescue", "false": "maintenance"}[q.RowFilter.Value]
	}
	return id
}

func newClientKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func kindName(k forms.Kind) string {
	return [...]string{"yesno", "radios", "select", "checkboxes", "date", "text", "textarea", "confirm", "laterality", "centre", "derived", "rows"}[k]
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// answerText is a stored answer as a person reads it, for conflicts and
// the history page.
func answerText(q *forms.Question, lit forms.Literal) string {
	if lit == nil {
		return "Not answered"
	}
	var s string
	var list []string
	switch {
	case string(lit) == "true":
		return "Yes"
	case string(lit) == "false":
		return "No"
	case json.Unmarshal(lit, &list) == nil:
		var labels []string
		for _, c := range list {
			labels = append(labels, choiceLabel(q, c))
		}
		return strings.Join(labels, ", ")
	case json.Unmarshal(lit, &s) == nil:
		return choiceLabel(q, s)
	}
	return choiceLabel(q, string(lit))
}

func choiceLabel(q *forms.Question, code string) string {
	if q != nil {
		for _, c := range q.Choices {
			if c.Code == code {
				return c.Label
			}
		}
		if q.Kind == forms.Laterality {
			return map[string]string{"left": "Left", "right": "Right", "laterality_unknown": "Unknown"}[code]
		}
		if q.Kind == forms.Date && len(code) == 10 {
			if t, err := parseISODate(code); err == nil {
				return t
			}
		}
	}
	return code
}

func parseISODate(s string) (string, error) {
	y, err1 := strconv.Atoi(s[0:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:10])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 {
		return "", fmt.Errorf("bad date")
	}
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	return fmt.Sprintf("%d %s %d", d, months[m-1], y), nil
}

// progressView is the task list: each form's status and count, and the
// overall progress, at the child's version Version (the page sends it
// back with each save as "pv": see progressChanges).
type progressView struct {
	ChildID int64
	Version int64
	Current string
	Forms   []formProgressView
	Summary progress.Summary
	Overall string
	OOB     bool
}

// formProgressView is one form's line of the task list. OOB marks its
// count and status as swapped in on their own (progressChanges).
type formProgressView struct {
	ID, Title, URL, Status, StatusText string
	Answered, Expected                 int
	OOB                                bool
}

func newProgressView(l *answers.Loaded, current string) progressView {
	pv := progressView{ChildID: l.Child.ID, Version: l.Child.Version, Current: current, Summary: l.Progress,
		Overall: overallText(l.Progress)}
	for _, p := range l.Progress.Forms {
		pv.Forms = append(pv.Forms, newFormProgressView(l.Child.ID, p))
	}
	return pv
}

func newFormProgressView(childID int64, p progress.FormProgress) formProgressView {
	url := fmt.Sprintf("/children/%d/forms/%s", childID, p.Form.ID())
	if p.Form == progress.Registration {
		url = fmt.Sprintf("/children/%d/register", childID)
	}
	st, _ := p.Status.MarshalText()
	return formProgressView{ID: p.Form.ID(), Title: p.Form.Title(), URL: url, Status: string(st),
		StatusText: statusText(p.Status), Answered: p.Answered, Expected: p.Expected}
}

// overallText is the task list's overall line.
func overallText(s progress.Summary) string {
	return fmt.Sprintf("You have completed %d of %d sections (%d%% of the expected answers).", s.CompletedForms, s.TotalForms, s.Percent)
}

// progressChanges is what a save sends of the task list when the page
// shows the progress just before it: out of band, the overall line if it
// reads differently (Overall, else ""), and the count and status of each
// form whose count or status changed, with the page's progress version.
// The task list's other markup (the links, the current form's marker and
// aria-current, aria-describedby) stays as the page has it.
type progressChanges struct {
	Version int64
	Overall string
	Forms   []formProgressView
}

// newProgressChanges is the change from before to l's progress, or nil
// when the two summaries do not list the same forms in the same order
// (then the whole list is sent).
func newProgressChanges(before progress.Summary, l *answers.Loaded) *progressChanges {
	now := l.Progress
	if len(before.Forms) != len(now.Forms) {
		return nil
	}
	pc := &progressChanges{Version: l.Child.Version}
	if o := overallText(now); o != overallText(before) {
		pc.Overall = o
	}
	for i, p := range now.Forms {
		b := before.Forms[i]
		if b.Form != p.Form {
			return nil
		}
		if b.Answered == p.Answered && b.Expected == p.Expected && b.Status == p.Status {
			continue
		}
		fv := newFormProgressView(l.Child.ID, p)
		fv.OOB = true
		pc.Forms = append(pc.Forms, fv)
	}
	return pc
}

// statusText is the task-list wording the audit's users asked for.
func statusText(s progress.Status) string {
	if s == progress.InProgress {
		return "In progress"
	}
	return s.String()
}
