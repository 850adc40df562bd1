package store

import "time"

// Child change and record-view types; they mirror the sqlc rows and params
// field for field (see types.go).

type InsertChildChangeParams struct {
	ChildID   int64
	Kind      string
	Field     string
	OldValue  *string
	NewValue  *string
	Cause     string
	Note      string
	ChangedAt time.Time
	ChangedBy *int64
	RequestID string
}

type ListChildChangeAuthorsRow struct {
	ID   *int64
	Name string
}

type ListChildChangesParams struct {
	ChildID         int64
	KindFilter      string
	ChangedByFilter int64
	PageLimit       int64
}

// ListChildChangesRow is one change to a child: Kind (demographics,
// registration, lock, transfer, opt_out, deletion), the Field and its
// values as stored (NULL: not set), the Cause (form, import, transfer,
// national_team, job) and a Note when the values do not say why.
type ListChildChangesRow struct {
	ID            int64
	Kind          string
	Field         string
	OldValue      *string
	NewValue      *string
	Cause         string
	Note          string
	ChangedAt     time.Time
	ChangedBy     *int64
	ChangedByName string
	RequestID     string
}

type InsertRecordViewParams struct {
	UserID   int64
	ChildID  int64
	AuditID  string
	Route    string
	ViewedAt time.Time
}

type ListRecordViewsParams struct {
	UserFilter    int64
	AuditIDFilter string
	PageLimit     int64
}

type ListRecordViewsRow struct {
	ID        int64
	UserID    int64
	ChildID   int64
	AuditID   string
	Route     string
	ViewedAt  time.Time
	UserName  string
	UserEmail string
}
