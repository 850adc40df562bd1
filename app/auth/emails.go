package auth

import (
	"context"
	"fmt"
	"time"

	"clinaudit/app/notify"
	"clinaudit/app/outbox"
	"clinaudit/app/store"
)

// Email texts: plain language, say when a link or code stops working, never
// call a code a "token" (Epilepsy12 users found that confusing).

func when(t time.Time) string {
	return t.UTC().Format("15:04 UTC on Monday 2 January 2006")
}

func inviteEmail(u store.User, link string, expires time.Time) outbox.Message {
	return outbox.Message{To: u.Email, Subject: "Your clinaudit account: set your password", Text: fmt.Sprintf(
		"Dear %s %s,\n\nAn account has been created for you on clinaudit, the epilepsy audit.\n\n"+
			"Set your password with this link:\n%s\n\nThe link works once and expires at %s (72 hours after it was sent). "+
			"If it has expired, use \"Forgot your password?\" on the sign-in page to get a new one.\n\n"+
			"If you were not expecting this email, you can ignore it.\n", u.FirstName, u.Surname, link, when(expires))}
}

func resetEmail(u store.User, link string, expires time.Time) outbox.Message {
	return outbox.Message{To: u.Email, Subject: "Reset your clinaudit password", Text: fmt.Sprintf(
		"Dear %s %s,\n\nSomeone (we hope you) asked to reset the password of your clinaudit account.\n\n"+
			"Choose a new password with this link:\n%s\n\nThe link works once and expires at %s. "+
			"You will still need your second factor to sign in.\n\n"+
			"If you did not ask for this, you can ignore this email: your password has not changed.\n",
		u.FirstName, u.Surname, link, when(expires))}
}

// sendEmailCode queues a sign-in code by email: notify's essential
// sign_in_code message, which says it is sent whatever the recipient's
// opt-out (notify.SendSMSCode is its SMS twin).
func sendEmailCode(ctx context.Context, tx store.Tx, u store.User, code string, expires, now time.Time) error {
	_, _, err := notify.Send(ctx, tx, notify.Notification{Template: "sign_in_code", Channel: outbox.Email, To: notify.Recipient{Email: u.Email},
		Values: map[string]string{"code": code, "expires": when(expires)}}, now)
	return err
}
