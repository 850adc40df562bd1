package access

import (
	"context"

	"clinaudit/app/store"
)

// Me is the acting user: their account id (0 for the system, such as an
// import) and their actor. Family is a family account acting in the
// registry (ID is then 0): Actor is FamilyActor, and app/family has
// checked the family's relationship to the patient before the call.
type Me struct {
	ID     int64
	Actor  Actor
	Family int64
}

// ActorFor builds the actor of a signed-in user, reading where their
// organisation sits now (so a change applies on the next request). Errors:
// the store's, reading the organisation.
func ActorFor(ctx context.Context, q store.Queries, u store.User) (Actor, error) {
	p, err := PlaceOf(ctx, q, u.OrganisationID)
	return ActorAt(u, p), err
}

// ActorAt is the actor of user u whose organisation sits at p (read with
// the user, as a session's identity is: store.SessionIdentity).
func ActorAt(u store.User, p Place) Actor {
	a := Actor{Role: Role(u.Role), Superuser: u.IsSuperuser}
	if u.OrganisationID != nil {
		a.Organisation, a.Trust, a.HealthBoard = p.Organisation, p.Trust, p.HealthBoard
	}
	return a
}

// PlaceOf is where an organisation sits; the zero Place for none. Errors:
// the store's (store.ErrNotFound for an id with no organisation).
func PlaceOf(ctx context.Context, q store.Queries, orgID *int64) (Place, error) {
	if orgID == nil {
		return Place{}, nil
	}
	// Not GetOrganisation: its names cost six more lookups on every request.
	o, err := q.GetOrganisationPlace(ctx, *orgID)
	if err != nil {
		return Place{}, err
	}
	return PlaceFrom(&o.ID, o.TrustODSCode, o.LocalHealthBoardODSCode), nil
}

// PlaceFrom is the place of organisation orgID (the zero Place for none)
// from its stored trust and health board codes.
func PlaceFrom(orgID *int64, trust, healthBoard *string) Place {
	if orgID == nil {
		return Place{}
	}
	return Place{Organisation: *orgID, Trust: deref(trust), HealthBoard: deref(healthBoard)}
}

// PlaceOfOrganisation is where o sits for access decisions.
func PlaceOfOrganisation(o store.Organisation) Place {
	return Place{Organisation: o.ID, Trust: deref(o.TrustODSCode), HealthBoard: deref(o.LocalHealthBoardODSCode)}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// noScope matches no trust or health board: the reach of an actor with no
// organisation and no national role (a registry role). No ODS code has a
// space; no NUL either, which PostgreSQL's text refuses (a 500).
const noScope = "no scope"

// QueryScope is the actor's reach as the queries' scope parameters: both
// empty for national actors, else their trust (England) or health board
// (Wales); an organisation user without either reaches nothing.
func (a Actor) QueryScope() (trust, board string) {
	if a.National() {
		return "", ""
	}
	if a.Trust == "" && a.HealthBoard == "" {
		return noScope, noScope
	}
	return a.Trust, a.HealthBoard
}

// ScopeCode is the actor's reach as one code, as the case list's queries
// take it (children.scope_code): "" for national actors, else the trust's
// or health board's code.
func (a Actor) ScopeCode() string {
	trust, board := a.QueryScope()
	if trust != "" {
		return trust
	}
	return board
}
