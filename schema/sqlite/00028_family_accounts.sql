-- +goose Up
-- Families' accounts (issue 17, docs/registry.md "Family sign-in"): a kind
-- of account apart from staff users. A family account belongs to one
-- registry contact, signs in without a password (an emailed link or code)
-- and holds a session of its own kind: nothing here refers to users or
-- sessions, so no family row can ever stand for a staff account.

-- Whether families need an authenticator app as a second factor is a
-- registry setting: registry_settings.family_second_factor (00026).

CREATE TABLE family_accounts (
    id                INTEGER PRIMARY KEY,
    registry_id       INTEGER NOT NULL REFERENCES registries (id),
    -- The contact it signs in as; purging the contact removes the account.
    contact_id        INTEGER NOT NULL REFERENCES registry_contacts (id) ON DELETE CASCADE,
    email             TEXT NOT NULL, -- lower-case
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    totp_secret       TEXT,          -- set at enrolment, confirmed by a first code
    totp_confirmed_at TIMESTAMP,
    totp_last_step    INTEGER NOT NULL DEFAULT 0, -- refuses a code used twice
    last_sign_in_at   TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX family_accounts_email_key ON family_accounts (registry_id, email);
CREATE UNIQUE INDEX family_accounts_contact_key ON family_accounts (contact_id);

-- One emailed sign-in: a link token and a 6-digit code, both stored hashed,
-- either spends the row (used_at), 10 minutes, and a wrong code counts an
-- attempt: past the limit the row is spent.
CREATE TABLE family_sign_in_tokens (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES family_accounts (id) ON DELETE CASCADE,
    link_hash  TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE UNIQUE INDEX family_sign_in_tokens_link_key ON family_sign_in_tokens (link_hash);
CREATE INDEX family_sign_in_tokens_account_idx ON family_sign_in_tokens (account_id, id);

-- A family session, stored by the SHA-256 of its cookie token (a cookie of
-- its own name: the staff session cookie never names one of these).
CREATE TABLE family_sessions (
    id            TEXT PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES family_accounts (id) ON DELETE CASCADE,
    two_factor_ok BOOLEAN NOT NULL, -- false between the emailed link and the authenticator code
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    ip            TEXT NOT NULL,
    user_agent    TEXT NOT NULL
);
CREATE INDEX family_sessions_account_idx ON family_sessions (account_id);
CREATE INDEX family_sessions_expires_idx ON family_sessions (expires_at);

-- +goose Down
DROP TABLE family_sessions;
DROP TABLE family_sign_in_tokens;
DROP TABLE family_accounts;
