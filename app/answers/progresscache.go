package answers

import (
	"sync"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
	"clinaudit/app/progress"
)

// ProgressCache remembers each child's audit progress as last derived at
// a version of the child, so that a save recomputes only the saved form's
// progress: the other forms' cannot change, because
//   - a form's progress reads only its own sections (forms.Form.Sections:
//     its record, its lists' rows, and for Milestones the "sites" centres),
//     the child's demographics and registration, and today's date;
//   - a save changes only its form's sections (forms.Form.Apply);
//   - every write to a child's answers, rows, demographics or registration
//     bumps the child's version, whichever process makes it.
//
// So the progress at version V-1, on the same day, is the progress at V
// for every form but the saved one. A save bumps the version first and
// finds V-1 here or not at all (another write came between, from this
// process or another, or the entry was evicted): then it reads and derives
// everything, as without a cache. Entries are put only after their
// transaction commits (or was rolled back as unchanged), from a record read
// at that version. A database restored under a running process could
// reuse versions: restore with the server stopped (it is, see
// docs/operations.md).
type ProgressCache struct {
	mu sync.Mutex
	m  map[int64]progressEntry
	// max bounds the entries; past it an arbitrary one is dropped.
	max int
	// hits counts the saves that found their progress here (for tests).
	hits int64
}

type progressEntry struct {
	version int64
	today   audit.Date
	summary progress.Summary
}

// DefaultProgressCacheSize is enough children for every clinician saving
// at once; an entry is a few kilobytes.
const DefaultProgressCacheSize = 4096

// NewProgressCache is an empty cache of at most max children (0: the
// default).
func NewProgressCache(max int) *ProgressCache {
	if max <= 0 {
		max = DefaultProgressCacheSize
	}
	return &ProgressCache{m: map[int64]progressEntry{}, max: max}
}

// at is child id's progress at version on today, if known. A nil cache
// knows nothing.
func (p *ProgressCache) at(id, version int64, today audit.Date) (progress.Summary, bool) {
	if p == nil {
		return progress.Summary{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.m[id]
	if !ok || e.version != version || e.today != today {
		return progress.Summary{}, false
	}
	p.hits++
	return e.summary, true
}

// remember keeps l's progress at l's version, for the day it was derived
// on. A record that did not decode is not kept (a save then derives
// everything again).
func (p *ProgressCache) remember(l *Loaded) {
	if p == nil || l == nil || l.Problem != nil || len(l.Progress.Forms) != progress.NumForms {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.m[l.Child.ID]; !ok && len(p.m) >= p.max {
		for k := range p.m {
			delete(p.m, k)
			break
		}
	}
	p.m[l.Child.ID] = progressEntry{version: l.Child.Version, today: l.derivedOn, summary: l.Progress}
}

// prior is what a save knows of the progress before it: the summary at
// the version before the save's, the day it holds for, and the form saved.
type prior struct {
	summary progress.Summary
	today   audit.Date
	form    *forms.Form
}

// refreshForm derives the audit model and progress of l's form only, the
// other forms' progress taken from l.prior. It reports false, changing
// nothing, when it cannot (another day, a record that does not decode):
// refresh then derives everything.
func (l *Loaded) refreshForm(today audit.Date) bool {
	p := l.prior
	if p == nil || p.today != today {
		return false
	}
	pf, ok := progressForm(p.form)
	if !ok {
		return false
	}
	child, err := formPart(l.Record, p.form.Sections()).Child(caseOf(l.Child), registrationOf(l.Child))
	if err != nil {
		return false
	}
	l.Audit = child
	l.Problem = nil
	l.Progress = p.summary.With(progress.Options{Today: today}.ForForm(child, pf))
	return true
}

// progressForm is the progress form of an audit form.
func progressForm(f *forms.Form) (progress.Form, bool) {
	for _, pf := range progress.Forms() {
		if f != nil && pf.ID() == f.ID {
			return pf, true
		}
	}
	return 0, false
}

// formPart is the part of rec in sections (sharing rec's maps, which it
// does not change): what one form's progress reads.
func formPart(rec *forms.Record, sections []string) *forms.Record {
	out := &forms.Record{DateOfBirth: rec.DateOfBirth, FirstAssessment: rec.FirstAssessment, Sex: rec.Sex,
		Sections: make(map[string]map[string]forms.Literal, len(sections))}
	for _, s := range sections {
		if m, ok := rec.Sections[s]; ok {
			out.Sections[s] = m
		}
	}
	for _, r := range rec.Rows {
		for _, s := range sections {
			if r.Section == s {
				out.Rows = append(out.Rows, r)
				break
			}
		}
	}
	return out
}
