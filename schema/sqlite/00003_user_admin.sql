-- +goose Up
-- Who changed what on an account, and when: the admin history of a user.
-- The application only ever inserts into it.
CREATE TABLE user_admin_events (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    actor_id    INTEGER REFERENCES users (id), -- NULL: the command line
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX user_admin_events_user_idx ON user_admin_events (user_id, occurred_at);

-- +goose Down
DROP TABLE user_admin_events;
