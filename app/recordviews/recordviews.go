// Package recordviews keeps the record-view log: one row each time a
// signed-in user opens a page of a child's record (who, which child, when,
// which page), for access audits under the NHS Data Security and
// Protection Toolkit ("who looked at this child's record?", "what did this
// account open?"). Only the national audit team with full access (and
// superusers) may read it; it is kept for a configurable period and then
// purged by a daily job. docs/security.md describes it.
package recordviews

import (
	"context"
	"errors"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/store"
)

// DefaultRetention is how long views are kept unless --record-view-retention
// says otherwise: three years. A cohort's records are open for changes
// for up to about 25 months (its year of first assessments, then to the
// second Tuesday of January two years after it ends), and questions about
// who opened a record (a family's subject access request, a suspected
// inappropriate access) usually come within a year of it: three years
// covers the whole life of a cohort's records and a year after.
const DefaultRetention = 3 * 365 * 24 * time.Hour

// MaxShown is how many views the page lists, newest first.
const MaxShown = 500

// View is one opening of a child's page.
type View struct {
	UserID, ChildID int64
	AuditID, Route  string
	At              time.Time
}

// Log records one view, in its own statement: one insert per page.
func Log(ctx context.Context, q store.Queries, v View) error {
	return q.InsertRecordView(ctx, store.InsertRecordViewParams{UserID: v.UserID, ChildID: v.ChildID,
		AuditID: v.AuditID, Route: v.Route, ViewedAt: v.At.UTC()})
}

// Filter narrows the log: an account's email, a child's audit ID (empty:
// everyone, every child).
type Filter struct {
	Email, AuditID string
}

// Page is what the log's page shows.
type Page struct {
	Views []store.ListRecordViewsRow
	// UnknownEmail: the filter names no account, so nothing matches.
	UnknownEmail bool
}

// List reads the log, newest first, for those who may. Errors:
// apperr.ErrForbidden, the store's.
func List(ctx context.Context, q store.Queries, a access.Actor, f Filter) (Page, error) {
	if !a.Can(access.ViewRecordViews) {
		return Page{}, apperr.ErrForbidden
	}
	p := store.ListRecordViewsParams{AuditIDFilter: normaliseAuditID(f.AuditID), PageLimit: MaxShown}
	if e := strings.ToLower(strings.TrimSpace(f.Email)); e != "" {
		u, err := q.GetUserByEmail(ctx, e)
		if errors.Is(err, store.ErrNotFound) {
			return Page{UnknownEmail: true}, nil
		}
		if err != nil {
			return Page{}, err
		}
		p.UserFilter = u.ID
	}
	views, err := q.ListRecordViews(ctx, p)
	return Page{Views: views}, err
}

// normaliseAuditID reads an audit ID as the case list's search does; one
// that cannot be an audit ID is kept as typed (it matches nothing).
func normaliseAuditID(s string) string {
	if id, ok := children.NormaliseAuditID(s); ok {
		return id
	}
	return strings.TrimSpace(s)
}

// Purge deletes the views older than retention before now and returns how
// many went; a retention of 0 keeps every view.
func Purge(ctx context.Context, st store.Store, now time.Time, retention time.Duration) (int64, error) {
	if retention <= 0 {
		return 0, nil
	}
	return st.PurgeRecordViews(ctx, now.UTC().Add(-retention))
}
