package store

import (
	"context"
	"time"
)

// ChildLifecycleQueries keep what happens to a child's record after it is
// added (spec §11.2–§11.4): transfers of the lead site, opt-out, soft
// deletion, restore and purge. Scope parameters (ScopeTrust, ScopeBoard)
// both empty mean every organisation.
type ChildLifecycleQueries interface {
	// InsertChildTransfer records a pending transfer and returns its id, or
	// ErrConflict when the child already has one pending.
	InsertChildTransfer(ctx context.Context, arg InsertChildTransferParams) (int64, error)
	// ListChildTransfers is the child's transfers, newest first.
	ListChildTransfers(ctx context.Context, childID int64) ([]ChildTransfer, error)
	// AnswerChildTransfer closes a pending transfer (accepted, rejected or
	// cancelled) and returns the rows changed: 0 when it was not pending.
	AnswerChildTransfer(ctx context.Context, arg AnswerChildTransferParams) (int64, error)
	// MoveChildLeadOrganisation returns 0 when the child is gone, opted out
	// or no longer at FromOrganisationID.
	MoveChildLeadOrganisation(ctx context.Context, arg MoveChildLeadOrganisationParams) (int64, error)
	// ListPendingChildTransfers lists the pending transfers into or out of
	// the scope, oldest first.
	ListPendingChildTransfers(ctx context.Context, arg ListPendingChildTransfersParams) ([]PendingChildTransfer, error)
	// CountIncomingChildTransfers counts the pending transfers into the
	// scope.
	CountIncomingChildTransfers(ctx context.Context, arg CountIncomingChildTransfersParams) (int64, error)
	// ListTransferOrganisations lists every organisation in England and Wales.
	ListTransferOrganisations(ctx context.Context) ([]OrganisationChoice, error)
	// ListActiveUsersWithRole lists active accounts with the role at the
	// organisation (OrganisationID 0: national accounts).
	ListActiveUsersWithRole(ctx context.Context, arg ListActiveUsersWithRoleParams) ([]Recipient, error)

	// OptOutChild blanks every identifier and the registration and marks the
	// child opted out; 0 rows when it is gone or already opted out.
	OptOutChild(ctx context.Context, arg OptOutChildParams) (int64, error)
	// DeleteChildTransfers deletes the child's transfers (opt-out) and
	// returns how many.
	DeleteChildTransfers(ctx context.Context, childID int64) (int64, error)

	// SoftDeleteChild returns 0 rows when the version is not the one given
	// or the child is already deleted.
	SoftDeleteChild(ctx context.Context, arg SoftDeleteChildParams) (int64, error)
	// GetDeletedChild returns ErrNotFound unless the child is deleted (and
	// not yet purged).
	GetDeletedChild(ctx context.Context, id int64) (DeletedChild, error)
	// ListDeletedChildren lists the deleted children not yet purged,
	// newest first.
	ListDeletedChildren(ctx context.Context, pageLimit int64) ([]DeletedChild, error)
	// RestoreChild returns 0 rows unless the child was deleted at or after
	// DeletedSince.
	RestoreChild(ctx context.Context, arg RestoreChildParams) (int64, error)
	// PurgeDeletedChildTransfers and PurgeDeletedChildren hard-delete the
	// children deleted before a time, and the rows that hang off them.
	PurgeDeletedChildTransfers(ctx context.Context, deletedBefore *time.Time) (int64, error)
	// PurgeDeletedChildren deletes those children, after their transfers.
	PurgeDeletedChildren(ctx context.Context, deletedBefore *time.Time) (int64, error)
}

// Transfer statuses.
const (
	TransferPending   = "pending"
	TransferAccepted  = "accepted"
	TransferRejected  = "rejected"
	TransferCancelled = "cancelled"
)
