package store

import "time"

// Child lifecycle types; they mirror the sqlc rows and params field for
// field (see types.go).

type InsertChildTransferParams struct {
	ChildID            int64
	FromOrganisationID int64
	ToOrganisationID   int64
	RequestedAt        time.Time
	RequestedBy        *int64
}

// Transfer statuses.
const (
	TransferPending   = "pending"
	TransferAccepted  = "accepted"
	TransferRejected  = "rejected"
	TransferCancelled = "cancelled"
)

// ChildTransfer is one request to move a child's lead site, with the names
// of both organisations and of who asked and who answered.
type ChildTransfer struct {
	ID                 int64
	ChildID            int64
	Status             string // TransferPending, TransferAccepted...
	FromOrganisationID int64
	FromOds            string
	FromName           string
	ToOrganisationID   int64
	ToOds              string
	ToName             string
	RequestedAt        time.Time
	RequestedByName    string
	RespondedAt        *time.Time
	RespondedByName    string
}

type AnswerChildTransferParams struct {
	Status      string
	RespondedAt *time.Time
	RespondedBy *int64
	ID          int64
}

type MoveChildLeadOrganisationParams struct {
	ToOrganisationID   int64
	UpdatedAt          time.Time
	UpdatedBy          *int64
	ID                 int64
	FromOrganisationID int64
}

type ListPendingChildTransfersParams struct {
	ScopeTrust string
	ScopeBoard string
}

// PendingChildTransfer is a transfer waiting for an answer, with who the
// child is and where both organisations sit (trust in England, health
// board in Wales; "" for the other).
type PendingChildTransfer struct {
	ID                    int64
	ChildID               int64
	AuditID               string
	NHSNumber             string
	UniqueReferenceNumber string
	FirstName             string
	Surname               string
	DateOfBirth           *Date
	FromOrganisationID    int64
	FromOds               string
	FromName              string
	FromTrust             string
	FromBoard             string
	ToOrganisationID      int64
	ToOds                 string
	ToName                string
	ToTrust               string
	ToBoard               string
	RequestedAt           time.Time
	RequestedByName       string
}

type CountIncomingChildTransfersParams struct {
	ScopeTrust string
	ScopeBoard string
}

type ListActiveUsersWithRoleParams struct {
	Role           string
	OrganisationID int64
}

// Recipient is an account to notify by email.
type Recipient struct {
	ID        int64
	Email     string
	FirstName string
	Surname   string
}

type OptOutChildParams struct {
	UpdatedAt time.Time
	UpdatedBy *int64
	ID        int64
}

type SoftDeleteChildParams struct {
	UpdatedAt time.Time
	UpdatedBy *int64
	ID        int64
	Version   int64
}

// DeletedChild is a soft-deleted child waiting to be purged, with who
// deleted it (the last to change it).
type DeletedChild struct {
	ID                    int64
	AuditID               string
	NHSNumber             string
	UniqueReferenceNumber string
	FirstName             string
	Surname               string
	DateOfBirth           *Date
	LeadOrganisationID    int64
	OrganisationOds       string
	OrganisationName      string
	DeletedAt             *time.Time
	DeletedByName         string
}

type RestoreChildParams struct {
	UpdatedAt    time.Time
	UpdatedBy    *int64
	ID           int64
	DeletedSince *time.Time
}
