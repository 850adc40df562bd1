package auth

import (
	"fmt"
	"time"

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

func codeEmail(u store.User, code string, expires time.Time) outbox.Message {
	return outbox.Message{To: u.Email, Subject: "Your clinaudit sign-in code", Text: fmt.Sprintf(
		"Your one-time sign-in code is %s\n\nIt works once and expires at %s (5 minutes after it was sent).\n\n"+
			"If you did not try to sign in, someone may know your password: change it, and tell your audit lead.\n",
		code, when(expires))}
}
