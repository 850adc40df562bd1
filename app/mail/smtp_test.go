package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/mail/smtptest"
)

const (
	testUser     = "audit-mailer"
	testPassword = "s3cret-Pa55word"
)

// newTestSender returns a sender aimed at srv: no TLS, no credentials,
// unless change says otherwise.
func newTestSender(t *testing.T, srv *smtptest.Server, change func(c *Config)) *SMTPSender {
	t.Helper()
	cfg := Config{Host: srv.Host(), Port: srv.Port(), TLS: TLSNone, From: testFrom, Timeout: 5 * time.Second}
	if change != nil {
		change(&cfg)
	}
	s, err := NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// onlyMessage returns the one message srv received, parsed.
func onlyMessage(t *testing.T, srv *smtptest.Server) (smtptest.Received, *netmail.Message) {
	t.Helper()
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatalf("received message does not parse: %v", err)
	}
	return msgs[0], msg
}

func TestSendPlain(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	sender := newTestSender(t, srv, func(c *Config) { c.LocalName = "app.clinaudit.test" })
	m := Message{
		To:      []string{"Dr Jane Doe <jane@example.org>", "bob@example.org"},
		Subject: "Your invitation",
		// A lone dot would end DATA early unless net/smtp stuffs it.
		Text: "Hello Jane,\n.\n..two dots\nhttps://audit.example.org/invite?t=" + strings.Repeat("x", 120) + "\n",
	}
	if err := sender.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	rec, msg := onlyMessage(t, srv)
	checkLines(t, rec.Data)
	if rec.From != "noreply@example.org" || strings.Join(rec.To, ",") != "jane@example.org,bob@example.org" {
		t.Errorf("envelope from %q to %q", rec.From, rec.To)
	}
	if rec.Helo != "app.clinaudit.test" || rec.TLS || rec.AuthUser != "" {
		t.Errorf("helo %q, TLS %v, user %q", rec.Helo, rec.TLS, rec.AuthUser)
	}
	for header, want := range map[string]string{
		"From":         `"clinaudit" <noreply@example.org>`,
		"To":           `"Dr Jane Doe" <jane@example.org>, <bob@example.org>`,
		"Subject":      "Your invitation",
		"MIME-Version": "1.0",
		"Content-Type": "text/plain; charset=utf-8",
	} {
		if got := msg.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}
	if id := msg.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.org>") {
		t.Errorf("Message-ID %q, want <random@example.org>", id)
	}
	if date, err := msg.Header.Date(); err != nil || time.Since(date).Abs() > time.Minute {
		t.Errorf("Date %q (%v), want now", msg.Header.Get("Date"), err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(m.Text, "\n", "\r\n"); string(body) != want {
		t.Errorf("body %q, want %q", body, want)
	}
}

func TestSendOverTLS(t *testing.T) {
	tests := []struct {
		name string
		opts smtptest.Options
		mode TLSMode
	}{
		{"STARTTLS", smtptest.Options{STARTTLS: true, NoAuthBeforeTLS: true}, TLSStartTLS},
		{"implicit TLS", smtptest.Options{ImplicitTLS: true}, TLSImplicit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Username, tt.opts.Password = testUser, testPassword
			srv := smtptest.Start(t, tt.opts)
			sender := newTestSender(t, srv, func(c *Config) {
				c.TLS, c.Username, c.Password, c.InsecureSkipVerify = tt.mode, testUser, testPassword, true
			})
			if err := sender.Send(context.Background(), validMessage()); err != nil {
				t.Fatal(err)
			}
			if rec, _ := onlyMessage(t, srv); !rec.TLS || rec.AuthUser != testUser {
				t.Errorf("received with TLS %v as %q, want TLS as %q", rec.TLS, rec.AuthUser, testUser)
			}
		})
	}
}

func TestSendClassifiesServerReplies(t *testing.T) {
	tests := []struct {
		name          string
		opts          smtptest.Options
		wantOp        string
		wantCode      int
		permanent     bool
		retrySucceeds bool
	}{
		{"451 to RCPT once", smtptest.Options{RejectRcpt: smtptest.Reject{Code: 451, Times: 1}}, "rcpt", 451, false, true},
		{"451 to DATA once", smtptest.Options{RejectData: smtptest.Reject{Code: 451, Times: 1}}, "data", 451, false, true},
		{"550 to RCPT always", smtptest.Options{RejectRcpt: smtptest.Reject{Code: 550}}, "rcpt", 550, true, false},
		{"554 to DATA always", smtptest.Options{RejectData: smtptest.Reject{Code: 554}}, "data", 554, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, tt.opts)
			sender := newTestSender(t, srv, nil)
			err := sender.Send(context.Background(), validMessage())
			var sendErr *Error
			if !errors.As(err, &sendErr) || sendErr.Op != tt.wantOp || sendErr.Code != tt.wantCode {
				t.Fatalf("Send() = %v, want %s refused with %d", err, tt.wantOp, tt.wantCode)
			}
			if IsPermanent(err) != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, !tt.permanent, tt.permanent)
			}
			retryErr := sender.Send(context.Background(), validMessage())
			if (retryErr == nil) != tt.retrySucceeds {
				t.Fatalf("retry: Send() = %v, want success %v", retryErr, tt.retrySucceeds)
			}
			if want := map[bool]int{true: 1, false: 0}[tt.retrySucceeds]; len(srv.Messages()) != want {
				t.Errorf("server received %d messages, want %d", len(srv.Messages()), want)
			}
		})
	}
}

func TestSendGivesUpOnStalledServer(t *testing.T) {
	const short = 100 * time.Millisecond
	tests := []struct {
		name    string
		stallAt string
		how     string // "cancel" once stalled, "deadline" on ctx, "timeout" in Config
		wantErr error
	}{
		{"cancel before greeting", "greeting", "cancel", context.Canceled},
		{"cancel at MAIL", "MAIL", "cancel", context.Canceled},
		{"cancel at DATA", "DATA", "cancel", context.Canceled},
		{"cancel after the data", ".", "cancel", context.Canceled},
		{"context deadline before greeting", "greeting", "deadline", context.DeadlineExceeded},
		{"context deadline at RCPT", "RCPT", "deadline", context.DeadlineExceeded},
		{"config timeout at EHLO", "EHLO", "timeout", context.DeadlineExceeded},
		{"config timeout after the data", ".", "timeout", context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.Options{StallAt: tt.stallAt})
			sender := newTestSender(t, srv, func(c *Config) {
				if tt.how == "timeout" {
					c.Timeout = short
				}
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.how == "deadline" {
				ctx, cancel = context.WithTimeout(ctx, short)
				defer cancel()
			}
			done := make(chan error, 1)
			go func() { done <- sender.Send(ctx, validMessage()) }()
			if tt.how == "cancel" {
				<-srv.Stalled()
				cancel()
			}
			select {
			case err := <-done:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Send() = %v, want %v", err, tt.wantErr)
				}
				if IsPermanent(err) {
					t.Errorf("IsPermanent(%v) = true, want a retry", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Send did not give up on a stalled server")
			}
		})
	}
}

func TestSendRejectsHeaderInjection(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	sender := newTestSender(t, srv, nil)
	for name, m := range map[string]Message{
		"subject":       {To: []string{"jane@example.org"}, Subject: "Hi\r\nBcc: evil@example.com", Text: "x"},
		"recipient":     {To: []string{"jane@example.org\r\nBcc: evil@example.com"}, Subject: "Hi", Text: "x"},
		"display name":  {To: []string{"Jane\nBcc: evil@example.com <jane@example.org>"}, Subject: "Hi", Text: "x"},
		"address list":  {To: []string{"jane@example.org, evil@example.com"}, Subject: "Hi", Text: "x"},
		"bare LF alone": {To: []string{"jane@example.org"}, Subject: "Hi\nthere", Text: "x"},
	} {
		err := sender.Send(context.Background(), m)
		var sendErr *Error
		if !errors.As(err, &sendErr) || sendErr.Op != "message" || !errors.Is(err, ErrInvalidMessage) || !IsPermanent(err) {
			t.Errorf("%s: Send() = %v, want a permanent invalid-message error", name, err)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSendNonASCII(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	m := validMessage()
	m.To = []string{"Zoë Ünlü <zoe@example.org>"}
	m.Subject = "Réinitialisation de votre mot de passe — clinaudit ✓"
	m.Text = "Bonjour Zoë,\nvoici votre code : 482913.\n"
	if err := newTestSender(t, srv, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	_, msg := onlyMessage(t, srv)
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("subject %q (%v), want %q", subject, err, m.Subject)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Zoë Ünlü" || to[0].Address != "zoe@example.org" {
		t.Errorf("To %v (%v)", to, err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if want := strings.ReplaceAll(m.Text, "\n", "\r\n"); string(body) != want {
		t.Errorf("body %q, want %q", body, want)
	}
}

func TestSendMultipart(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	m := validMessage()
	m.HTML = `<p>Hello Jane, <a href="https://audit.example.org/invite?t=abc">accept the invitation</a>.</p>`
	if err := newTestSender(t, srv, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	rec, msg := onlyMessage(t, srv)
	if rec.Helo != "localhost" {
		t.Errorf("EHLO %q, want the default localhost", rec.Helo)
	}
	parts := readAlternatives(t, msg)
	if len(parts) != 2 || parts[0].body != "Hello Jane,\r\nFollow the link.\r\n" || parts[1].body != m.HTML+"\r\n" ||
		parts[0].contentType != "text/plain; charset=utf-8" || parts[1].contentType != "text/html; charset=utf-8" {
		t.Errorf("parts %+v", parts)
	}
}

func TestSendConcurrently(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	sender := newTestSender(t, srv, nil)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			m := validMessage()
			m.Subject = fmt.Sprintf("message %d", i)
			errs <- sender.Send(context.Background(), m)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	subjects := map[string]bool{}
	for _, rec := range srv.WaitForMessages(n, 5*time.Second) {
		subjects[rec.Header.Get("Subject")] = true
	}
	if len(subjects) != n {
		t.Errorf("got %d distinct subjects, want %d", len(subjects), n)
	}
}

func TestSendUnreachableIsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	sender, err := NewSMTPSender(Config{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: testFrom})
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), validMessage())
	var sendErr *Error
	if !errors.As(err, &sendErr) || sendErr.Op != "dial" || IsPermanent(err) {
		t.Errorf("Send() = %v, want a temporary dial error", err)
	}
}
