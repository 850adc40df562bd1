// Package aggregate counts each cohort's KPI results per organisation and
// per every level above it (spec §8): trust, local health board, ICB, NHS
// England region, OPEN UK network, country and nationally. A run is
// computed set-based in SQL, in short transactions, by a background job
// (decisions.md: never on page load); dashboards read the stored figures of
// the cohort's current run and say when it was computed.
//
// This file and counting.go describe in plain Go what is counted where;
// the SQL of schema 00011 and queries/shared/kpi_aggregate*.sql does the
// counting, and the tests hold the two to the same answers.
// docs/aggregation.md explains the whole.
package aggregate

import (
	"fmt"

	"clinaudit/app/store"
)

// Level is one level of aggregation (§8.1). Its value is what the store
// keeps in kpi_aggregate_entities.level.
type Level string

// The levels, in the order the dashboards show them.
const (
	Organisation     Level = "organisation"
	Trust            Level = "trust"
	LocalHealthBoard Level = "local_health_board"
	ICB              Level = "icb"
	NHSEnglandRegion Level = "nhs_england_region"
	OpenUKNetwork    Level = "open_uk_network"
	Country          Level = "country"
	National         Level = "national"
)

// NationalKey and NationalName are the one entity of the National level:
// every child the audit counts, whatever the country.
const (
	NationalKey  = "national"
	NationalName = "England and Wales"
)

var levels = []Level{Organisation, Trust, LocalHealthBoard, ICB, NHSEnglandRegion, OpenUKNetwork, Country, National}

// Levels returns every level, organisation first, national last.
func Levels() []Level { return append([]Level(nil), levels...) }

// ParseLevel reads a level's stored name.
func ParseLevel(s string) (Level, error) {
	for _, l := range levels {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("aggregate: no level %q", s)
}

// Comparable reports whether a user may see every entity of level l side
// by side: compare them on a measure's dashboard or download them all.
// ICBs, NHS England regions, OPEN UK networks, countries and the nation are
// open to everyone who sees dashboards (what Epilepsy12's "Individual
// measures" tab shows); organisations, trusts and health boards one by one
// across England and Wales are for the national team, so need national
// (the caller's access.ViewNational). The web's comparison and the export's
// downloads both ask this, so the two cannot disagree.
func Comparable(l Level, national bool) bool {
	switch l {
	case Organisation, Trust, LocalHealthBoard:
		return national
	case ICB, NHSEnglandRegion, OpenUKNetwork, Country, National:
		return true
	}
	return false
}

// ComparableLevels lists the levels Comparable allows, in Levels' order.
func ComparableLevels(national bool) []Level {
	var out []Level
	for _, l := range levels {
		if Comparable(l, national) {
			out = append(out, l)
		}
	}
	return out
}

// Label is the level's display label (§8.1).
func (l Level) Label() string {
	switch l {
	case Organisation:
		return "Organisation"
	case Trust:
		return "Trust"
	case LocalHealthBoard:
		return "Local Health Board"
	case ICB:
		return "Integrated Care Board"
	case NHSEnglandRegion:
		return "NHS England Region"
	case OpenUKNetwork:
		return "OPEN UK network"
	case Country:
		return "Country"
	case National:
		return "National"
	}
	return string(l)
}

// EntityOf is the key of the entity of level l that organisation o belongs
// to: its ODS code, its trust's or health board's ODS code, its ICB's ODS
// code, its region's code, its network's code, its country's code, or
// NationalKey. ok is false where o has none: a Welsh organisation has no
// trust, ICB or NHS England region, an English one no health board, so a
// Welsh child is never counted at the ICB and region levels (§8.2).
func EntityOf(l Level, o store.Organisation) (key string, ok bool) {
	switch l {
	case Organisation:
		return o.ODSCode, true
	case Trust:
		return deref(o.TrustODSCode)
	case LocalHealthBoard:
		return deref(o.LocalHealthBoardODSCode)
	case ICB:
		return deref(o.ICBODSCode)
	case NHSEnglandRegion:
		return deref(o.NhsEnglandRegionCode)
	case OpenUKNetwork:
		return deref(o.OpenukNetworkCode)
	case Country:
		return o.CountryCode, o.CountryCode != ""
	case National:
		return NationalKey, true
	}
	return "", false
}

func deref(p *string) (string, bool) {
	if p == nil || *p == "" {
		return "", false
	}
	return *p, true
}
