package refdata

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"clinaudit/app/postcode"
	"clinaudit/app/store"
)

// Deprivation is one postcode's index of multiple deprivation.
type Deprivation struct {
	Postcode string // compact
	LSOA     string
	Decile   int // 1–10, 0 not given
	Quintile int // 1–5, 1 most deprived
}

// ParseDeprivation reads the operator's deprivation lookup
// (docs/reference-data.md): a CSV with a header naming at least postcode
// and imd_decile or imd_quintile, and optionally lsoa_code; other columns
// are ignored. A quintile not given is the decile's: deciles 1–2 are
// quintile 1, and so on. Every bad line is reported, with its number.
func ParseDeprivation(r io.Reader) ([]Deprivation, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	_, hasDecile := col["imd_decile"]
	_, hasQuintile := col["imd_quintile"]
	if _, ok := col["postcode"]; !ok || !hasDecile && !hasQuintile {
		return nil, errors.New("the header must name postcode and imd_decile or imd_quintile")
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []Deprivation
	var errs []error
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
			continue
		}
		d := Deprivation{Postcode: postcode.Compact(get(rec, "postcode")), LSOA: get(rec, "lsoa_code")}
		if len(d.Postcode) < 5 {
			errs = append(errs, fmt.Errorf("line %d: %q is not a postcode", line, get(rec, "postcode")))
			continue
		}
		if s := get(rec, "imd_decile"); s != "" {
			if d.Decile, err = strconv.Atoi(s); err != nil || d.Decile < 1 || d.Decile > 10 {
				errs = append(errs, fmt.Errorf("line %d: the decile %q is not 1 to 10", line, s))
				continue
			}
			d.Quintile = (d.Decile + 1) / 2
		}
		if s := get(rec, "imd_quintile"); s != "" {
			q, err := strconv.Atoi(s)
			if err != nil || q < 1 || q > 5 || d.Decile != 0 && q != d.Quintile {
				errs = append(errs, fmt.Errorf("line %d: the quintile %q is not 1 to 5, or not its decile's", line, s))
				continue
			}
			d.Quintile = q
		}
		if d.Quintile == 0 {
			errs = append(errs, fmt.Errorf("line %d: no decile or quintile", line))
			continue
		}
		out = append(out, d)
	}
	return out, errors.Join(errs...)
}

// LoadDeprivation replaces the deprivation lookup with rows, in one
// transaction.
func LoadDeprivation(ctx context.Context, s store.Store, rows []Deprivation) error {
	return s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeletePostcodeDeprivation(ctx); err != nil {
			return err
		}
		for _, d := range rows {
			var decile *int64
			if d.Decile != 0 {
				v := int64(d.Decile)
				decile = &v
			}
			if err := tx.InsertPostcodeDeprivation(ctx, store.InsertPostcodeDeprivationParams{Postcode: d.Postcode, LsoaCode: d.LSOA,
				ImdDecile: decile, ImdQuintile: int64(d.Quintile)}); err != nil {
				return err
			}
		}
		return nil
	})
}
