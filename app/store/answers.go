package store

import "context"

// AnswerQueries keep the answers of a child's audit forms, their repeated
// rows and the audit trail of every change (schema 00008).
type AnswerQueries interface {
	// BumpChildVersion starts a save: it takes the child's row lock and
	// returns the new version; ErrNotFound for a deleted child.
	BumpChildVersion(ctx context.Context, arg BumpChildVersionParams) (int64, error)
	// ListAnswers returns the child's answers by section, row and field,
	// with who last changed each ("" once the account is gone).
	ListAnswers(ctx context.Context, childID int64) ([]ListAnswersRow, error)
	// ListChildRows returns the child's repeated rows in the order added.
	ListChildRows(ctx context.Context, childID int64) ([]ListChildRowsRow, error)
	// ListAnswersInSections is ListAnswers of the named sections only.
	ListAnswersInSections(ctx context.Context, arg ListAnswersInSectionsParams) ([]ListAnswersRow, error)
	// ListChildRowsInSections is ListChildRows of the named sections only.
	ListChildRowsInSections(ctx context.Context, arg ListChildRowsInSectionsParams) ([]ListChildRowsRow, error)
	// UpsertAnswer writes one answer, replacing the stored value.
	UpsertAnswer(ctx context.Context, arg UpsertAnswerParams) error
	// DeleteAnswer deletes one answer. No error if it is not stored.
	DeleteAnswer(ctx context.Context, arg DeleteAnswerParams) error
	// InsertChildRow returns ErrNotFound when the client key was used
	// already; GetChildRowByClientKey then finds that row.
	InsertChildRow(ctx context.Context, arg InsertChildRowParams) (int64, error)
	// GetChildRowByClientKey returns the row an Add button created;
	// ErrNotFound if none.
	GetChildRowByClientKey(ctx context.Context, arg GetChildRowByClientKeyParams) (GetChildRowByClientKeyRow, error)
	// DeleteChildRow deletes one of the child's rows: 1, or 0 if none.
	DeleteChildRow(ctx context.Context, arg DeleteChildRowParams) (int64, error)
	// DeleteRowAnswers deletes the answers in one row.
	DeleteRowAnswers(ctx context.Context, arg DeleteRowAnswersParams) error
	// InsertAnswerChange appends one change to the audit trail.
	InsertAnswerChange(ctx context.Context, arg InsertAnswerChangeParams) error
	// ListAnswerChanges is the child's trail, newest first.
	ListAnswerChanges(ctx context.Context, arg ListAnswerChangesParams) ([]ListAnswerChangesRow, error)
	// GetLastAnswerChange is ErrNotFound for an answer never changed.
	GetLastAnswerChange(ctx context.Context, arg GetLastAnswerChangeParams) (GetLastAnswerChangeRow, error)
	// ListAnswerChangeAuthors lists who changed the child's answers, by name.
	ListAnswerChangeAuthors(ctx context.Context, childID int64) ([]ChangeAuthor, error)
	// DeleteChildAnswers, DeleteChildRows and DeleteChildAnswerChanges
	// delete all of the child's answers, rows and trail (opt-out).
	DeleteChildAnswers(ctx context.Context, childID int64) error
	// DeleteChildRows deletes all the child's rows.
	DeleteChildRows(ctx context.Context, childID int64) error
	// DeleteChildAnswerChanges deletes the child's answer trail.
	DeleteChildAnswerChanges(ctx context.Context, childID int64) error
}
