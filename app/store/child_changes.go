package store

import (
	"context"
	"time"
)

// ChildChangeQueries keep the trail of changes to a child itself and the
// record-view log (schema 00017 to 00019, queries/shared/child_changes.sql
// and record_views.sql). app/children writes the trail in the transaction
// of each change; app/recordviews keeps the log.
type ChildChangeQueries interface {
	// InsertChildChange appends one change to the child's trail.
	InsertChildChange(ctx context.Context, arg InsertChildChangeParams) error
	// ListChildChanges is a child's trail, newest first.
	ListChildChanges(ctx context.Context, arg ListChildChangesParams) ([]ListChildChangesRow, error)
	// ListChildChangeAuthors lists who changed the child, by name.
	ListChildChangeAuthors(ctx context.Context, childID int64) ([]ChangeAuthor, error)
	// DeleteChildChanges deletes the child's trail.
	DeleteChildChanges(ctx context.Context, childID int64) error
	// ListChildrenLockReview and DeleteChildLockReview are the one-off
	// review of children locked before locking needed a complete audit.
	ListChildrenLockReview(ctx context.Context, pageLimit int64) ([]int64, error)
	// DeleteChildLockReview takes a child off the review.
	DeleteChildLockReview(ctx context.Context, childID int64) error
	// QueueChildrenLockReview queues every locked child for the review
	// and returns how many were not queued already.
	QueueChildrenLockReview(ctx context.Context) (int64, error)

	// InsertRecordView logs that a user opened a child's record.
	InsertRecordView(ctx context.Context, arg InsertRecordViewParams) error
	// ListRecordViews is the log, newest first.
	ListRecordViews(ctx context.Context, arg ListRecordViewsParams) ([]ListRecordViewsRow, error)
	// PurgeRecordViews deletes the views before before.
	PurgeRecordViews(ctx context.Context, before time.Time) (int64, error)
}
