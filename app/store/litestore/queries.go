package litestore

import "clinaudit/app/store/litestore/litedb"

//go:generate go run ../internal/adaptergen

// queries adapts the generated litedb queries to store.Queries; its methods
// are generated in queries_gen.go.
type queries struct{ q *litedb.Queries }
