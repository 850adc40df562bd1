package web

import (
	"strconv"
	"time"

	"clinaudit/app/auth"
)

// lockedMessage says why a sign-in was refused by a limit (docs/security.md,
// "Sign-in limits"), and what the person can do. The words are the same
// whether or not the email has an account.
func (s *server) lockedMessage(l *auth.LockedError) string {
	cfg := s.Auth.Config
	switch {
	case l.Address:
		return "There have been too many failed sign-ins from your device or network. Try again after " + clock(l.Until) + "."
	case l.Slowed:
		return "There have been many failed sign-ins to this account recently, so a device it has not been signed in from can try only now and then. Try again after " + clockSeconds(l.Until) +
			". A device you have signed in from before is not held back: use one if you can, or reset your password from this device (then it counts as yours), or ask your lead clinician or the national audit team to unlock the account."
	}
	return "You have entered a wrong password " + strconv.Itoa(cfg.LockoutThreshold) + " times in a row, so this account is locked on this device for " + minutes(cfg.LockoutDuration) +
		", until " + clock(l.Until) + ". You can try again after that, or ask your lead clinician or the national audit team to unlock it."
}

// sendLimitMessage refuses another emailed code.
func sendLimitMessage(l *auth.SendLimitError) string {
	return "We have sent you several codes in the last few minutes. Use the newest one, or wait until " + clock(l.Until) +
		" to ask for another. You can also use your authenticator app or a backup code."
}

func minutes(d time.Duration) string {
	if m := int(d.Minutes()); m != 1 {
		return strconv.Itoa(m) + " minutes"
	}
	return "1 minute"
}

// clockSeconds is clock with seconds, for waits shorter than a minute.
func clockSeconds(t time.Time) string {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		t = t.In(loc)
	}
	return t.Format("15:04:05")
}
