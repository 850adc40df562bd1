// Package config reads clinaudit's settings from flags and environment
// variables. Every setting is declared once, in Settings, which also feeds
// `clinaudit --help` and is checked against the README's table by a test.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/clientip"
)

// Config holds every setting. There is no global instance: main builds one
// and passes what each package needs.
type Config struct {
	Addr            string
	DatabaseURL     string
	Demo            bool
	DemoAllowRemote bool
	Workers         int
	LogLevel        string
	LogFormat       string
	ShutdownTimeout time.Duration
	AggregateEvery  time.Duration
	SuppressBelow   int

	BaseURL             string
	TrustedProxies      string // CIDRs; read with TrustedProxyPrefixes
	ProxyHeader         string
	SessionIdle         time.Duration
	SessionMax          time.Duration
	TwoFactorForAll     bool
	PasswordComposition bool
	PasswordMaxAge      time.Duration
	RecordViewRetention time.Duration

	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPTLS      string
	SMTPFrom     string

	ReportingKey string
	// Notifications (docs/notifications.md).
	EmailProvider       string
	SMSProvider         string
	NotifyAPIKey        string
	NotifyBaseURL       string
	NotifyEmailTemplate string
	NotifySMSTemplate   string
	NotifyCallbackToken string
	// Files (docs/files.md).
	FilesURL     string
	FilesKeys    string
	FilesMaxMB   int
	FilesLinkTTL time.Duration
}

// TrustedProxyPrefixes is --trusted-proxies parsed (Validate has checked it).
func (c *Config) TrustedProxyPrefixes() []netip.Prefix {
	p, _ := clientip.ParsePrefixes(c.TrustedProxies)
	return p
}

// ClientIPHeader is --proxy-header parsed (Validate has checked it).
func (c *Config) ClientIPHeader() clientip.Header {
	h, _ := clientip.ParseHeader(c.ProxyHeader)
	return h
}

// HTTPS reports whether the app is served over HTTPS, which turns on Secure
// and __Host- cookies and HSTS.
func (c *Config) HTTPS() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Setting describes one setting: its flag, environment variable, default and
// meaning. Secret settings are never printed with their values.
type Setting struct {
	Flag    string
	Env     string
	Default string
	Usage   string
	Secret  bool
	bind    func(c *Config, fs *flag.FlagSet, name, def string) error
}

// Settings lists every setting, in the order --help and the README show them.
var Settings = []Setting{
	{Flag: "addr", Env: "CLINAUDIT_ADDR", Default: "127.0.0.1:8080",
		Usage: "address the web server listens on (host:port)",
		bind:  str(func(c *Config) *string { return &c.Addr })},
	{Flag: "database-url", Env: "DATABASE_URL", Default: "sqlite:./data/clinaudit.db",
		Usage: "sqlite:PATH for the embedded SQLite file, or postgres://user:pass@host:port/db for PostgreSQL", Secret: true,
		bind: str(func(c *Config) *string { return &c.DatabaseURL })},
	{Flag: "demo", Env: "CLINAUDIT_DEMO", Default: "false",
		Usage: "seed demo data at start-up and print the demo sign-ins (never in production)",
		bind:  boolean(func(c *Config) *bool { return &c.Demo })},
	{Flag: "demo-allow-remote", Env: "CLINAUDIT_DEMO_ALLOW_REMOTE", Default: "false",
		Usage: "let serve --demo listen on an address other machines can reach (its mailbox shows every reset link to whoever opens it)",
		bind:  boolean(func(c *Config) *bool { return &c.DemoAllowRemote })},
	{Flag: "workers", Env: "CLINAUDIT_WORKERS", Default: "4",
		Usage: "background jobs worked at once by this process; 0 serves HTTP only and leaves jobs to `clinaudit worker`",
		bind:  integer(func(c *Config) *int { return &c.Workers })},
	{Flag: "log-level", Env: "CLINAUDIT_LOG_LEVEL", Default: "info",
		Usage: "debug, info, warn or error",
		bind:  str(func(c *Config) *string { return &c.LogLevel })},
	{Flag: "log-format", Env: "CLINAUDIT_LOG_FORMAT", Default: "auto",
		Usage: "json, text, or auto (text on a terminal, JSON otherwise)",
		bind:  str(func(c *Config) *string { return &c.LogFormat })},
	{Flag: "shutdown-timeout", Env: "CLINAUDIT_SHUTDOWN_TIMEOUT", Default: "15s",
		Usage: "how long a shutdown waits for requests and jobs in flight",
		bind:  duration(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{Flag: "aggregate-every", Env: "CLINAUDIT_AGGREGATE_EVERY", Default: "10m",
		Usage: "recompute the KPI dashboards' figures this often (and at start-up, and 30s after children are scored); 0 turns automatic runs off (an administrator can still ask for one)",
		bind:  duration(func(c *Config) *time.Duration { return &c.AggregateEvery })},
	{Flag: "suppress-below", Env: "CLINAUDIT_SUPPRESS_BELOW", Default: "5",
		Usage: "public pages show counts of children from 1 to N-1, and percentages that would reveal one, as \"fewer than N\" (docs/publishing.md); 1 shows every count",
		bind:  integer(func(c *Config) *int { return &c.SuppressBelow })},
	{Flag: "base-url", Env: "CLINAUDIT_BASE_URL", Default: "http://127.0.0.1:8080",
		Usage: "the address users reach the app at, for links in emails; https:// turns on secure cookies and HSTS",
		bind:  str(func(c *Config) *string { return &c.BaseURL })},
	{Flag: "trusted-proxies", Env: "CLINAUDIT_TRUSTED_PROXIES", Default: "",
		Usage: "comma-separated CIDRs or addresses of the reverse proxies in front of the app (such as 10.0.0.0/8); only a request from one of them has its client address read from --proxy-header; empty trusts none",
		bind:  str(func(c *Config) *string { return &c.TrustedProxies })},
	{Flag: "proxy-header", Env: "CLINAUDIT_PROXY_HEADER", Default: "X-Forwarded-For",
		Usage: "the header the trusted proxies write the client's address in: X-Forwarded-For or Forwarded (RFC 7239); the other is ignored",
		bind:  str(func(c *Config) *string { return &c.ProxyHeader })},
	{Flag: "session-idle", Env: "CLINAUDIT_SESSION_IDLE", Default: "30m",
		Usage: "sign a user out after this long without a request",
		bind:  duration(func(c *Config) *time.Duration { return &c.SessionIdle })},
	{Flag: "session-max", Env: "CLINAUDIT_SESSION_MAX", Default: "12h",
		Usage: "sign a user out this long after signing in, active or not",
		bind:  duration(func(c *Config) *time.Duration { return &c.SessionMax })},
	{Flag: "two-factor-for-all", Env: "CLINAUDIT_TWO_FACTOR_FOR_ALL", Default: "true",
		Usage: "require a second factor from every user (national roles and superusers always need one)",
		bind:  boolean(func(c *Config) *bool { return &c.TwoFactorForAll })},
	{Flag: "password-composition", Env: "CLINAUDIT_PASSWORD_COMPOSITION", Default: "true",
		Usage: "require a capital, a digit and a symbol in passwords (NCSC and OWASP ASVS advise against; see docs/passwords.md)",
		bind:  boolean(func(c *Config) *bool { return &c.PasswordComposition })},
	{Flag: "password-max-age", Env: "CLINAUDIT_PASSWORD_MAX_AGE", Default: "2160h",
		Usage: "force a new password after this long (2160h = 90 days); 0 never expires",
		bind:  duration(func(c *Config) *time.Duration { return &c.PasswordMaxAge })},
	{Flag: "record-view-retention", Env: "CLINAUDIT_RECORD_VIEW_RETENTION", Default: "26280h",
		Usage: "keep the log of who opened which child's record this long (26280h = 3 years; docs/security.md), then purge it daily; 0 keeps it for ever",
		bind:  duration(func(c *Config) *time.Duration { return &c.RecordViewRetention })},
	{Flag: "smtp-host", Env: "CLINAUDIT_SMTP_HOST", Default: "",
		Usage: "SMTP server for outgoing email; empty keeps mail in the outbox (the demo mailbox shows it with --demo)",
		bind:  str(func(c *Config) *string { return &c.SMTPHost })},
	{Flag: "smtp-port", Env: "CLINAUDIT_SMTP_PORT", Default: "0",
		Usage: "SMTP server port; 0 picks the usual one for --smtp-tls (587 starttls, 465 tls, 25 none)",
		bind:  integer(func(c *Config) *int { return &c.SMTPPort })},
	{Flag: "smtp-username", Env: "CLINAUDIT_SMTP_USERNAME", Default: "",
		Usage: "SMTP user name, if the server needs one",
		bind:  str(func(c *Config) *string { return &c.SMTPUsername })},
	{Flag: "smtp-password", Env: "CLINAUDIT_SMTP_PASSWORD", Default: "", Secret: true,
		Usage: "SMTP password (never logged)",
		bind:  str(func(c *Config) *string { return &c.SMTPPassword })},
	{Flag: "smtp-tls", Env: "CLINAUDIT_SMTP_TLS", Default: "starttls",
		Usage: "starttls, tls (implicit, usually port 465) or none",
		bind:  str(func(c *Config) *string { return &c.SMTPTLS })},
	{Flag: "smtp-from", Env: "CLINAUDIT_SMTP_FROM", Default: "clinaudit <noreply@clinaudit.invalid>",
		Usage: "the From address of outgoing email",
		bind:  str(func(c *Config) *string { return &c.SMTPFrom })},
	{Flag: "reporting-key", Env: "CLINAUDIT_REPORTING_KEY", Default: "", Secret: true,
		Usage: "the key (32 characters or more) of the masked reporting tables' pseudonyms (docs/reporting.md); the same key gives the same pseudonyms; PostgreSQL keeps the last one given (empty changes nothing there) and reporting-copy refuses to run without one",
		bind:  str(func(c *Config) *string { return &c.ReportingKey })},
	{Flag: "email-provider", Env: "CLINAUDIT_EMAIL_PROVIDER", Default: "smtp",
		Usage: "who sends email: smtp (the --smtp-* settings) or govuk-notify (the --notify-* settings)",
		bind:  str(func(c *Config) *string { return &c.EmailProvider })},
	{Flag: "sms-provider", Env: "CLINAUDIT_SMS_PROVIDER", Default: "",
		Usage: "who sends SMS: govuk-notify, or empty to keep SMS in the outbox (the demo mailbox shows it with --demo)",
		bind:  str(func(c *Config) *string { return &c.SMSProvider })},
	{Flag: "notify-api-key", Env: "CLINAUDIT_NOTIFY_API_KEY", Default: "", Secret: true,
		Usage: "GOV.UK Notify API key, as Notify shows it (never logged)",
		bind:  str(func(c *Config) *string { return &c.NotifyAPIKey })},
	{Flag: "notify-base-url", Env: "CLINAUDIT_NOTIFY_BASE_URL", Default: "https://api.notifications.service.gov.uk",
		Usage: "GOV.UK Notify's API",
		bind:  str(func(c *Config) *string { return &c.NotifyBaseURL })},
	{Flag: "notify-email-template", Env: "CLINAUDIT_NOTIFY_EMAIL_TEMPLATE", Default: "",
		Usage: "id of the Notify email template whose subject is ((subject)) and body ((body))",
		bind:  str(func(c *Config) *string { return &c.NotifyEmailTemplate })},
	{Flag: "notify-sms-template", Env: "CLINAUDIT_NOTIFY_SMS_TEMPLATE", Default: "",
		Usage: "id of the Notify SMS template whose body is ((body))",
		bind:  str(func(c *Config) *string { return &c.NotifySMSTemplate })},
	{Flag: "notify-callback-token", Env: "CLINAUDIT_NOTIFY_CALLBACK_TOKEN", Default: "", Secret: true,
		Usage: "bearer token Notify sends with delivery receipts (set the same in Notify's callback settings); empty refuses every receipt",
		bind:  str(func(c *Config) *string { return &c.NotifyCallbackToken })},
	{Flag: "files-url", Env: "CLINAUDIT_FILES_URL", Default: "",
		Usage: "where uploaded files are kept, encrypted (docs/files.md): empty for files/ beside the SQLite database (./data/files with PostgreSQL), file:DIRECTORY, or s3://BUCKET?region=R&endpoint=URL&use_path_style=true for S3 and S3-compatible storage (credentials from the AWS_* environment variables)",
		bind:  str(func(c *Config) *string { return &c.FilesURL })},
	{Flag: "files-keys", Env: "CLINAUDIT_FILES_KEYS", Default: "", Secret: true,
		Usage: "the keys that wrap files' data keys: id:base64 (32 bytes) pairs, comma-separated, the first for new files (`clinaudit files new-key` makes one; `files rewrap` moves old files to the first); empty keeps a generated key in files.key beside a file: directory, and is refused for s3:",
		bind:  str(func(c *Config) *string { return &c.FilesKeys })},
	{Flag: "files-max-mb", Env: "CLINAUDIT_FILES_MAX_MB", Default: "10",
		Usage: "the largest file that may be uploaded, in megabytes",
		bind:  integer(func(c *Config) *int { return &c.FilesMaxMB })},
	{Flag: "files-link-ttl", Env: "CLINAUDIT_FILES_LINK_TTL", Default: "5m",
		Usage: "how long a signed upload or download link lasts",
		bind:  duration(func(c *Config) *time.Duration { return &c.FilesLinkTTL })},
}

// Parse reads settings from args (flags win), then the environment, then the
// defaults, and validates them. Flags may come before, between or after the
// positional arguments (`clinaudit --demo serve`, `clinaudit migrate up
// --database-url …`); the positional arguments are returned in order, even
// when err is not nil.
//
// extra registers a command's own flags (such as `user add --email`) on the
// same flag set.
func Parse(name string, args []string, getenv func(string) string, out io.Writer, extra ...func(*flag.FlagSet)) (*Config, []string, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {}
	for _, e := range extra {
		e(fs)
	}
	for _, s := range Settings {
		def := s.Default
		if v := getenv(s.Env); v != "" {
			def = v
		}
		if err := s.bind(c, fs, s.Flag, def); err != nil {
			return nil, nil, fmt.Errorf("%s=%q: %w", s.Env, redact(s, def), err)
		}
		fs.Lookup(s.Flag).Usage = s.Usage
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, positional, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return c, positional, c.Validate()
}

// Validate reports the first setting that cannot work.
func (c *Config) Validate() error {
	var errs []error
	if _, _, ok := strings.Cut(c.Addr, ":"); !ok {
		errs = append(errs, fmt.Errorf("--addr %q must be host:port", c.Addr))
	}
	if _, _, err := ParseDatabaseURL(c.DatabaseURL); err != nil {
		errs = append(errs, err)
	}
	if c.Workers < 0 {
		errs = append(errs, errors.New("--workers must be 0 or more"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q must be debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "auto", "json", "text":
	default:
		errs = append(errs, fmt.Errorf("--log-format %q must be auto, json or text", c.LogFormat))
	}
	if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		errs = append(errs, fmt.Errorf("--base-url %q must start with http:// or https://", c.BaseURL))
	}
	if _, err := clientip.ParsePrefixes(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies: %w", err))
	}
	if _, err := clientip.ParseHeader(c.ProxyHeader); err != nil {
		errs = append(errs, fmt.Errorf("--proxy-header: %w", err))
	}
	if c.SessionIdle <= 0 || c.SessionMax < c.SessionIdle {
		errs = append(errs, errors.New("--session-idle must be positive and no longer than --session-max"))
	}
	if c.PasswordMaxAge < 0 {
		errs = append(errs, errors.New("--password-max-age must be 0 (never) or positive"))
	}
	if c.RecordViewRetention != 0 && c.RecordViewRetention < 24*time.Hour {
		errs = append(errs, errors.New("--record-view-retention must be 0 (keep for ever) or at least 24h"))
	}
	switch c.SMTPTLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("--smtp-tls %q must be starttls, tls or none", c.SMTPTLS))
	}
	if c.EmailProvider != "smtp" && c.EmailProvider != "govuk-notify" {
		errs = append(errs, fmt.Errorf("--email-provider %q must be smtp or govuk-notify", c.EmailProvider))
	}
	if c.SMSProvider != "" && c.SMSProvider != "govuk-notify" {
		errs = append(errs, fmt.Errorf("--sms-provider %q must be govuk-notify or empty", c.SMSProvider))
	}
	if (c.EmailProvider == "govuk-notify" || c.SMSProvider == "govuk-notify") && c.NotifyAPIKey == "" {
		errs = append(errs, errors.New("--notify-api-key is needed when GOV.UK Notify is a provider"))
	}
	if c.EmailProvider == "govuk-notify" && c.NotifyEmailTemplate == "" {
		errs = append(errs, errors.New("--notify-email-template is needed when GOV.UK Notify sends email"))
	}
	if c.SMSProvider == "govuk-notify" && c.NotifySMSTemplate == "" {
		errs = append(errs, errors.New("--notify-sms-template is needed when GOV.UK Notify sends SMS"))
	}
	if c.AggregateEvery != 0 && c.AggregateEvery < time.Minute {
		errs = append(errs, errors.New("--aggregate-every must be 0 (off) or at least 1m"))
	}
	if c.SuppressBelow < 1 {
		errs = append(errs, errors.New("--suppress-below must be 1 (show every count) or more"))
	}
	if c.ReportingKey != "" && len(c.ReportingKey) < 32 {
		errs = append(errs, errors.New("--reporting-key must be empty or at least 32 characters"))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("--shutdown-timeout must be positive"))
	}
	if c.FilesURL != "" && !strings.HasPrefix(c.FilesURL, "file:") && !strings.HasPrefix(c.FilesURL, "s3://") {
		errs = append(errs, fmt.Errorf("--files-url %q must be file:DIRECTORY or s3://BUCKET?…", c.FilesURL))
	}
	if strings.HasPrefix(c.FilesURL, "s3://") && c.FilesKeys == "" {
		errs = append(errs, errors.New("--files-keys must be set with an s3:// --files-url (clinaudit files new-key makes one)"))
	}
	if c.FilesMaxMB < 1 || c.FilesMaxMB > 1024 {
		errs = append(errs, errors.New("--files-max-mb must be from 1 to 1024"))
	}
	if c.FilesLinkTTL < 10*time.Second || c.FilesLinkTTL > time.Hour {
		errs = append(errs, errors.New("--files-link-ttl must be from 10s to 1h"))
	}
	return errors.Join(errs...)
}

// CheckDemoAddr refuses to serve --demo where other machines can reach it,
// unless --demo-allow-remote says so: the demo's mailbox page shows every
// invite, reset link and sign-in code to whoever opens it, and its
// accounts share one published password and skip the second factor.
func (c *Config) CheckDemoAddr() error {
	if !c.Demo || c.DemoAllowRemote || Loopback(c.Addr) {
		return nil
	}
	return fmt.Errorf("--demo shows a mailbox of every reset link to anyone who can reach it, so it listens only on a loopback address (127.0.0.1, [::1] or localhost), not %s; set --demo-allow-remote to serve it there anyway", c.Addr)
}

// Loopback reports whether addr (host:port) listens on this machine only.
// An empty host or a name other than localhost may be reachable from
// elsewhere, so it is not.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// ParseDatabaseURL splits a database URL into engine ("sqlite" or
// "postgres") and what that engine opens: a file path or the URL itself.
func ParseDatabaseURL(u string) (engine, target string, err error) {
	switch {
	case strings.HasPrefix(u, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//")
		if path == "" {
			return "", "", errors.New("--database-url sqlite: needs a file path, as in sqlite:./data/clinaudit.db")
		}
		return "sqlite", path, nil
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return "postgres", u, nil
	default:
		// Never echo the URL: it may hold a password.
		return "", "", errors.New("--database-url must start with sqlite: or postgres://")
	}
}

// FilesLocation is --files-url, or when empty the data directory's files/:
// beside the SQLite database, ./data/files with PostgreSQL.
func (c *Config) FilesLocation() string {
	if c.FilesURL != "" {
		return c.FilesURL
	}
	if engine, path, err := ParseDatabaseURL(c.DatabaseURL); err == nil && engine == "sqlite" {
		return "file:" + filepath.Join(filepath.Dir(path), "files")
	}
	return "file:./data/files"
}

// Getenv is os.Getenv, named for callers of Parse.
var Getenv = os.Getenv

func redact(s Setting, v string) string {
	if s.Secret {
		return "(hidden)"
	}
	return v
}

func str(field func(*Config) *string) func(*Config, *flag.FlagSet, string, string) error {
	return func(c *Config, fs *flag.FlagSet, name, def string) error {
		p := field(c)
		*p = def
		fs.Func(name, "", func(v string) error { *p = v; return nil })
		return nil
	}
}

func boolean(field func(*Config) *bool) func(*Config, *flag.FlagSet, string, string) error {
	return func(c *Config, fs *flag.FlagSet, name, def string) error {
		v, err := strconv.ParseBool(def)
		if err != nil {
			return errors.New("must be true or false")
		}
		fs.BoolVar(field(c), name, v, "")
		return nil
	}
}

func integer(field func(*Config) *int) func(*Config, *flag.FlagSet, string, string) error {
	return func(c *Config, fs *flag.FlagSet, name, def string) error {
		v, err := strconv.Atoi(def)
		if err != nil {
			return errors.New("must be a whole number")
		}
		fs.IntVar(field(c), name, v, "")
		return nil
	}
}

func duration(field func(*Config) *time.Duration) func(*Config, *flag.FlagSet, string, string) error {
	return func(c *Config, fs *flag.FlagSet, name, def string) error {
		v, err := time.ParseDuration(def)
		if err != nil {
			return errors.New("must be a duration such as 15s or 2m")
		}
		fs.DurationVar(field(c), name, v, "")
		return nil
	}
}
