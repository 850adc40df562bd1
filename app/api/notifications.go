package api

import (
	"context"

	"clinaudit/app/api/apigen"
	"clinaudit/app/outbox"
	"clinaudit/app/registry"
)

// Notifications (the seed's /notifications/sendEmail and sendSMS): a
// message to a registry contact by id, through registry.Service's
// MessageContact (who may, whom, which template) and notify.Send into the
// one outbox the pages use, in one transaction. The channel is the
// endpoint's, as a survey sent "by email" or "by text" from its page
// (no fallback to the other channel).

// SendEmail queues an email to a contact.
func (a *API) SendEmail(ctx context.Context, req apigen.SendEmailRequestObject) (apigen.SendEmailResponseObject, error) {
	b := req.Body
	q, err := a.deps.Registry.MessageContact(ctx, callerOf(ctx).Me, b.ContactId, registry.ContactMessage{Channel: outbox.Email,
		Template: str(b.Template), Values: values(b.Values), Subject: str(b.Subject), Body: str(b.Body)})
	if err != nil {
		return nil, err
	}
	return apigen.SendEmail202JSONResponse(queuedOf(q)), nil
}

// SendSMS queues a text message to a contact.
func (a *API) SendSMS(ctx context.Context, req apigen.SendSMSRequestObject) (apigen.SendSMSResponseObject, error) {
	b := req.Body
	q, err := a.deps.Registry.MessageContact(ctx, callerOf(ctx).Me, b.ContactId, registry.ContactMessage{Channel: outbox.SMS,
		Template: str(b.Template), Values: values(b.Values), Body: str(b.Body)})
	if err != nil {
		return nil, err
	}
	return apigen.SendSMS202JSONResponse(queuedOf(q)), nil
}

func values(v *map[string]string) map[string]string {
	if v == nil {
		return nil
	}
	return *v
}

func queuedOf(q registry.Queued) apigen.NotificationQueued {
	return apigen.NotificationQueued{Id: q.ID, Channel: apigen.NotificationQueuedChannel(q.Channel), Status: outbox.StatusQueued, Template: q.Template}
}
