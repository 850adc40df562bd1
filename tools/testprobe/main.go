// Command testprobe tells `make test` which halves of the suite can run.
// It prints one line for each that cannot (PostgreSQL, the browser), and
// fails when that half is required (REQUIRE_POSTGRES=1 or CI=true for
// PostgreSQL; REQUIRE_BROWSER=1 or CI=true for the browser). The tests
// themselves skip or fail the same way.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"clinaudit/app/store/storetest"

	"github.com/jackc/pgx/v5"
)

func main() {
	failed := false
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, storetest.PostgresURL()); err == nil {
		conn.Close(ctx)
	} else if storetest.PostgresRequired() {
		fmt.Fprintf(os.Stderr, "PostgreSQL is required (REQUIRE_POSTGRES=1 or CI=true) but TEST_DATABASE_URL does not answer: %v\n", err)
		failed = true
	} else {
		fmt.Println("PostgreSQL not reachable at TEST_DATABASE_URL: skipping the PostgreSQL half of the tests (set REQUIRE_POSTGRES=1 to fail instead)")
	}

	found := false
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if _, err := exec.LookPath(name); err == nil {
			found = true
			break
		}
	}
	browserRequired := os.Getenv("REQUIRE_BROWSER") == "1" || os.Getenv("CI") == "true"
	switch {
	case found:
	case browserRequired:
		fmt.Fprintln(os.Stderr, "a browser is required (REQUIRE_BROWSER=1 or CI=true) but no chromium is installed (apt-get install chromium)")
		failed = true
	default:
		fmt.Println("No Chromium found: skipping the browser tests in app/e2e (apt-get install chromium to run them)")
	}
	if failed {
		os.Exit(1)
	}
}
