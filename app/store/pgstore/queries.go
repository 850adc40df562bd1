package pgstore

import "clinaudit/app/store/pgstore/pgdb"

//go:generate go run ../internal/adaptergen

// queries adapts the generated pgdb queries to store.Queries; its methods
// are generated in queries_gen.go.
type queries struct{ q *pgdb.Queries }
