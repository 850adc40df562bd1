// Package schema embeds the goose migrations, one folder per SQL dialect.
//
// The two folders hold files of the same names and versions: one migration set
// cannot serve both engines (identity columns, timestamptz, booleans differ) and
// sqlc reads these same files as the schema of each engine.
package schema

import "embed"

//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
