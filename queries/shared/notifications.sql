-- name: RecordDeliveryReceipt :execrows
UPDATE emails SET status = @status, status_reason = @status_reason, status_at = @status_at
WHERE provider = @provider AND provider_ref = @provider_ref AND status IN ('sent', 'delivered', 'failed');

-- name: ListNotifications :many
SELECT * FROM emails
WHERE (status = sqlc.narg('status') OR sqlc.narg('status') IS NULL)
  AND (channel = sqlc.narg('channel') OR sqlc.narg('channel') IS NULL)
ORDER BY created_at DESC, id DESC LIMIT @page_limit;

-- name: CountNotificationsByStatus :many
SELECT status, count(*) AS n FROM emails GROUP BY status ORDER BY status;

-- NotificationPreference is a staff account's channel, phone and opt-out.
-- name: GetNotificationPreference :one
SELECT * FROM notification_preferences WHERE user_id = @user_id;

-- name: SetNotificationPreference :exec
INSERT INTO notification_preferences (user_id, channel, phone, opted_out, updated_at)
VALUES (@user_id, @channel, @phone, @opted_out, @updated_at)
ON CONFLICT (user_id) DO UPDATE SET channel = excluded.channel, phone = excluded.phone,
    opted_out = excluded.opted_out, updated_at = excluded.updated_at;
