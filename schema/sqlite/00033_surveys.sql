-- +goose Up
-- Surveys (issue 19, docs/surveys.md): a registry's questionnaires for
-- patients' contacts. A survey has versions; a published version never
-- changes (a change is a new version). An invitation is one contact's
-- personal links (survey_tokens) to one version; its answers are saved
-- one question at a time.
CREATE TABLE surveys (
    id          INTEGER PRIMARY KEY,
    registry_id INTEGER NOT NULL REFERENCES registries (id),
    title       TEXT NOT NULL,   -- the latest version's, for lists
    closes_at   TIMESTAMP NOT NULL, -- links stop working and reminders stop
    closed_at   TIMESTAMP,     -- closed early by a manager
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER REFERENCES users (id)
);
CREATE INDEX surveys_registry_idx ON surveys (registry_id, created_at);

CREATE TABLE survey_versions (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id),
    version      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    intro        TEXT NOT NULL DEFAULT '',
    questions    TEXT NOT NULL,   -- the manager's text (app/survey.Parse); parsed on use
    published_at TIMESTAMP,     -- NULL: a draft, editable; set: frozen
    updated_at   TIMESTAMP NOT NULL,
    updated_by   INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX survey_versions_key ON survey_versions (survey_id, version);

CREATE TABLE survey_invitations (
    id               INTEGER PRIMARY KEY,
    survey_id        INTEGER NOT NULL REFERENCES surveys (id),
    version_id       INTEGER NOT NULL REFERENCES survey_versions (id),
    contact_id       INTEGER NOT NULL REFERENCES registry_contacts (id) ON DELETE CASCADE,
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    created_at       TIMESTAMP NOT NULL,
    created_by       INTEGER REFERENCES users (id),
    expires_at       TIMESTAMP NOT NULL,
    started_at       TIMESTAMP,  -- first answer
    completed_at     TIMESTAMP,  -- finished: the link is used
    last_reminded_at TIMESTAMP,
    reminders        INTEGER NOT NULL DEFAULT 0
);
-- One invitation per contact and survey.
CREATE UNIQUE INDEX survey_invitations_contact_key ON survey_invitations (survey_id, contact_id);
CREATE INDEX survey_invitations_open_idx ON survey_invitations (completed_at, expires_at);

-- An invitation's links: the SHA-256 of each token (the invitation's,
-- each reminder's), never the token. Every link of an invitation opens the
-- same answers until it is completed or expires.
CREATE TABLE survey_tokens (
    hash          TEXT PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES survey_invitations (id) ON DELETE CASCADE,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX survey_tokens_invitation_idx ON survey_tokens (invitation_id);

CREATE TABLE survey_answers (
    invitation_id INTEGER NOT NULL REFERENCES survey_invitations (id) ON DELETE CASCADE,
    question      TEXT NOT NULL, -- the question's key
    answer        TEXT NOT NULL, -- as typed; choices joined by a newline
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (invitation_id, question)
);

-- +goose Down
DROP TABLE survey_answers;
DROP TABLE survey_tokens;
DROP TABLE survey_invitations;
DROP TABLE survey_versions;
DROP TABLE surveys;
