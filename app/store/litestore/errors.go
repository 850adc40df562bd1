package litestore

import (
	"database/sql"
	"errors"
	"strings"

	"clinaudit/app/store"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// mapErr turns driver errors into the store's error contract.
func mapErr(err error) error { return driverErrors.MapError(err) }

var driverErrors = store.Driver{
	NoRows: sql.ErrNoRows,
	Conflict: func(err error) (string, bool) {
		var se *sqlite.Error
		if errors.As(err, &se) {
			switch se.Code() {
			case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
				return strings.TrimPrefix(se.Error(), "constraint failed: "), true
			}
		}
		return "", false
	},
	Unavailable: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && unavailableCode(se.Code())
	},
}

// unavailableCode reports whether an SQLite result code (extended codes
// included) means the write could not be done now but may succeed later:
// another process held the write lock past the busy timeout, the disk is
// full, the file cannot be read or written, or it is read-only.
func unavailableCode(code int) bool {
	switch code & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL,
		sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN:
		return true
	}
	return false
}
