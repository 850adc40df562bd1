package config

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParsePrecedence(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config
	}{
		{"defaults", nil, nil, Config{Addr: "127.0.0.1:8080", DatabaseURL: "sqlite:./data/clinaudit.db", Workers: 4, LogLevel: "info", LogFormat: "auto", ShutdownTimeout: 15 * time.Second}},
		{"environment", nil, map[string]string{"CLINAUDIT_ADDR": ":9000", "DATABASE_URL": "postgres://u@h/db", "CLINAUDIT_DEMO": "true", "CLINAUDIT_WORKERS": "0"},
			Config{Addr: ":9000", DatabaseURL: "postgres://u@h/db", Demo: true, Workers: 0, LogLevel: "info", LogFormat: "auto", ShutdownTimeout: 15 * time.Second}},
		{"flag beats environment", []string{"--addr", ":7000", "--demo=false", "--workers=2"}, map[string]string{"CLINAUDIT_ADDR": ":9000", "CLINAUDIT_DEMO": "true"},
			Config{Addr: ":7000", DatabaseURL: "sqlite:./data/clinaudit.db", Workers: 2, LogLevel: "info", LogFormat: "auto", ShutdownTimeout: 15 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := Parse("t", tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			// Compare the settings these cases set; the rest keep defaults.
			g := Config{Addr: got.Addr, DatabaseURL: got.DatabaseURL, Demo: got.Demo, Workers: got.Workers,
				LogLevel: got.LogLevel, LogFormat: got.LogFormat, ShutdownTimeout: got.ShutdownTimeout}
			if g != tt.want {
				t.Errorf("got %+v\nwant %+v", g, tt.want)
			}
			if got.SessionIdle != 30*time.Minute || got.SessionMax != 12*time.Hour || !got.TwoFactorForAll || got.PasswordMaxAge != 90*24*time.Hour {
				t.Errorf("auth defaults changed: %+v", got)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"bad engine", []string{"--database-url", "mysql://root:s3cret@h/db"}, nil, "must start with sqlite: or postgres://"},
		{"bad bool env", nil, map[string]string{"CLINAUDIT_DEMO": "yes please"}, "CLINAUDIT_DEMO"},
		{"negative workers", []string{"--workers=-1"}, nil, "--workers"},
		{"no small-number threshold", []string{"--suppress-below=0"}, nil, "--suppress-below"},
		{"bad level", []string{"--log-level=loud"}, nil, "--log-level"},
		{"addr without port", []string{"--addr=localhost"}, nil, "host:port"},
		{"unknown flag", []string{"--nope"}, nil, "not defined"},
		{"base URL without scheme", []string{"--base-url", "clinaudit.example"}, nil, "--base-url"},
		{"idle longer than max", []string{"--session-idle", "13h"}, nil, "--session-idle"},
		{"record views kept under a day", []string{"--record-view-retention", "1h"}, nil, "--record-view-retention"},
		{"trusted proxy not a CIDR", []string{"--trusted-proxies", "10.0.0.0/8, proxy.example"}, nil, "--trusted-proxies"},
		{"unknown proxy header", []string{"--proxy-header", "X-Real-IP"}, nil, "--proxy-header"},
		{"bad SMTP TLS mode", []string{"--smtp-tls", "maybe"}, nil, "--smtp-tls"},
		{"unknown email provider", []string{"--email-provider", "pigeon"}, nil, "--email-provider"},
		{"unknown SMS provider", []string{"--sms-provider", "twilio"}, nil, "--sms-provider"},
		{"Notify without a key", []string{"--sms-provider", "govuk-notify", "--notify-sms-template", "t"}, nil, "--notify-api-key"},
		{"Notify SMS without a template", []string{"--sms-provider", "govuk-notify", "--notify-api-key", "s3cret"}, nil, "--notify-sms-template"},
		{"Notify email without a template", []string{"--email-provider", "govuk-notify", "--notify-api-key", "s3cret"}, nil, "--notify-email-template"},
		{"SMTP password never echoed", []string{"--smtp-password", "s3cret", "--smtp-port", "x"}, nil, "invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse("t", tt.args, env(tt.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error leaks the database password: %v", err)
			}
		})
	}
}

func TestParseDatabaseURL(t *testing.T) {
	for _, tt := range []struct{ in, engine, target string }{
		{"sqlite:./data/clinaudit.db", "sqlite", "./data/clinaudit.db"},
		{"sqlite:///var/lib/clinaudit.db", "sqlite", "/var/lib/clinaudit.db"},
		{"postgres://root@127.0.0.1/test", "postgres", "postgres://root@127.0.0.1/test"},
		{"postgresql://root@127.0.0.1/test", "postgres", "postgresql://root@127.0.0.1/test"},
	} {
		e, target, err := ParseDatabaseURL(tt.in)
		if err != nil || e != tt.engine || target != tt.target {
			t.Errorf("ParseDatabaseURL(%q) = %q, %q, %v", tt.in, e, target, err)
		}
	}
}

// The README's configuration table must list every setting, so the docs
// cannot fall behind the code.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, s := range Settings {
		row := "| `--" + s.Flag + "` | `" + s.Env + "` | `" + s.Default + "` |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md lacks the row starting %s", row)
		}
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var b strings.Builder
	WriteHelp(&b, []Command{{Name: "serve", Summary: "run"}})
	for _, s := range Settings {
		if !strings.Contains(b.String(), "--"+s.Flag) || !strings.Contains(b.String(), s.Env) {
			t.Errorf("help lacks %s / %s", s.Flag, s.Env)
		}
	}
}

func TestDemoOnlyOnLoopbackUnlessAllowed(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		refuse bool
	}{
		{[]string{"--demo"}, false}, // the default 127.0.0.1:8080
		{[]string{"--demo", "--addr", "127.0.0.1:0"}, false},
		{[]string{"--demo", "--addr", "127.8.9.10:8080"}, false},
		{[]string{"--demo", "--addr", "[::1]:8080"}, false},
		{[]string{"--demo", "--addr", "localhost:8080"}, false},
		{[]string{"--demo", "--addr", "LOCALHOST:8080"}, false},
		{[]string{"--demo", "--addr", ":8080"}, true},
		{[]string{"--demo", "--addr", "0.0.0.0:8080"}, true},
		{[]string{"--demo", "--addr", "[::]:8080"}, true},
		{[]string{"--demo", "--addr", "192.168.1.20:8080"}, true},
		{[]string{"--demo", "--addr", "clinaudit.example:8080"}, true},
		{[]string{"--demo", "--addr", "localhost.evil.example:8080"}, true},
		{[]string{"--demo", "--addr", "[::ffff:10.0.0.1]:8080"}, true},
		{[]string{"--demo", "--addr", ":8080", "--demo-allow-remote"}, false},
		{[]string{"--addr", ":8080"}, false}, // no demo: nothing to guard
	} {
		c, _, err := Parse("t", tt.args, env(nil), io.Discard)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		err = c.CheckDemoAddr()
		if (err != nil) != tt.refuse {
			t.Errorf("%v: CheckDemoAddr() = %v, want refused %v", tt.args, err, tt.refuse)
		}
		if err != nil && !strings.Contains(err.Error(), "--demo-allow-remote") {
			t.Errorf("%v: the refusal does not name the setting that allows it: %v", tt.args, err)
		}
	}
}

func TestTrustedProxiesNoneByDefault(t *testing.T) {
	c, _, err := Parse("t", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxyPrefixes()) != 0 || c.ClientIPHeader() != "X-Forwarded-For" {
		t.Errorf("defaults: %v %q", c.TrustedProxyPrefixes(), c.ClientIPHeader())
	}
	c, _, err = Parse("t", []string{"--proxy-header", "forwarded"}, env(map[string]string{"CLINAUDIT_TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.TrustedProxyPrefixes()); got != "[10.0.0.0/8 127.0.0.1/32]" || c.ClientIPHeader() != "Forwarded" {
		t.Errorf("set: %s %q", got, c.ClientIPHeader())
	}
}
