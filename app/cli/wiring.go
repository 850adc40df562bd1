package cli

import (
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/config"
	"clinaudit/app/mail"
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
	ac.BaseURL = cfg.BaseURL
	return auth.New(s, policy, ac)
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
