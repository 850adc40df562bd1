package staff

import (
	"context"
	"errors"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth"
	"clinaudit/app/listfilter"
	"clinaudit/app/store"
)

// Invite creates an account and emails its invite link, in one transaction.
// Errors: apperr.ErrForbidden, *FieldError (role, organisation, email), the
// store's.
func (s *Service) Invite(ctx context.Context, me access.Me, n auth.NewUser) (store.User, error) {
	if !access.MayManageAccounts(me.Actor) {
		return store.User{}, apperr.ErrForbidden
	}
	if !access.MayAssignRole(me.Actor, n.Role, n.Superuser) {
		return store.User{}, errf("role", "You cannot give an account this role")
	}
	n.Organisation = listfilter.ODS(n.Organisation)
	var u store.User
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		if !n.Role.HasOrganisation() {
			n.Organisation = ""
		} else {
			if _, err := organisationFor(ctx, tx, me, n.Organisation, "You can only add accounts in your own trust or health board"); err != nil {
				return err
			}
		}
		var err error
		u, err = s.Auth.CreateUser(ctx, tx, n)
		if errors.Is(err, auth.ErrEmailTaken) {
			return errf("email", "An account already uses this email address")
		}
		if err != nil {
			return errf("email", "%s", trimAuth(err))
		}
		if _, err := s.Auth.Invite(ctx, tx, u); err != nil {
			return err
		}
		return s.record(ctx, tx, &me.ID, u.ID, "invited", describe(n.Role, n.Superuser, n.Organisation))
	})
	return u, err
}

func trimAuth(err error) string {
	m := err.Error()
	if len(m) > 6 && m[:6] == "auth: " {
		m = m[6:]
	}
	return m
}

// manage loads an account the actor may manage, in tx, refusing the actor's
// own account (nobody changes their own access). Errors: ErrNotFound,
// apperr.ErrForbidden, the store's; every exported method below that calls
// it returns these too.
func (s *Service) manage(ctx context.Context, tx store.Tx, me access.Me, id int64) (store.User, error) {
	u, p, err := s.load(ctx, tx, me.Actor, id)
	if err != nil {
		return store.User{}, err
	}
	if u.ID == me.ID || !mayManage(me.Actor, u, p) {
		return store.User{}, apperr.ErrForbidden
	}
	return u, nil
}

// UpdateAccess changes an account's role, organisation and superuser flag.
// Errors: as manage, and *FieldError (role, organisation).
func (s *Service) UpdateAccess(ctx context.Context, me access.Me, id int64, role access.Role, orgODS string, superuser bool) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		u, err := s.manage(ctx, tx, me, id)
		if err != nil {
			return err
		}
		if _, ok := access.ParseRole(string(role)); !ok {
			return errf("role", "Choose a role")
		}
		if !access.MayAssignRole(me.Actor, role, superuser) || (u.IsSuperuser != superuser && !me.Actor.Superuser) {
			return errf("role", "You cannot give an account this role")
		}
		var orgID *int64
		orgODS = listfilter.ODS(orgODS)
		if !role.HasOrganisation() {
			orgODS = ""
		} else {
			o, err := organisationFor(ctx, tx, me, orgODS, "You can only move accounts within your own trust or health board")
			if err != nil {
				return err
			}
			orgID = &o.ID
		}
		before := describe(access.Role(u.Role), u.IsSuperuser, s.odsOf(ctx, tx, u.OrganisationID))
		after := describe(role, superuser, orgODS)
		if before == after {
			return nil
		}
		if err := tx.UpdateUserAccess(ctx, store.UpdateUserAccessParams{Role: string(role), OrganisationID: orgID,
			IsSuperuser: superuser, UpdatedAt: s.now(), ID: u.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, &me.ID, u.ID, "access changed", before+" → "+after)
	})
}

func (s *Service) odsOf(ctx context.Context, q store.Queries, orgID *int64) string {
	if orgID == nil {
		return ""
	}
	o, err := q.GetOrganisation(ctx, *orgID)
	if err != nil {
		return ""
	}
	return o.ODSCode
}

// SetActive deactivates (ending every session at once) or reactivates.
// Errors: as manage.
func (s *Service) SetActive(ctx context.Context, me access.Me, id int64, active bool) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		u, err := s.manage(ctx, tx, me, id)
		if err != nil || u.IsActive == active {
			return err
		}
		if err := tx.SetUserActive(ctx, store.SetUserActiveParams{IsActive: active, UpdatedAt: s.now(), ID: u.ID}); err != nil {
			return err
		}
		action := "reactivated"
		if !active {
			action = "deactivated"
			if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, &me.ID, u.ID, action, "")
	})
}

// ResendInvite sends a new invite link, revoking the old one. Errors: as
// manage, ErrAlreadyActivated, apperr.ErrForbidden for an inactive account.
func (s *Service) ResendInvite(ctx context.Context, me access.Me, id int64) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		u, err := s.manage(ctx, tx, me, id)
		if err != nil {
			return err
		}
		if u.PasswordHash != nil {
			return ErrAlreadyActivated
		}
		if !u.IsActive {
			return apperr.ErrForbidden
		}
		if _, err := s.Auth.Invite(ctx, tx, u); err != nil {
			return err
		}
		return s.record(ctx, tx, &me.ID, u.ID, "invite resent", "")
	})
}

// Unlock clears the account's sign-in locks. Errors: as manage.
func (s *Service) Unlock(ctx context.Context, me access.Me, id int64, c auth.Client) error {
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		u, err := s.manage(ctx, tx, me, id)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, &me.ID, u.ID, "unlocked", "")
	})
	if err != nil {
		return err
	}
	return s.Auth.Unlock(ctx, id, c)
}

// ResetTwoFactor removes the account's authenticator and backup codes: its
// owner sets up a new one at their next sign-in. Errors: as manage.
func (s *Service) ResetTwoFactor(ctx context.Context, me access.Me, id int64) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		u, err := s.manage(ctx, tx, me, id)
		if err != nil {
			return err
		}
		if err := tx.ResetUserTwoFactor(ctx, store.ResetUserTwoFactorParams{UpdatedAt: s.now(), ID: u.ID}); err != nil {
			return err
		}
		if err := tx.DeleteBackupCodes(ctx, u.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, &me.ID, u.ID, "second factor reset", "")
	})
}

// organisationFor is the organisation with code ods chosen for an account:
// a field error when there is none, or (outOfScope) when it is outside the
// actor's trust or health board.
func organisationFor(ctx context.Context, tx store.Tx, me access.Me, ods, outOfScope string) (store.Organisation, error) {
	o, err := tx.GetOrganisationByODS(ctx, ods)
	if errors.Is(err, store.ErrNotFound) {
		return o, errf("organisation", "Choose an organisation")
	}
	if err != nil {
		return o, err
	}
	if !me.Actor.InScope(access.PlaceOfOrganisation(o)) {
		return o, errf("organisation", "%s", outOfScope)
	}
	return o, nil
}
