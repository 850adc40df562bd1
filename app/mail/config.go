package mail

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode string

const (
	// TLSStartTLS connects in clear and upgrades with STARTTLS (usually
	// port 587). Send fails if the server does not offer STARTTLS.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (usually port 465).
	TLSImplicit TLSMode = "tls"
	// TLSNone sends in clear (usually port 25). Only for a relay on the
	// same host or a test server.
	TLSNone TLSMode = "none"
)

// DefaultTimeout bounds one Send when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config holds the SMTP settings. Printing or logging it never shows the
// password (see Format and LogValue).
type Config struct {
	Host     string
	Port     int // 0 means the usual port for TLS: 25, 587 or 465
	Username string
	Password string
	// TLS is "starttls", "tls" or "none"; empty means "starttls".
	TLS TLSMode
	// From is the From header and (its address) the envelope sender,
	// e.g. "clinaudit <noreply@example.org>".
	From string
	// Timeout bounds a whole Send, from dialling to QUIT; 0 means
	// DefaultTimeout. A shorter deadline on Send's context wins.
	Timeout time.Duration
	// InsecureSkipVerify accepts any server certificate. For tests against
	// smtptest's self-signed certificate only: in production it lets anyone
	// on the path read the mail and the password.
	InsecureSkipVerify bool
	// LocalName is the name sent in EHLO; empty means "localhost", as in
	// net/smtp. Some servers want this host's real name.
	LocalName string
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if c.Host == "" {
		return errors.New("mail: SMTP host is required")
	}
	if hasControl(c.Host) || hasControl(c.LocalName) {
		return errors.New("mail: SMTP host and local name must not contain control characters")
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("mail: SMTP port %d is out of range", c.Port)
	}
	switch c.tlsMode() {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("mail: SMTP TLS mode %q must be starttls, tls or none", c.TLS)
	}
	if c.From == "" {
		return errors.New("mail: From address is required")
	}
	if _, err := parseAddress(c.From); err != nil {
		return fmt.Errorf("mail: From %q: %w", c.From, err)
	}
	if c.Timeout < 0 {
		return errors.New("mail: SMTP timeout must not be negative")
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("mail: SMTP password is set without a username")
	}
	// net/smtp would refuse at send time anyway; say so at start-up.
	if c.Username != "" && c.tlsMode() == TLSNone && !isLocalhost(c.Host) {
		return errors.New("mail: SMTP credentials would be sent in clear; use TLS mode starttls or tls")
	}
	return nil
}

func (c Config) tlsMode() TLSMode {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c Config) port() int {
	if c.Port != 0 {
		return c.Port
	}
	switch c.tlsMode() {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	}
	return 587
}

func (c Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// isLocalhost matches the names for which net/smtp allows AUTH PLAIN
// without TLS.
func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

const redacted = "[REDACTED]"

func (c Config) redactedPassword() string {
	if c.Password == "" {
		return ""
	}
	return redacted
}

// String describes c with the password replaced by [REDACTED].
func (c Config) String() string {
	return fmt.Sprintf("smtp{host=%s port=%d tls=%s username=%q password=%q from=%q timeout=%s insecure_skip_verify=%t local_name=%q}",
		c.Host, c.port(), c.tlsMode(), c.Username, c.redactedPassword(), c.From, c.timeout(), c.InsecureSkipVerify, c.LocalName)
}

// Format makes every fmt verb (%v, %+v, %#v, %d...) print String, so no
// verb can reach the password field.
func (c Config) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// LogValue logs c with the password replaced by [REDACTED].
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Int("port", c.port()),
		slog.String("tls", string(c.tlsMode())),
		slog.String("username", c.Username),
		slog.String("password", c.redactedPassword()),
		slog.String("from", c.From),
		slog.Duration("timeout", c.timeout()),
		slog.Bool("insecure_skip_verify", c.InsecureSkipVerify),
		slog.String("local_name", c.LocalName),
	)
}
