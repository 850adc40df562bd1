package store

import "context"

// NotificationQueries hold delivery status and staff preferences
// (schema 00032, queries/shared/notifications.sql, docs/notifications.md).
// The messages themselves are the outbox's rows (Email): outbox writes
// them, outbox/delivery sends them.
type NotificationQueries interface {
	// RecordDeliveryReceipt sets the status a provider reported for the
	// message it knows by providerRef; 0 rows when no sent message has it.
	RecordDeliveryReceipt(ctx context.Context, arg RecordDeliveryReceiptParams) (int64, error)
	// ListNotifications returns the latest messages, newest first, of one
	// status and channel when given.
	ListNotifications(ctx context.Context, arg ListNotificationsParams) ([]Email, error)
	// CountNotificationsByStatus counts messages per status.
	CountNotificationsByStatus(ctx context.Context) ([]CountNotificationsByStatusRow, error)
	// GetNotificationPreference returns a staff account's preferences.
	// Errors: ErrNotFound (none set: the defaults).
	GetNotificationPreference(ctx context.Context, userID int64) (NotificationPreference, error)
	// SetNotificationPreference writes a staff account's preferences.
	SetNotificationPreference(ctx context.Context, arg SetNotificationPreferenceParams) error
}
