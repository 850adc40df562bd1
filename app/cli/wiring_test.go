package cli

import (
	"io"
	"testing"

	"clinaudit/app/config"
	"clinaudit/app/notify/govuk"
	"clinaudit/app/outbox/delivery"
)

// The settings choose each channel's provider (docs/notifications.md).
func TestNewProviders(t *testing.T) {
	const key = "clinaudit_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
	for _, tt := range []struct {
		name       string
		args       []string
		email, sms string // provider names, "" for none
	}{
		{"nothing set: both kept in the outbox", nil, "", ""},
		{"SMTP", []string{"--smtp-host", "localhost", "--smtp-tls", "none"}, "smtp", ""},
		{"Notify for SMS, SMTP for email", []string{"--smtp-host", "localhost", "--smtp-tls", "none", "--sms-provider", "govuk-notify",
			"--notify-api-key", key, "--notify-sms-template", "t-sms"}, "smtp", govuk.Name},
		{"Notify for both", []string{"--email-provider", "govuk-notify", "--sms-provider", "govuk-notify", "--notify-api-key", key,
			"--notify-email-template", "t-email", "--notify-sms-template", "t-sms"}, govuk.Name, govuk.Name},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := config.Parse("t", tt.args, func(string) string { return "" }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			email, sms, err := newProviders(cfg)
			if err != nil {
				t.Fatal(err)
			}
			name := func(p interface{ Name() string }) string {
				if p == nil {
					return ""
				}
				return p.Name()
			}
			if email == nil && tt.email != "" || email != nil && name(email) != tt.email || sms == nil && tt.sms != "" || sms != nil && name(sms) != tt.sms {
				t.Errorf("providers %v, %v; want %q, %q", email, sms, tt.email, tt.sms)
			}
			if _, ok := email.(delivery.SMTP); tt.email == "smtp" && !ok {
				t.Errorf("email provider %T", email)
			}
		})
	}
	// A malformed key stops start-up.
	cfg, _, err := config.Parse("t", []string{"--sms-provider", "govuk-notify", "--notify-api-key", "short", "--notify-sms-template", "t"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := newProviders(cfg); err == nil {
		t.Error("a malformed Notify key was accepted")
	}
}
