package api

import (
	"context"
	"errors"

	"clinaudit/app/api/apigen"
	"clinaudit/app/children"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The child's record after it is added, as its pages change it: the case
// form's edit, the lock page, unlocking, the transfer pages, opt-out and
// deletion. Each goes through children.Service (access, the record's
// state, the trail, the scoring job), so a refusal is the page's: another
// organisation's child 404, a role that may not 403, the record's state
// 409 with the page's words.

// UpdateChild changes the case form's fields named in the body when
// If-Match is the child's version. The fields not sent keep their values:
// the whole form, as the page posts it, is checked and saved at once.
func (a *API) UpdateChild(ctx context.Context, req apigen.UpdateChildRequestObject) (apigen.UpdateChildResponseObject, error) {
	caller := callerOf(ctx)
	svc := a.deps.Children()
	ch, err := svc.Get(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	if err := ifMatch(req.Params.IfMatch, ch.Version); err != nil {
		return nil, err
	}
	d, b := children.DemographicsOf(ch.Child), req.Body
	for _, f := range []struct {
		to *string
		v  *string
	}{{&d.FirstName, b.FirstName}, {&d.Surname, b.Surname}, {&d.NHSNumber, b.NhsNumber},
		{&d.UniqueReferenceNumber, b.UniqueReferenceNumber}, {&d.Sex, b.Sex}, {&d.Ethnicity, b.Ethnicity}, {&d.Postcode, b.Postcode}} {
		if f.v != nil {
			*f.to = *f.v
		}
	}
	if b.DateOfBirth != nil {
		if d.DateOfBirth, err = dateInput(string(*b.DateOfBirth)); err != nil {
			return nil, children.FieldErrors{{Field: "date_of_birth", Message: err.Error()}}
		}
	}
	if err := svc.Update(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id, ch.Version, d); err != nil {
		return nil, staleAs412(err)
	}
	out, etag, err := a.childNow(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateChild200JSONResponse{Body: out, Headers: apigen.UpdateChild200ResponseHeaders{ETag: &etag}}, nil
}

// DeleteChild soft-deletes the child (restorable for 30 days by the
// national audit team) when If-Match is its version, as the delete page's
// confirmation carries the version shown.
func (a *API) DeleteChild(ctx context.Context, req apigen.DeleteChildRequestObject) (apigen.DeleteChildResponseObject, error) {
	caller := callerOf(ctx)
	svc := a.deps.Children()
	ch, err := svc.Get(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	if err := ifMatch(req.Params.IfMatch, ch.Version); err != nil {
		return nil, err
	}
	if err := svc.Delete(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id, ch.Version); err != nil {
		return nil, staleAs412(err)
	}
	return apigen.DeleteChild204Response{}, nil
}

// RestoreChild undoes a deletion within 30 days; only the national audit
// team (full access) may, and only they learn whether a deleted child
// exists (403 first for everyone else, as on the page).
func (a *API) RestoreChild(ctx context.Context, req apigen.RestoreChildRequestObject) (apigen.RestoreChildResponseObject, error) {
	caller := callerOf(ctx)
	if err := a.deps.Children().Restore(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id); err != nil {
		return nil, err
	}
	out, etag, err := a.childNow(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.RestoreChild200JSONResponse{Body: out, Headers: apigen.RestoreChild200ResponseHeaders{ETag: &etag}}, nil
}

// LockChild locks a registered child's complete record when If-Match is
// the version the caller checked. An incomplete audit is a 409 naming
// every answer still missing by its path in the data format.
func (a *API) LockChild(ctx context.Context, req apigen.LockChildRequestObject) (apigen.LockChildResponseObject, error) {
	caller := callerOf(ctx)
	svc := a.deps.Children()
	ch, err := svc.Get(ctx, caller.Me.Actor, req.Id)
	if err != nil {
		return nil, err
	}
	if err := ifMatch(req.Params.IfMatch, ch.Version); err != nil {
		return nil, err
	}
	err = svc.Lock(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id, ch.Version)
	var inc *children.IncompleteError
	if errors.As(err, &inc) {
		p := problem(fiber.StatusConflict, inc.Error())
		for _, g := range inc.Missing() {
			p.Errors = append(p.Errors, FieldIssue{Field: g.Path, Message: "Not answered yet"})
		}
		return nil, p
	}
	if err != nil {
		return nil, staleAs412(err)
	}
	out, etag, err := a.childNow(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.LockChild200JSONResponse{Body: out, Headers: apigen.LockChild200ResponseHeaders{ETag: &etag}}, nil
}

// UnlockChild reopens a locked record until its cohort's deadline.
func (a *API) UnlockChild(ctx context.Context, req apigen.UnlockChildRequestObject) (apigen.UnlockChildResponseObject, error) {
	caller := callerOf(ctx)
	if err := a.deps.Children().Unlock(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id); err != nil {
		return nil, err
	}
	out, etag, err := a.childNow(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.UnlockChild200JSONResponse{Body: out, Headers: apigen.UnlockChild200ResponseHeaders{ETag: &etag}}, nil
}

// OptOutChild removes the child's details, registration, answers and
// transfers for good, keeping the row that counts them (spec 11.2).
func (a *API) OptOutChild(ctx context.Context, req apigen.OptOutChildRequestObject) (apigen.OptOutChildResponseObject, error) {
	caller := callerOf(ctx)
	if err := a.deps.Children().OptOut(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id); err != nil {
		return nil, err
	}
	out, etag, err := a.childNow(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.OptOutChild200JSONResponse{Body: out, Headers: apigen.OptOutChild200ResponseHeaders{ETag: &etag}}, nil
}

// RequestChildTransfer asks to move the child's lead organisation; both
// organisations' lead clinicians are emailed, as from the page.
func (a *API) RequestChildTransfer(ctx context.Context, req apigen.RequestChildTransferRequestObject) (apigen.RequestChildTransferResponseObject, error) {
	caller := callerOf(ctx)
	svc := a.deps.Children()
	if err := svc.RequestTransfer(children.WithRequestID(ctx, caller.RequestID), caller.Me, req.Id, str(req.Body.Organisation)); err != nil {
		return nil, err
	}
	t, err := a.pendingTransfer(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, problem(fiber.StatusConflict, "The transfer was answered at the same moment: read the child again")
	}
	return apigen.RequestChildTransfer201JSONResponse(transferOf(req.Id, t.ChildTransfer, t.Status)), nil
}

// AnswerChildTransfer accepts or rejects (the receiving side) or cancels
// (the asking side) the child's pending transfer.
func (a *API) AnswerChildTransfer(ctx context.Context, req apigen.AnswerChildTransferRequestObject) (apigen.AnswerChildTransferResponseObject, error) {
	caller := callerOf(ctx)
	// Read first: after a rejection the receiving side no longer sees it.
	t, err := a.pendingTransfer(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	svc, wctx := a.deps.Children(), children.WithRequestID(ctx, caller.RequestID)
	var status string
	switch req.Answer { // the contract allows these three only
	case "accept":
		err, status = svc.AcceptTransfer(wctx, caller.Me, req.Id), store.TransferAccepted
	case "reject":
		err, status = svc.RejectTransfer(wctx, caller.Me, req.Id), store.TransferRejected
	default:
		err, status = svc.CancelTransfer(wctx, caller.Me, req.Id), store.TransferCancelled
	}
	if err != nil {
		return nil, err
	}
	if t == nil { // asked for between the read and the answer: answered, organisations unread
		t = &children.Transfer{}
	}
	return apigen.AnswerChildTransfer200JSONResponse(transferOf(req.Id, t.ChildTransfer, status)), nil
}

// pendingTransfer is the child's transfer waiting for an answer, nil for
// none; ErrNotFound for a child out of the caller's reach.
func (a *API) pendingTransfer(ctx context.Context, id int64) (*children.Transfer, error) {
	caller := callerOf(ctx)
	svc := a.deps.Children()
	ch, err := svc.Get(ctx, caller.Me.Actor, id)
	if err != nil {
		return nil, err
	}
	lc, err := svc.Lifecycle(ctx, caller.Me.Actor, ch)
	if err != nil {
		return nil, err
	}
	return lc.Pending, nil
}

func transferOf(childID int64, t store.ChildTransfer, status string) apigen.ChildTransfer {
	return apigen.ChildTransfer{ChildId: childID, Status: apigen.ChildTransferStatus(status), FromOrganisation: t.FromOds, ToOrganisation: t.ToOds}
}

// childNow reads the child again after a change, with its ETag.
func (a *API) childNow(ctx context.Context, id int64) (apigen.Child, string, error) {
	ch, err := a.deps.Children().Get(ctx, callerOf(ctx).Me.Actor, id)
	if err != nil {
		return apigen.Child{}, "", err
	}
	return childOf(ch), etagOf(ch.Version), nil
}

// staleAs412 is a change lost to another made since the If-Match was
// checked (children.ErrStale, the page's 409) as the API's 412.
func staleAs412(err error) error {
	if errors.Is(err, children.ErrStale) {
		return problem(fiber.StatusPreconditionFailed, "The record changed since you read it: read it again")
	}
	return err
}
