// Package publish publishes a cohort's KPI figures for the public pages
// (spec §8.4) and reads what was published. A publication is a snapshot:
// the figures of the cohort's current aggregation run are copied into
// tables of their own, in one transaction, so a publication outlives its
// run and no later run changes it. Every publication is kept; the public
// pages show the latest of each cohort and nothing else.
//
// docs/publishing.md explains the whole.
package publish

import (
	"context"
	"errors"
	"fmt"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
)

// ErrNotPublished means the cohort has no publication yet.
var ErrNotPublished = fmt.Errorf("publish: nothing published: %w", store.ErrNotFound)

// Publish publishes cohort c's current aggregation run as me, now: the
// publication row and a copy of the run's entities and counts, in one
// transaction. The cohort's row is taken first, so a run of the cohort
// under way finishes (or this waits for it) and the run copied is the one
// readers see when the publication commits. Errors: apperr.ErrForbidden;
// an apperr.Conflict wrapping aggregate.ErrNotRun when the cohort was never
// aggregated; the store's.
func Publish(ctx context.Context, s store.Store, me access.Me, c cohort.Cohort) (store.KPIPublication, error) {
	if !me.Actor.Can(access.Publish) {
		return store.KPIPublication{}, apperr.ErrForbidden
	}
	var pub store.KPIPublication
	err := s.InTx(ctx, func(tx store.Tx) error {
		current, err := tx.LockKPIAggregateCohort(ctx, int64(c))
		if err != nil {
			return err
		}
		if current == nil {
			return aggregate.ErrNotRun // rolls back the cohort row a first lock creates
		}
		run, err := tx.GetCurrentKPIAggregateRun(ctx, int64(c))
		if err != nil {
			return err
		}
		var by *int64 // me.ID 0: no account (the command line), stored as NULL
		if me.ID != 0 {
			by = &me.ID
		}
		pub = store.KPIPublication{Cohort: run.Cohort, RunID: run.ID, AsOf: run.AsOf, ComputedAt: run.ComputedAt,
			Children: run.Children, PublishedAt: time.Now().UTC(), PublishedBy: by}
		pub.ID, err = tx.InsertKPIPublication(ctx, store.InsertKPIPublicationParams{Cohort: pub.Cohort, RunID: pub.RunID,
			AsOf: pub.AsOf, ComputedAt: pub.ComputedAt, Children: pub.Children, PublishedAt: pub.PublishedAt, PublishedBy: pub.PublishedBy})
		if err != nil {
			return err
		}
		n, err := tx.CopyKPIPublicationEntities(ctx, store.CopyKPIPublicationEntitiesParams{PublicationID: pub.ID, RunID: run.ID})
		if err != nil {
			return fmt.Errorf("copying the entities: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("run %d has no figures", run.ID)
		}
		if _, err := tx.CopyKPIPublicationResults(ctx, store.CopyKPIPublicationResultsParams{PublicationID: pub.ID, RunID: run.ID}); err != nil {
			return fmt.Errorf("copying the counts: %w", err)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, aggregate.ErrNotRun) {
			return store.KPIPublication{}, &apperr.Error{Code: apperr.Conflict, Err: err,
				Message: fmt.Sprintf("Cohort %d has no figures to publish yet: they are worked out in the background every few minutes.", c)}
		}
		return store.KPIPublication{}, fmt.Errorf("publish: cohort %d: %w", c, err)
	}
	return pub, nil
}

// History lists cohort c's publications, newest first (at most n). Errors:
// the store's.
func History(ctx context.Context, q store.Queries, c cohort.Cohort, n int) ([]store.KPIPublication, error) {
	return q.ListKPIPublications(ctx, store.ListKPIPublicationsParams{Cohort: int64(c), MaxRows: int64(n)})
}

// Latest is cohort c's latest publication. Errors: ErrNotPublished (a
// store.ErrNotFound), the store's.
func Latest(ctx context.Context, q store.Queries, c cohort.Cohort) (store.KPIPublication, error) {
	pubs, err := History(ctx, q, c, 1)
	if err != nil {
		return store.KPIPublication{}, err
	}
	if len(pubs) == 0 {
		return store.KPIPublication{}, ErrNotPublished
	}
	return pubs[0], nil
}

// Cohorts lists the latest publication of every cohort that has one,
// latest cohort first: what the public pages may show. Errors: the store's.
func Cohorts(ctx context.Context, q store.Queries) ([]store.KPIPublication, error) {
	return q.ListLatestKPIPublications(ctx)
}
