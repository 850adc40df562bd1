package children

import (
	"context"
	"errors"
	"strconv"

	"clinaudit/app/scorequeue"
	"clinaudit/app/store"
)

// The trail of changes to a child itself (decisions.md: "an audit trail of
// every change", which Epilepsy12 keeps only in its admin, §11.5): who,
// when, which field, the value before and after, and the cause. Every write
// of this package calls record once, in the write's own transaction, so a
// change and its trail commit or roll back together. The audit answers
// have their own trail (answer_changes, app/answers); the history page
// shows both.

// Kinds of change, the history page's filter.
const (
	KindDemographics = "demographics"
	KindRegistration = "registration"
	KindLock         = "lock"
	KindTransfer     = "transfer"
	KindOptOut       = "opt_out"
	KindDeletion     = "deletion"
)

// Kinds lists them in the order the filter offers them.
var Kinds = []string{KindDemographics, KindRegistration, KindLock, KindTransfer, KindOptOut, KindDeletion}

// Causes of a change. Without one in the context, a change by a national
// user is the national team's, a transfer step a transfer's, and the rest
// a form's.
const (
	CauseForm     = "form"
	CauseImport   = "import"
	CauseTransfer = "transfer"
	CauseNational = "national_team"
	CauseJob      = "job"
)

type originKey struct{}

type origin struct{ cause, requestID string }

// WithOrigin marks the changes made with ctx as coming from cause (an
// import, a job), with requestID naming the request, file line or job.
func WithOrigin(ctx context.Context, cause, requestID string) context.Context {
	return context.WithValue(ctx, originKey{}, origin{cause: cause, requestID: requestID})
}

// WithRequestID records the request's ID with the changes it makes (the
// web layer's middleware sets it on every request).
func WithRequestID(ctx context.Context, requestID string) context.Context {
	o, _ := ctx.Value(originKey{}).(origin)
	o.requestID = requestID
	return context.WithValue(ctx, originKey{}, o)
}

// Change is one field's change, for kinds whose values are not columns of
// the child (a transfer's status, an opt-out, a deletion).
type Change struct {
	Field    string
	Old, New *string
}

// fieldsOf is the child's columns the trail follows, as stored text (NULL
// when not set); lead is the lead organisation's ODS code.
func fieldsOf(c store.Child, lead string) []Change {
	text := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	date := func(d *store.Date) *string {
		if d == nil {
			return nil
		}
		return ptr(d.String())
	}
	num := func(n *int64) *string {
		if n == nil {
			return nil
		}
		return ptr(strconv.FormatInt(*n, 10))
	}
	locked := "false"
	if c.LockedAt != nil {
		locked = "true"
	}
	return []Change{
		{Field: "nhs_number", New: text(c.NHSNumber)},
		{Field: "unique_reference_number", New: text(c.UniqueReferenceNumber)},
		{Field: "first_name", New: text(c.FirstName)},
		{Field: "surname", New: text(c.Surname)},
		{Field: "date_of_birth", New: date(c.DateOfBirth)},
		{Field: "sex", New: num(c.Sex)},
		{Field: "postcode", New: text(c.Postcode)},
		{Field: "ethnicity", New: text(c.Ethnicity)},
		{Field: "lead_organisation", New: text(lead)},
		{Field: "eligibility_confirmed", New: ptr(strconv.FormatBool(c.EligibilityConfirmed))},
		{Field: "first_paediatric_assessment_date", New: date(c.FirstPaediatricAssessmentDate)},
		{Field: "cohort", New: num(c.Cohort)},
		{Field: "locked", New: ptr(locked)},
	}
}

// diff is the fields that differ between two states of a child.
func diff(before, after []Change) []Change {
	var out []Change
	for i := range after {
		o, n := before[i].New, after[i].New
		if (o == nil) != (n == nil) || (o != nil && *o != *n) {
			out = append(out, Change{Field: after[i].Field, Old: o, New: n})
		}
	}
	return out
}

// written ends a write to child c that the store guarded by c's version:
// rows is what the write changed (none: someone else changed the child
// first), then the trail of kind and the KPI job.
func (s *Service) written(ctx context.Context, tx store.Tx, me Me, c store.Child, rows int64, err error, kind string) error {
	if err != nil {
		return err
	}
	if rows == 0 {
		return ErrStale
	}
	if err := s.record(ctx, tx, me, c.ID, &c, kind, ""); err != nil {
		return err
	}
	return scorequeue.Later(ctx, tx, c.ID)
}

// record writes the trail of one change to a child, in q (the change's
// transaction). With before set (the child as the write loaded it; the
// zero Child for a new one), the child is read again and every followed
// field that differs is recorded; extra adds the changes no column holds.
func (s *Service) record(ctx context.Context, q store.Queries, me Me, id int64, before *store.Child, kind, note string, extra ...Change) error {
	changes := extra
	if before != nil {
		after, err := q.GetChild(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil {
			old, err := s.leadODS(ctx, q, before.LeadOrganisationID)
			if err != nil {
				return err
			}
			now := old
			if after.LeadOrganisationID != before.LeadOrganisationID {
				if now, err = s.leadODS(ctx, q, after.LeadOrganisationID); err != nil {
					return err
				}
			}
			changes = append(diff(fieldsOf(*before, old), fieldsOf(after, now)), extra...)
		}
	}
	o, _ := ctx.Value(originKey{}).(origin)
	cause := o.cause
	switch {
	case cause != "":
	case kind == KindTransfer:
		cause = CauseTransfer
	case me.Actor.National():
		cause = CauseNational
	default:
		cause = CauseForm
	}
	var by *int64
	if me.ID != 0 {
		by = &me.ID
	}
	at := s.now()
	for _, ch := range changes {
		if err := q.InsertChildChange(ctx, store.InsertChildChangeParams{ChildID: id, Kind: kind, Field: ch.Field,
			OldValue: ch.Old, NewValue: ch.New, Cause: cause, Note: note, ChangedAt: at, ChangedBy: by, RequestID: o.requestID}); err != nil {
			return err
		}
	}
	return nil
}

// leadODS is an organisation's ODS code; "" for none (a new child).
func (s *Service) leadODS(ctx context.Context, q store.Queries, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	o, err := q.GetOrganisation(ctx, id)
	if err != nil {
		return "", err
	}
	return o.ODSCode, nil
}
