package refdata

import (
	"strings"
	"testing"
)

func TestParseDeprivation(t *testing.T) {
	rows, err := ParseDeprivation(strings.NewReader("\ufeffPostcode,lsoa_code,imd_decile,other\ncb2 0qq,E01017797,1,x\nSW1A 1AA,E01004736,10,y\nM6 8HD,,4,\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Deprivation{{"CB20QQ", "E01017797", 1, 1}, {"SW1A1AA", "E01004736", 10, 5}, {"M68HD", "", 4, 2}}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v; want %+v", i, rows[i], want[i])
		}
	}
	for name, in := range map[string]string{
		"no quintile column":           "postcode,lsoa_code\nCB20QQ,E1\n",
		"decile 11":                    "postcode,imd_decile\nCB20QQ,11\n",
		"not a postcode":               "postcode,imd_quintile\nCB,3\n",
		"quintile and decile disagree": "postcode,imd_decile,imd_quintile\nCB20QQ,1,4\n",
		"empty":                        "postcode,imd_quintile\nCB20QQ,\n",
	} {
		if _, err := ParseDeprivation(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := ParseDeprivation(strings.NewReader("postcode,imd_quintile\nCB20QQ,3\nX,1\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("a bad line's error names it: %v", err)
	}
}
