// Package govuk is a provider for GOV.UK Notify (docs/notifications.md):
// email and SMS over Notify's REST API (v2), authenticated by a JWT per
// request as Notify's API documentation specifies: HS256 signed with the
// API key's secret part, iss the service id, iat the time of the request.
//
// clinaudit writes its own texts (app/notify's templates), so the Notify
// service has one email template whose subject is ((subject)) and body
// ((body)), and one SMS template whose body is ((body)); their ids are
// settings.
package govuk

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"clinaudit/app/outbox"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultBaseURL is Notify's API.
const DefaultBaseURL = "https://api.notifications.service.gov.uk"

// Name is the provider's name in the outbox and in delivery receipts.
const Name = "govuk_notify"

// Config is a Notify client's settings.
type Config struct {
	BaseURL         string // DefaultBaseURL when empty
	APIKey          string // "name-<service id>-<secret>", as Notify shows it; secret
	EmailTemplateID string // the ((subject)) / ((body)) email template
	SMSTemplateID   string // the ((body)) SMS template
	Timeout         time.Duration
	Client          *http.Client // tests; http.DefaultClient's transport when nil
	Now             func() time.Time
}

// Client sends through Notify. It prints and logs its key as [REDACTED].
type Client struct {
	base, serviceID, secret string
	emailTemplate, smsTmpl  string
	http                    *http.Client
	now                     func() time.Time
}

// ParseAPIKey splits a Notify API key into its service id and secret: the
// last two UUIDs (36 characters each) of "name-<service id>-<secret>".
func ParseAPIKey(key string) (serviceID, secret string, err error) {
	const u = 36
	if len(key) < 2*u+1 || key[len(key)-u-1] != '-' {
		return "", "", errors.New("govuk notify: the API key is not of the form name-<service id>-<secret key>")
	}
	return key[len(key)-2*u-1 : len(key)-u-1], key[len(key)-u:], nil
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	service, secret, err := ParseAPIKey(cfg.APIKey)
	if err != nil {
		return nil, err
	}
	if cfg.EmailTemplateID == "" && cfg.SMSTemplateID == "" {
		return nil, errors.New("govuk notify: set the email or the SMS template id")
	}
	c := &Client{base: strings.TrimRight(cfg.BaseURL, "/"), serviceID: service, secret: secret,
		emailTemplate: cfg.EmailTemplateID, smsTmpl: cfg.SMSTemplateID, http: cfg.Client, now: cfg.Now}
	if c.base == "" {
		c.base = DefaultBaseURL
	}
	if c.http == nil {
		t := cfg.Timeout
		if t == 0 {
			t = 30 * time.Second
		}
		c.http = &http.Client{Timeout: t}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

func (c *Client) String() string             { return "govuk notify client (" + c.base + ", key [REDACTED])" }
func (c *Client) LogValue() slog.Value       { return slog.StringValue(c.String()) }
func (c *Client) GoString() string           { return c.String() }
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

func (*Client) Name() string { return Name }

// Token is the JWT for one request, as Notify's documentation specifies.
func (c *Client) Token() (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": c.serviceID, "iat": c.now().Unix()}).SignedString([]byte(c.secret))
}

// Send posts m to Notify and returns Notify's id for it.
func (c *Client) Send(ctx context.Context, m outbox.Outgoing) (string, error) {
	ref := "clinaudit-" + strconv.FormatInt(m.ID, 10)
	var path string
	var body map[string]any
	switch m.Channel {
	case outbox.Email:
		if c.emailTemplate == "" {
			return "", &Error{Status: http.StatusBadRequest, Kind: "ClientError", Message: "no Notify email template is configured"}
		}
		path = "/v2/notifications/email"
		body = map[string]any{"email_address": m.To, "template_id": c.emailTemplate, "reference": ref,
			"personalisation": map[string]string{"subject": m.Subject, "body": m.Text}}
	case outbox.SMS:
		if c.smsTmpl == "" {
			return "", &Error{Status: http.StatusBadRequest, Kind: "ClientError", Message: "no Notify SMS template is configured"}
		}
		path = "/v2/notifications/sms"
		body = map[string]any{"phone_number": m.To, "template_id": c.smsTmpl, "reference": ref,
			"personalisation": map[string]string{"body": m.Text}}
	default:
		return "", &Error{Status: http.StatusBadRequest, Kind: "ClientError", Message: "unknown channel " + string(m.Channel)}
	}
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	token, err := c.Token()
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "clinaudit")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("govuk notify: %w", err) // network: temporary
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusCreated {
		return "", parseError(resp.StatusCode, data)
	}
	var ok struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &ok); err != nil || ok.ID == "" {
		return "", fmt.Errorf("govuk notify: unreadable answer to a send (status %d)", resp.StatusCode)
	}
	return ok.ID, nil
}

// Error is Notify's refusal: its HTTP status and the first of its errors
// ({"status_code": 400, "errors": [{"error": "BadRequestError",
// "message": "..."}]}).
type Error struct {
	Status  int
	Kind    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("govuk notify %d %s: %s", e.Status, e.Kind, e.Message)
}

// Permanent: a 400 (an invalid number or address, a recipient a trial
// key may not reach) fails the same way every time. 403 (a wrong key, a
// clock out by over 30 seconds), 429 (rate or daily limit) and 5xx are
// worth retrying: time or an operator fixes them.
func (e *Error) Permanent() bool { return e.Status == http.StatusBadRequest }

// ErrorBody is Notify's error document.
type ErrorBody struct {
	StatusCode int `json:"status_code"`
	Errors     []struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	} `json:"errors"`
}

func parseError(status int, data []byte) error {
	var b ErrorBody
	e := &Error{Status: status, Kind: "HTTPError", Message: http.StatusText(status)}
	if json.Unmarshal(data, &b) == nil && len(b.Errors) > 0 {
		e.Kind, e.Message = b.Errors[0].Error, b.Errors[0].Message
	}
	return e
}

// Receipt is the body of Notify's delivery receipt callback.
type Receipt struct {
	ID               string     `json:"id"`
	Reference        string     `json:"reference"`
	To               string     `json:"to"`
	Status           string     `json:"status"`
	NotificationType string     `json:"notification_type"`
	CompletedAt      *time.Time `json:"completed_at"`
}

// Outcome maps a receipt's status to the outbox's, with the reason kept
// for staff; ok is false for a status that is not final (Notify only
// sends final ones, but an unknown one is ignored rather than guessed).
func (r Receipt) Outcome() (status, reason string, ok bool) {
	switch r.Status {
	case "delivered":
		return outbox.StatusDelivered, "", true
	case "permanent-failure":
		return outbox.StatusFailed, "permanent-failure: the address or number does not exist or is blocked", true
	case "temporary-failure":
		return outbox.StatusFailed, "temporary-failure: the inbox was full or the phone off; Notify stopped trying", true
	case "technical-failure":
		return outbox.StatusFailed, "technical-failure: Notify could not send it", true
	}
	return "", "", false
}

// ParseReceipt reads a receipt callback's body.
func ParseReceipt(body []byte) (Receipt, error) {
	var r Receipt
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("govuk notify receipt: %w", err)
	}
	if r.ID == "" || r.Status == "" {
		return r, errors.New("govuk notify receipt: no id or status")
	}
	return r, nil
}

// CallbackAuthorised reports whether the Authorization header carries the
// bearer token configured for the callback in Notify, compared in
// constant time. An empty token authorises nothing.
func CallbackAuthorised(header, token string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	return ok && token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}
