package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/store"
)

// RestoreWindow is how long a deleted patient or contact can be restored
// before the daily purge removes it for good.
const RestoreWindow = 30 * 24 * time.Hour

// Service runs the registry's operations on a store.
type Service struct {
	Store store.Store
	Now   func() time.Time
	// BaseURL is where users reach the app, for links in emails
	// (onboarding, invitations); the auth service's.
	BaseURL string
	// ReportSections are the sections other features add to Report,
	// after its own, in this order (the web server lists them).
	ReportSections []ReportSection
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func (s *Service) now() time.Time   { return s.Now().UTC().Truncate(time.Second) }
func (s *Service) today() time.Time { return s.Now().In(london) }

// Registry is a hosted registry: its row and its definition.
type Registry struct {
	ID int64
	Definition
}

// Install writes every hosted registry's definition to the store (at
// start-up and by the demo), so a registry's rows have one to point at,
// and publishes its consent text as version 1 if none is.
func Install(ctx context.Context, q store.Queries, now time.Time) error {
	for _, slug := range Slugs() {
		d := Definitions[slug]
		b, err := json.Marshal(d)
		if err != nil {
			return err
		}
		id, err := q.UpsertRegistry(ctx, store.UpsertRegistryParams{Slug: d.Slug, Name: d.Name, Definition: string(b), UpdatedAt: now})
		if err != nil {
			return err
		}
		// Consent version 1 exists from the start, so that no request
		// races another to publish it.
		if _, err := CurrentConsentVersion(ctx, q, id, d, now.UTC().Truncate(time.Second)); err != nil {
			return err
		}
	}
	return nil
}

// load reads a registry by slug. Errors: apperr.ErrNotFound, the store's.
func load(ctx context.Context, q store.Queries, slug string) (Registry, error) {
	r, err := q.GetRegistryBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return Registry{}, apperr.ErrNotFound
	}
	if err != nil {
		return Registry{}, err
	}
	d, err := ParseDefinition([]byte(r.Definition))
	if err != nil {
		return Registry{}, fmt.Errorf("registry %s: %w", slug, err)
	}
	return Registry{ID: r.ID, Definition: d}, nil
}

// Get returns a registry by slug, for anyone who may see the registry.
// Errors: apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) Get(ctx context.Context, a access.Actor, slug string) (Registry, error) {
	return s.loadFor(ctx, a, access.ViewRegistry, slug)
}

// loadFor reads a registry by slug for someone who may do action in it.
func (s *Service) loadFor(ctx context.Context, a access.Actor, action access.Action, slug string) (Registry, error) {
	if err := authorize(a, action); err != nil {
		return Registry{}, err
	}
	return load(ctx, s.Store, slug)
}

// registryOf reads the registry a record belongs to, by id.
func registryOf(ctx context.Context, q store.Queries, id int64) (Registry, error) {
	rs, err := q.ListRegistries(ctx)
	if err != nil {
		return Registry{}, err
	}
	for _, r := range rs {
		if r.ID == id {
			return load(ctx, q, r.Slug)
		}
	}
	return Registry{}, apperr.ErrNotFound
}

// authorize asks the one policy: registry records belong to no
// organisation, so they are asked about with the zero Place.
func authorize(a access.Actor, action access.Action) error {
	if !access.Allowed(a, action, access.Place{}) {
		return apperr.ErrForbidden
	}
	return nil
}

// Causes of a change, as the trail records them.
const (
	CauseForm     = "form"
	CauseImport   = "import"
	CauseMerge    = "merge"
	CauseDeletion = "deletion"
	CauseRestore  = "restore"
	CauseJob      = "job"
)

// Entities of the trail.
const (
	EntityPatient      = "patient"
	EntityFinding      = "finding"
	EntityContact      = "contact"
	EntityRelationship = "relationship"
)

// change is one row for the trail.
type change struct {
	entity           string
	id               int64
	patient, contact *int64
	field            string
	old, new         *string
	version          int64
	note             string
}

// trail writes changes in tx, skipping fields whose value did not change.
func (s *Service) trail(ctx context.Context, tx store.Queries, reg int64, me access.Me, cause, requestID string, cs ...change) error {
	by := byOf(me)
	at := s.now()
	for _, c := range cs {
		if eq(c.old, c.new) && c.note == "" {
			continue
		}
		if err := tx.InsertRegistryChange(ctx, store.InsertRegistryChangeParams{RegistryID: reg, Entity: c.entity, EntityID: c.id,
			PatientID: c.patient, ContactID: c.contact, Field: c.field, OldValue: c.old, NewValue: c.new, Version: c.version,
			Cause: cause, Note: c.note, ChangedAt: at, ChangedBy: by, ChangedByFamily: familyOf(me), RequestID: requestID}); err != nil {
			return err
		}
	}
	return nil
}

func byOf(me access.Me) *int64 {
	if me.ID == 0 {
		return nil
	}
	id := me.ID
	return &id
}

// familyOf is the family account acting, for the trail; nil for staff.
func familyOf(me access.Me) *int64 {
	if me.Family == 0 {
		return nil
	}
	id := me.Family
	return &id
}

func eq(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// val is a value for the trail: nil for empty.
func val(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func dateVal(d *store.Date) *string {
	if d == nil {
		return nil
	}
	return val(d.String())
}

func boolVal(b bool) *string {
	if b {
		return val("yes")
	}
	return val("no")
}

// History is a record's trail, newest first, as its history page shows it.
// Errors: apperr.ErrForbidden, the store's.
func (s *Service) History(ctx context.Context, me access.Me, patientID, contactID int64) ([]store.RegistryChange, error) {
	if err := authorize(me.Actor, access.ViewRegistryIDs); err != nil {
		return nil, err
	}
	return s.Store.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: patientID, ContactID: contactID, PageLimit: 500})
}

// ConflictError refuses a save because someone else changed the same field
// after the form showed it. It carries their value.
type ConflictError struct {
	Field   string
	Theirs  string // as stored ("" for not set)
	Version int64
	By      string
	At      time.Time
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s changed this at %s, after you opened the page", e.By, e.At.In(london).Format("15:04"))
}

// IsConflict reports whether err is a ConflictError.
func IsConflict(err error) bool {
	var c *ConflictError
	return errors.As(err, &c)
}

// errStale is a write that lost a race with another to the same record
// between its read and its update (PostgreSQL): the user saves again.
var errStale = apperr.New(apperr.Conflict, "Someone else saved this record at the same moment: save again")

// fieldConflict is a refusal when someone else changed field of the record
// after the version the user saw (seen), to something other than what
// they now send.
func fieldConflict(ctx context.Context, q store.Queries, me access.Me, entity string, id int64, field string, seen, current int64, sending *string) error {
	if seen <= 0 || seen >= current {
		return nil
	}
	last, err := q.GetLastRegistryFieldChange(ctx, store.GetLastRegistryFieldChangeParams{Entity: entity, EntityID: id, Field: field})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	mine := (last.ChangedBy != nil && *last.ChangedBy == me.ID) || (last.ChangedByFamily != nil && *last.ChangedByFamily == me.Family)
	if last.Version <= seen || mine || eq(last.NewValue, sending) {
		return nil
	}
	by := strings.TrimSpace(last.ChangedByName)
	if by == "" {
		by = "Someone else"
	}
	theirs := ""
	if last.NewValue != nil {
		theirs = *last.NewValue
	}
	return &ConflictError{Field: field, Theirs: theirs, Version: last.Version, By: by, At: last.ChangedAt}
}

// SaveField is one field as autosave sends it.
type SaveField struct {
	ID    int64  // the patient, contact, relationship or finding
	Field string // one of the Field* names
	Value string // the field's text; "yes"/"no" for a flag
	Date  DateInput
	// Seen is the record's version the page showed; someone else's change
	// to this field after it is a conflict (0: no check). A user who chose
	// to overwrite sends the conflict's version.
	Seen      int64
	RequestID string
}

// Saved is what a save did: the record's version now, and the field's
// value as stored (what the page shows back).
type Saved struct {
	Version int64
	Value   string
	Changed bool
}

// onlyField keeps the messages about field; a message about another
// field that the change caused (a date of birth after the date of death)
// is shown against field.
func onlyField(errs FieldErrors, field string) FieldErrors {
	if len(errs) == 0 {
		return nil
	}
	var out FieldErrors
	for _, e := range errs {
		if e.Field == field {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		e := errs[0]
		e.Field, e.Parts = field, nil
		out = FieldErrors{e}
	}
	return out
}

func yes(v string) bool { return v == "yes" || v == "true" || v == "on" }

// asField shows field errors against field; other errors pass.
func asField(err error, field string) error {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return onlyField(fe, field)
	}
	return err
}

func itoa(n int) string { return strconv.Itoa(n) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
