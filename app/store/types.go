package store

import "time"

// The types below mirror the rows and parameters sqlc generates for both
// engines field for field, so adapters convert them with a plain type
// conversion and the compiler catches any drift between engines.

type SetMetaParams struct {
	Key       string
	Value     string
	UpdatedAt time.Time
}

type UpsertCountryParams struct {
	Code             string
	Name             string
	WelshName        string
	TakesPartInAudit bool
}

type UpsertRegionParams struct {
	Code    string
	ONSCode string
	Name    string
}

type UpsertICBParams struct {
	ODSCode string
	GSSCode string
	Name    string
}

type UpsertHealthBoardParams struct {
	ODSCode   string
	GSSCode   string
	Name      string
	WelshName string
}

type UpsertNetworkParams struct {
	Code    string
	Name    string
	Country string
}

type UpsertLondonBoroughParams struct {
	GSSCode     string
	Name        string
	InnerLondon bool
}

type UpsertTrustParams struct {
	ODSCode      string
	Name         string
	AddressLine1 string
	AddressLine2 string
	Town         string
	Postcode     string
	Country      string
}

type UpsertOrganisationParams struct {
	ODSCode                 string
	Name                    string
	Address1                string
	Address2                string
	Address3                string
	City                    string
	County                  string
	Postcode                string
	Latitude                *float64
	Longitude               *float64
	Telephone               string
	Website                 string
	TrustODSCode            *string
	LocalHealthBoardODSCode *string
	ICBODSCode              *string
	NhsEnglandRegionCode    *string
	OpenukNetworkCode       *string
	CountryCode             string
	LondonBoroughGSSCode    *string
	ICBAssignmentAmbiguous  bool
}

type UpsertSyndromeParams struct {
	Name               string
	ExcludesFromMriKpi bool
}

type UpsertMedicineParams struct {
	Name     string
	IsRescue bool
}

type UpsertKeywordParams struct {
	Keyword  string
	Category string
}

type UpsertCauseCategoryParams struct {
	Code  string
	Label string
}

// ReferenceCounts is how many rows each reference table holds.
type ReferenceCounts struct {
	Organisations int64
	Trusts        int64
	HealthBoards  int64
	ICBs          int64
	Regions       int64
	Networks      int64
	Countries     int64
	Syndromes     int64
	Medicines     int64
}

// Organisation is an audit site with the names of the bodies it belongs to.
// A name is empty where the organisation has no such body (Welsh sites have
// no trust, ICB or NHS England region; English sites no health board).
type Organisation struct {
	ID                      int64
	ODSCode                 string
	Name                    string
	City                    string
	Postcode                string
	CountryCode             string
	TrustODSCode            *string
	TrustName               string
	LocalHealthBoardODSCode *string
	HealthBoardName         string
	ICBODSCode              *string
	ICBName                 string
	NhsEnglandRegionCode    *string
	RegionName              string
	OpenukNetworkCode       *string
	NetworkName             string
	CountryName             string
}

// ListOrganisationsParams filters and pages the organisation directory.
// Pattern is a lower-case LIKE pattern ("%" matches all); an empty
// CountryCode matches every country.
type ListOrganisationsParams struct {
	Pattern     string
	CountryCode string
	PageOffset  int64
	PageLimit   int64
}

type CountOrganisationsParams struct {
	Pattern     string
	CountryCode string
}

// Country is a country of the UK or a Crown dependency.
type Country struct {
	Code             string
	Name             string
	WelshName        string
	TakesPartInAudit bool
}
