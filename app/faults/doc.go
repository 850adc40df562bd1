// Package faults holds the fault tests of issue 23: they run the real
// clinaudit binary (built by the test) against a throwaway SQLite file and
// a throwaway PostgreSQL database, load it with clinicians saving answers
// over HTTP, and then kill it, stop it or take its database away, and check
// from the database that nothing acknowledged was lost and that everything
// recovered by itself.
//
// They take minutes, so they run only with CLINAUDIT_FAULTS=1:
//
//	make test-faults
//	CLINAUDIT_FAULTS=1 go test -count=1 -v -run TestCrashUnderLoad ./app/faults/
//
// docs/testing.md says more; docs/operations.md has the results.
package faults
