package litestore

import (
	"context"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore/litedb"
)

// queries adapts the generated litedb queries to store.Queries. Every method
// is a type conversion; a schema drift between engines fails to compile here.
type queries struct{ q *litedb.Queries }

func (q queries) GetMeta(ctx context.Context, key string) (string, error) {
	v, err := q.q.GetMeta(ctx, key)
	return v, mapErr(err)
}

func (q queries) SetMeta(ctx context.Context, arg store.SetMetaParams) error {
	return mapErr(q.q.SetMeta(ctx, litedb.SetMetaParams(arg)))
}

func (q queries) UpsertCountry(ctx context.Context, arg store.UpsertCountryParams) error {
	return mapErr(q.q.UpsertCountry(ctx, litedb.UpsertCountryParams(arg)))
}

func (q queries) UpsertRegion(ctx context.Context, arg store.UpsertRegionParams) error {
	return mapErr(q.q.UpsertRegion(ctx, litedb.UpsertRegionParams(arg)))
}

func (q queries) UpsertICB(ctx context.Context, arg store.UpsertICBParams) error {
	return mapErr(q.q.UpsertICB(ctx, litedb.UpsertICBParams(arg)))
}

func (q queries) UpsertHealthBoard(ctx context.Context, arg store.UpsertHealthBoardParams) error {
	return mapErr(q.q.UpsertHealthBoard(ctx, litedb.UpsertHealthBoardParams(arg)))
}

func (q queries) UpsertNetwork(ctx context.Context, arg store.UpsertNetworkParams) error {
	return mapErr(q.q.UpsertNetwork(ctx, litedb.UpsertNetworkParams(arg)))
}

func (q queries) UpsertLondonBorough(ctx context.Context, arg store.UpsertLondonBoroughParams) error {
	return mapErr(q.q.UpsertLondonBorough(ctx, litedb.UpsertLondonBoroughParams(arg)))
}

func (q queries) UpsertTrust(ctx context.Context, arg store.UpsertTrustParams) error {
	return mapErr(q.q.UpsertTrust(ctx, litedb.UpsertTrustParams(arg)))
}

func (q queries) UpsertOrganisation(ctx context.Context, arg store.UpsertOrganisationParams) error {
	return mapErr(q.q.UpsertOrganisation(ctx, litedb.UpsertOrganisationParams(arg)))
}

func (q queries) UpsertSyndrome(ctx context.Context, arg store.UpsertSyndromeParams) error {
	return mapErr(q.q.UpsertSyndrome(ctx, litedb.UpsertSyndromeParams(arg)))
}

func (q queries) UpsertMedicine(ctx context.Context, arg store.UpsertMedicineParams) error {
	return mapErr(q.q.UpsertMedicine(ctx, litedb.UpsertMedicineParams(arg)))
}

func (q queries) UpsertKeyword(ctx context.Context, arg store.UpsertKeywordParams) error {
	return mapErr(q.q.UpsertKeyword(ctx, litedb.UpsertKeywordParams(arg)))
}

func (q queries) UpsertCauseCategory(ctx context.Context, arg store.UpsertCauseCategoryParams) error {
	return mapErr(q.q.UpsertCauseCategory(ctx, litedb.UpsertCauseCategoryParams(arg)))
}

func (q queries) CountReferenceData(ctx context.Context) (store.ReferenceCounts, error) {
	row, err := q.q.CountReferenceData(ctx)
	return store.ReferenceCounts(row), mapErr(err)
}

func (q queries) ListAuditCountries(ctx context.Context) ([]store.Country, error) {
	rows, err := q.q.ListAuditCountries(ctx)
	return convertAll(rows, func(r litedb.Country) store.Country { return store.Country(r) }), mapErr(err)
}

func (q queries) GetOrganisationByODS(ctx context.Context, odsCode string) (store.Organisation, error) {
	row, err := q.q.GetOrganisationByODS(ctx, odsCode)
	return store.Organisation(row), mapErr(err)
}

func (q queries) ListOrganisations(ctx context.Context, arg store.ListOrganisationsParams) ([]store.Organisation, error) {
	rows, err := q.q.ListOrganisations(ctx, litedb.ListOrganisationsParams(arg))
	return convertAll(rows, func(r litedb.ListOrganisationsRow) store.Organisation { return store.Organisation(r) }), mapErr(err)
}

func (q queries) CountOrganisations(ctx context.Context, arg store.CountOrganisationsParams) (int64, error) {
	n, err := q.q.CountOrganisations(ctx, litedb.CountOrganisationsParams(arg))
	return n, mapErr(err)
}

func convertAll[From, To any](in []From, f func(From) To) []To {
	out := make([]To, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
