package registry

import (
	"context"

	"clinaudit/app/access"
	"clinaudit/app/store"
)

// ForFamily is how a family account acts in the registry: the Family actor
// (which may view and edit records, but reaches no staff page) and the
// account as the trail's author. The registry's functions authorise staff
// by role; a family's right to a patient is its relationship, which
// app/family checks before every call it makes with this.
func ForFamily(accountID int64) access.Me {
	return access.Me{Actor: access.FamilyActor(), Family: accountID}
}

// Within runs fn in one transaction with a Service whose own transactions
// join it, so that several of its changes (a contact, then a link) and
// the caller's writes in tx commit, or roll back, together.
func (s *Service) Within(ctx context.Context, fn func(in *Service, tx store.Tx) error) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		in := *s
		in.Store = txStore{Tx: tx, outer: outer{s.Store}}
		return fn(&in, tx)
	})
}
