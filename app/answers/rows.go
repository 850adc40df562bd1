package answers

import (
	"context"
	"errors"
	"slices"

	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/store"
)

// ErrNoSuchList refuses a row for a list the form does not show now.
var ErrNoSuchList = errors.New("This list is not part of the form as it is now. Reload the page to see the form as it is.")

// AddRow adds a row to one of the form's lists (episodes, medicines...).
// ClientKey is the Add button's one-time key: the same key again returns the
// row it added, so a double click or a retried request adds one row.
type AddRow struct {
	ChildID   int64
	Form      *forms.Form
	List      *forms.Question // a Rows question of Form
	ClientKey string
	RequestID string
}

// AddRow adds the row and returns the record with it, and the row's id.
func (s *Service) AddRow(ctx context.Context, me children.Me, in AddRow) (*Saved, int64, error) {
	var out *Saved
	var rowID int64
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		version, l, err := s.begin(ctx, tx, me, in.ChildID)
		if err != nil {
			return err
		}
		if in.List == nil || in.List.Kind != forms.Rows || !in.Form.Shown(l.Record, in.List, nil) {
			return ErrNoSuchList
		}
		w := writeArgs{childID: in.ChildID, version: version, me: me.ID, requestID: in.RequestID, cause: "answer"}
		id, eff, added, err := s.addRow(ctx, tx, l, w, in.List, in.ClientKey)
		if err != nil {
			return err
		}
		rowID = id
		// Not added: added already by this key, nothing more to do.
		out, err = s.finish(ctx, tx, in.ChildID, l, eff, version, added)
		return err
	})
	if out, err = result(out, err); err != nil {
		return nil, 0, err
	}
	return out, rowID, nil
}

// addRow adds a row to list on the record l holds, with its audit-trail
// row and the answer its list fixes (stored with cause w.cause), at
// w.version. When clientKey added a row already, added is false and id is
// that row; nothing is written. It inserts no KPI job: the caller does.
// AddRow and Import share it.
func (s *Service) addRow(ctx context.Context, tx store.Tx, l *Loaded, w writeArgs, list *forms.Question, clientKey string) (id int64, eff forms.Effect, added bool, err error) {
	now := s.Children.Now().UTC()
	id, err = tx.InsertChildRow(ctx, store.InsertChildRowParams{ChildID: w.childID, Section: list.RowSection,
		ClientKey: clientKey, CreatedAt: now, CreatedBy: w.by()})
	if errors.Is(err, store.ErrNotFound) {
		existing, err := tx.GetChildRowByClientKey(ctx, store.GetChildRowByClientKeyParams{ChildID: w.childID, ClientKey: clientKey})
		return existing.ID, eff, false, err
	}
	if err != nil {
		return 0, eff, false, err
	}
	if err := tx.InsertAnswerChange(ctx, store.InsertAnswerChangeParams{ChildID: w.childID, Section: list.RowSection, RowID: id,
		Cause: "row_added", Version: w.version, ChangedAt: now, ChangedBy: w.by(), RequestID: w.requestID}); err != nil {
		return 0, eff, false, err
	}
	row := forms.Row{ID: id, Section: list.RowSection, Answers: map[string]forms.Literal{}}
	l.Record.AddRow(row)
	if f := list.RowFilter; f != nil {
		// The list a row was added from is an answer fixed with it.
		k := forms.Key{Section: row.Section, Row: id, Field: f.Field}
		l.Record.Row(id).Answers[f.Field] = forms.Literal(f.Value)
		eff.Changes = append(eff.Changes, forms.Change{Key: k, New: forms.Literal(f.Value)})
	}
	return id, eff, true, s.writeEffect(ctx, tx, w, eff)
}

// RemoveRow deletes one row of the form's lists and its answers. Removing
// a row that is already gone succeeds (a double click).
func (s *Service) RemoveRow(ctx context.Context, me children.Me, childID int64, form *forms.Form, rowID int64, requestID string) (*Saved, error) {
	var out *Saved
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		version, l, err := s.begin(ctx, tx, me, childID)
		if err != nil {
			return err
		}
		row := l.Record.Row(rowID)
		if row == nil || !slices.Contains(form.Sections(), row.Section) {
			if out, err = s.unchanged(ctx, tx, l, version); err != nil {
				return err
			}
			return errNothingChanged
		}
		removed := *row
		l.Record.Rows = slices.DeleteFunc(l.Record.Rows, func(r forms.Row) bool { return r.ID == rowID })
		w := writeArgs{childID: childID, version: version, me: me.ID, requestID: requestID, cause: "answer"}
		eff := forms.Effect{RemovedRows: []forms.Row{removed}}
		if err := s.write(ctx, tx, w, eff); err != nil {
			return err
		}
		out, err = s.saved(ctx, tx, l, eff, version)
		return err
	})
	return result(out, err)
}
