package registry

import (
	"context"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/listfilter"
	"clinaudit/app/store"
)

// The steps every change to a record shares: authorised, in one
// transaction, an autosave's conflict check and trail row, and the
// soft-delete window.

// edit runs fn in one transaction for someone who may edit the registry,
// so that no change is made unauthorised or half done.
func (s *Service) edit(ctx context.Context, me access.Me, fn func(tx store.Tx) error) error {
	if err := authorize(me.Actor, access.EditRegistry); err != nil {
		return err
	}
	return s.Store.InTx(ctx, fn)
}

// editing is edit for a change that returns what it made.
func editing[T any](ctx context.Context, s *Service, me access.Me, fn func(tx store.Tx) (T, error)) (T, error) {
	var out T
	err := s.edit(ctx, me, func(tx store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// fieldChange is the trail row of field among cs.
func fieldChange(cs []change, field string) change {
	for _, c := range cs {
		if c.field == field {
			return c
		}
	}
	return change{}
}

// saveChange ends an autosave of one field of a record at version: ch is
// its trail row (old as stored, new as sent). A conflict if someone else
// changed it since f.Seen; nothing written if it is unchanged; else update
// (the rows it changed: none is a simultaneous save) and the trail row.
func (s *Service) saveChange(ctx context.Context, tx store.Tx, me access.Me, reg int64, f SaveField, version int64, ch change, update func() (int64, error)) (Saved, error) {
	if err := fieldConflict(ctx, tx, me, ch.entity, ch.id, f.Field, f.Seen, version, ch.new); err != nil {
		return Saved{}, err
	}
	if eq(ch.old, ch.new) {
		return Saved{Version: version, Value: deref(ch.new)}, nil
	}
	n, err := update()
	if err != nil {
		return Saved{}, err
	}
	if n == 0 {
		return Saved{}, errStale
	}
	if err := s.trail(ctx, tx, reg, me, CauseForm, f.RequestID, ch); err != nil {
		return Saved{}, err
	}
	return Saved{Version: version + 1, Value: deref(ch.new), Changed: true}, nil
}

// restorable refuses to restore a record (what: "patient", "contact")
// that is not deleted, or was deleted longer than RestoreWindow ago.
func (s *Service) restorable(deletedAt *time.Time, what string) error {
	if deletedAt == nil {
		return apperr.ErrNotFound
	}
	if s.now().Sub(*deletedAt) > RestoreWindow {
		return apperr.New(apperr.Gone, "This "+what+" was deleted more than 30 days ago and can no longer be restored")
	}
	return nil
}

// deletedRow is c (entity, ids and version) as the trail row of a
// deletion, or of a restore.
func deletedRow(c change, restore bool) change {
	c.field, c.new = "deleted", val("yes")
	if restore {
		c.old, c.new = val("yes"), val("no")
	}
	return c
}

// pageOfRows reads one page of a list: count its rows, bring *page within
// them, and read that page's rows (from offset, PageSize of them).
func pageOfRows[R any](page *int, count func() (int64, error), read func(offset int64) ([]R, error)) (rows []R, total int64, pages int, err error) {
	if total, err = count(); err != nil {
		return nil, 0, 0, err
	}
	pages = max(1, int((total+PageSize-1)/PageSize))
	*page = min(listfilter.Page(*page), pages)
	rows, err = read(int64(*page-1) * PageSize)
	return rows, total, pages, err
}

// yesIf is a flag as the list queries take it: "yes" or "".
func yesIf(b bool) string {
	if b {
		return "yes"
	}
	return ""
}
