package answers

import (
	"context"
	"errors"
	"slices"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/progress"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"
)

// Save is one answer as the clinician gave it.
type Save struct {
	ChildID int64
	Form    *forms.Form
	Key     forms.Key
	Value   forms.Literal // nil: not answered
	// Seen is the version of the child the clinician's form showed this
	// answer at; someone else's change to the same answer after it is a
	// conflict. A clinician who chose to overwrite sends the conflict's
	// version.
	Seen      int64
	RequestID string
	// Cause is recorded in the audit trail: "answer", or "import".
	Cause string
}

// Saved is what a save did, with the record as it is now.
type Saved struct {
	*Loaded
	Effect forms.Effect
	// Version is the child's version after the save (unchanged when the
	// answer was already the one given).
	Version int64
	// Before is the child's progress at Version-1, the version the write
	// found, when the service's ProgressCache knew it for the same day
	// and the write changed something; nil otherwise. A page that shows
	// the progress at Version-1 needs only what differs from it.
	Before *progress.Summary
}

// errNothingChanged rolls back a save that changed nothing (the same answer
// again), so the child's version does not move.
var errNothingChanged = errors.New("answers: nothing changed")

// unchanged is what a write that changed nothing returns, with
// errNothingChanged: the version bump is rolled back.
func (s *Service) unchanged(ctx context.Context, q store.Queries, l *Loaded, version int64) (*Saved, error) {
	l.Child.Version = version - 1
	if err := s.derive(ctx, q, l); err != nil {
		return nil, err
	}
	return &Saved{Loaded: l, Version: version - 1}, nil
}

// saved is what a write that changed something returns: the record at the
// new version, its derived state refreshed.
func (s *Service) saved(ctx context.Context, q store.Queries, l *Loaded, eff forms.Effect, version int64) (*Saved, error) {
	l.Child.Version = version
	if err := s.derive(ctx, q, l); err != nil {
		return nil, err
	}
	out := &Saved{Loaded: l, Effect: eff, Version: version}
	// The cached summary is at version-1 (Progress.at) and holds for the
	// day it was derived on: another day's would differ by more than the
	// save.
	if l.prior != nil && l.prior.today == l.derivedOn {
		before := l.prior.summary
		out.Before = &before
	}
	return out, nil
}

// derive refreshes l's derived state in the write's transaction q. A
// partial record (only the saved form's sections: beginWith) whose form
// could not be derived alone (the day changed during the save, or the
// record does not decode) is read again whole, with the write's changes,
// and derived from that: the other forms' progress is never derived from
// a record that lacks them.
func (s *Service) derive(ctx context.Context, q store.Queries, l *Loaded) error {
	today := audit.DateOf(s.Children.Today())
	l.refresh(today)
	if !l.partial || l.formOnly {
		return nil
	}
	whole, err := s.readRecord(ctx, q, l.Child, l.Organisation, nil)
	if err != nil {
		return err
	}
	l.Record, l.Meta, l.partial, l.prior = whole.Record, whole.Meta, false, nil
	l.refresh(today)
	return nil
}

// finish is the last step of a write in its transaction: when it changed
// something (changed), the KPI job and the record at the new version; when
// not, the record as it was and errNothingChanged, which rolls back the
// version bump.
func (s *Service) finish(ctx context.Context, tx store.Tx, childID int64, l *Loaded, eff forms.Effect, version int64, changed bool) (*Saved, error) {
	if !changed {
		out, err := s.unchanged(ctx, tx, l, version)
		if err != nil {
			return nil, err
		}
		return out, errNothingChanged
	}
	if err := s.scoreLater(ctx, tx, childID); err != nil {
		return nil, err
	}
	return s.saved(ctx, tx, l, eff, version)
}

// result ends a write's transaction: errNothingChanged rolled it back on
// purpose and is no error to the caller.
func result(out *Saved, err error) (*Saved, error) {
	switch {
	case errors.Is(err, errNothingChanged):
		return out, nil
	case err != nil:
		return nil, err
	}
	return out, nil
}

// Save checks and stores one answer, with everything it clears or derives,
// its audit-trail rows and the KPI job, in one transaction. A *forms.FieldError
// is an answer that cannot be saved; a *ConflictError is someone else's
// change to the same answer.
func (s *Service) Save(ctx context.Context, me children.Me, in Save) (*Saved, error) {
	var out *Saved
	today := s.today()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		version, l, err := s.beginWith(ctx, tx, me, in.ChildID, func(found int64) *prior {
			before, ok := s.Progress.at(in.ChildID, found, today)
			if _, form := progressForm(in.Form); !ok || !form {
				return nil
			}
			return &prior{summary: before, today: today, form: in.Form}
		})
		if err != nil {
			return err
		}
		if err := conflict(ctx, tx, l, in, me.ID); err != nil {
			return err
		}
		cause := in.Cause
		if cause == "" {
			cause = "answer"
		}
		w := writeArgs{childID: in.ChildID, version: version, me: me.ID, requestID: in.RequestID, cause: cause}
		eff, err := s.applyAnswer(ctx, tx, l, w, in.Form, in.Key, in.Value, s.env(ctx, tx))
		if err != nil {
			return err
		}
		out, err = s.finish(ctx, tx, in.ChildID, l, eff, version, len(eff.Changes) > 0 || len(eff.RemovedRows) > 0)
		return err
	})
	out, err = result(out, err)
	if err == nil {
		// Committed, or rolled back as unchanged: either way the record
		// out holds is the child's at out's version.
		s.Progress.remember(out.Loaded)
	}
	return out, err
}

// begin starts every write to a child's answers, in its transaction: the
// version bump first (it takes the child's row lock, so writes to one child
// queue), then the access and state checks, then the record as it is now,
// its progress not yet derived (saved and unchanged derive it once, after
// the write). It returns the version the write makes.
func (s *Service) begin(ctx context.Context, tx store.Tx, me children.Me, childID int64) (int64, *Loaded, error) {
	return s.beginWith(ctx, tx, me, childID, nil)
}

// beginWith is begin for a save whose progress before the write may be
// known: known, given the version the write found, returns it (nil when
// not known). When it is, only the saved form's sections are read (the
// rest of the progress is known, and a save reads and changes nothing
// else: TestFormsShareNoSection), and the record is partial.
func (s *Service) beginWith(ctx context.Context, tx store.Tx, me children.Me, childID int64, known func(found int64) *prior) (int64, *Loaded, error) {
	version, err := tx.BumpChildVersion(ctx, store.BumpChildVersionParams{ID: childID, UpdatedAt: s.Children.Now().UTC(), UpdatedBy: &me.ID})
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil, children.ErrNotFound
	}
	if err != nil {
		return 0, nil, err
	}
	// Where the organisation sits is all a write needs of it: its names
	// (the organisation_details view) are for pages.
	c, o, err := s.Children.AuthorizePlace(ctx, tx, me.Actor, childID, access.EditAudit, true)
	if err != nil {
		return 0, nil, err
	}
	var p *prior
	if known != nil {
		p = known(version - 1)
	}
	var sections []string
	if p != nil {
		sections = p.form.Sections()
	}
	l, err := s.readRecord(ctx, tx, c, o, sections)
	if err != nil {
		return 0, nil, err
	}
	l.prior, l.partial = p, p != nil
	return version, l, nil
}

// conflict is a refusal when someone else changed the answer (any field the
// question stores) after the version the clinician saw, to something other
// than what they are now sending. An answer someone cleared has no row to
// compare with, so for an answer not there the trail says who removed it
// and when; a clearing caused by the clinician's own answers is not a
// conflict with themselves.
func conflict(ctx context.Context, q store.Queries, l *Loaded, in Save, me int64) error {
	question, _ := in.Form.Locate(l.Record, in.Key)
	if question == nil {
		return nil // Apply reports it
	}
	fields := question.Stores()
	if !slices.Contains(fields, in.Key.Field) {
		fields = []string{in.Key.Field}
	}
	theirs := func() forms.Literal { return in.Form.Answer(l.Record, question, l.Record.Row(in.Key.Row)) }
	cleared := true
	for _, f := range fields {
		k := forms.Key{Section: in.Key.Section, Row: in.Key.Row, Field: f}
		m, ok := l.Meta[k]
		if ok {
			cleared = false
		}
		if !ok || m.Version <= in.Seen {
			continue
		}
		if string(theirs()) == string(in.Value) {
			return nil // they gave the same answer: nothing to choose between
		}
		return &ConflictError{Key: in.Key, Theirs: theirs(), Version: m.Version, By: nameOr(m.By), At: m.At}
	}
	if !cleared || in.Value == nil {
		return nil
	}
	last, err := q.GetLastAnswerChange(ctx, store.GetLastAnswerChangeParams{ChildID: in.ChildID, Section: in.Key.Section,
		RowID: in.Key.Row, Field: in.Key.Field})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if last.Version <= in.Seen || last.NewValue != nil || last.ChangedBy == nil || *last.ChangedBy == me {
		return nil
	}
	return &ConflictError{Key: in.Key, Theirs: nil, Version: last.Version, By: nameOr(last.ChangedByName), At: last.ChangedAt}
}

func nameOr(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Someone else"
	}
	return s
}

func (s *Service) env(ctx context.Context, q store.Queries) forms.Env {
	return forms.Env{
		Today:    s.today(),
		Keywords: forms.SemiologyKeywords,
		OrganisationExists: func(ods string) bool {
			if s.Organisations != nil {
				return s.Organisations(ctx, q, ods)
			}
			_, err := q.GetOrganisationByODS(ctx, ods)
			return err == nil
		},
	}
}

// applyAnswer checks one answer against the record l holds (forms.Apply)
// and stores everything it changes with its audit-trail rows, at
// w.version, keeping l's record and meta current. It changes nothing when
// the answer is refused, and inserts no KPI job: the caller does, once.
// Save and Import share it.
func (s *Service) applyAnswer(ctx context.Context, tx store.Tx, l *Loaded, w writeArgs, f *forms.Form, k forms.Key, v forms.Literal, env forms.Env) (forms.Effect, error) {
	eff, err := f.Apply(l.Record, k, v, env)
	if err != nil || len(eff.Changes) == 0 && len(eff.RemovedRows) == 0 {
		return eff, err
	}
	if err := s.writeEffect(ctx, tx, w, eff); err != nil {
		return eff, err
	}
	now := s.Children.Now().UTC()
	for _, ch := range eff.Changes {
		if ch.New != nil {
			l.Meta[ch.Key] = Meta{Version: w.version, At: now}
		} else {
			delete(l.Meta, ch.Key)
		}
	}
	return eff, nil
}

type writeArgs struct {
	childID, version, me int64
	requestID, cause     string
}

// by is who the trail records: nobody (NULL, "the system") for the
// command line's actor, which has no account.
func (w writeArgs) by() *int64 {
	if w.me == 0 {
		return nil
	}
	return &w.me
}

// write stores an Effect (writeEffect) and inserts the KPI job.
func (s *Service) write(ctx context.Context, tx store.Tx, w writeArgs, eff forms.Effect) error {
	if err := s.writeEffect(ctx, tx, w, eff); err != nil {
		return err
	}
	return s.scoreLater(ctx, tx, w.childID)
}

// writeEffect stores an Effect: the answers, the removed rows, and one
// audit-trail row per change.
func (s *Service) writeEffect(ctx context.Context, tx store.Tx, w writeArgs, eff forms.Effect) error {
	now := s.Children.Now().UTC()
	by := w.by()
	for _, ch := range eff.Changes {
		var err error
		if ch.New == nil {
			err = tx.DeleteAnswer(ctx, store.DeleteAnswerParams{ChildID: w.childID, Section: ch.Key.Section, RowID: ch.Key.Row, Field: ch.Key.Field})
		} else {
			err = tx.UpsertAnswer(ctx, store.UpsertAnswerParams{ChildID: w.childID, Section: ch.Key.Section, RowID: ch.Key.Row,
				Field: ch.Key.Field, Value: string(ch.New), Version: w.version, UpdatedAt: now, UpdatedBy: by})
		}
		if err != nil {
			return err
		}
		cause := w.cause
		if ch.Cleared {
			cause = "cleared"
		}
		if err := tx.InsertAnswerChange(ctx, store.InsertAnswerChangeParams{ChildID: w.childID, Section: ch.Key.Section, RowID: ch.Key.Row,
			Field: ch.Key.Field, OldValue: jsonText(ch.Old), NewValue: jsonText(ch.New), Cause: cause, Version: w.version,
			ChangedAt: now, ChangedBy: by, RequestID: w.requestID}); err != nil {
			return err
		}
	}
	for _, row := range eff.RemovedRows {
		if err := s.removeRow(ctx, tx, w, row); err != nil {
			return err
		}
	}
	return nil
}

// removeRow deletes a row and its answers, recording each answer it held and
// the row itself in the trail.
func (s *Service) removeRow(ctx context.Context, tx store.Tx, w writeArgs, row forms.Row) error {
	now := s.Children.Now().UTC()
	by := w.by()
	for _, f := range sortedKeys(row.Answers) {
		if err := tx.InsertAnswerChange(ctx, store.InsertAnswerChangeParams{ChildID: w.childID, Section: row.Section, RowID: row.ID,
			Field: f, OldValue: jsonText(row.Answers[f]), Cause: "cleared", Version: w.version, ChangedAt: now, ChangedBy: by,
			RequestID: w.requestID}); err != nil {
			return err
		}
	}
	if err := tx.DeleteRowAnswers(ctx, store.DeleteRowAnswersParams{ChildID: w.childID, RowID: row.ID}); err != nil {
		return err
	}
	if _, err := tx.DeleteChildRow(ctx, store.DeleteChildRowParams{ID: row.ID, ChildID: w.childID}); err != nil {
		return err
	}
	return tx.InsertAnswerChange(ctx, store.InsertAnswerChangeParams{ChildID: w.childID, Section: row.Section, RowID: row.ID,
		Cause: "row_removed", Version: w.version, ChangedAt: now, ChangedBy: by, RequestID: w.requestID})
}

// scoreLater queues the child's rescoring (the one helper every write to a
// child uses: scorequeue.Later).
func (s *Service) scoreLater(ctx context.Context, tx store.Tx, childID int64) error {
	return scorequeue.Later(ctx, tx, childID)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
