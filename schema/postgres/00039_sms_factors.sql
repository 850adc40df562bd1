-- +goose Up
-- SMS as a second factor (issue 19): a staff user's (owner 'u:ID') or a
-- family account's ('f:ID') mobile number, verified by a code before it
-- counts. phone is the verified number; pending_phone one being verified.
-- code_hash holds the one code out (verification or sign-in), hashed and
-- bound to its owner, single use (cleared when used) and expiring.
CREATE TABLE sms_factors (
    owner           TEXT PRIMARY KEY,
    phone           TEXT NOT NULL DEFAULT '',
    pending_phone   TEXT NOT NULL DEFAULT '',
    verified_at     TIMESTAMPTZ,
    code_hash       TEXT NOT NULL DEFAULT '',
    code_expires_at TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE sms_factors;
