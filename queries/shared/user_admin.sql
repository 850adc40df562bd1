-- The staff list. Scope: with both scope codes empty, every account
-- (national viewers); otherwise accounts whose organisation is in that trust
-- or health board. RegistryOnly keeps registry accounts alone (a registry
-- manager's list, with empty scope codes). The sort column and direction are parameters: a text key
-- computed in the select list (sqlc's SQLite parser drops parameters in
-- ORDER BY), sorted by its alias.

-- UserListItem is one row of the staff list.

-- name: ListUsers :many
SELECT u.id, u.email, u.first_name, u.surname, u.role, u.organisation_id, u.is_superuser,
    u.is_active, u.email_confirmed, u.last_sign_in_at,
    CAST(u.totp_confirmed_at IS NOT NULL AS BOOLEAN) AS two_factor_enrolled,
    coalesce(o.name, '') AS organisation_name, coalesce(o.ods_code, '') AS organisation_ods,
    CAST(EXISTS (SELECT 1 FROM sign_in_throttle t WHERE t.key LIKE 'acct:' || u.id || ':%' AND t.locked_until > @now) AS BOOLEAN) AS locked,
    -- Sort keys as text: one ascending, one descending; the other is ''.
    CASE WHEN CAST(@descending AS BOOLEAN) THEN '' ELSE CASE CAST(@sort_column AS TEXT)
        WHEN 'email' THEN u.email
        WHEN 'role' THEN u.role
        WHEN 'organisation' THEN lower(coalesce(o.name, ''))
        WHEN 'status' THEN CASE WHEN u.is_active THEN '1' ELSE '0' END
        WHEN 'last_sign_in' THEN coalesce(CAST(u.last_sign_in_at AS TEXT), '')
        ELSE lower(u.surname || ' ' || u.first_name) END END AS sort_up,
    CASE WHEN CAST(@descending AS BOOLEAN) THEN CASE CAST(@sort_column AS TEXT)
        WHEN 'email' THEN u.email
        WHEN 'role' THEN u.role
        WHEN 'organisation' THEN lower(coalesce(o.name, ''))
        WHEN 'status' THEN CASE WHEN u.is_active THEN '1' ELSE '0' END
        WHEN 'last_sign_in' THEN coalesce(CAST(u.last_sign_in_at AS TEXT), '')
        ELSE lower(u.surname || ' ' || u.first_name) END ELSE '' END AS sort_down
FROM users u
LEFT JOIN organisations o ON o.id = u.organisation_id
WHERE ((CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
       OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT))
  AND (lower(u.first_name || ' ' || u.surname) LIKE @pattern OR u.email LIKE @pattern)
  AND (CAST(@organisation_id AS BIGINT) = 0 OR u.organisation_id = CAST(@organisation_id AS BIGINT))
  AND (CAST(@role AS TEXT) = '' OR u.role = CAST(@role AS TEXT))
  AND (NOT CAST(@registry_only AS BOOLEAN) OR u.role IN ('registry_manager', 'registry_viewer'))
  AND (CAST(@status AS TEXT) = '' OR (CAST(@status AS TEXT) = 'active') = u.is_active)
ORDER BY sort_up ASC, sort_down DESC, u.id ASC
LIMIT @page_limit OFFSET @page_offset;

-- name: CountUsers :one
SELECT count(*) FROM users u
LEFT JOIN organisations o ON o.id = u.organisation_id
WHERE ((CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
       OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT))
  AND (lower(u.first_name || ' ' || u.surname) LIKE @pattern OR u.email LIKE @pattern)
  AND (CAST(@organisation_id AS BIGINT) = 0 OR u.organisation_id = CAST(@organisation_id AS BIGINT))
  AND (CAST(@role AS TEXT) = '' OR u.role = CAST(@role AS TEXT))
  AND (NOT CAST(@registry_only AS BOOLEAN) OR u.role IN ('registry_manager', 'registry_viewer'))
  AND (CAST(@status AS TEXT) = '' OR (CAST(@status AS TEXT) = 'active') = u.is_active);

-- name: UpdateUserAccess :exec
UPDATE users SET role = @role, organisation_id = @organisation_id, is_superuser = @is_superuser,
    updated_at = @updated_at
WHERE id = @id;

-- name: ResetUserTwoFactor :exec
UPDATE users SET totp_secret = NULL, totp_confirmed_at = NULL, updated_at = @updated_at WHERE id = @id;

-- name: InsertUserAdminEvent :exec
INSERT INTO user_admin_events (user_id, actor_id, action, detail, occurred_at)
VALUES (@user_id, @actor_id, @action, @detail, @occurred_at);

-- UserAdminEvent is one change to an account.

-- name: ListUserAdminEvents :many
SELECT e.id, e.action, e.detail, e.occurred_at,
    coalesce(a.first_name || ' ' || a.surname, 'command line') AS actor_name
FROM user_admin_events e
LEFT JOIN users a ON a.id = e.actor_id
WHERE e.user_id = @user_id
ORDER BY e.occurred_at DESC, e.id DESC
LIMIT @page_limit;

-- Organisation is an audit site with the names of the bodies it belongs to.
-- A name is empty where the organisation has no such body (Welsh sites have
-- no trust, ICB or NHS England region; English sites no health board).

-- name: GetOrganisation :one
SELECT id, ods_code, name, city, postcode, country_code, trust_ods_code, trust_name,
    local_health_board_ods_code, health_board_name, icb_ods_code, icb_name,
    nhs_england_region_code, region_name, openuk_network_code, network_name, country_name
FROM organisation_details o
WHERE o.id = @id;

-- OrganisationPlace is where an organisation sits for access decisions:
-- one row of one table, read on every signed-in request.

-- name: GetOrganisationPlace :one
SELECT id, trust_ods_code, local_health_board_ods_code FROM organisations WHERE id = @id;

-- OrganisationChoice is an organisation offered in a select.

-- name: ListOrganisationsInScope :many
SELECT o.id, o.ods_code, o.name FROM organisations o
WHERE (CAST(@scope_trust AS TEXT) = '' AND CAST(@scope_board AS TEXT) = '')
   OR o.trust_ods_code = CAST(@scope_trust AS TEXT) OR o.local_health_board_ods_code = CAST(@scope_board AS TEXT)
ORDER BY o.name, o.ods_code;

-- name: CountActiveLocks :one
SELECT count(*) FROM sign_in_throttle WHERE key LIKE @key_prefix AND locked_until > @now;
