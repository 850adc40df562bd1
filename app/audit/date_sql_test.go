package audit

import (
	"testing"
	"time"
)

func TestDateScanAndValue(t *testing.T) {
	want := Date{2012, time.February, 29}
	for _, src := range []any{
		"2012-02-29",
		[]byte("2012-02-29"),
		"2012-02-29 00:00:00+00:00", // SQLite with _time_format=sqlite
		time.Date(2012, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2012, 2, 29, 23, 30, 0, 0, time.FixedZone("x", -5*3600)), // the date is the value's own
	} {
		var d Date
		if err := d.Scan(src); err != nil || d != want {
			t.Errorf("Scan(%v) = %v, %v", src, d, err)
		}
	}
	for _, bad := range []any{"2013-02-29", "29/02/2012", "", 42, nil} {
		var d Date
		if err := d.Scan(bad); err == nil {
			t.Errorf("Scan(%v) accepted %v", bad, d)
		}
	}
	if v, _ := want.Value(); v != "2012-02-29" {
		t.Errorf("Value = %v", v)
	}
}
