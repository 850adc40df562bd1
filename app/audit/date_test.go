package audit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string // "" means an error is expected
		problem string
	}{
		{"2023-01-31", "2023-01-31", ""},
		{"2024-02-29", "2024-02-29", ""},
		{"2000-02-29", "2000-02-29", ""},
		{"2023-02-29", "", "is not a real date"},
		{"1900-02-29", "", "is not a real date"},
		{"2023-02-30", "", "is not a real date"},
		{"2023-04-31", "", "is not a real date"},
		{"2023-13-01", "", "is not a real date"},
		{"2023-00-10", "", "is not a real date"},
		{"2023-01-00", "", "is not a real date"},
		{"2023-1-5", "", "is not a date in the form YYYY-MM-DD"},
		{"05/01/2023", "", "is not a date in the form YYYY-MM-DD"},
		{"2023-01-05T00:00:00Z", "", "is not a date in the form YYYY-MM-DD"},
		{"", "", "is not a date in the form YYYY-MM-DD"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDate(tc.in)
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Errorf("ParseDate(%q) = %v, %v; want error %q", tc.in, d, err, tc.problem)
				}
				return
			}
			if err != nil || d.String() != tc.want {
				t.Errorf("ParseDate(%q) = %v, %v", tc.in, d, err)
			}
		})
	}
}

func TestNewDate(t *testing.T) {
	if _, err := NewDate(2023, time.February, 29); err == nil {
		t.Error("NewDate(2023-02-29) accepted")
	}
	if d, err := NewDate(2024, time.February, 29); err != nil || d != MustParseDate("2024-02-29") {
		t.Errorf("NewDate(2024-02-29) = %v, %v", d, err)
	}
}

func TestAddYears(t *testing.T) {
	for _, tc := range []struct {
		from  string
		years int
		want  string
	}{
		{"2023-03-15", 1, "2024-03-15"},
		{"2024-02-29", 1, "2025-02-28"}, // relativedelta: 29 Feb → 28 Feb, not 1 March
		{"2024-02-29", 4, "2028-02-29"},
		{"2024-02-29", -1, "2023-02-28"},
		{"2024-02-28", 1, "2025-02-28"},
		{"2023-02-28", 1, "2024-02-28"},
		{"2023-03-01", 1, "2024-03-01"},
		{"2023-12-31", 1, "2024-12-31"},
	} {
		t.Run(tc.from, func(t *testing.T) {
			if got := MustParseDate(tc.from).AddYears(tc.years); got.String() != tc.want || got != MustParseDate(tc.want) {
				t.Errorf("%s + %d years = %v, want %s", tc.from, tc.years, got, tc.want)
			}
		})
	}
}

func TestAddDaysAndDaysBetween(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		days     int
	}{
		{"2023-03-20", "2023-04-03", 14},
		{"2024-02-28", "2024-03-01", 2}, // over a leap day
		{"2023-02-28", "2023-03-01", 1},
		{"2023-12-25", "2024-01-08", 14},
		{"2018-01-01", "2023-01-01", 1826}, // spec §6.0: 1826 ÷ 365.25 = 4.9993
		{"2011-01-01", "2023-01-01", 4383}, // spec §6.0: 4383 ÷ 365.25 = 12.0
		{"2023-03-26", "2023-03-27", 1},    // the UK clocks change: still one day
		{"2023-05-13", "2023-04-01", -42},
		{"1915-04-15", "2023-01-01", 39343},
	} {
		t.Run(tc.from+"_"+tc.to, func(t *testing.T) {
			from, to := MustParseDate(tc.from), MustParseDate(tc.to)
			if got := DaysBetween(from, to); got != tc.days {
				t.Errorf("DaysBetween = %d, want %d", got, tc.days)
			}
			if got := from.AddDays(tc.days); got != to {
				t.Errorf("%s + %d days = %s, want %s", from, tc.days, got, to)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	a, b := MustParseDate("2023-12-31"), MustParseDate("2024-01-01")
	if !a.Before(b) || a.After(b) || a.Equal(b) || !a.OnOrBefore(b) || b.OnOrBefore(a) {
		t.Error("2023-12-31 vs 2024-01-01")
	}
	if !a.Equal(a) || a.Before(a) || a.After(a) || !a.OnOrBefore(a) {
		t.Error("a date vs itself")
	}
	if m := MustParseDate("2024-02-01"); !MustParseDate("2024-01-31").Before(m) || !MustParseDate("2024-02-02").After(m) {
		t.Error("month and day order")
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		D *Date `json:"d"`
	}
	var v doc
	if err := json.Unmarshal([]byte(`{"d":"2024-02-29"}`), &v); err != nil || v.D.String() != "2024-02-29" {
		t.Fatalf("unmarshal: %v, %v", v.D, err)
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) != `{"d":"2024-02-29"}` {
		t.Errorf("marshal = %s, %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"d":null}`), &v); err != nil || v.D != nil {
		t.Errorf("null: %v, %v", v.D, err)
	}
	for in, problem := range map[string]string{
		`{"d":"2023-02-30"}`: `"2023-02-30" is not a real date`,
		`{"d":"2023-2-3"}`:   `"2023-2-3" is not a date in the form YYYY-MM-DD`,
		`{"d":20230101}`:     `20230101 is not a date string`,
		`{"d":true}`:         `true is not a date string`,
	} {
		if err := json.Unmarshal([]byte(in), &v); err == nil || !strings.Contains(err.Error(), problem) {
			t.Errorf("%s: error %v, want %q", in, err, problem)
		}
	}
}
