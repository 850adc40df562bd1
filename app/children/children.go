// Package children keeps the audit's children (Epilepsy12's cases): their
// demographics, lead organisation, registration into a cohort, and the lock
// that marks their data as submitted. Every operation asks access.Allowed
// about the child's lead organisation first; a child outside the actor's
// scope is reported as not found, so nothing leaks. Writes are refused while
// a child is locked and once their cohort's submission deadline has passed
// (decisions.md: enforced on the server, on every write).
//
// Errors (app/apperr codes): every method that takes a child's id may
// return ErrNotFound (also for a child out of scope), apperr.ErrForbidden
// (the role may not), the refusals of the child's state (apperr.Conflict:
// ErrOptedOut, ErrLocked, ErrPastDeadline for writes; ErrStale where a
// version is given), and the store's errors. Each method names the others.
package children

import (
	"context"
	"errors"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/cohort"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/postcode"
	"clinaudit/app/store"
)

// Errors. A role that may not do something gets apperr.ErrForbidden.
var (
	// ErrNotFound: no such child, or one outside the actor's scope, so that
	// nothing leaks (apperr.NotFound).
	ErrNotFound = &apperr.Error{Code: apperr.NotFound, Err: errors.New("children: no such child")}
)

// conflict is a refusal because of the child's state (apperr.Conflict);
// its text is shown to the user as it is.
func conflict(message string) *apperr.Error { return apperr.New(apperr.Conflict, message) }

// Refusals because of the child's state.
var (
	ErrLocked            = conflict("This child's record is locked, so it cannot be changed. Someone who may unlock it has to unlock it first.")
	ErrPastDeadline      = conflict("The submission deadline for this child's cohort has passed, so their record can no longer be changed.")
	ErrStale             = conflict("Someone else changed this child's record while you had it open. Nothing you sent was saved: go back to the child's page to see the record as it is now, then make your change again.")
	ErrAlreadyRegistered = conflict("This child is already registered. Only the national audit team can change a registration.")
	ErrNotRegistered     = conflict("This child is not registered yet. Register them before locking their record.")
	ErrAlreadyLocked     = conflict("This child's record is already locked.")
	ErrNotLocked         = conflict("This child's record is not locked.")
)

// IsConflict reports whether err is a refusal because of the state of
// what it is about (apperr.Conflict): one of the above, ErrOptedOut, the
// transfer ones, ErrRestoreExpired, ErrNotRegisteredForms, ErrIncomplete.
func IsConflict(err error) bool { return apperr.CodeOf(err) == apperr.Conflict }

// MsgNHSNumberTaken is the field error for an NHS number another child has.
// It says nothing about that child.
const MsgNHSNumberTaken = "This NHS number is already registered in the audit"

// MsgReferenceTaken is the same for a Jersey unique reference number.
const MsgReferenceTaken = "This unique reference number is already registered in the audit"

// Service keeps children.
type Service struct {
	Store store.Store
	Now   func() time.Time
	// BaseURL is where users reach the app, for links in emails.
	BaseURL string
	// Progress computes a child's audit progress, for Lock (complete.go).
	Progress ProgressFunc
}

// Me is the acting user (access.Me), named here for this package's callers.
type Me = access.Me

var london = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.UTC
}()

// today is now in the UK, whose calendar date decides cohorts and deadlines.
func (s *Service) today() time.Time { return s.Now().In(london) }

func (s *Service) now() time.Time { return s.Now().UTC() }

// Child is one child as its pages show it, with what the viewer may do.
type Child struct {
	store.Child
	Organisation store.Organisation
	// Cohort is set once the child is registered.
	Cohort *CohortCard
	// ReadOnly says why nobody may change the child (ErrLocked or
	// ErrPastDeadline), nil when it may be changed.
	ReadOnly error
	// What the viewer may do now, given their role and the child's state.
	CanEdit, CanRegister, CanLock, CanUnlock bool
}

// CohortCard is the cohort a registered child belongs to and its dates.
type CohortCard struct {
	Number        cohort.Cohort
	Start, End    time.Time
	Deadline      time.Time
	DaysRemaining int
	Open          bool
}

func cohortCard(c cohort.Cohort, today time.Time) *CohortCard {
	return &CohortCard{Number: c, Start: c.Start(), End: c.End(), Deadline: c.SubmissionDeadline(),
		DaysRemaining: c.DaysRemaining(today), Open: c.IsOpen(today)}
}

// readOnly is why a child may not be changed today, or nil: an opt-out
// (for good), then the lock, then the deadline.
// change runs a write to child id in a transaction once the actor may
// take action on it (Authorize) and its record is not read-only today: fn
// gets the child, its lead organisation and today.
func (s *Service) change(ctx context.Context, a access.Actor, id int64, action access.Action,
	fn func(tx store.Tx, c store.Child, o store.Organisation, today time.Time) error) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		c, o, err := s.Authorize(ctx, tx, a, id, action, false)
		if err != nil {
			return err
		}
		today := s.today()
		if err := readOnly(c, today); err != nil {
			return err
		}
		return fn(tx, c, o, today)
	})
}

// pendingTransfer is the child's transfer waiting for an answer (at most
// one: the schema allows no second), found in its short history;
// store.ErrNotFound when there is none.
func pendingTransfer(ctx context.Context, q store.Queries, childID int64) (store.ChildTransfer, error) {
	history, err := q.ListChildTransfers(ctx, childID)
	if err != nil {
		return store.ChildTransfer{}, err
	}
	for _, t := range history {
		if t.Status == store.TransferPending {
			return t, nil
		}
	}
	return store.ChildTransfer{}, store.ErrNotFound
}

// noPendingTransfer is ErrTransferPending when the child has a transfer
// waiting for an answer: nothing else may move or remove the child then.
func noPendingTransfer(ctx context.Context, tx store.Tx, childID int64) error {
	if _, err := pendingTransfer(ctx, tx, childID); err == nil {
		return ErrTransferPending
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

func readOnly(c store.Child, today time.Time) error {
	if c.OptedOutAt != nil {
		return ErrOptedOut
	}
	if c.LockedAt != nil {
		return ErrLocked
	}
	if c.Cohort != nil && !cohort.Cohort(*c.Cohort).IsOpen(today) {
		return ErrPastDeadline
	}
	return nil
}

// pastDeadline reports whether the child's cohort no longer accepts data.
func pastDeadline(c store.Child, today time.Time) bool {
	return c.Cohort != nil && !cohort.Cohort(*c.Cohort).IsOpen(today)
}

// load reads a child the actor may view, with its lead organisation, or
// ErrNotFound.
func (s *Service) load(ctx context.Context, q store.Queries, a access.Actor, id int64) (store.Child, store.Organisation, access.Place, error) {
	return s.loadWith(ctx, q, a, id, withOrganisation(q))
}

// withOrganisation reads a child, then its lead organisation with its names.
func withOrganisation(q store.Queries) func(context.Context, int64) (store.Child, store.Organisation, error) {
	return func(ctx context.Context, id int64) (store.Child, store.Organisation, error) {
		c, err := q.GetChild(ctx, id)
		if err != nil {
			return c, store.Organisation{}, err
		}
		o, err := q.GetOrganisation(ctx, c.LeadOrganisationID)
		return c, o, err
	}
}

// loadWith is load reading the child and its organisation with read.
func (s *Service) loadWith(ctx context.Context, q store.Queries, a access.Actor, id int64,
	read func(context.Context, int64) (store.Child, store.Organisation, error)) (store.Child, store.Organisation, access.Place, error) {
	c, o, err := read(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Child{}, store.Organisation{}, access.Place{}, ErrNotFound
	}
	if err != nil {
		return store.Child{}, store.Organisation{}, access.Place{}, err
	}
	p := access.PlaceOfOrganisation(o)
	if !access.Allowed(a, access.ViewChild, p) {
		// The receiving side of a pending transfer sees the child it is
		// asked to accept (transfer.go).
		ok, err := receiving(ctx, q, a, c.ID)
		if err == nil && !ok {
			err = ErrNotFound
		}
		if err != nil {
			return store.Child{}, store.Organisation{}, access.Place{}, err
		}
	}
	return c, o, p, nil
}

// Get returns a child the actor may view. Errors: ErrNotFound.
func (s *Service) Get(ctx context.Context, a access.Actor, id int64) (Child, error) {
	c, o, p, err := s.load(ctx, s.Store, a, id)
	if err != nil {
		return Child{}, err
	}
	today := s.today()
	out := Child{Child: c, Organisation: o, ReadOnly: readOnly(c, today)}
	if c.Cohort != nil {
		out.Cohort = cohortCard(cohort.Cohort(*c.Cohort), today)
	}
	registered := c.RegisteredAt != nil
	open := !pastDeadline(c, today)
	unlocked := c.LockedAt == nil
	out.CanEdit = access.Allowed(a, access.EditDemographics, p) && out.ReadOnly == nil
	out.CanRegister = access.Allowed(a, access.RegisterChild, p) && out.ReadOnly == nil && (!registered || a.National())
	out.CanLock = access.Allowed(a, access.LockChild, p) && registered && unlocked && open
	out.CanUnlock = access.Allowed(a, access.UnlockChild, p) && !unlocked && open
	return out, nil
}

// IsJersey reports whether an organisation is in Jersey, where children
// have a unique reference number instead of an NHS number (§4.2, §4.4).
func IsJersey(o store.Organisation) bool {
	return o.CountryCode == "JEY" || o.ODSCode == "RGT1W"
}

// OrganisationsInScope are the organisations the actor may choose as a
// child's lead organisation or filter the list by.
func (s *Service) OrganisationsInScope(ctx context.Context, a access.Actor) ([]store.OrganisationChoice, error) {
	t, b := a.QueryScope()
	return s.Store.ListOrganisationsInScope(ctx, store.ListOrganisationsInScopeParams{ScopeTrust: t, ScopeBoard: b})
}

// Display helpers for templates.

// NHSNumberDisplay is the NHS number as "999 123 4560", or the Jersey
// reference number.
func (c Child) NHSNumberDisplay() string { return numberDisplay(c.NHSNumber, c.UniqueReferenceNumber) }

func numberDisplay(nhs, urn string) string {
	if nhs != "" {
		return nhsnumber.Format(nhs)
	}
	return urn
}

// PostcodeDisplay is the stored postcode as "SW1A 1AA".
func (c Child) PostcodeDisplay() string { return postcodeDisplay(c.Postcode) }

func postcodeDisplay(p string) string {
	if v, err := postcode.Validate(p); err == nil {
		return v
	}
	if v, err := postcode.ValidateJersey(p); err == nil {
		return v
	}
	return p
}

// PostcodeUnknown describes an ONS unknown code, "" for a real postcode.
func (c Child) PostcodeUnknown() string {
	for _, u := range postcode.UnknownCodes() {
		if postcode.Compact(u.Code) == c.Postcode {
			return u.Description
		}
	}
	return ""
}

// DateOfBirthDisplay is "3 May 2015", or "" when blank.
func (c Child) DateOfBirthDisplay() string { return dateDisplay(c.DateOfBirth) }

// FirstAssessmentDisplay is the first paediatric assessment date, or "".
func (c Child) FirstAssessmentDisplay() string { return dateDisplay(c.FirstPaediatricAssessmentDate) }

func dateDisplay(d *store.Date) string {
	if d == nil {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

// SexLabel and EthnicityLabel name the child's codes.
func (c Child) SexLabel() string { return sexLabel(c.Sex) }

func (c Child) EthnicityLabel() string { return EthnicityLabel(c.Ethnicity) }

// Jersey reports whether the child's lead organisation is in Jersey.
func (c Child) Jersey() bool { return IsJersey(c.Organisation) }

// Registered reports whether the child is registered in a cohort.
func (c Child) Registered() bool { return c.RegisteredAt != nil }

// Locked reports whether the child's record is locked.
func (c Child) Locked() bool { return c.LockedAt != nil }

// OrganisationLabel is "Name (ODS)".
func (c Child) OrganisationLabel() string {
	return c.Organisation.Name + " (" + c.Organisation.ODSCode + ")"
}

// ReadOnlyMessage is why the record cannot be changed, or "".
func (c Child) ReadOnlyMessage() string {
	if c.ReadOnly == nil {
		return ""
	}
	return c.ReadOnly.Error()
}

func ptr[T any](v T) *T { return &v }

// LockedAtDisplay and RegisteredAtDisplay are UK times, "21 December 2024
// at 12:00".
func (c Child) LockedAtDisplay() string { return timeDisplay(c.LockedAt) }

func (c Child) RegisteredAtDisplay() string { return timeDisplay(c.RegisteredAt) }

func timeDisplay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(london).Format("2 January 2006 at 15:04")
}

// ErrNotRegisteredForms refuses audit answers for a child not registered:
// the forms exist from registration (decisions.md).
var ErrNotRegisteredForms = conflict("This child is not registered yet. Register them before answering the audit forms.")

// Authorize loads a child the actor may view and checks they may do action
// to it. With write set, it also refuses a child that may not be changed
// today (opted out, locked, past its deadline) or is not registered.
// This package's own writes and the other packages that keep a child's
// data use it, inside their transaction.
// Errors: ErrNotFound, apperr.ErrForbidden, and with write the state
// refusals and ErrNotRegisteredForms.
func (s *Service) Authorize(ctx context.Context, q store.Queries, a access.Actor, id int64, action access.Action, write bool) (store.Child, store.Organisation, error) {
	return s.authorize(ctx, q, a, id, action, write, withOrganisation(q))
}

// AuthorizePlace is Authorize reading of the child's organisation only
// where it sits (one row of one table, GetOrganisationPlace, not the
// organisation_details view with its names): for writes, such as a saved
// answer, that check access and state and show no organisation. The
// Organisation it returns holds the ID, trust and health board only.
func (s *Service) AuthorizePlace(ctx context.Context, q store.Queries, a access.Actor, id int64, action access.Action, write bool) (store.Child, store.Organisation, error) {
	return s.authorize(ctx, q, a, id, action, write, func(ctx context.Context, id int64) (store.Child, store.Organisation, error) {
		r, err := q.GetChildAtPlace(ctx, id)
		c, o := splitChildAtPlace(r)
		return c, o, err
	})
}

// splitChildAtPlace is the child and its organisation's place, as GetChild
// and GetOrganisationPlace give them.
func splitChildAtPlace(r store.ChildAtPlace) (store.Child, store.Organisation) {
	c := store.Child{ID: r.ID, AuditID: r.AuditID, NHSNumber: r.NHSNumber, UniqueReferenceNumber: r.UniqueReferenceNumber,
		FirstName: r.FirstName, Surname: r.Surname, DateOfBirth: r.DateOfBirth, Sex: r.Sex, Postcode: r.Postcode,
		Ethnicity: r.Ethnicity, LeadOrganisationID: r.LeadOrganisationID, FirstPaediatricAssessmentDate: r.FirstPaediatricAssessmentDate,
		EligibilityConfirmed: r.EligibilityConfirmed, Cohort: r.Cohort, RegisteredAt: r.RegisteredAt, RegisteredByName: r.RegisteredByName,
		LockedAt: r.LockedAt, LockedByName: r.LockedByName, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		UpdatedByName: r.UpdatedByName, Version: r.Version, OptedOutAt: r.OptedOutAt}
	return c, store.Organisation{ID: r.LeadOrganisationID, TrustODSCode: r.PlaceTrustOdsCode, LocalHealthBoardODSCode: r.PlaceLocalHealthBoardOdsCode}
}

func (s *Service) authorize(ctx context.Context, q store.Queries, a access.Actor, id int64, action access.Action, write bool,
	read func(context.Context, int64) (store.Child, store.Organisation, error)) (store.Child, store.Organisation, error) {
	c, o, p, err := s.loadWith(ctx, q, a, id, read)
	if err != nil {
		return c, o, err
	}
	if !access.Allowed(a, action, p) {
		return c, o, apperr.ErrForbidden
	}
	if write {
		if err := readOnly(c, s.today()); err != nil {
			return c, o, err
		}
		if c.RegisteredAt == nil {
			return c, o, ErrNotRegisteredForms
		}
	}
	return c, o, nil
}

// Today is the current date in the UK.
func (s *Service) Today() time.Time { return s.today() }
