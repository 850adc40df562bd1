package audit

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is also the store's date type (store.Date is an alias of it), so it
// reads and writes itself as 'YYYY-MM-DD' on both engines. Only the driver
// interfaces are needed for that; the package still does no SQL.

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner for both pgx (time.Time) and SQLite (text,
// possibly with a time of day after the date).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanPrefix(v)
	case []byte:
		return d.scanPrefix(string(v))
	default:
		return fmt.Errorf("date: cannot scan %T", src)
	}
}

func (d *Date) scanPrefix(s string) error {
	if len(s) < len(dateLayout) {
		return fmt.Errorf("date: cannot scan %q", s)
	}
	p, err := ParseDate(s[:len(dateLayout)])
	if err != nil {
		return err
	}
	*d = p
	return nil
}
