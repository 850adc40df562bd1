package reporting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Role is the database role BI tools connect as (RoleSQL).
const Role = "clinaudit_reporting"

// PostgresMigration is schema/postgres/00035_reporting.sql, rendered from
// Views: a test fails when the file and Views disagree (rewrite it with
// `go test ./app/reporting -run Migration -update`). A later change to
// Views goes in a new migration that drops and recreates the views.
func PostgresMigration() string {
	var b strings.Builder
	b.WriteString(`-- +goose Up
-- GENERATED from app/reporting (Views) by ` + "`go test ./app/reporting -run Migration -update`" + `: do not edit.
-- The masked reporting schema for BI tools (docs/reporting.md). The views
-- run with their owner's rights, so the reporting role reads them without
-- any right on the tables beneath. The pseudonym key's HMAC pads sit in
-- reporting_private, which only the owner reads; reporting.pseudonym
-- (SECURITY DEFINER) hashes with them. The app writes the pads at start-up
-- from --reporting-key (reporting.SetKey); without a key pseudonyms are
-- empty.
CREATE SCHEMA reporting_private;
REVOKE ALL ON SCHEMA reporting_private FROM PUBLIC;
CREATE TABLE reporting_private.pseudonym_key (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    ipad BYTEA NOT NULL,
    opad BYTEA NOT NULL
);
CREATE SCHEMA reporting;
-- +goose StatementBegin
CREATE FUNCTION reporting.pseudonym(kind TEXT, id BIGINT) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT left(encode(sha256(k.opad || sha256(k.ipad || convert_to(kind || ':' || id::text, 'UTF8'))), 'hex'), ` + fmt.Sprint(PseudonymLength) + `)
    FROM reporting_private.pseudonym_key k
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION reporting.pseudonym(TEXT, BIGINT) FROM PUBLIC;
`)
	for _, v := range Views {
		fmt.Fprintf(&b, "\n-- %s\nCREATE VIEW reporting.%s AS\n%s;\n", v.Doc, v.Name, v.Select(Postgres))
	}
	b.WriteString("\n-- +goose Down\nDROP SCHEMA reporting CASCADE;\nDROP SCHEMA reporting_private CASCADE;\n")
	return b.String()
}

// SetKey writes the pseudonym key's pads for reporting.pseudonym, replacing
// any there. db is the app's own connection to PostgreSQL.
func SetKey(ctx context.Context, db *sql.DB, key string) error {
	if len(key) < MinKeyLength {
		return fmt.Errorf("the reporting key must be at least %d characters", MinKeyLength)
	}
	ipad, opad := Pads([]byte(key))
	_, err := db.ExecContext(ctx, `INSERT INTO reporting_private.pseudonym_key (id, ipad, opad) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET ipad = excluded.ipad, opad = excluded.opad`, ipad, opad)
	return err
}

// HasKey reports whether a pseudonym key has been written (SetKey).
func HasKey(ctx context.Context, db *sql.DB) (bool, error) {
	var ok bool
	err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM reporting_private.pseudonym_key)").Scan(&ok)
	return ok, err
}

// GrantRole creates the reporting role with password (sent as its SCRAM
// verifier, never in clear), or sets the password of the one there, and lets it read the reporting schema of this database
// and nothing else: no right on any other schema's tables is granted, and
// its sessions are read-only. Run again after an upgrade that adds views.
func GrantRole(ctx context.Context, db *sql.DB, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	verifier, err := scramVerifier(password, newSalt())
	if err != nil {
		return err
	}
	pw := "'" + verifier + "'" // base64, "$" and ":" only: nothing to quote
	var dbname string
	if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&dbname); err != nil {
		return err
	}
	// Roles are the cluster's: another database (or a test beside this
	// one) may have made it first.
	_, err = db.ExecContext(ctx, "CREATE ROLE "+Role+" LOGIN NOINHERIT PASSWORD "+pw)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42710" || pgErr.Code == "23505") { // duplicate_object; unique_violation in a race
		_, err = db.ExecContext(ctx, "ALTER ROLE "+Role+" LOGIN NOINHERIT PASSWORD "+pw)
	}
	if err != nil {
		return fmt.Errorf("creating role %s: %w", Role, err)
	}
	for _, stmt := range []string{
		"ALTER ROLE " + Role + " SET default_transaction_read_only = on",
		"GRANT CONNECT ON DATABASE " + pgx.Identifier{dbname}.Sanitize() + " TO " + Role,
		"GRANT USAGE ON SCHEMA reporting TO " + Role,
		"GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO " + Role,
		"GRANT EXECUTE ON FUNCTION reporting.pseudonym(TEXT, BIGINT) TO " + Role,
		"ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO " + Role,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}
