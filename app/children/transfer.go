package children

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/listfilter"
	"clinaudit/app/outbox"
	"clinaudit/app/scorequeue"
	"clinaudit/app/store"
)

// Transfer of lead site (spec §11.4). Someone who may transfer children at
// the child's lead organisation asks to move the child to another
// organisation in England or Wales; the child then has a pending transfer
// until the receiving side (anyone who may transfer children there: its
// trust's or health board's lead clinicians, the national audit team with
// full access) accepts or rejects it, or the asking side cancels it. Only
// an accepted transfer moves the lead organisation, and with it who may see
// the child: the old organisation's people lose sight of the child unless it
// is in the same trust or health board. Unlike Epilepsy12, which moved the
// child at once and moved it back on a rejection, nothing about the child
// changes while the transfer waits.
//
// Every step emails the active lead clinicians of both organisations, in the
// transaction of the change. An organisation with no active lead clinician
// is reported to the national audit team (full access) instead, as
// Epilepsy12 wrote to its site contact. Emails name the child only by their
// audit ID.

// Refusals because of the transfer's state (409).
var (
	ErrTransferPending = conflict("A transfer of this child's lead organisation is waiting for an answer. It has to be accepted, rejected or cancelled first.")
	ErrNoTransfer      = conflict("There is no transfer of this child's lead organisation waiting for an answer: someone may have answered or cancelled it already.")
	ErrJerseyTransfer  = conflict("Children in Jersey have a unique reference number instead of an NHS number, so they cannot be transferred to an organisation in England or Wales.")
)

// Countries whose organisations a child may be transferred to.
const (
	countryEngland = "E92000001"
	countryWales   = "W92000004"
)

// Transfer is one request to move a child's lead organisation.
type Transfer struct{ store.ChildTransfer }

// RequestedAtDisplay and RespondedAtDisplay are UK times.
func (t Transfer) RequestedAtDisplay() string { return timeDisplay(&t.RequestedAt) }

func (t Transfer) RespondedAtDisplay() string { return timeDisplay(t.RespondedAt) }

// FromLabel and ToLabel are "Name (ODS)".
func (t Transfer) FromLabel() string { return t.FromName + " (" + t.FromOds + ")" }

func (t Transfer) ToLabel() string { return t.ToName + " (" + t.ToOds + ")" }

// Lifecycle is what the child's page shows about transfers, opt-out and
// deletion, and which of them the viewer may do now.
type Lifecycle struct {
	// Pending is the transfer waiting for an answer, if any.
	Pending *Transfer
	// PreviousLeads are the accepted transfers, newest first: each one's
	// origin led the child's care until it was accepted.
	PreviousLeads []Transfer
	// CanTransfer: ask to move the child. CanAccept, CanReject: answer the
	// pending transfer (the receiving side). CanCancel: withdraw it (the
	// asking side).
	CanTransfer, CanAccept, CanReject, CanCancel bool
	// AcceptBlocked says why the receiving side cannot accept now (the
	// child is locked or past its deadline); they can still reject.
	AcceptBlocked string
	CanOptOut     bool
	CanDelete     bool
}

// Lifecycle reads the child's transfers and says what the actor may do.
// c comes from Get, for the same actor.
func (s *Service) Lifecycle(ctx context.Context, a access.Actor, c Child) (Lifecycle, error) {
	var lc Lifecycle
	history, err := s.Store.ListChildTransfers(ctx, c.ID)
	if err != nil {
		return lc, err
	}
	for _, t := range history {
		switch t.Status {
		case store.TransferPending:
			lc.Pending = &Transfer{t}
		case store.TransferAccepted:
			lc.PreviousLeads = append(lc.PreviousLeads, Transfer{t})
		}
	}
	p := access.PlaceOfOrganisation(c.Organisation)
	lead := access.Allowed(a, access.TransferChild, p)
	if lc.Pending != nil {
		to, err := s.Store.GetOrganisation(ctx, lc.Pending.ToOrganisationID)
		if err != nil {
			return lc, err
		}
		lc.CanReject = access.Allowed(a, access.TransferChild, access.PlaceOfOrganisation(to))
		lc.CanAccept = lc.CanReject && c.ReadOnly == nil
		if lc.CanReject && c.ReadOnly != nil {
			lc.AcceptBlocked = c.ReadOnly.Error()
		}
		lc.CanCancel = lead
	}
	free := lc.Pending == nil && c.OptedOutAt == nil
	lc.CanTransfer = lead && free && c.ReadOnly == nil && !c.Jersey()
	lc.CanOptOut = access.Allowed(a, access.OptOutChild, p) && free
	lc.CanDelete = access.Allowed(a, access.DeleteChild, p) && free && c.ReadOnly == nil
	return lc, nil
}

// receiving reports whether the actor is on the receiving side of a pending
// transfer of the child: they may view it to decide.
func receiving(ctx context.Context, q store.Queries, a access.Actor, childID int64) (bool, error) {
	if !a.Can(access.TransferChild) {
		return false, nil
	}
	t, err := pendingTransfer(ctx, q, childID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	to, err := q.GetOrganisation(ctx, t.ToOrganisationID)
	if err != nil {
		return false, err
	}
	return access.Allowed(a, access.TransferChild, access.PlaceOfOrganisation(to)), nil
}

// TransferOrganisations are the organisations a child may be moved to:
// every one in England and Wales but the child's own.
func (s *Service) TransferOrganisations(ctx context.Context, c Child) ([]store.OrganisationChoice, error) {
	all, err := s.Store.ListTransferOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, o := range all {
		if o.ID != c.LeadOrganisationID {
			out = append(out, o)
		}
	}
	return out, nil
}

// RequestTransfer asks to move the child's lead organisation to the one
// with ODS code to. Errors: FieldErrors on "organisation" (bad input),
// ErrTransferPending, ErrJerseyTransfer, besides the common ones.
func (s *Service) RequestTransfer(ctx context.Context, me Me, id int64, to string) error {
	return s.change(ctx, me.Actor, id, access.TransferChild, func(tx store.Tx, c store.Child, from store.Organisation, _ time.Time) error {
		if IsJersey(from) {
			return ErrJerseyTransfer
		}
		if err := noPendingTransfer(ctx, tx, c.ID); err != nil {
			return err
		}
		ods := listfilter.ODS(to)
		if ods == "" {
			return FieldErrors{{Field: "organisation", Message: "Choose the organisation to transfer the child to"}}
		}
		if ods == from.ODSCode {
			return FieldErrors{{Field: "organisation", Message: "Choose an organisation other than the child's lead organisation now"}}
		}
		target, err := tx.GetOrganisationByODS(ctx, ods)
		if errors.Is(err, store.ErrNotFound) || (err == nil && target.CountryCode != countryEngland && target.CountryCode != countryWales) {
			return FieldErrors{{Field: "organisation", Message: "Choose an organisation in England or Wales from the list"}}
		}
		if err != nil {
			return err
		}
		now := s.now()
		tid, err := tx.InsertChildTransfer(ctx, store.InsertChildTransferParams{ChildID: c.ID, FromOrganisationID: from.ID,
			ToOrganisationID: target.ID, RequestedAt: now, RequestedBy: &me.ID})
		if errors.Is(err, store.ErrConflict) {
			return ErrTransferPending // someone asked at the same moment
		}
		if err != nil {
			return err
		}
		t := store.ChildTransfer{ID: tid, ChildID: c.ID, Status: store.TransferPending, FromOrganisationID: from.ID,
			FromOds: from.ODSCode, FromName: from.Name, ToOrganisationID: target.ID, ToOds: target.ODSCode, ToName: target.Name}
		if err := s.record(ctx, tx, me, c.ID, nil, KindTransfer, transferNote(t), Change{Field: "transfer", New: ptr(store.TransferPending)}); err != nil {
			return err
		}
		return s.notifyTransfer(ctx, tx, me, c, t)
	})
}

// AcceptTransfer and RejectTransfer answer the child's pending transfer, on
// the receiving side. Accepting moves the lead organisation; it is refused
// while the child is locked or past its deadline (rejecting is not).
// Errors: ErrNoTransfer besides the common ones.
func (s *Service) AcceptTransfer(ctx context.Context, me Me, id int64) error {
	return s.answer(ctx, me, id, store.TransferAccepted)
}

func (s *Service) RejectTransfer(ctx context.Context, me Me, id int64) error {
	return s.answer(ctx, me, id, store.TransferRejected)
}

// CancelTransfer withdraws the child's pending transfer, on the asking side.
// Errors: ErrNoTransfer besides the common ones.
func (s *Service) CancelTransfer(ctx context.Context, me Me, id int64) error {
	return s.answer(ctx, me, id, store.TransferCancelled)
}

func (s *Service) answer(ctx context.Context, me Me, id int64, status string) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		c, _, p, err := s.load(ctx, tx, me.Actor, id)
		if err != nil {
			return err
		}
		if !me.Actor.Can(access.TransferChild) {
			return apperr.ErrForbidden
		}
		t, err := pendingTransfer(ctx, tx, c.ID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoTransfer
		}
		if err != nil {
			return err
		}
		side := p // cancelling: the asking side, where the child is now
		if status != store.TransferCancelled {
			to, err := tx.GetOrganisation(ctx, t.ToOrganisationID)
			if err != nil {
				return err
			}
			side = access.PlaceOfOrganisation(to)
		}
		if !access.Allowed(me.Actor, access.TransferChild, side) {
			return apperr.ErrForbidden
		}
		if status == store.TransferAccepted {
			if err := readOnly(c, s.today()); err != nil {
				return err
			}
		}
		now := s.now()
		rows, err := tx.AnswerChildTransfer(ctx, store.AnswerChildTransferParams{Status: status, RespondedAt: &now,
			RespondedBy: &me.ID, ID: t.ID})
		if err != nil {
			return err
		}
		if rows == 0 {
			return ErrNoTransfer
		}
		if status == store.TransferAccepted {
			rows, err := tx.MoveChildLeadOrganisation(ctx, store.MoveChildLeadOrganisationParams{ToOrganisationID: t.ToOrganisationID,
				UpdatedAt: now, UpdatedBy: &me.ID, ID: c.ID, FromOrganisationID: t.FromOrganisationID})
			if err != nil {
				return err
			}
			if rows == 0 {
				return ErrStale
			}
			if err := scorequeue.Later(ctx, tx, c.ID); err != nil {
				return err
			}
		}
		t.Status = status
		var before *store.Child // an accepted transfer moves the lead organisation
		if status == store.TransferAccepted {
			before = &c
		}
		if err := s.record(ctx, tx, me, c.ID, before, KindTransfer, transferNote(t),
			Change{Field: "transfer", Old: ptr(store.TransferPending), New: ptr(status)}); err != nil {
			return err
		}
		return s.notifyTransfer(ctx, tx, me, c, t)
	})
}

// transferNote names a transfer's two organisations for the trail.
func transferNote(t store.ChildTransfer) string {
	return "From " + t.FromName + " (" + t.FromOds + ") to " + t.ToName + " (" + t.ToOds + ")"
}

// TransferRow is a pending transfer on the transfers page.
type TransferRow struct {
	store.PendingChildTransfer
	// Incoming: the receiving organisation is in the viewer's scope, so
	// they may accept or reject it. Otherwise it is outgoing: they asked.
	Incoming bool
}

// NHSNumberDisplay, DateOfBirthDisplay, Name and RequestedAtDisplay are
// for the page.
func (r TransferRow) NHSNumberDisplay() string {
	return numberDisplay(r.NHSNumber, r.UniqueReferenceNumber)
}

func (r TransferRow) DateOfBirthDisplay() string { return dateDisplay(r.DateOfBirth) }

func (r TransferRow) Name() string { return strings.TrimSpace(r.FirstName + " " + r.Surname) }

func (r TransferRow) RequestedAtDisplay() string { return timeDisplay(&r.RequestedAt) }

// Transfers are the pending transfers into the actor's scope (incoming)
// and out of it (outgoing), oldest first. National actors see every one as
// incoming. Errors: apperr.ErrForbidden.
func (s *Service) Transfers(ctx context.Context, a access.Actor) (incoming, outgoing []TransferRow, err error) {
	if !a.Can(access.TransferChild) {
		return nil, nil, apperr.ErrForbidden
	}
	trust, board := a.QueryScope()
	rows, err := s.Store.ListPendingChildTransfers(ctx, store.ListPendingChildTransfersParams{ScopeTrust: trust, ScopeBoard: board})
	if err != nil {
		return nil, nil, err
	}
	for _, r := range rows {
		to := access.Place{Organisation: r.ToOrganisationID, Trust: r.ToTrust, HealthBoard: r.ToBoard}
		if a.InScope(to) {
			incoming = append(incoming, TransferRow{PendingChildTransfer: r, Incoming: true})
		} else {
			outgoing = append(outgoing, TransferRow{PendingChildTransfer: r})
		}
	}
	return incoming, outgoing, nil
}

// IncomingTransfers counts the transfers waiting for the actor's answer;
// 0 for those who may not answer any.
func (s *Service) IncomingTransfers(ctx context.Context, a access.Actor) (int64, error) {
	if !a.Can(access.TransferChild) {
		return 0, nil
	}
	trust, board := a.QueryScope()
	return s.Store.CountIncomingChildTransfers(ctx, store.CountIncomingChildTransfersParams{ScopeTrust: trust, ScopeBoard: board})
}

// notifyTransfer emails both organisations' active lead clinicians about
// t, in tx. An organisation with none is reported to the national audit
// team (full access), who can answer for it.
func (s *Service) notifyTransfer(ctx context.Context, tx store.Tx, me Me, c store.Child, t store.ChildTransfer) error {
	actor, err := tx.GetUser(ctx, me.ID)
	if err != nil {
		return err
	}
	who := actor.FirstName + " " + actor.Surname
	var to []store.Recipient
	var orphans []string // organisations with no active lead clinician
	seen := map[string]bool{}
	add := func(rs []store.Recipient) {
		for _, r := range rs {
			if !seen[r.Email] {
				seen[r.Email] = true
				to = append(to, r)
			}
		}
	}
	for _, o := range []struct {
		id         int64
		name, code string
	}{{t.FromOrganisationID, t.FromName, t.FromOds}, {t.ToOrganisationID, t.ToName, t.ToOds}} {
		rs, err := tx.ListActiveUsersWithRole(ctx, store.ListActiveUsersWithRoleParams{Role: string(access.LeadClinician), OrganisationID: o.id})
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			orphans = append(orphans, o.name+" ("+o.code+")")
		}
		add(rs)
	}
	if len(orphans) > 0 {
		rs, err := tx.ListActiveUsersWithRole(ctx, store.ListActiveUsersWithRoleParams{Role: string(access.NationalFull)})
		if err != nil {
			return err
		}
		add(rs)
	}
	subject, body := transferEmail(t, c.AuditID, who, s.BaseURL)
	if len(orphans) > 0 {
		subject += " (no lead clinician at " + strings.Join(orphans, ", ") + ")"
		has := "has"
		if len(orphans) > 1 {
			has = "have"
		}
		body += "\nThis email also goes to the national audit team because " + strings.Join(orphans, " and ") + " " + has +
			" no active lead clinician account.\n"

	}
	now := s.now()
	for _, r := range to {
		m := outbox.Message{To: r.Email, Subject: subject, Text: "Dear " + r.FirstName + " " + r.Surname + ",\n\n" + body}
		if _, err := outbox.Enqueue(ctx, tx, m, now); err != nil {
			return err
		}
	}
	return nil
}

// transferEmail is the subject and body of the email about a transfer
// step. It names the child only by their audit ID.
func transferEmail(t store.ChildTransfer, auditID, who, baseURL string) (subject, body string) {
	from, to := t.FromName+" ("+t.FromOds+")", t.ToName+" ("+t.ToOds+")"
	route := fmt.Sprintf("child %s in the epilepsy audit\nfrom %s\nto %s.\n\n", auditID, from, to)
	link := strings.TrimRight(baseURL, "/") + "/children/transfers"
	const signOff = "The child is named here only by their audit ID: sign in to see their record.\n"
	switch t.Status {
	case store.TransferAccepted:
		return "Lead organisation transfer accepted: child " + auditID,
			who + " accepted the transfer of the lead organisation of " + route +
				t.ToName + " is now the child's lead organisation. People at " + t.FromName +
				" can no longer see the child's record unless it is in their own trust or health board.\n\n" + signOff
	case store.TransferRejected:
		return "Lead organisation transfer rejected: child " + auditID,
			who + " rejected the transfer of the lead organisation of " + route +
				t.FromName + " stays the child's lead organisation.\n\n" + signOff
	case store.TransferCancelled:
		return "Lead organisation transfer cancelled: child " + auditID,
			who + " cancelled the request to transfer the lead organisation of " + route +
				t.FromName + " stays the child's lead organisation.\n\n" + signOff
	}
	return "Lead organisation transfer to accept or reject: child " + auditID,
		who + " asked to transfer the lead organisation of " + route +
			"A lead clinician at " + t.ToName + " (or the national audit team) can accept or reject it on the Transfers page:\n" +
			link + "\n\n" + t.FromName + " stays the child's lead organisation until the transfer is accepted.\n\n" + signOff
}
