package children

import (
	"context"

	"clinaudit/app/store"
)

// UnlockIncomplete unlocks c, which the one-off review found locked with
// its audit incomplete (records locked before locking needed a complete
// audit; docs/forms.md). It is the system's change, not a user's: no
// access check, no deadline (a closed cohort's record stays read-only by
// its deadline, but no longer claims to be submitted complete), and a trail
// entry with the cause "job" and note saying why. It reports whether it
// unlocked c (false: c changed since it was read).
func (s *Service) UnlockIncomplete(ctx context.Context, tx store.Tx, c store.Child, note string) (bool, error) {
	rows, err := tx.UnlockChild(ctx, store.UnlockChildParams{UpdatedAt: s.now(), ID: c.ID, Version: c.Version})
	if err != nil || rows == 0 {
		return false, err
	}
	ctx = WithOrigin(ctx, CauseJob, "children_lock_review")
	return true, s.record(ctx, tx, Me{}, c.ID, &c, KindLock, note)
}
