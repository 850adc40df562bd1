package mail

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	base := Config{Host: "smtp.example.org", Username: "audit", Password: "pw", TLS: TLSStartTLS, From: testFrom}
	tests := []struct {
		name    string
		change  func(c *Config)
		wantErr string // "" means valid
	}{
		{"complete", func(c *Config) {}, ""},
		{"empty TLS means starttls", func(c *Config) { c.TLS = "" }, ""},
		{"implicit TLS", func(c *Config) { c.TLS = TLSImplicit; c.Port = 465 }, ""},
		{"no credentials", func(c *Config) { c.Username, c.Password = "", "" }, ""},
		{"clear credentials to localhost", func(c *Config) { c.TLS, c.Host = TLSNone, "127.0.0.1" }, ""},
		{"no host", func(c *Config) { c.Host = "" }, "host is required"},
		{"CRLF in host", func(c *Config) { c.Host = "a\r\nb" }, "control characters"},
		{"port out of range", func(c *Config) { c.Port = 70000 }, "out of range"},
		{"unknown TLS mode", func(c *Config) { c.TLS = "ssl" }, "must be starttls, tls or none"},
		{"no From", func(c *Config) { c.From = "" }, "From address is required"},
		{"bad From", func(c *Config) { c.From = "clinaudit" }, "From"},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "negative"},
		{"password without username", func(c *Config) { c.Username = "" }, "without a username"},
		{"clear credentials to a remote host", func(c *Config) { c.TLS = TLSNone }, "sent in clear"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	for mode, want := range map[TLSMode]int{"": 587, TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25} {
		if got := (Config{TLS: mode}).port(); got != want {
			t.Errorf("port for TLS %q = %d, want %d", mode, got, want)
		}
	}
	if got := (Config{}).timeout(); got != DefaultTimeout {
		t.Errorf("default timeout %s, want %s", got, DefaultTimeout)
	}
}

func TestConfigNeverShowsPassword(t *testing.T) {
	const password = "correct-horse-battery-staple"
	cfg := Config{Host: "smtp.example.org", Username: "audit", Password: password, From: testFrom}
	sender, err := NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("text", "smtp", cfg, "ptr", &cfg, "sender", sender)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("json", "smtp", cfg, "sender", sender)
	outputs := map[string]string{
		"String":  cfg.String(),
		"%v":      fmt.Sprintf("%v", cfg),
		"%+v":     fmt.Sprintf("%+v", cfg),
		"%#v":     fmt.Sprintf("%#v", cfg),
		"%s":      fmt.Sprintf("%s", cfg),
		"%d":      fmt.Sprintf("%d", cfg),
		"pointer": fmt.Sprintf("%+v", &cfg),
		"nested":  fmt.Sprintf("%+v", struct{ SMTP Config }{cfg}),
		"sender":  fmt.Sprintf("%#v %+v %+v", sender, sender, *sender),
		"slog":    logs.String(),
	}
	for name, out := range outputs {
		if strings.Contains(out, password) {
			t.Errorf("%s shows the password: %s", name, out)
		}
	}
	if !strings.Contains(outputs["%v"], "host=smtp.example.org") || !strings.Contains(outputs["%v"], redacted) {
		t.Errorf("String() = %s, want the host and %s", outputs["%v"], redacted)
	}
	if strings.Contains((Config{Host: "h"}).String(), redacted) {
		t.Error("an empty password is shown as redacted, hiding that none is set")
	}
}
