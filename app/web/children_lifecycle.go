package web

import (
	"strconv"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The life of a child's record after it is added (spec §11.2–§11.4):
// transferring the lead organisation (the transfers page, asking, accepting,
// rejecting, cancelling), opting out, deleting, the deleted children page
// and restoring. The children service checks access on every call, as for
// the other child pages: out of scope 404, not allowed 403, refused by the
// child's state 409 with a page that says why.

// lifecycleRefusal is why a lifecycle action offered on the child's page
// is not open to the actor now: ErrForbidden when the role does not allow
// it at the child's organisation, the conflict the write would get
// otherwise.
func lifecycleRefusal(c *fiber.Ctx, ch children.Child, lc children.Lifecycle, action access.Action) error {
	if !access.Allowed(actor(c), action, access.PlaceOfOrganisation(ch.Organisation)) {
		return apperr.ErrForbidden
	}
	switch {
	case ch.OptedOut():
		return children.ErrOptedOut
	case action != access.OptOutChild && ch.ReadOnly != nil:
		return ch.ReadOnly
	case lc.Pending != nil:
		return children.ErrTransferPending
	case action == access.TransferChild && ch.Jersey():
		return children.ErrJerseyTransfer
	}
	return nil
}

// loadLifecycle reads the child named in the URL and its lifecycle.
func (s *server) loadLifecycle(c *fiber.Ctx) (children.Child, children.Lifecycle, error) {
	ch, err := s.loadChild(c)
	if err != nil {
		return ch, children.Lifecycle{}, err
	}
	lc, err := s.children().Lifecycle(c.UserContext(), actor(c), ch)
	return ch, lc, err
}

// lifecycleForm answers the GET of a transfer, opt-out or delete form: the
// child's page with the refusal (lifecycleRefusal), else render.
func (s *server) lifecycleForm(c *fiber.Ctx, action access.Action, render func(children.Child) error) error {
	ch, lc, err := s.loadLifecycle(c)
	if err != nil {
		return err
	}
	if err := lifecycleRefusal(c, ch, lc, action); err != nil {
		return s.writeError(c, ch.ID, err)
	}
	return render(ch)
}

// Transfers of lead organisation.

type transfersPage struct {
	page
	Incoming []children.TransferRow
	Outgoing []children.TransferRow
	National bool
	Notice   string
}

var transferNotices = map[string]string{
	"rejected": "Transfer rejected. The child stays with their lead organisation, and both organisations' lead clinicians have been emailed.",
}

func (s *server) handleChildTransfers(c *fiber.Ctx) error {
	a := actor(c)
	in, out, err := s.children().Transfers(c.UserContext(), a)
	if err != nil {
		return err
	}
	return renderPage(c, "pages/child_transfers", transfersPage{page: s.page(c, "Transfers of lead organisation", "children"),
		Incoming: in, Outgoing: out, National: a.National(), Notice: transferNotices[c.Query("done")]})
}

type transferFormPage struct {
	page
	Child  children.Child
	To     string
	Orgs   []store.OrganisationChoice
	Errors fieldErrs
}

func (s *server) renderTransferForm(c *fiber.Ctx, ch children.Child, to string, errs fieldErrs, status int) error {
	orgs, err := s.children().TransferOrganisations(c.UserContext(), ch)
	if err != nil {
		return err
	}
	c.Status(status)
	return renderPage(c, "pages/child_transfer", transferFormPage{page: s.page(c, "Transfer to another organisation", "children"),
		Child: ch, To: to, Orgs: orgs, Errors: errs})
}

func (s *server) handleChildTransferForm(c *fiber.Ctx) error {
	return s.lifecycleForm(c, access.TransferChild, func(ch children.Child) error {
		return s.renderTransferForm(c, ch, "", nil, fiber.StatusOK)
	})
}

func (s *server) handleChildTransfer(c *fiber.Ctx) error {
	id, err := childID(c)
	if err != nil {
		return err
	}
	to := strings.ToUpper(strings.TrimSpace(c.FormValue("organisation")))
	err = s.children().RequestTransfer(c.UserContext(), me(c), id, to)
	return s.changeDone(c, id, err, "transfer-requested", func(ch children.Child, errs fieldErrs) error {
		return s.renderTransferForm(c, ch, to, errs, fiber.StatusUnprocessableEntity)
	})
}

// handleChildTransferAnswer accepts, rejects or cancels the pending
// transfer. After a rejection the receiving side can no longer see the
// child, so it goes back to the transfers page.
func (s *server) handleChildTransferAnswer(answer string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := childID(c)
		if err != nil {
			return err
		}
		svc, ctx, m := s.children(), c.UserContext(), me(c)
		var next string
		switch answer {
		case "accept":
			err, next = svc.AcceptTransfer(ctx, m, id), childURL(id)+"?done=transfer-accepted"
		case "reject":
			err, next = svc.RejectTransfer(ctx, m, id), "/children/transfers?done=rejected"
		default:
			err, next = svc.CancelTransfer(ctx, m, id), childURL(id)+"?done=transfer-cancelled"
		}
		if err != nil {
			return s.writeError(c, id, err)
		}
		return c.Redirect(next, fiber.StatusSeeOther)
	}
}

// Opt-out.

func (s *server) handleChildOptOutForm(c *fiber.Ctx) error {
	return s.lifecycleForm(c, access.OptOutChild, func(ch children.Child) error {
		return renderPage(c, "pages/child_optout", childShowPage{page: s.page(c, "Opt a child out of the audit", "children"), Child: ch})
	})
}

func (s *server) handleChildOptOut(c *fiber.Ctx) error {
	return s.childAction(c, "opted-out", s.children().OptOut)
}

// Deletion and restore.

type deleteFormPage struct {
	page
	Child        children.Child
	RestoreUntil string
}

func (s *server) handleChildDeleteForm(c *fiber.Ctx) error {
	return s.lifecycleForm(c, access.DeleteChild, func(ch children.Child) error {
		until := s.Now().Add(children.RestoreWindow).In(londonTime).Format("2 January 2006")
		return renderPage(c, "pages/child_delete", deleteFormPage{page: s.page(c, "Delete a child's record", "children"),
			Child: ch, RestoreUntil: until})
	})
}

func (s *server) handleChildDelete(c *fiber.Ctx) error {
	id, err := childID(c)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err := s.children().Delete(c.UserContext(), me(c), id, version); err != nil {
		return s.writeError(c, id, err)
	}
	return c.Redirect("/children?done=deleted", fiber.StatusSeeOther)
}

type deletedPage struct {
	page
	Rows []children.DeletedRow
	Max  int
	// Error is why a restore was refused (409).
	Error string
}

func (s *server) renderDeleted(c *fiber.Ctx, refusal string, status int) error {
	rows, err := s.children().Deleted(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	c.Status(status)
	return renderPage(c, "pages/child_deleted", deletedPage{page: s.page(c, "Deleted children", "children"), Rows: rows,
		Max: children.MaxDeletedShown, Error: refusal})
}

func (s *server) handleChildrenDeleted(c *fiber.Ctx) error {
	return s.renderDeleted(c, "", fiber.StatusOK)
}

// handleChildRestore restores a deleted child. A refusal because the window
// has passed shows the deleted children page again, with why: the child's
// own page does not exist while it is deleted.
func (s *server) handleChildRestore(c *fiber.Ctx) error {
	id, err := childID(c)
	if err != nil {
		return err
	}
	err = s.children().Restore(c.UserContext(), me(c), id)
	if children.IsConflict(err) && !isHTMX(c) {
		return s.renderDeleted(c, err.Error(), fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	return c.Redirect(childURL(id)+"?done=restored", fiber.StatusSeeOther)
}

var londonTime = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.UTC
}()
