package registry

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/store"
)

// purgeBatch is how many patients or contacts one purge transaction
// removes: a day's deletions in one, a mass deletion in several short ones
// that leave the writer free in between.
const purgeBatch = 500

// PurgeDeleted removes for good what was deleted more than RestoreWindow
// before now: patients with their findings and relationships, contacts
// with their relationships, and relationships deleted as made by mistake.
// It returns how many patients, contacts and relationships went.
//
// A purged patient's or contact's trail goes with it, rows about its
// relationships included (they show on the other side's history too): the
// trail holds the record's old values (names, NHS number, date of birth,
// address), so keeping it would keep the personal data the deletion and
// its 30 days' grace were for, and would point at a record nobody can
// open. A purged mistaken relationship keeps its trail: both sides still
// exist, and their history says the link was made and taken back.
// docs/registry.md says what is kept and for how long.
func PurgeDeleted(ctx context.Context, st store.Store, now time.Time) (int64, error) {
	before := now.UTC().Add(-RestoreWindow)
	var total int64
	for {
		var n int64
		err := st.InTx(ctx, func(tx store.Tx) error {
			patients, err := tx.ListRegistryPatientsToPurge(ctx, store.ListRegistryPatientsToPurgeParams{Before: &before, PageLimit: purgeBatch})
			if err != nil {
				return err
			}
			k, err := purgeEach(ctx, patients, tx.PurgeRegistryPatient, tx.DeleteRegistryPatientChanges)
			n += k
			if err != nil {
				return err
			}
			contacts, err := tx.ListRegistryContactsToPurge(ctx, store.ListRegistryContactsToPurgeParams{Before: &before, PageLimit: purgeBatch})
			if err != nil {
				return err
			}
			// Contacts merged into one purged (deleted themselves) forget
			// where they went rather than block the purge.
			k, err = purgeEach(ctx, contacts, tx.PurgeRegistryContact, tx.ClearRegistryMergedInto, tx.DeleteRegistryContactChanges)
			n += k
			if err != nil {
				return err
			}
			k, err = tx.PurgeRegistryRelationships(ctx, &before)
			n += k
			return err
		})
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// purgeEach clears what points at each id (first, in order), then purges
// it; it returns how many rows went.
func purgeEach(ctx context.Context, ids []int64, purge func(context.Context, int64) (int64, error), first ...func(context.Context, *int64) error) (int64, error) {
	var n int64
	for _, id := range ids {
		for _, c := range first {
			if err := c(ctx, &id); err != nil {
				return n, err
			}
		}
		k, err := purge(ctx, id)
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

// NewPurgeWorker is the daily registry_purge job (PurgeDeleted).
func NewPurgeWorker(st store.Store, log *slog.Logger) *jobargs.PurgeWorker[jobargs.PurgeRegistryArgs] {
	return &jobargs.PurgeWorker[jobargs.PurgeRegistryArgs]{
		Purge:   func(ctx context.Context, now time.Time) (int64, error) { return PurgeDeleted(ctx, st, now) },
		Limit:   10 * time.Minute,
		Message: "purged deleted registry records", Key: "records",
		Logger: log,
	}
}
