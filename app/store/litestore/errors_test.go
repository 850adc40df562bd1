package litestore

import (
	"testing"

	sqlite3 "modernc.org/sqlite/lib"
)

func TestUnavailableCode(t *testing.T) {
	for code, want := range map[int]bool{
		sqlite3.SQLITE_BUSY: true, sqlite3.SQLITE_BUSY_SNAPSHOT: true, sqlite3.SQLITE_LOCKED: true,
		sqlite3.SQLITE_FULL: true, sqlite3.SQLITE_IOERR: true, sqlite3.SQLITE_IOERR_WRITE: true,
		sqlite3.SQLITE_READONLY: true, sqlite3.SQLITE_CANTOPEN: true,
		sqlite3.SQLITE_CONSTRAINT_UNIQUE: false, sqlite3.SQLITE_CONSTRAINT_CHECK: false,
		sqlite3.SQLITE_ERROR: false, sqlite3.SQLITE_MISMATCH: false,
	} {
		if got := unavailableCode(code); got != want {
			t.Errorf("unavailableCode(%d) = %v, want %v", code, got, want)
		}
	}
}
