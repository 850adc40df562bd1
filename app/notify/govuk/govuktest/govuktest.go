// Package govuktest is a GOV.UK Notify API for tests: a real HTTP server
// in the test process (httptest) that implements the part of Notify's v2
// API clinaudit uses (POST /v2/notifications/email and /sms), checks each
// request's JWT as Notify does (HS256 with the key's secret, iss the
// service id, iat within 30 seconds), answers with Notify's error shapes
// (400, 403, 429, 500) and rate-limits, and posts delivery receipts to a
// callback as Notify does.
package govuktest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Options shape the server.
type Options struct {
	// RateLimit is how many requests the key may make per RateWindow
	// (default one minute); 0 is no limit. Over it: 429 RateLimitError.
	RateLimit  int
	RateWindow time.Duration
	// Refuse lists recipients (email or phone) refused with a 400, as a
	// trial key refuses those outside its team.
	Refuse []string
}

// Sent is a notification the server accepted.
type Sent struct {
	ID, Type, To, TemplateID, Reference string
	Personalisation                     map[string]string
}

// Server is the fake Notify. Its APIKey is valid, in Notify's form.
type Server struct {
	*httptest.Server
	ServiceID, Secret, APIKey  string
	EmailTemplate, SMSTemplate string
	opts                       Options
	mu                         sync.Mutex
	sent                       []Sent
	failures                   []int // statuses to answer, in turn, before anything else
	windowStart                time.Time
	inWindow                   int
	arrived                    chan struct{}
}

func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Start starts a server, stopped by t.Cleanup.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if o.RateWindow == 0 {
		o.RateWindow = time.Minute
	}
	s := &Server{ServiceID: uuid(), Secret: uuid(), EmailTemplate: uuid(), SMSTemplate: uuid(), opts: o, arrived: make(chan struct{}, 1000)}
	s.APIKey = "clinaudit_test-" + s.ServiceID + "-" + s.Secret
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/notifications/email", s.handle("email"))
	mux.HandleFunc("POST /v2/notifications/sms", s.handle("sms"))
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// FailNext makes the next requests answer with these statuses, in turn
// (400, 403, 429 or 500, in Notify's shapes).
func (s *Server) FailNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, statuses...)
}

// Sent returns what the server accepted.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// WaitForSent waits until n notifications were accepted, or timeout.
func (s *Server) WaitForSent(n int, timeout time.Duration) []Sent {
	deadline := time.After(timeout)
	for {
		if got := s.Sent(); len(got) >= n {
			return got
		}
		select {
		case <-s.arrived:
		case <-deadline:
			return s.Sent()
		}
	}
}

func writeError(w http.ResponseWriter, status int, kind, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status_code": status,
		"errors": []map[string]string{{"error": kind, "message": message}}})
}

var ukMobile = regexp.MustCompile(`^(\+44|0044|0)7\d{9}$`)

func (s *Server) handle(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if msg := s.checkToken(r.Header.Get("Authorization")); msg != "" {
			status := http.StatusForbidden
			if strings.HasPrefix(msg, "Unauthorized") {
				status = http.StatusUnauthorized
			}
			writeError(w, status, "AuthError", msg)
			return
		}
		s.mu.Lock()
		now := time.Now()
		if now.Sub(s.windowStart) > s.opts.RateWindow {
			s.windowStart, s.inWindow = now, 0
		}
		s.inWindow++
		limited := s.opts.RateLimit > 0 && s.inWindow > s.opts.RateLimit
		var fail int
		if len(s.failures) > 0 {
			fail, s.failures = s.failures[0], s.failures[1:]
		}
		s.mu.Unlock()
		if limited {
			writeError(w, http.StatusTooManyRequests, "RateLimitError",
				fmt.Sprintf("Exceeded rate limit for key type TEAM of %d requests per %d seconds", s.opts.RateLimit, int(s.opts.RateWindow.Seconds())))
			return
		}
		switch fail {
		case http.StatusBadRequest:
			writeError(w, fail, "BadRequestError", "Can't send to this recipient using a team-only API key")
			return
		case http.StatusForbidden:
			writeError(w, fail, "AuthError", "Invalid token: API key not found")
			return
		case http.StatusTooManyRequests:
			writeError(w, fail, "TooManyRequestsError", "Exceeded send limits (250000) for today")
			return
		case http.StatusInternalServerError:
			writeError(w, fail, "Exception", "Internal server error")
			return
		}
		var body struct {
			Email           string            `json:"email_address"`
			Phone           string            `json:"phone_number"`
			TemplateID      string            `json:"template_id"`
			Reference       string            `json:"reference"`
			Personalisation map[string]string `json:"personalisation"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", "Invalid JSON supplied in POST data")
			return
		}
		to, tmpl := body.Email, s.EmailTemplate
		if kind == "sms" {
			to, tmpl = body.Phone, s.SMSTemplate
			if !ukMobile.MatchString(strings.ReplaceAll(to, " ", "")) {
				writeError(w, http.StatusBadRequest, "ValidationError", "phone_number Not a UK mobile number")
				return
			}
		} else if !strings.Contains(to, "@") {
			writeError(w, http.StatusBadRequest, "ValidationError", "email_address Not a valid email address")
			return
		}
		if body.TemplateID != tmpl {
			writeError(w, http.StatusBadRequest, "BadRequestError", "Template not found")
			return
		}
		for _, x := range s.opts.Refuse {
			if x == to {
				writeError(w, http.StatusBadRequest, "BadRequestError", "Can't send to this recipient using a team-only API key")
				return
			}
		}
		sent := Sent{ID: uuid(), Type: kind, To: to, TemplateID: body.TemplateID, Reference: body.Reference, Personalisation: body.Personalisation}
		s.mu.Lock()
		s.sent = append(s.sent, sent)
		s.mu.Unlock()
		s.arrived <- struct{}{}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		content := map[string]string{"body": body.Personalisation["body"]}
		if kind == "email" {
			content["subject"] = body.Personalisation["subject"]
			content["from_email"] = "clinaudit@notifications.service.gov.uk"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": sent.ID, "reference": body.Reference, "content": content,
			"uri":      s.URL + "/v2/notifications/" + sent.ID,
			"template": map[string]any{"id": tmpl, "version": 1, "uri": s.URL + "/v2/template/" + tmpl}})
	}
}

// checkToken is Notify's check of the JWT; it returns Notify's message
// for a refusal, or "".
func (s *Server) checkToken(header string) string {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || raw == "" {
		return "Unauthorized: authentication token must be provided"
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) { return []byte(s.Secret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return "Invalid token: signature, api token is not valid"
	}
	if iss, _ := claims["iss"].(string); iss != s.ServiceID {
		return "Invalid token: API key not found"
	}
	iat, ok := claims["iat"].(float64)
	if !ok {
		return "Invalid token: signature, api token is not valid"
	}
	if d := time.Since(time.Unix(int64(iat), 0)); d > 30*time.Second || d < -30*time.Second {
		return "Error: Your system clock must be accurate to within 30 seconds"
	}
	return ""
}

// SendReceipt posts a delivery receipt for notification id to url with the
// bearer token, as Notify does, and returns the response's status.
func (s *Server) SendReceipt(ctx context.Context, url, token, id, status string) (int, error) {
	s.mu.Lock()
	var n Sent
	for _, x := range s.sent {
		if x.ID == id {
			n = x
		}
	}
	s.mu.Unlock()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	b, _ := json.Marshal(map[string]any{"id": id, "reference": n.Reference, "to": n.To, "status": status,
		"created_at": now, "completed_at": now, "sent_at": now, "notification_type": n.Type})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
