package files

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/store"
)

// Owner is the record a file belongs to.
type Owner struct {
	Kind string // store.FileOwnerRegistryPatient or store.FileOwnerChild
	ID   int64
}

func (o Owner) String() string { return o.Kind + ":" + strconv.FormatInt(o.ID, 10) }

// ParseOwner reads Owner.String.
func ParseOwner(s string) (Owner, error) {
	k, id, _ := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || (k != store.FileOwnerRegistryPatient && k != store.FileOwnerChild) {
		return Owner{}, fmt.Errorf("files: bad owner %q", s)
	}
	return Owner{Kind: k, ID: n}, nil
}

// Record is what the pages say of a file's record.
type Record struct {
	Owner
	Label string // the registry ID or the child's name
	URL   string // its page
	// CanChange: the actor may upload to it and decide its proposals.
	CanChange bool
}

// need is what a caller wants to do with a record's files.
type need int

const (
	see    need = iota // list, open, download
	change             // upload, confirm or reject a proposal
)

// authorize decides whether staff member me may do n with o's files,
// asking the record's own rules: a registry patient as package registry
// decides (seeing files needs the registry's identifiers, as a report
// names the patient; changing them needs edit rights), a child as package
// children decides (view, and answering the audit for uploads, within the
// organisation's scope). A deleted record's files are out of reach
// (apperr.ErrNotFound). Families never come here: their path is
// family.go's, with a session of their own kind. Errors:
// apperr.ErrNotFound, apperr.ErrForbidden, the store's.
func (s *Service) authorize(ctx context.Context, me access.Me, o Owner, n need) (Record, error) {
	switch o.Kind {
	case store.FileOwnerRegistryPatient:
		p, err := s.Registry.GetPatient(ctx, me.Actor, o.ID)
		if err != nil {
			return Record{}, err
		}
		if p.DeletedAt != nil {
			return Record{}, apperr.ErrNotFound
		}
		r := Record{Owner: o, Label: p.RegistryRef, URL: "/registry/patients/" + strconv.FormatInt(o.ID, 10), CanChange: p.CanEdit}
		if !me.Actor.Can(access.ViewRegistryIDs) || (n == change && !p.CanEdit) {
			return Record{}, apperr.ErrForbidden
		}
		return r, nil
	case store.FileOwnerChild:
		c, err := s.Children.Get(ctx, me.Actor, o.ID)
		if err != nil {
			return Record{}, err
		}
		r := Record{Owner: o, Label: strings.TrimSpace(c.FirstName + " " + c.Surname), URL: "/children/" + strconv.FormatInt(o.ID, 10),
			CanChange: access.Allowed(me.Actor, access.EditAudit, access.PlaceOfOrganisation(c.Organisation))}
		if n == change && !r.CanChange {
			return Record{}, apperr.ErrForbidden
		}
		return r, nil
	}
	return Record{}, apperr.ErrNotFound
}

// fileFor reads a file me may see: not deleted, its record reachable.
// Errors: apperr.ErrNotFound, apperr.ErrForbidden, the store's.
func (s *Service) fileFor(ctx context.Context, me access.Me, id int64, n need) (store.File, Record, error) {
	f, err := s.liveFile(ctx, id)
	if err != nil {
		return f, Record{}, err
	}
	r, err := s.authorize(ctx, me, Owner{Kind: f.OwnerKind, ID: f.OwnerID}, n)
	return f, r, err
}

// liveFile reads a file that is not deleted: apperr.ErrNotFound otherwise.
func (s *Service) liveFile(ctx context.Context, id int64) (store.File, error) {
	f, err := s.Store.GetFile(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && f.DeletedAt != nil) {
		return f, apperr.ErrNotFound
	}
	return f, err
}
