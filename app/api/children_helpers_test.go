package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/api"
	"clinaudit/app/audit"
	"clinaudit/app/auth"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/store"
	"clinaudit/app/synth"
)

// Helpers of the audit's tests (children_admin_test.go, rows_test.go).

// adminChild is a child as the API shows it, with the fields these tests
// read.
type adminChild struct {
	child
	FirstName   string `json:"first_name"`
	Surname     string `json:"surname"`
	DateOfBirth string `json:"date_of_birth"`
	Locked      bool   `json:"locked"`
	OptedOut    bool   `json:"opted_out"`
}

type transfer struct {
	ChildID int64  `json:"child_id"`
	Status  string `json:"status"`
	From    string `json:"from_organisation"`
	To      string `json:"to_organisation"`
}

// staffAt adds an account of role (at ods, "" for a national role).
func (e *env) staffAt(role access.Role, ods, email string) string {
	ctx := context.Background()
	err := e.s.InTx(ctx, func(tx store.Tx) error {
		_, err := e.auth.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Api", Surname: "Staff", Role: role, Organisation: ods, TwoFactorSkip: true})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.s.GetUserByEmail(ctx, email)
	if err != nil {
		e.t.Fatal(err)
	}
	plain, _, err := e.tokens.Create(ctx, u.ID, api.TokenInput{Name: "t", Access: api.AccessWrite, Domain: api.DomainAudit, Days: 30})
	if err != nil {
		e.t.Fatal(err)
	}
	return plain
}

// me is the account's actor, as the pages and the API build it.
func (e *env) me(id int64) access.Me {
	ctx := context.Background()
	u, err := e.s.GetUser(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := access.ActorFor(ctx, e.s, u)
	if err != nil {
		e.t.Fatal(err)
	}
	return access.Me{ID: id, Actor: a}
}

// completeChild imports a registered child with a complete audit at ods,
// as the import command does (the lock needs a complete audit).
func completeChild(t *testing.T, s store.Store, ods string, seed uint64) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
	today := svc.Children.Today()
	g := synth.New(synth.Options{Seed: seed, Today: audit.DateOf(today), From: audit.DateOf(cohort.RolesOn(today).Recruiting.Start()), Complete: 1})
	d := g.Next()
	if !d.Complete {
		t.Fatal("synth made an incomplete child")
	}
	id, err := svc.Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: d.Child, RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// idOf is the id at the end of a child's Location.
func idOf(t *testing.T, loc string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(loc, api.Prefix+"/children/%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}
