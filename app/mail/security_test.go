package mail

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"strings"
	"testing"

	"clinaudit/app/mail/smtptest"
)

func TestSendRefusesInsecureTLS(t *testing.T) {
	tests := []struct {
		name    string
		opts    smtptest.Options
		mode    TLSMode
		skip    bool
		wantErr error // nil: only check it failed
	}{
		{"STARTTLS not offered", smtptest.Options{}, TLSStartTLS, true, ErrSTARTTLSUnavailable},
		{"STARTTLS with untrusted certificate", smtptest.Options{STARTTLS: true}, TLSStartTLS, false, nil},
		{"implicit TLS with untrusted certificate", smtptest.Options{ImplicitTLS: true}, TLSImplicit, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, tt.opts)
			sender := newTestSender(t, srv, func(c *Config) { c.TLS, c.InsecureSkipVerify = tt.mode, tt.skip })
			err := sender.Send(context.Background(), validMessage())
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("Send() = %v, want %v", err, tt.wantErr)
			}
			if IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = true; a TLS problem can be fixed, so retry", err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server received %d messages in clear", n)
			}
		})
	}
}

func TestSendAuth(t *testing.T) {
	tests := []struct {
		name       string
		offered    []string // nil: the server offers no AUTH at all
		password   string
		wantErr    error
		wantCode   int
		permanent  bool
		wantFailed bool
	}{
		{"PLAIN", []string{"PLAIN"}, testPassword, nil, 0, false, false},
		{"LOGIN", []string{"LOGIN"}, testPassword, nil, 0, false, false},
		{"prefers PLAIN", []string{"LOGIN", "PLAIN"}, testPassword, nil, 0, false, false},
		{"wrong password", []string{"PLAIN"}, "not-" + testPassword, nil, 535, true, true},
		{"wrong password over LOGIN", []string{"LOGIN"}, "not-" + testPassword, nil, 535, true, true},
		{"no supported mechanism", []string{"CRAM-MD5"}, testPassword, ErrAuthUnavailable, 0, false, true},
		{"AUTH not offered", nil, testPassword, ErrAuthUnavailable, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := smtptest.Options{Username: testUser, Password: testPassword, AuthMechanisms: tt.offered}
			if tt.offered == nil {
				opts = smtptest.Options{}
			}
			srv := smtptest.Start(t, opts)
			// 127.0.0.1 is the one case where net/smtp allows AUTH in clear.
			sender := newTestSender(t, srv, func(c *Config) { c.Username, c.Password = testUser, tt.password })
			err := sender.Send(context.Background(), validMessage())
			if !tt.wantFailed {
				if err != nil {
					t.Fatal(err)
				}
				if rec, _ := onlyMessage(t, srv); rec.AuthUser != testUser {
					t.Errorf("authenticated as %q", rec.AuthUser)
				}
				return
			}
			var sendErr *Error
			if !errors.As(err, &sendErr) || sendErr.Op != "auth" || sendErr.Code != tt.wantCode {
				t.Fatalf("Send() = %#v, want an auth error with code %d", err, tt.wantCode)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Send() = %v, want %v", err, tt.wantErr)
			}
			if IsPermanent(err) != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, !tt.permanent, tt.permanent)
			}
			if strings.Contains(err.Error(), tt.password) {
				t.Errorf("error text %q contains the password", err)
			}
		})
	}
}

func TestAuthNeverInClearToRemoteHost(t *testing.T) {
	remote := &smtp.ServerInfo{Name: "smtp.example.org", TLS: false, Auth: []string{"PLAIN", "LOGIN"}}
	for name, auth := range map[string]smtp.Auth{
		"PLAIN": smtp.PlainAuth("", testUser, testPassword, "smtp.example.org"),
		"LOGIN": &loginAuth{username: testUser, password: testPassword, host: "smtp.example.org"},
	} {
		if _, _, err := auth.Start(remote); err == nil {
			t.Errorf("%s would send the password in clear to a remote host", name)
		}
	}
}

func TestErrorsRedactPassword(t *testing.T) {
	sender := newTestSender(t, smtptest.Start(t, smtptest.Options{}), func(c *Config) { c.Username, c.Password = testUser, testPassword })
	err := sender.fail(context.Background(), "auth", fmt.Errorf("535 server echoed %s", testPassword))
	if strings.Contains(err.Error(), testPassword) || !strings.Contains(err.Error(), redacted) {
		t.Errorf("error %q, want the password redacted", err)
	}
}
