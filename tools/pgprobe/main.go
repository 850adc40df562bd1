// Command pgprobe tells `make test` whether the PostgreSQL half of the tests
// can run. It prints one line when it cannot, and fails when PostgreSQL is
// required (REQUIRE_POSTGRES=1 or CI=true); the tests themselves skip or fail
// the same way (app/store/storetest).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"clinaudit/app/store/storetest"

	"github.com/jackc/pgx/v5"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, storetest.PostgresURL())
	if err == nil {
		conn.Close(ctx)
		return
	}
	if storetest.PostgresRequired() {
		fmt.Fprintf(os.Stderr, "PostgreSQL is required (REQUIRE_POSTGRES=1 or CI=true) but TEST_DATABASE_URL does not answer: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("PostgreSQL not reachable at TEST_DATABASE_URL: skipping the PostgreSQL half of the tests (set REQUIRE_POSTGRES=1 to fail instead)")
}
