package store

import "context"

// AnswerQueries keep the answers of a child's audit forms, their repeated
// rows and the audit trail of every change (schema 00008).
type AnswerQueries interface {
	// BumpChildVersion starts a save: it takes the child's row lock and
	// returns the new version; ErrNotFound for a deleted child.
	BumpChildVersion(ctx context.Context, arg BumpChildVersionParams) (int64, error)
	ListAnswers(ctx context.Context, childID int64) ([]ListAnswersRow, error)
	ListChildRows(ctx context.Context, childID int64) ([]ListChildRowsRow, error)
	UpsertAnswer(ctx context.Context, arg UpsertAnswerParams) error
	DeleteAnswer(ctx context.Context, arg DeleteAnswerParams) error
	// InsertChildRow returns ErrNotFound when the client key was used
	// already; GetChildRowByClientKey then finds that row.
	InsertChildRow(ctx context.Context, arg InsertChildRowParams) (int64, error)
	GetChildRowByClientKey(ctx context.Context, arg GetChildRowByClientKeyParams) (GetChildRowByClientKeyRow, error)
	DeleteChildRow(ctx context.Context, arg DeleteChildRowParams) (int64, error)
	DeleteRowAnswers(ctx context.Context, arg DeleteRowAnswersParams) error
	InsertAnswerChange(ctx context.Context, arg InsertAnswerChangeParams) error
	ListAnswerChanges(ctx context.Context, arg ListAnswerChangesParams) ([]ListAnswerChangesRow, error)
	// GetLastAnswerChange is ErrNotFound for an answer never changed.
	GetLastAnswerChange(ctx context.Context, arg GetLastAnswerChangeParams) (GetLastAnswerChangeRow, error)
	ListAnswerChangeAuthors(ctx context.Context, childID int64) ([]ListAnswerChangeAuthorsRow, error)
	DeleteChildAnswers(ctx context.Context, childID int64) error
	DeleteChildRows(ctx context.Context, childID int64) error
	DeleteChildAnswerChanges(ctx context.Context, childID int64) error
}
