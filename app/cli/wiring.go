package cli

import (
	"context"

	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/config"
	"clinaudit/app/mail"
	"clinaudit/app/notify/govuk"
	"clinaudit/app/outbox"
	"clinaudit/app/outbox/delivery"
	"clinaudit/app/store"
)

// newAuth builds the sign-in service from the settings.
func newAuth(s store.Store, cfg *config.Config) (*auth.Service, error) {
	policy := password.DefaultPolicy()
	policy.RequireComposition = cfg.PasswordComposition
	policy.MaxAge = cfg.PasswordMaxAge
	ac := auth.DefaultConfig()
	ac.IdleTimeout, ac.MaxLifetime = cfg.SessionIdle, cfg.SessionMax
	ac.TwoFactorForAll = cfg.TwoFactorForAll
	ac.SMS = cfg.SMSProvider != ""
	ac.BaseURL = cfg.BaseURL
	return auth.New(s, policy, ac)
}

// openWithAuth opens the store, migrated, with the accounts service, for
// the commands that manage accounts (seed-demo, user). The caller closes
// the store.
func openWithAuth(ctx context.Context, cfg *config.Config) (store.Store, *auth.Service, error) {
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return nil, nil, err
	}
	a, err := newAuth(s, cfg)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, a, nil
}

// newMailSender returns nil when no SMTP server is set: mail then stays in
// the outbox (shown by the Demo mailbox page in the demo).
func newMailSender(cfg *config.Config) (mail.Sender, error) {
	if cfg.SMTPHost == "" {
		return nil, nil
	}
	return mail.NewSMTPSender(mail.Config{
		Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
		TLS: mail.TLSMode(cfg.SMTPTLS), From: cfg.SMTPFrom,
	})
}

// newProviders returns the email and SMS providers the settings choose
// (docs/notifications.md); a nil one keeps its channel in the outbox.
func newProviders(cfg *config.Config) (email, sms outbox.Provider, err error) {
	var notify *govuk.Client
	if cfg.EmailProvider == "govuk-notify" || cfg.SMSProvider == "govuk-notify" {
		notify, err = govuk.New(govuk.Config{BaseURL: cfg.NotifyBaseURL, APIKey: cfg.NotifyAPIKey,
			EmailTemplateID: cfg.NotifyEmailTemplate, SMSTemplateID: cfg.NotifySMSTemplate})
		if err != nil {
			return nil, nil, err
		}
	}
	if cfg.EmailProvider == "govuk-notify" {
		email = notify
	} else {
		sender, err := newMailSender(cfg)
		if err != nil {
			return nil, nil, err
		}
		email = delivery.NewSMTP(sender)
	}
	if cfg.SMSProvider == "govuk-notify" {
		sms = notify
	}
	return email, sms, nil
}
