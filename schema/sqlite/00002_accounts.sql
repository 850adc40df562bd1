-- +goose Up
-- Accounts, sessions and the sign-in trail. Nobody signs themselves up: an
-- admin creates an account and an invite link lets its owner set a password.
CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE, -- stored lower-case
    first_name        TEXT NOT NULL,
    surname           TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('national_full', 'national_edit', 'national_view',
                                                    'lead_clinician', 'clinician', 'administrator')),
    organisation_id   INTEGER REFERENCES organisations (id),
    is_superuser      BOOLEAN NOT NULL DEFAULT FALSE,
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    email_confirmed   BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash     TEXT,      -- NULL until the owner sets one
    password_set_at   TIMESTAMP,
    totp_secret       TEXT,      -- set at enrolment, confirmed by a first code
    totp_confirmed_at TIMESTAMP,
    totp_last_step    INTEGER NOT NULL DEFAULT 0, -- refuses a code used twice
    two_factor_exempt BOOLEAN NOT NULL DEFAULT FALSE, -- demo accounts only
    last_sign_in_at   TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    -- National roles belong to no organisation; everyone else to exactly one.
    CHECK ((role IN ('national_full', 'national_edit', 'national_view')) = (organisation_id IS NULL))
);
CREATE INDEX users_organisation_idx ON users (organisation_id);

-- A session is stored by the SHA-256 of its cookie token, never the token.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    two_factor_ok BOOLEAN NOT NULL, -- false between password and second factor
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL, -- the absolute lifetime
    ip            TEXT NOT NULL,
    user_agent    TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Single-use secrets sent by email: invite and reset links, sign-in codes.
CREATE TABLE auth_tokens (
    hash       TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset', 'email_code')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, purpose);

CREATE TABLE backup_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

-- Failed sign-ins counted per key: an account from one address, or an
-- address across accounts. Locks are per account and address, so a stranger
-- elsewhere cannot keep a clinician locked out.
CREATE TABLE sign_in_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- Every sign-in event (Epilepsy12's VisitActivity), kept for admins.
CREATE TABLE sign_in_events (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER REFERENCES users (id),
    event       TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    ip          TEXT NOT NULL,
    user_agent  TEXT NOT NULL
);
CREATE INDEX sign_in_events_user_idx ON sign_in_events (user_id, occurred_at);

-- Outgoing email. A job sends each message; the body is blanked once an SMTP
-- server has it, so links in it do not linger. Without SMTP (the demo), the
-- Demo mailbox page shows them.
CREATE TABLE emails (
    id          INTEGER PRIMARY KEY,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE emails;
DROP TABLE sign_in_events;
DROP TABLE sign_in_throttle;
DROP TABLE backup_codes;
DROP TABLE auth_tokens;
DROP TABLE sessions;
DROP TABLE users;
