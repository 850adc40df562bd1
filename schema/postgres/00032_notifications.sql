-- +goose Up
-- Notifications (issue 19, docs/notifications.md): the email outbox becomes
-- the one outbox for every channel. A row is a message to one recipient on
-- one channel (email or SMS), its delivery status and the provider's
-- reason; the table keeps its old name so every existing query and the
-- demo mailbox stay as they are.
ALTER TABLE emails ADD COLUMN channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms'));
ALTER TABLE emails ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE emails ADD COLUMN template TEXT NOT NULL DEFAULT '';   -- app/notify template name; '' for older rows
ALTER TABLE emails ADD COLUMN essential BOOLEAN NOT NULL DEFAULT FALSE; -- sent whatever the recipient's opt-out
ALTER TABLE emails ADD COLUMN status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'delivered', 'failed'));
ALTER TABLE emails ADD COLUMN status_reason TEXT NOT NULL DEFAULT ''; -- the provider's words for a failure
ALTER TABLE emails ADD COLUMN status_at TIMESTAMPTZ;
ALTER TABLE emails ADD COLUMN provider TEXT NOT NULL DEFAULT '';     -- smtp, govuk_notify
ALTER TABLE emails ADD COLUMN provider_ref TEXT NOT NULL DEFAULT ''; -- the provider's id, for delivery receipts
UPDATE emails SET status = 'sent', status_at = sent_at WHERE sent_at IS NOT NULL;
CREATE INDEX emails_provider_ref_idx ON emails (provider, provider_ref);

-- A staff account's notification preferences: the channel it prefers, its
-- mobile number for SMS, and whether it opted out of non-essential
-- messages. No row: email, no phone, not opted out. (Registry contacts keep
-- theirs on registry_contacts: preferred_channel, may_contact.)
CREATE TABLE notification_preferences (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    channel    TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms')),
    phone      TEXT NOT NULL DEFAULT '',  -- "+44" form
    opted_out  BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE notification_preferences;
DROP INDEX emails_provider_ref_idx;
ALTER TABLE emails DROP COLUMN provider_ref;
ALTER TABLE emails DROP COLUMN provider;
ALTER TABLE emails DROP COLUMN status_at;
ALTER TABLE emails DROP COLUMN status_reason;
ALTER TABLE emails DROP COLUMN status;
ALTER TABLE emails DROP COLUMN essential;
ALTER TABLE emails DROP COLUMN template;
ALTER TABLE emails DROP COLUMN body_html;
ALTER TABLE emails DROP COLUMN channel;
