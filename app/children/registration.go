package children

import (
	"context"
	"errors"
	"fmt"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/cohort"
	"clinaudit/app/datefield"
	"clinaudit/app/listfilter"
	"clinaudit/app/store"
)

// Registration is the registration form (spec §2.3, §10.3) as sent.
type Registration struct {
	// EligibilityConfirmed: "I confirm the child meets all the criteria".
	EligibilityConfirmed bool
	FirstAssessment      DateInput
	// LeadOrganisation is an ODS code; empty keeps the current one.
	LeadOrganisation string
}

const fpaLabel = "First paediatric assessment date"

// Register confirms a child's eligibility, records the first paediatric
// assessment date and the lead organisation, and derives the cohort (§7).
// The earliest date allowed depends on the actor (§4.1): the child's date of
// birth for the national audit team and superusers, the start of the oldest
// open cohort for everyone else. Registering again changes a registration;
// only national actors may. Errors: FieldErrors, ErrAlreadyRegistered
// besides the common ones.
func (s *Service) Register(ctx context.Context, me Me, id int64, r Registration) error {
	return s.change(ctx, me.Actor, id, access.RegisterChild, func(tx store.Tx, c store.Child, o store.Organisation, today time.Time) error {
		if c.RegisteredAt != nil && !me.Actor.National() {
			return ErrAlreadyRegistered
		}
		var errs FieldErrors
		if !r.EligibilityConfirmed {
			errs.add("eligibility", "Confirm the child meets all the eligibility criteria")
		}
		var number cohort.Cohort
		fpa, err := datefield.Parse(fpaLabel, r.FirstAssessment.Day, r.FirstAssessment.Month, r.FirstAssessment.Year)
		if err == nil {
			var born time.Time // zero when not recorded: no limit from it
			if c.DateOfBirth != nil {
				born = c.DateOfBirth.Time()
			}
			err = datefield.Check(fpaLabel, fpa, datefield.FirstPaediatricAssessment(today, born, me.Actor.National())...)
		}
		if err == nil {
			number, _ = cohort.ForDate(fpa) // the rules above keep fpa in cohort 4 or later
			if !number.IsOpen(today) {
				err = &datefield.Error{Message: fmt.Sprintf("%s is in cohort %d, whose submission deadline (%s) has passed",
					fpaLabel, number, datefield.Format(number.SubmissionDeadline())), Parts: []datefield.Part{datefield.Day, datefield.Month, datefield.Year}}
			}
		}
		if err != nil {
			errs.addDate("first_paediatric_assessment_date", err)
		}
		lead := o
		if ods := listfilter.ODS(r.LeadOrganisation); ods != "" && ods != o.ODSCode {
			n, err := tx.GetOrganisationByODS(ctx, ods)
			switch {
			case errors.Is(err, store.ErrNotFound):
				errs.add("lead_organisation", "Choose the child's lead organisation from the list")
			case err != nil:
				return err
			case !access.Allowed(me.Actor, access.RegisterChild, access.PlaceOfOrganisation(n)):
				errs.add("lead_organisation", "You can only choose an organisation in your own trust or health board")
			case IsJersey(n) != IsJersey(o):
				errs.add("lead_organisation", "A child in Jersey needs a lead organisation in Jersey, and a child elsewhere one outside Jersey")
			default:
				lead = n
			}
		}
		if len(errs) > 0 {
			return errs
		}
		d := store.NewDate(fpa)
		rows, err := tx.RegisterChild(ctx, store.RegisterChildParams{FirstPaediatricAssessmentDate: &d,
			Cohort: ptr(int64(number)), LeadOrganisationID: lead.ID, UpdatedAt: s.now(), UpdatedBy: &me.ID,
			ID: c.ID, Version: c.Version})
		return s.written(ctx, tx, me, c, rows, err, KindRegistration)
	})
}

// Lock marks a registered child's record as complete and submitted: nobody
// may change it until someone unlocks it (§11.1). version is the one the
// "check your answers" page showed, so what is locked is what was checked.
// Errors: ErrNotRegistered, ErrAlreadyLocked, an apperr.Conflict wrapping
// *IncompleteError (errors.Is ErrIncomplete), besides the common ones.
func (s *Service) Lock(ctx context.Context, me Me, id, version int64) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		c, _, err := s.Authorize(ctx, tx, me.Actor, id, access.LockChild, false)
		if err != nil {
			return err
		}
		today := s.today()
		switch {
		case c.LockedAt != nil:
			return ErrAlreadyLocked
		case c.RegisteredAt == nil:
			return ErrNotRegistered
		case pastDeadline(c, today):
			return ErrPastDeadline
		case version != c.Version:
			return ErrStale
		}
		if err := s.checkComplete(ctx, tx, c); err != nil {
			return err
		}
		rows, err := tx.LockChild(ctx, store.LockChildParams{UpdatedAt: s.now(), UpdatedBy: &me.ID, ID: c.ID, Version: c.Version})
		return s.written(ctx, tx, me, c, rows, err, KindLock)
	})
}

// Unlock reopens a locked child's record for changes, until the cohort's
// submission deadline. Errors: ErrNotLocked besides the common ones.
func (s *Service) Unlock(ctx context.Context, me Me, id int64) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		c, _, err := s.Authorize(ctx, tx, me.Actor, id, access.UnlockChild, false)
		if err != nil {
			return err
		}
		switch {
		case c.LockedAt == nil:
			return ErrNotLocked
		case pastDeadline(c, s.today()):
			return ErrPastDeadline
		}
		rows, err := tx.UnlockChild(ctx, store.UnlockChildParams{UpdatedAt: s.now(), UpdatedBy: &me.ID, ID: c.ID, Version: c.Version})
		return s.written(ctx, tx, me, c, rows, err, KindLock)
	})
}

// EarliestFirstAssessment describes the earliest first paediatric
// assessment date the actor may enter for c today (§4.1), for the form's
// hint: the latest of the date of birth, the start of cohort 4 and, outside
// the national audit team, the start of the oldest open cohort.
func (s *Service) EarliestFirstAssessment(a access.Actor, c Child) string {
	earliest, what := cohort.First.Start(), fmt.Sprintf("the start of cohort %d", cohort.First)
	if !a.National() {
		open := cohort.RolesOn(s.today()).DashboardDefault()
		if open.Start().After(earliest) {
			earliest, what = open.Start(), fmt.Sprintf("the start of cohort %d, the oldest cohort still open", open)
		}
	}
	if c.DateOfBirth != nil && c.DateOfBirth.Time().After(earliest) {
		earliest, what = c.DateOfBirth.Time(), "the child's date of birth"
	}
	return datefield.Format(earliest) + " (" + what + ")"
}
