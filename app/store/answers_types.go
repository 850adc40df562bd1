package store

import "time"

// Answer types; they mirror the sqlc rows and params field for field
// (see types.go).

type BumpChildVersionParams struct {
	UpdatedAt time.Time
	UpdatedBy *int64
	ID        int64
}

type DeleteAnswerParams struct {
	ChildID int64
	Section string
	RowID   int64
	Field   string
}

type DeleteChildRowParams struct {
	ID      int64
	ChildID int64
}

type DeleteRowAnswersParams struct {
	ChildID int64
	RowID   int64
}

type GetChildRowByClientKeyParams struct {
	ChildID   int64
	ClientKey string
}

type GetChildRowByClientKeyRow struct {
	ID      int64
	Section string
}

type InsertAnswerChangeParams struct {
	ChildID   int64
	Section   string
	RowID     int64
	Field     string
	OldValue  *string
	NewValue  *string
	Cause     string
	Version   int64
	ChangedAt time.Time
	ChangedBy *int64
	RequestID string
}

type InsertChildRowParams struct {
	ChildID   int64
	Section   string
	ClientKey string
	CreatedAt time.Time
	CreatedBy *int64
}

type ListAnswerChangeAuthorsRow struct {
	ID   *int64
	Name string
}

type ListAnswerChangesParams struct {
	ChildID         int64
	SectionFilter   string
	FieldFilter     string
	ChangedByFilter int64
	PageLimit       int64
}

type ListAnswerChangesRow struct {
	ID            int64
	Section       string
	RowID         int64
	Field         string
	OldValue      *string
	NewValue      *string
	Cause         string
	Version       int64
	ChangedAt     time.Time
	ChangedBy     *int64
	ChangedByName string
	RequestID     string
}

type ListAnswersRow struct {
	Section       string
	RowID         int64
	Field         string
	Value         string
	Version       int64
	UpdatedAt     time.Time
	UpdatedBy     *int64
	UpdatedByName string
}

type ListChildRowsRow struct {
	ID      int64
	Section string
}

type UpsertAnswerParams struct {
	ChildID   int64
	Section   string
	RowID     int64
	Field     string
	Value     string
	Version   int64
	UpdatedAt time.Time
	UpdatedBy *int64
}

type GetLastAnswerChangeParams struct {
	ChildID int64
	Section string
	RowID   int64
	Field   string
}

type GetLastAnswerChangeRow struct {
	Version       int64
	ChangedAt     time.Time
	ChangedBy     *int64
	NewValue      *string
	ChangedByName string
}
