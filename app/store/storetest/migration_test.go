package storetest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

// 00023 rebuilds users on SQLite to widen a CHECK (PostgreSQL alters the
// constraint); downTo00023 first rolls back the migrations after it. Accounts and the rows pointing at them must come through
// both ways with their data, and the references must still be enforced.
func TestRegistryMigrationKeepsUsersAndReferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		nat := newUser(t, s, "nat@example.org", nil)
		cli := newUser(t, s, "cli@example.org", &lead)
		check(t, s.SetUserPassword(ctx, store.SetUserPasswordParams{PasswordHash: ptr("h1"), SetAt: ptr(at(1)), ID: cli}))
		check(t, s.SetUserTOTPSecret(ctx, store.SetUserTOTPSecretParams{TotpSecret: ptr("secret"), UpdatedAt: at(2), ID: cli}))
		check(t, s.CreateSession(ctx, store.CreateSessionParams{ID: "s1", UserID: cli, CreatedAt: at(0), ExpiresAt: at(60)}))
		check(t, s.CreateSession(ctx, store.CreateSessionParams{ID: "s2", UserID: nat, CreatedAt: at(0), ExpiresAt: at(60)}))
		// A registry account without traces: the rollback removes it.
		_, err := s.CreateUser(ctx, store.CreateUserParams{Email: "reg@example.org", FirstName: "Reg", Surname: "Istry", Role: "registry_manager", CreatedAt: at(0)})
		check(t, err)

		for _, step := range []struct {
			name string
			run  func(context.Context) error
		}{{"down", func(ctx context.Context) error {
			if err := downTo00023(ctx, s); err != nil {
				return err
			}
			return s.MigrateDown(ctx)
		}}, {"up", s.MigrateUp}} {
			if err := step.run(ctx); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			u := get[store.User](t)(s.GetUser(ctx, cli))
			if u.Email != "cli@example.org" || u.Role != "clinician" || u.OrganisationID == nil || *u.OrganisationID != lead ||
				u.PasswordHash == nil || *u.PasswordHash != "h1" || u.TotpSecret == nil || *u.TotpSecret != "secret" || !u.CreatedAt.Equal(at(0)) {
				t.Errorf("after %s, the clinician = %+v", step.name, u)
			}
			if u := get[store.User](t)(s.GetUser(ctx, nat)); u.Role != "national_view" || u.OrganisationID != nil {
				t.Errorf("after %s, the national user = %+v", step.name, u)
			}
			for sid, uid := range map[string]int64{"s1": cli, "s2": nat} {
				if ss := get[store.Session](t)(s.GetSession(ctx, sid)); ss.UserID != uid {
					t.Errorf("after %s, session %s belongs to %d, want %d", step.name, sid, ss.UserID, uid)
				}
			}
			if err := s.CreateSession(ctx, store.CreateSessionParams{ID: "s-" + step.name, UserID: cli + 1000, CreatedAt: at(0), ExpiresAt: at(60)}); err == nil {
				t.Errorf("after %s, a session for nobody was accepted: foreign keys not enforced", step.name)
			}
		}
		if _, err := s.GetUserByEmail(ctx, "reg@example.org"); err == nil {
			t.Error("the registry account survived the rollback")
		}
		_, err = s.CreateUser(ctx, store.CreateUserParams{Email: "reg2@example.org", FirstName: "Reg", Surname: "Istry", Role: "registry_viewer", CreatedAt: at(3)})
		check(t, err)
		_, err = s.CreateUser(ctx, store.CreateUserParams{Email: "reg3@example.org", FirstName: "Reg", Surname: "Istry", Role: "registry_viewer", OrganisationID: &lead, CreatedAt: at(3)})
		if err == nil {
			t.Error("a registry account with an organisation was accepted")
		}
		if ls, ok := s.(*litestore.Store); ok {
			var n int
			if err := ls.DB().QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'users_organisation_idx' AND tbl_name = 'users'").Scan(&n); err != nil || n != 1 {
				t.Errorf("users_organisation_idx: %d, %v", n, err)
			}
			if err := ls.DB().QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&n); err != nil || n != 0 {
				t.Errorf("foreign_key_check: %d broken, %v", n, err)
			}
		}
	})
}

// A rebuild that fails leaves the old table, and the writer connection out
// of the transaction with foreign keys on. The failure here is the foreign
// key check: a session pointing at nobody, slipped in with the keys off.
func TestSQLiteRebuildFailureLeavesTheOldTable(t *testing.T) {
	s := storetest.Open(t, store.SQLite).(*litestore.Store)
	ctx := context.Background()
	db := s.DB()
	check(t, downTo00023(ctx, s))
	for _, q := range []string{
		"PRAGMA foreign_keys = OFF",
		"INSERT INTO sessions (id, user_id, two_factor_ok, ip, user_agent, created_at, last_seen_at, expires_at) VALUES ('orphan', 999, 0, '', '', '2025-01-01 00:00:00', '2025-01-01 00:00:00', '2025-01-02 00:00:00')",
		"PRAGMA foreign_keys = ON",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	err := s.MigrateDown(ctx)
	if err == nil || !strings.Contains(err.Error(), "foreign_keys_intact") {
		t.Fatalf("MigrateDown with a broken reference = %v, want the foreign key check to refuse it", err)
	}
	var fk int
	if err := db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys after the failure = %d, %v; want 1", fk, err)
	}
	// Still 00023's table (registry roles accepted), and a write commits:
	// no transaction left open.
	_, err = s.CreateUser(ctx, store.CreateUserParams{Email: "reg@example.org", FirstName: "Reg", Surname: "Istry", Role: "registry_manager", CreatedAt: at(0)})
	check(t, err)
	if !applied(ctx, t, s, 23) {
		t.Error("after the failed rollback, 00023 is no longer applied")
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name IN ('users_new', 'registries')").Scan(&n); err != nil || n != 1 {
		t.Errorf("users_new and registries: %d tables, %v; want registries alone", n, err)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE id = 'orphan'"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM users WHERE email = 'reg@example.org'"); err != nil {
		t.Fatal(err)
	}
	check(t, s.MigrateDown(ctx))
	check(t, s.MigrateUp(ctx))
}

// downTo00023 rolls back the migrations after 00023, so that the next
// MigrateDown is 00023's.
func downTo00023(ctx context.Context, s store.Store) error {
	for {
		st, err := s.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		var last int64
		for _, m := range st {
			if m.Applied {
				last = max(last, m.Version)
			}
		}
		if last <= 23 {
			return nil
		}
		if err := s.MigrateDown(ctx); err != nil {
			return err
		}
	}
}

// applied reports whether migration version is applied.
func applied(ctx context.Context, t *testing.T, s store.Store, version int64) bool {
	t.Helper()
	st, err := s.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range st {
		if m.Version == version {
			return m.Applied
		}
	}
	return false
}

// 00026 rebuilds registry_changes on SQLite to widen its CHECKs (PostgreSQL
// alters them): the trail comes through down and up, and the new entities
// and causes are refused again after a rollback.
func TestRegistryConsentMigrationKeepsTheTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		p := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", nil)))
		row := store.InsertRegistryChangeParams{RegistryID: reg, Entity: "patient", EntityID: p, PatientID: &p, Field: "surname",
			OldValue: ptr("Smyth"), NewValue: ptr("Smith"), Version: 2, Cause: "form", ChangedAt: at(1)}
		check(t, s.InsertRegistryChange(ctx, row))
		consent := row
		consent.Entity, consent.Cause = "consent", "withdrawal"
		check(t, s.InsertRegistryChange(ctx, consent))
		trail := func(when string, want int) {
			t.Helper()
			cs := get[[]store.RegistryChange](t)(s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: p, PageLimit: 10}))
			if len(cs) != want || cs[len(cs)-1].OldValue == nil || *cs[len(cs)-1].OldValue != "Smyth" || !cs[len(cs)-1].ChangedAt.Equal(at(1)) {
				t.Errorf("%s: trail = %+v, want %d rows, the first kept", when, cs, want)
			}
		}
		for applied(ctx, t, s, 26) {
			check(t, s.MigrateDown(ctx))
		}
		// Rolled back below 00028-00029 too, where the trail's queries read
		// its family author: the old schema is read and written in SQL.
		if n := rawTrail(ctx, t, s, p, "SELECT count(*) FROM registry_changes WHERE patient_id = ? AND old_value = 'Smyth'"); n != 1 {
			t.Errorf("after rolling back 00026: %d rows, want the first kept and the consent row gone", n)
		}
		if n := rawTrail(ctx, t, s, p, "SELECT count(*) FROM registry_changes WHERE patient_id = ?"); n != 1 {
			t.Errorf("after rolling back 00026: %d rows, want 1 (the consent row goes with its entity)", n)
		}
		if err := rawExec(ctx, s, `INSERT INTO registry_changes (registry_id, entity, entity_id, patient_id, field, version, cause, changed_at)
			VALUES (?, 'consent', ?, ?, 'surname', 2, 'withdrawal', ?)`, reg, p, p, at(1)); err == nil {
			t.Error("a consent row was accepted without 00026")
		}
		check(t, s.MigrateUp(ctx))
		trail("after 00026 again", 1)
		check(t, s.InsertRegistryChange(ctx, consent))
		trail("with a consent row", 2)
	})
}

// rawTrail counts with a query of one ? (the patient) in the database's
// own SQL, for a schema older than the store's queries.
func rawTrail(ctx context.Context, t *testing.T, s store.Store, patient int64, query string) int {
	t.Helper()
	var n int
	var err error
	switch st := s.(type) {
	case *litestore.Store:
		err = st.DB().QueryRowContext(ctx, query, patient).Scan(&n)
	case *pgstore.Store:
		err = st.Pool().QueryRow(ctx, strings.Replace(query, "?", "$1", 1), patient).Scan(&n)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rawExec runs a statement with ? arguments on either engine.
func rawExec(ctx context.Context, s store.Store, query string, args ...any) error {
	switch st := s.(type) {
	case *litestore.Store:
		_, err := st.DB().ExecContext(ctx, query, args...)
		return err
	case *pgstore.Store:
		for i := 1; strings.Contains(query, "?"); i++ {
			query = strings.Replace(query, "?", fmt.Sprintf("$%d", i), 1)
		}
		_, err := st.Pool().Exec(ctx, query, args...)
		return err
	}
	return fmt.Errorf("no raw SQL for %T", s)
}
