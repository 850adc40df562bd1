package store

import "context"

// ChildQueries keep the children: the case list, one child, and the writes
// of demographics, registration and lock. Deleted children are invisible to
// all of them. Scope parameters (ScopeTrust, ScopeBoard) both empty mean
// every organisation.
type ChildQueries interface {
	// InsertChild returns the new child's id, or ErrConflict wrapping the
	// unique index it hit: its text names the column (nhs_number,
	// unique_reference_number or audit_id).
	InsertChild(ctx context.Context, arg InsertChildParams) (int64, error)
	// InsertChildIfNew inserts a child unless its NHS number, reference
	// number or audit ID is taken, and returns the rows inserted (0 or 1).
	// For bulk loading: a clash does not abort the transaction.
	InsertChildIfNew(ctx context.Context, arg InsertChildIfNewParams) (int64, error)
	// GetChild returns ErrNotFound for an unknown or deleted id.
	GetChild(ctx context.Context, id int64) (Child, error)
	// GetChildAtPlace is GetChild with where the child's lead organisation
	// sits; ErrNotFound for an unknown or deleted id.
	GetChildAtPlace(ctx context.Context, id int64) (ChildAtPlace, error)
	// UpdateChildDemographics, RegisterChild, LockChild and UnlockChild
	// return the rows changed: 0 when the child's version is no longer
	// the one given (someone else changed it first), it is gone, or (lock,
	// unlock) it is already in that state. UpdateChildDemographics returns
	// ErrConflict, naming the column, when the NHS number or reference
	// number belongs to another child.
	UpdateChildDemographics(ctx context.Context, arg UpdateChildDemographicsParams) (int64, error)
	// RegisterChild sets eligibility, first assessment, cohort and lead
	// organisation (0 rows as above).
	RegisterChild(ctx context.Context, arg RegisterChildParams) (int64, error)
	// LockChild locks a registered child (0 rows as above).
	LockChild(ctx context.Context, arg LockChildParams) (int64, error)
	// UnlockChild unlocks it (0 rows as above).
	UnlockChild(ctx context.Context, arg UnlockChildParams) (int64, error)
	// The case list: pages without a search (ChildListQueries, one query
	// per sort column and direction, picked by ListChildrenSorted and
	// ListChildrenInScopeSorted), a page of the children matching a search,
	// and the counts. CountChildren and ChildTotals add up child_counts,
	// which triggers keep exact; CountChildrenMatching counts the matches.
	ChildListQueries
	// A search (queries/*/children_list.sql): ListChildrenMatchingByNameAsc
	// and Desc page the matches by name from the indexes alone,
	// ListChildrenMatching by any column, reading every match.
	ListChildrenMatchingByNameAsc(ctx context.Context, arg ListChildrenMatchingByNameParams) ([]ChildListItem, error)
	// ListChildrenMatchingByNameDesc is ListChildrenMatchingByNameAsc in
	// descending order.
	ListChildrenMatchingByNameDesc(ctx context.Context, arg ListChildrenMatchingByNameParams) ([]ChildListItem, error)
	// ListChildrenMatching is a page of a search sorted by any column.
	ListChildrenMatching(ctx context.Context, arg ListChildrenMatchingParams) ([]ChildListItem, error)
	// CountChildrenMatching counts a search's matches.
	CountChildrenMatching(ctx context.Context, arg CountChildrenMatchingParams) (int64, error)
	// CountChildren counts the case list without a search.
	CountChildren(ctx context.Context, arg CountChildrenParams) (int64, error)
	// ChildTotals counts the children in scope and those registered.
	ChildTotals(ctx context.Context, arg ChildTotalsParams) (ChildTotals, error)
}
