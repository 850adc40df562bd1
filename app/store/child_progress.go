package store

import "context"

// ChildProgressQueries store the case list's audit progress (schema 00020),
// written by the KPI scoring job with the child's results.
type ChildProgressQueries interface {
	// SetChildAuditProgress changes nothing when the child is no longer at
	// Version (a newer save's own job writes its figure).
	SetChildAuditProgress(ctx context.Context, arg SetChildAuditProgressParams) error
	// SetChildrenAuditProgress is SetChildAuditProgress for a batch:
	// progress is a JSON object of [progress, version] by child id.
	SetChildrenAuditProgress(ctx context.Context, progress string) (int64, error)
}
