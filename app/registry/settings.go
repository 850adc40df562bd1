package registry

import (
	"context"
	"errors"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/store"
)

// A registry's settings for families (docs/registry.md "Registry
// settings"): how long onboarding emails work, the withdrawal policy, and
// whether family accounts need a second factor.

// Withdrawal policies: what happens to a patient's data when their family
// withdraws them from the registry entirely.
const (
	PolicyKeep       = "keep"       // kept as they are, marked withdrawn; no contact
	PolicyDeidentify = "deidentify" // identifiers removed at once; the trail of old values with them
	PolicyDelete     = "delete"     // deleted after a period, then purged 30 days later
)

// Policies are the withdrawal policies, for the settings page.
var Policies = []Choice{
	{PolicyKeep, "Keep the record, marked withdrawn, and contact no one about it"},
	{PolicyDeidentify, "Remove names, NHS number, date of birth (the year stays), postcode and notes at once"},
	{PolicyDelete, "Delete the record after a period (then purged 30 days later)"},
}

// WithdrawalMethods are how a withdrawal can reach the registry.
var WithdrawalMethods = []Choice{{"post", "By post"}, {"email", "By email"}, {"phone", "By phone"},
	{"in_person", "In person"}, {"online", "Online, by the family"}}

// Settings are a registry's settings for families.
type Settings struct {
	// VerificationTTL is how long an onboarding email's link and code work.
	VerificationTTL time.Duration
	// WithdrawalPolicy is one of the Policy* values; DeleteAfter is the
	// PolicyDelete period.
	WithdrawalPolicy string
	DeleteAfter      time.Duration
	// FamilySecondFactor is "optional" or "required" for family accounts.
	FamilySecondFactor string
}

// DefaultSettings apply to a registry whose settings were never saved.
func DefaultSettings() Settings {
	return Settings{VerificationTTL: 24 * time.Hour, WithdrawalPolicy: PolicyKeep, DeleteAfter: 30 * 24 * time.Hour,
		FamilySecondFactor: "optional"}
}

const day = 24 * time.Hour

// SettingsOf reads a registry's settings, the defaults when never saved.
// It asks no one's permission: the public pages and the families' area
// need them.
func SettingsOf(ctx context.Context, q store.Queries, registryID int64) (Settings, error) {
	r, err := q.GetRegistrySettings(ctx, registryID)
	if errors.Is(err, store.ErrNotFound) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, err
	}
	return Settings{VerificationTTL: time.Duration(r.VerificationHours) * time.Hour, WithdrawalPolicy: r.WithdrawalPolicy,
		DeleteAfter: time.Duration(r.WithdrawalDeleteAfterDays) * day, FamilySecondFactor: r.FamilySecondFactor}, nil
}

// SettingsInput is the settings form as typed.
type SettingsInput struct {
	VerificationHours, WithdrawalPolicy, DeleteAfterDays, FamilySecondFactor string
}

// Settings form fields.
const (
	FieldVerificationHours  = "verification_hours"
	FieldWithdrawalPolicy   = "withdrawal_policy"
	FieldDeleteAfterDays    = "delete_after_days"
	FieldFamilySecondFactor = "family_second_factor"
)

// SecondFactorChoices are the families' second-factor settings.
var SecondFactorChoices = []Choice{{"optional", "Optional: families may add one"}, {"required", "Required for every family account"}}

// Settings returns a registry's settings for its staff. Errors:
// apperr.ErrForbidden, apperr.ErrNotFound, the store's.
func (s *Service) Settings(ctx context.Context, a access.Actor, slug string) (Settings, error) {
	reg, err := s.loadFor(ctx, a, access.ViewRegistry, slug)
	if err != nil {
		return Settings{}, err
	}
	return SettingsOf(ctx, s.Store, reg.ID)
}

// SaveSettings checks and saves a registry's settings, with a trail row
// per changed setting. Errors: FieldErrors, apperr.ErrForbidden, the store's.
func (s *Service) SaveSettings(ctx context.Context, me access.Me, slug string, in SettingsInput, requestID string) error {
	var c checker
	hours := c.number(FieldVerificationHours, "how long the email's link and code work, in hours", in.VerificationHours, 1, 168)
	days := c.number(FieldDeleteAfterDays, "how many days after a withdrawal the record is deleted", in.DeleteAfterDays, 0, 3650)
	policy := c.choice(FieldWithdrawalPolicy, "withdrawal policy", Policies, in.WithdrawalPolicy, true)
	second := c.choice(FieldFamilySecondFactor, "second factor setting", SecondFactorChoices, in.FamilySecondFactor, true)
	if len(c.errs) > 0 {
		return c.errs
	}
	return s.edit(ctx, me, func(tx store.Tx) error {
		reg, err := load(ctx, tx, slug)
		if err != nil {
			return err
		}
		old, err := SettingsOf(ctx, tx, reg.ID)
		if err != nil {
			return err
		}
		if err := tx.UpsertRegistrySettings(ctx, store.UpsertRegistrySettingsParams{RegistryID: reg.ID, VerificationHours: hours,
			WithdrawalPolicy: policy, WithdrawalDeleteAfterDays: days, FamilySecondFactor: second, UpdatedAt: s.now(),
			UpdatedBy: byOf(me)}); err != nil {
			return err
		}
		row := func(field, o, n string) change {
			return change{entity: EntitySettings, id: reg.ID, field: field, old: val(o), new: val(n), version: 1}
		}
		return s.trail(ctx, tx, reg.ID, me, CauseForm, requestID,
			row(FieldVerificationHours, itoa64(int64(old.VerificationTTL/time.Hour)), itoa64(hours)),
			row(FieldWithdrawalPolicy, old.WithdrawalPolicy, policy),
			row(FieldDeleteAfterDays, itoa64(int64(old.DeleteAfter/day)), itoa64(days)),
			row(FieldFamilySecondFactor, old.FamilySecondFactor, second))
	})
}
