package mail

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalidMessage wraps every reason Message.Validate or Build refuses a
	// message. Such a message can never be sent, so it is permanent.
	ErrInvalidMessage = errors.New("invalid message")

	// ErrSTARTTLSUnavailable means TLS mode is "starttls" but the server did
	// not offer STARTTLS. Send refuses rather than sending in clear: the
	// offer can be stripped by anyone on the path. Temporary, because a
	// server (or a network) that misbehaves today may be fixed tomorrow.
	ErrSTARTTLSUnavailable = errors.New("server does not offer STARTTLS")

	// ErrAuthUnavailable means credentials are configured but the server
	// offers neither AUTH PLAIN nor AUTH LOGIN on this connection. Send does
	// not fall back to sending unauthenticated.
	ErrAuthUnavailable = errors.New("server offers no supported AUTH mechanism (PLAIN, LOGIN)")
)

// Error is what SMTPSender.Send returns. Its text never contains the
// password or the message body.
type Error struct {
	// Op is the step that failed: "message", "dial", "hello", "starttls",
	// "auth", "mail", "rcpt" or "data".
	Op string
	// Code is the SMTP reply code when the server refused (for example 451
	// or 550), or 0 when the failure was not an SMTP reply (network, TLS,
	// timeout, invalid message).
	Code int
	Err  error
}

func (e *Error) Error() string {
	return fmt.Sprintf("smtp %s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether sending the same message again cannot succeed:
// the server answered with a 5xx reply, or the message itself is invalid.
// Everything else (4xx replies, network failures, timeouts, TLS problems)
// is temporary and worth retrying.
func (e *Error) Permanent() bool {
	return (e.Code >= 500 && e.Code <= 599) || errors.Is(e.Err, ErrInvalidMessage)
}

// IsPermanent reports whether err says retrying the same message is
// pointless, so a job should give up instead of retrying. It is false for
// nil and for errors it does not recognise (retrying is the safe default).
func IsPermanent(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Permanent()
	}
	return errors.Is(err, ErrInvalidMessage)
}

// invalidf builds an error that wraps ErrInvalidMessage.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidMessage}, args...)...)
}
