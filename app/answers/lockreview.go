package answers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"clinaudit/app/progress"
	"clinaudit/app/store"
)

// AuditProgress is child c's audit progress as stored in q: the
// children.ProgressFunc that Lock checks before locking.
func (s *Service) AuditProgress(ctx context.Context, q store.Queries, c store.Child) (progress.Summary, error) {
	l, err := s.read(ctx, q, c, store.Organisation{})
	if err != nil {
		return progress.Summary{}, err
	}
	return l.Progress, nil
}

// ReviewLocks is the one-off review of records locked before locking
// needed a complete audit (schema 00019, the children_lock_review job):
// each one still locked whose audit is incomplete today is unlocked, with
// a trail entry naming the sections that were incomplete. One transaction
// per child; a child leaves the review once looked at. It returns how many
// it unlocked.
func (s *Service) ReviewLocks(ctx context.Context) (int, error) {
	unlocked := 0
	for {
		ids, err := s.Store.ListChildrenLockReview(ctx, 100)
		if err != nil || len(ids) == 0 {
			return unlocked, err
		}
		for _, id := range ids {
			err := s.Store.InTx(ctx, func(tx store.Tx) error {
				if err := tx.DeleteChildLockReview(ctx, id); err != nil {
					return err
				}
				c, err := tx.GetChild(ctx, id)
				if errors.Is(err, store.ErrNotFound) || (err == nil && c.LockedAt == nil) {
					return nil // deleted, or unlocked since
				}
				if err != nil {
					return err
				}
				p, err := s.AuditProgress(ctx, tx, c)
				if err != nil || p.Complete {
					return err
				}
				ok, err := s.Children.UnlockIncomplete(ctx, tx, c, incompleteNote(p))
				if ok {
					unlocked++
				}
				return err
			})
			if err != nil {
				return unlocked, err
			}
		}
	}
}

// incompleteNote says why the review unlocked a record.
func incompleteNote(p progress.Summary) string {
	var missing []string
	for _, f := range p.Forms {
		if f.Status != progress.Completed {
			missing = append(missing, f.Form.Title())
		}
	}
	return fmt.Sprintf("Unlocked by the system: the record was locked with its audit incomplete (%d of %d sections complete; not complete: %s). Locking now needs a complete audit.",
		p.CompletedForms, p.TotalForms, strings.Join(missing, ", "))
}
