package family

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"clinaudit/app/apperr"
	"clinaudit/app/auth/secret"
	"clinaudit/app/children"
	"clinaudit/app/outbox"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// A family invites another carer of one of its patients by email: a
// single-use link (stored hashed, InviteTTL) that the invitee opens (which
// proves the mailbox), types their details, and becomes a contact with a
// relationship to the patient and a family account of their own.

// ErrBadInvitation refuses a link unknown, used, expired or tampered with.
var ErrBadInvitation = apperr.New(apperr.Gone, "This invitation link has expired or has been used. Ask the person who invited you to send a new one.")

// InviteTypes are the relationships a family may invite someone as: every
// relationship type but clinician (the registry team links clinicians).
func InviteTypes() []registry.Choice {
	var out []registry.Choice
	for _, c := range registry.RelationshipTypes {
		if c.Code != "clinician" {
			out = append(out, c)
		}
	}
	return out
}

// InviteInput is the invitation form.
type InviteInput struct {
	Email          string
	Type           string // a code of InviteTypes
	LegalAuthority bool
}

// Invite emails an invitation to join one of the account's patients.
// Errors: apperr.ErrNotFound (not the account's patient), FieldErrors, the
// store's.
func (s *Service) Invite(ctx context.Context, a store.FamilyAccount, patientID int64, in InviteInput) error {
	p, err := s.authorised(ctx, a, patientID)
	if err != nil {
		return err
	}
	var errs children.FieldErrors
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		errs = append(errs, children.FieldError{Field: "email", Message: "Enter an email address in the correct format, like name@example.com"})
	}
	ok := false
	for _, c := range InviteTypes() {
		ok = ok || c.Code == in.Type
	}
	if !ok {
		errs = append(errs, children.FieldError{Field: "type", Message: "Select what they are to " + p.FirstName})
	}
	if len(errs) > 0 {
		return errs
	}
	token, hash := secret.NewToken()
	now := s.now()
	exp := now.Add(s.InviteTTL)
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.CreateFamilyInvitation(ctx, store.CreateFamilyInvitationParams{TokenHash: hex.EncodeToString(hash),
			RegistryID: a.RegistryID, PatientID: patientID, InvitedBy: a.ID, Email: email, RelationshipType: in.Type,
			LegalAuthority: in.LegalAuthority, CreatedAt: now, ExpiresAt: exp}); err != nil {
			return err
		}
		_, err := outbox.Enqueue(ctx, tx, outbox.Message{To: email, Subject: "You are invited to join a family in the registry", Text: fmt.Sprintf(
			"Hello,\n\n%s %s has invited you to help look after %s's record in the registry.\n\n"+
				"Accept the invitation with this link:\n%s\n\n"+
				"The link works once and expires at %s. You will be asked for your name and how to contact you.\n\n"+
				"If you were not expecting this email, you can ignore it.\n",
			a.FirstName, a.Surname, p.FirstName, s.BaseURL+"/family/join/"+token, exp.In(london).Format("15:04 on Monday 2 January 2006"))}, now)
		return err
	})
}

// Invitation is a valid invitation as its page shows it.
type Invitation struct {
	store.FamilyInvitation
	PatientFirstName string
	InviterName      string
}

// GetInvitation reads a valid invitation by its link's token, without
// spending it. Errors: ErrBadInvitation, the store's.
func (s *Service) GetInvitation(ctx context.Context, token string) (Invitation, error) {
	inv, err := s.Store.GetFamilyInvitation(ctx, hex.EncodeToString(secret.HashToken(token)))
	if errors.Is(err, store.ErrNotFound) {
		return Invitation{}, ErrBadInvitation
	}
	if err != nil {
		return Invitation{}, err
	}
	if inv.UsedAt != nil || !s.now().Before(inv.ExpiresAt) {
		return Invitation{}, ErrBadInvitation
	}
	p, err := s.Store.GetRegistryPatient(ctx, inv.PatientID)
	if err != nil || p.DeletedAt != nil {
		return Invitation{}, ErrBadInvitation
	}
	by, err := s.Store.GetFamilyAccount(ctx, inv.InvitedBy)
	if err != nil {
		return Invitation{}, ErrBadInvitation
	}
	return Invitation{FamilyInvitation: inv, PatientFirstName: p.FirstName, InviterName: by.FirstName + " " + by.Surname}, nil
}

// Accept spends an invitation: the invitee's contact (the invitation's
// email, the details they typed), their relationship to the patient and
// their family account, in one transaction, made on the inviter's behalf
// (the trail names the inviting account). Someone who has a family account
// already is linked as that contact. The inviter must still have authority
// for the patient. Errors: ErrBadInvitation, registry.FieldErrors, the
// store's.
func (s *Service) Accept(ctx context.Context, token string, in registry.ContactInput) (store.FamilyAccount, error) {
	inv, err := s.GetInvitation(ctx, token)
	if err != nil {
		return store.FamilyAccount{}, err
	}
	inviter, err := s.Store.GetFamilyAccount(ctx, inv.InvitedBy)
	if err != nil {
		return store.FamilyAccount{}, err
	}
	if _, err := s.authorised(ctx, inviter, inv.PatientID); err != nil {
		return store.FamilyAccount{}, ErrBadInvitation // their own access has ended since
	}
	slug, err := s.slugOf(ctx, inv.RegistryID)
	if err != nil {
		return store.FamilyAccount{}, err
	}
	in.Email = inv.Email // the link proved this address
	me := registry.ForFamily(inviter.ID)
	var accountID int64
	err = s.Registry.Within(ctx, func(reg *registry.Service, tx store.Tx) error {
		existing, err := tx.GetFamilyAccountByEmail(ctx, store.GetFamilyAccountByEmailParams{RegistryID: inv.RegistryID, Email: inv.Email})
		contactID := existing.ContactID
		switch {
		case err == nil:
			accountID = existing.ID
		case errors.Is(err, store.ErrNotFound):
			c, err := reg.AddContact(ctx, me, slug, in, true, registry.CauseForm)
			if err != nil {
				return err
			}
			contactID = c.ID
			if accountID, err = tx.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: inv.RegistryID,
				ContactID: c.ID, Email: inv.Email, CreatedAt: s.now()}); err != nil {
				return err
			}
		default:
			return err
		}
		if _, err := reg.Link(ctx, me, inv.PatientID, contactID, registry.RelationshipInput{Type: inv.RelationshipType,
			LegalAuthority: inv.LegalAuthority, MayAct: true}, registry.CauseForm); err != nil {
			return err
		}
		n, err := tx.UseFamilyInvitation(ctx, store.UseFamilyInvitationParams{Now: ptr(s.now()), AcceptedAccountID: &accountID, ID: inv.ID})
		if err != nil {
			return err
		}
		if n != 1 { // accepted by a concurrent request
			return ErrBadInvitation
		}
		return nil
	})
	if err != nil {
		return store.FamilyAccount{}, err
	}
	return s.Store.GetFamilyAccount(ctx, accountID)
}

func (s *Service) slugOf(ctx context.Context, registryID int64) (string, error) {
	rs, err := s.Store.ListRegistries(ctx)
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if r.ID == registryID {
			return r.Slug, nil
		}
	}
	return "", apperr.ErrNotFound
}

func ptr[T any](v T) *T { return &v }
