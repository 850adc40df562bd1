package store

import (
	"context"
	"time"
)

// RegistryQueries hold the patient registry (schema 00023,
// queries/shared/registry*.sql, docs/registry.md): registries, patients
// with their genetic findings, contacts, relationships and the one trail.
// app/registry is their only writer; it authorises and checks every write
// and records it in the trail in the same transaction.
//
// Version checks (the Update* methods) report a stale version or a deleted
// row as 0 rows, not as an error.
type RegistryQueries interface {
	// UpsertRegistry creates or updates a registry by its slug and returns
	// its id.
	UpsertRegistry(ctx context.Context, arg UpsertRegistryParams) (int64, error)
	// GetRegistryBySlug returns one registry. Errors: ErrNotFound.
	GetRegistryBySlug(ctx context.Context, slug string) (Registry, error)
	// ListRegistries lists every registry by name.
	ListRegistries(ctx context.Context) ([]Registry, error)

	// InsertRegistryChange appends one change to the trail.
	InsertRegistryChange(ctx context.Context, arg InsertRegistryChangeParams) error
	// ListRegistryChanges is a patient's or a contact's trail, newest first.
	ListRegistryChanges(ctx context.Context, arg ListRegistryChangesParams) ([]RegistryChange, error)
	// GetLastRegistryFieldChange is the latest change to one field of one
	// record. Errors: ErrNotFound (never changed).
	GetLastRegistryFieldChange(ctx context.Context, arg GetLastRegistryFieldChangeParams) (RegistryChange, error)

	// InsertRegistryPatient adds a patient and returns its id. Errors:
	// ErrConflict naming registry_ref or nhs_number.
	InsertRegistryPatient(ctx context.Context, arg InsertRegistryPatientParams) (int64, error)
	// GetRegistryPatient returns a patient, deleted or not. Errors: ErrNotFound.
	GetRegistryPatient(ctx context.Context, id int64) (RegistryPatient, error)
	// GetRegistryPatientByRef returns a patient by registry ID. Errors: ErrNotFound.
	GetRegistryPatientByRef(ctx context.Context, registryRef string) (RegistryPatient, error)
	// UpdateRegistryPatient writes a patient at a version; 0 rows when
	// stale or deleted. Errors: ErrConflict naming nhs_number.
	UpdateRegistryPatient(ctx context.Context, arg UpdateRegistryPatientParams) (int64, error)
	// SetRegistryPatientDeleted deletes or restores a patient.
	SetRegistryPatientDeleted(ctx context.Context, arg SetRegistryPatientDeletedParams) (int64, error)
	// ListRegistryPatients is a page of the patient list.
	ListRegistryPatients(ctx context.Context, arg RegistryPatientListParams) ([]RegistryPatientListItem, error)
	// CountRegistryPatients counts the patient list's matches.
	CountRegistryPatients(ctx context.Context, arg CountRegistryPatientsParams) (int64, error)
	// FindRegistryPatientDuplicates lists possible duplicates of a patient.
	FindRegistryPatientDuplicates(ctx context.Context, arg FindRegistryPatientDuplicatesParams) ([]RegistryPatient, error)
	// ListRegistryPatientsToPurge lists ids of patients deleted before a time.
	ListRegistryPatientsToPurge(ctx context.Context, arg ListRegistryPatientsToPurgeParams) ([]int64, error)
	// PurgeRegistryPatient removes a deleted patient, its findings and
	// relationships for good.
	PurgeRegistryPatient(ctx context.Context, id int64) (int64, error)
	// DeleteRegistryPatientChanges deletes a patient's trail (the purge).
	DeleteRegistryPatientChanges(ctx context.Context, patientID *int64) error

	// InsertRegistryFinding adds a genetic finding and returns its id.
	InsertRegistryFinding(ctx context.Context, arg InsertRegistryFindingParams) (int64, error)
	// GetRegistryFinding returns one finding. Errors: ErrNotFound.
	GetRegistryFinding(ctx context.Context, id int64) (RegistryFinding, error)
	// ListRegistryFindings lists a patient's findings, oldest first.
	ListRegistryFindings(ctx context.Context, patientID int64) ([]RegistryFinding, error)
	// UpdateRegistryFinding writes a finding at a version; 0 rows when stale.
	UpdateRegistryFinding(ctx context.Context, arg UpdateRegistryFindingParams) (int64, error)
	// DeleteRegistryFinding removes a finding.
	DeleteRegistryFinding(ctx context.Context, id int64) (int64, error)

	// InsertRegistryContact adds a contact and returns its id.
	InsertRegistryContact(ctx context.Context, arg InsertRegistryContactParams) (int64, error)
	// GetRegistryContact returns a contact, deleted or not. Errors: ErrNotFound.
	GetRegistryContact(ctx context.Context, id int64) (RegistryContact, error)
	// UpdateRegistryContact writes a contact at a version; 0 rows when
	// stale or deleted.
	UpdateRegistryContact(ctx context.Context, arg UpdateRegistryContactParams) (int64, error)
	// SetRegistryContactDeleted deletes (or merges away) or restores a contact.
	SetRegistryContactDeleted(ctx context.Context, arg SetRegistryContactDeletedParams) (int64, error)
	// SetRegistryContactReview sets or clears the review flag; 0 rows when
	// it was already so.
	SetRegistryContactReview(ctx context.Context, arg SetRegistryContactReviewParams) (int64, error)
	// ListRegistryContacts is a page of the contact list.
	ListRegistryContacts(ctx context.Context, arg RegistryContactListParams) ([]RegistryContactListItem, error)
	// CountRegistryContacts counts the contact list's matches.
	CountRegistryContacts(ctx context.Context, arg CountRegistryContactsParams) (int64, error)
	// FindRegistryContactDuplicates lists possible duplicates of a contact.
	FindRegistryContactDuplicates(ctx context.Context, arg FindRegistryContactDuplicatesParams) ([]RegistryContact, error)
	// ListRegistryContactsToPurge lists ids of contacts deleted before a time.
	ListRegistryContactsToPurge(ctx context.Context, arg ListRegistryContactsToPurgeParams) ([]int64, error)
	// PurgeRegistryContact removes a deleted contact and its relationships
	// for good.
	PurgeRegistryContact(ctx context.Context, id int64) (int64, error)
	// ClearRegistryMergedInto forgets merges into a contact (before its purge).
	ClearRegistryMergedInto(ctx context.Context, contactID *int64) error
	// DeleteRegistryContactChanges deletes a contact's trail (the purge).
	DeleteRegistryContactChanges(ctx context.Context, contactID *int64) error
	// PurgeRegistryRelationships removes the relationships deleted before
	// a time for good; their trail stays.
	PurgeRegistryRelationships(ctx context.Context, before *time.Time) (int64, error)

	// InsertRegistryRelationship links a contact to a patient and returns
	// the link's id.
	InsertRegistryRelationship(ctx context.Context, arg InsertRegistryRelationshipParams) (int64, error)
	// GetRegistryRelationship returns one link. Errors: ErrNotFound.
	GetRegistryRelationship(ctx context.Context, id int64) (RegistryRelationship, error)
	// UpdateRegistryRelationship writes a link at a version; 0 rows when
	// stale or deleted.
	UpdateRegistryRelationship(ctx context.Context, arg UpdateRegistryRelationshipParams) (int64, error)
	// DeleteRegistryRelationship marks a link made by mistake deleted.
	DeleteRegistryRelationship(ctx context.Context, arg DeleteRegistryRelationshipParams) (int64, error)
	// ListRegistryLinks lists a patient's or a contact's links.
	ListRegistryLinks(ctx context.Context, arg ListRegistryLinksParams) ([]RegistryLink, error)
}

var _ = time.Time{}
