// Package refdata holds the audit's reference data (geography, organisations,
// clinical lookups) as CSV files embedded in the binary, and loads them into a
// store. Loading is an idempotent upsert, skipped when the data has not
// changed since the last load. SNOMED CT-derived lists are deliberately not
// here: they are licensed content (see docs/reference-data.md).
package refdata

import (
	"context"
	"crypto/sha256"

	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/refdata/data"
	"clinaudit/app/store"
)

var files = data.Files

// metaKey records, in app_meta, the checksum of the data last loaded.
const metaKey = "refdata_checksum"

// Checksum identifies this build's reference data.
func Checksum() string {
	names, _ := fs.Glob(files, "*.csv")
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, _ := files.ReadFile(n)
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Load upserts every reference table in one transaction unless the store
// already holds this build's data. It reports whether it wrote anything.
func Load(ctx context.Context, s store.Store, now time.Time) (bool, error) {
	sum := Checksum()
	have, err := s.GetMeta(ctx, metaKey)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	if have == sum {
		return false, nil
	}
	err = s.InTx(ctx, func(tx store.Tx) error {
		for _, step := range steps {
			if err := step.load(ctx, tx); err != nil {
				return fmt.Errorf("refdata: %s: %w", step.file, err)
			}
		}
		return tx.SetMeta(ctx, store.SetMetaParams{Key: metaKey, Value: sum, UpdatedAt: now})
	})
	return err == nil, err
}

// A step loads one file, upserting each row; the order respects foreign
// keys.
type step struct {
	file   string
	upsert func(context.Context, store.Tx, *row) error
}

var steps = []step{
	{"countries.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertCountry(ctx, store.UpsertCountryParams{Code: r.s("code"), Name: r.s("name"), WelshName: r.s("welsh_name"), TakesPartInAudit: r.b("takes_part_in_audit")})
	}},
	{"nhs_england_regions.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertRegion(ctx, store.UpsertRegionParams{Code: r.s("region_code"), ONSCode: r.s("ons_code"), Name: r.s("name")})
	}},
	{"integrated_care_boards.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertICB(ctx, store.UpsertICBParams{ODSCode: r.s("ods_code"), GSSCode: r.s("gss_code"), Name: r.s("name")})
	}},
	{"local_health_boards.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertHealthBoard(ctx, store.UpsertHealthBoardParams{ODSCode: r.s("ods_code"), GSSCode: r.s("gss_code"), Name: r.s("name"), WelshName: r.s("welsh_name")})
	}},
	{"open_uk_networks.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertNetwork(ctx, store.UpsertNetworkParams{Code: r.s("code"), Name: r.s("name"), Country: r.s("country")})
	}},
	{"london_boroughs.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertLondonBorough(ctx, store.UpsertLondonBoroughParams{GSSCode: r.s("gss_code"), Name: r.s("name"), InnerLondon: r.b("inner_london")})
	}},
	{"trusts.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertTrust(ctx, store.UpsertTrustParams{ODSCode: r.s("ods_code"), Name: r.s("name"), AddressLine1: r.s("address_line_1"), AddressLine2: r.s("address_line_2"), Town: r.s("town"), Postcode: r.s("postcode"), Country: r.s("country")})
	}},
	{"organisations.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertOrganisation(ctx, store.UpsertOrganisationParams{
			ODSCode: r.s("ods_code"), Name: r.s("name"),
			Address1: r.s("address1"), Address2: r.s("address2"), Address3: r.s("address3"),
			City: r.s("city"), County: r.s("county"), Postcode: r.s("postcode"),
			Latitude: r.f("latitude"), Longitude: r.f("longitude"),
			Telephone: r.s("telephone"), Website: r.s("website"),
			TrustODSCode:            r.ns("trust_ods_code"),
			LocalHealthBoardODSCode: r.ns("local_health_board_ods_code"),
			ICBODSCode:              r.ns("icb_ods_code"),
			NhsEnglandRegionCode:    r.ns("nhs_england_region_code"),
			OpenukNetworkCode:       r.ns("openuk_network_code"),
			CountryCode:             r.s("country_code"),
			LondonBoroughGSSCode:    r.ns("london_borough_gss_code"),
			ICBAssignmentAmbiguous:  r.b("icb_assignment_ambiguous"),
		})
	}},
	{"syndromes.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertSyndrome(ctx, store.UpsertSyndromeParams{Name: r.s("syndrome_name"), ExcludesFromMriKpi: r.b("excludes_from_mri_kpi")})
	}},
	{"medicines.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertMedicine(ctx, store.UpsertMedicineParams{Name: r.s("medicine_name"), IsRescue: r.b("is_rescue")})
	}},
	{"semiology_keywords.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertKeyword(ctx, store.UpsertKeywordParams{Keyword: r.s("keyword"), Category: r.s("category")})
	}},
	{"epilepsy_cause_categories.csv", func(ctx context.Context, tx store.Tx, r *row) error {
		return tx.UpsertCauseCategory(ctx, store.UpsertCauseCategoryParams{Code: r.s("code"), Label: r.s("label")})
	}},
}

// load upserts every row of the step's file, stopping at the first error.
func (st step) load(ctx context.Context, tx store.Tx) error {
	rows, err := readRows(st.file)
	if err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if err := st.upsert(ctx, tx, r); err != nil {
			return fmt.Errorf("line %d: %w", r.line, err)
		}
		if r.err != nil {
			return fmt.Errorf("line %d: %w", r.line, r.err)
		}
	}
	return nil
}

// readRows reads one embedded CSV file into rows keyed by its header.
func readRows(file string) ([]row, error) {
	f, err := files.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("empty file")
	}
	idx := make(map[string]int, len(recs[0]))
	for i, h := range recs[0] {
		idx[h] = i
	}
	out := make([]row, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		out = append(out, row{idx: idx, rec: rec, line: i + 2})
	}
	return out, nil
}

// row is one CSV record. Lookup values are trimmed (Epilepsy12 quirk 15); the
// first bad value is kept in err so a typo in the data fails the load.
type row struct {
	idx  map[string]int
	rec  []string
	line int
	err  error
}

func (r *row) s(col string) string {
	i, ok := r.idx[col]
	if !ok {
		r.fail(fmt.Errorf("no column %q", col))
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *row) ns(col string) *string {
	if v := r.s(col); v != "" {
		return &v
	}
	return nil
}

func (r *row) b(col string) bool {
	switch v := r.s(col); v {
	case "true":
		return true
	case "false", "":
		return false
	default:
		r.fail(fmt.Errorf("column %q: %q is not true or false", col, v))
		return false
	}
}

func (r *row) f(col string) *float64 {
	v := r.s(col)
	if v == "" {
		return nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.fail(fmt.Errorf("column %q: %q is not a number", col, v))
		return nil
	}
	return &x
}

func (r *row) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}
