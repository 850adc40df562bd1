package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// Sender delivers one message. Implementations must be safe for concurrent
// use. A failed Send may be retried unless IsPermanent(err).
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTPSender sends each message over its own SMTP connection. It is safe
// for concurrent use.
type SMTPSender struct {
	cfg      Config
	envelope string // the From address, for MAIL FROM
}

var _ Sender = (*SMTPSender)(nil)

// NewSMTPSender checks cfg and returns a sender using it.
func NewSMTPSender(cfg Config) (*SMTPSender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	from, _ := parseAddress(cfg.From) // Validate has parsed it already
	return &SMTPSender{cfg: cfg, envelope: from.Address}, nil
}

// String describes the sender without the password. It and Format have
// value receivers so that printing a dereferenced sender is safe too: fmt
// cannot call methods on the unexported cfg field.
func (s SMTPSender) String() string { return "mail.SMTPSender " + s.cfg.String() }

// Format keeps the password out of every fmt verb.
func (s SMTPSender) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// LogValue logs the configuration without the password.
func (s SMTPSender) LogValue() slog.Value { return s.cfg.LogValue() }

// longAgo is a deadline in the past: setting it aborts blocked I/O at once.
var longAgo = time.Unix(1, 0)

// Send delivers m to every recipient or to none: any refused recipient
// fails the whole message, so a retry never reaches someone twice because
// of a partial failure. Once the server has accepted the data, Send returns
// nil even if QUIT fails. Delivery is at least once: if the connection dies
// after the data is sent but before the server's reply, a retry can
// deliver a duplicate.
//
// The whole conversation is bounded by Config.Timeout and ctx; cancelling
// ctx aborts it at once. Errors are *Error, and IsPermanent tells whether
// to retry.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	messageID, err := NewMessageID(s.cfg.From)
	if err != nil {
		return &Error{Op: "message", Err: err}
	}
	raw, err := Build(s.cfg.From, m, time.Now(), messageID) // validates m
	if err != nil {
		return &Error{Op: "message", Err: err}
	}

	ctx, cancel := context.WithTimeout(ctx, s.cfg.timeout())
	defer cancel()

	conn, err := s.dial(ctx)
	if err != nil {
		return s.fail(ctx, "dial", err)
	}
	defer conn.Close()
	// The deadline is set only once ctx is done, so a timed-out read always
	// finds ctx.Err() set, and cancellation interrupts a read from a stalled
	// server instead of waiting for the next command.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(longAgo) })
	defer stop()

	op, err := s.converse(conn, m, raw)
	if err != nil {
		return s.fail(ctx, op, err)
	}
	return nil
}

func (s *SMTPSender) dial(ctx context.Context) (net.Conn, error) {
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.port()))
	dialer := &net.Dialer{}
	if s.cfg.tlsMode() == TLSImplicit {
		return (&tls.Dialer{NetDialer: dialer, Config: s.tlsConfig()}).DialContext(ctx, "tcp", addr)
	}
	return dialer.DialContext(ctx, "tcp", addr)
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.cfg.Host,
		InsecureSkipVerify: s.cfg.InsecureSkipVerify,
		MinVersion:         tls.VersionTLS12,
	}
}

// converse runs the SMTP dialogue on conn and returns the failed step.
func (s *SMTPSender) converse(conn net.Conn, m Message, raw []byte) (op string, err error) {
	// NewClient sees a *tls.Conn for implicit TLS and tells AUTH so.
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return "hello", err
	}
	defer c.Close()
	// Say EHLO explicitly: Extension would otherwise hide a refused EHLO
	// behind "extension not offered".
	localName := s.cfg.LocalName
	if localName == "" {
		localName = "localhost"
	}
	if err := c.Hello(localName); err != nil {
		return "hello", err
	}
	if s.cfg.tlsMode() == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return "starttls", ErrSTARTTLSUnavailable
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return "starttls", err
		}
	}
	if s.cfg.Username != "" {
		auth, err := s.auth(c)
		if err != nil {
			return "auth", err
		}
		if err := c.Auth(auth); err != nil {
			return "auth", err
		}
	}
	if err := c.Mail(s.envelope); err != nil {
		return "mail", err
	}
	for _, to := range m.To {
		a, _ := parseAddress(to) // Validate has parsed it already
		if err := c.Rcpt(a.Address); err != nil {
			return "rcpt", err
		}
	}
	w, err := c.Data()
	if err != nil {
		return "data", err
	}
	if _, err := w.Write(raw); err != nil {
		return "data", err
	}
	// Close sends the final dot and reads the server's verdict.
	if err := w.Close(); err != nil {
		return "data", err
	}
	c.Quit() // the message is accepted; a failed QUIT must not cause a resend
	return "", nil
}

// auth picks PLAIN, else LOGIN, from what the server offers now (many
// offer AUTH only after STARTTLS). Both refuse to send the password over
// an unencrypted connection except to localhost, as net/smtp's PlainAuth
// does.
func (s *SMTPSender) auth(c *smtp.Client) (smtp.Auth, error) {
	ok, mechanisms := c.Extension("AUTH")
	if !ok {
		return nil, ErrAuthUnavailable
	}
	offered := strings.Fields(strings.ToUpper(mechanisms))
	switch {
	case contains(offered, "PLAIN"):
		return smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host), nil
	case contains(offered, "LOGIN"):
		return &loginAuth{username: s.cfg.Username, password: s.cfg.Password, host: s.cfg.Host}, nil
	}
	return nil, ErrAuthUnavailable
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fail wraps err as an *Error, with the SMTP reply code when there is one,
// the context's error when it was cancelled or timed out, and the password
// removed should a server ever echo it.
func (s *SMTPSender) fail(ctx context.Context, op string, err error) error {
	e := &Error{Op: op, Err: err}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		e.Code = reply.Code
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		e.Err = fmt.Errorf("%w (%w)", ctxErr, err)
	}
	if p := s.cfg.Password; p != "" && strings.Contains(e.Err.Error(), p) {
		e.Err = errors.New(strings.ReplaceAll(e.Err.Error(), p, redacted))
	}
	return e
}

// loginAuth implements AUTH LOGIN, which net/smtp lacks and some servers
// (Microsoft 365 among them) offer instead of PLAIN.
type loginAuth struct {
	username, password, host string
	step                     int
}

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocalhost(server.Name) {
		return "", nil, errors.New("unencrypted connection")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	a.step = 0
	return "LOGIN", nil, nil
}

// Next answers the challenges in order (username, then password) rather
// than by their text, which servers word differently.
func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.username), nil
	case 2:
		return []byte(a.password), nil
	}
	return nil, errors.New("unexpected AUTH LOGIN challenge")
}
