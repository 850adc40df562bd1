package children

import (
	"context"

	"clinaudit/app/access"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"
)

// Opt-out (spec §11.2). When a family withdraws the child from the audit,
// everything that identifies the child or describes their care is removed
// for good; what §11.2 keeps stays:
//
//   - kept: the row and its id, the audit ID (random, so it says nothing
//     about the child), the lead organisation (the lead site, §11.2.3),
//     when and by whom the record was created, and when and by whom it was
//     opted out (opted_out_at, updated_by). The child still counts in the
//     audit's totals (§11.2.4);
//   - removed: NHS number, Jersey reference number, names, date of birth,
//     sex, postcode, ethnicity (§11.2.1); the registration: eligibility,
//     first paediatric assessment date, cohort, who registered it (§11.2.2,
//     with the KPI and audit progress that hang off it, and any audit form
//     added later); the lock; and every other site: the transfer history
//     and previous lead organisations (§11.2.3).
//
// It cannot be undone, and the record can never be changed again
// (ErrOptedOut on every write). Unlike every other write it is allowed on
// a locked child and after the cohort's deadline: it carries out the
// family's decision, not a change to the audit's answers, and nobody could
// unlock a closed cohort to make it. It waits only for a pending transfer
// to be answered or cancelled, so the receiving side is not left with a
// request about a child who is gone. Opted-out children leave the case list
// unless its filter asks for them.

// ErrOptedOut refuses every write to an opted-out child (409).
var ErrOptedOut = conflict("This child has been opted out of the audit. Their details were removed and the record can no longer be changed.")

// OptedOut reports whether the child has been opted out.
func (c Child) OptedOut() bool { return c.OptedOutAt != nil }

// OptedOutAtDisplay is when, in UK time.
func (c Child) OptedOutAtDisplay() string { return timeDisplay(c.OptedOutAt) }

// OptOut removes the child's personal and clinical data for good, keeping
// the record so that it still counts. Errors: ErrTransferPending besides
// the common ones.
func (s *Service) OptOut(ctx context.Context, me Me, id int64) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		c, _, err := s.Authorize(ctx, tx, me.Actor, id, access.OptOutChild, false)
		if err != nil {
			return err
		}
		if c.OptedOutAt != nil {
			return ErrOptedOut
		}
		if err := noPendingTransfer(ctx, tx, c.ID); err != nil {
			return err
		}
		rows, err := tx.OptOutChild(ctx, store.OptOutChildParams{UpdatedAt: s.now(), UpdatedBy: &me.ID, ID: c.ID})
		if err != nil {
			return err
		}
		if rows == 0 {
			return ErrStale
		}
		if _, err = tx.DeleteChildTransfers(ctx, c.ID); err != nil {
			return err
		}
		// The audit answers and their history go too (spec 11.2): only the
		// row that keeps the child counted stays.
		if err := tx.DeleteChildAnswers(ctx, c.ID); err != nil {
			return err
		}
		if err := tx.DeleteChildRows(ctx, c.ID); err != nil {
			return err
		}
		if err := tx.DeleteChildAnswerChanges(ctx, c.ID); err != nil {
			return err
		}
		if err := tx.DeleteChildChanges(ctx, c.ID); err != nil { // they hold the old identifiers
			return err
		}
		if err := tx.DeleteKPIResult(ctx, c.ID); err != nil {
			return err
		}
		if err := s.record(ctx, tx, me, c.ID, nil, KindOptOut, "Identifiers, registration, lock, audit answers, transfers and their history removed (spec 11.2)",
			Change{Field: "opted_out", Old: ptr("false"), New: ptr("true")}); err != nil {
			return err
		}
		return scorequeue.Later(ctx, tx, c.ID)
	})
}
