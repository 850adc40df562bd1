package smtptest

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawClient speaks SMTP line by line, to test what net/smtp never sends.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	text *textproto.Conn
}

func dialRaw(t *testing.T, srv *Server) *rawClient {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(5 * time.Second)) // a hung test fails instead
	c := &rawClient{t: t, conn: conn, text: textproto.NewConn(conn)}
	c.expect("", 220)
	return c
}

// expect sends line (unless empty) and checks the reply code.
func (c *rawClient) expect(line string, code int) string {
	c.t.Helper()
	if line != "" {
		if err := c.text.PrintfLine("%s", line); err != nil {
			c.t.Fatalf("%s: %v", line, err)
		}
	}
	got, msg, err := c.text.ReadResponse(0)
	if err != nil && !errors.As(err, new(*textproto.Error)) {
		c.t.Fatalf("%s: %v", line, err)
	}
	if got != code {
		c.t.Fatalf("%s: got %d %s, want %d", line, got, msg, code)
	}
	return msg
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestCommandSequence(t *testing.T) {
	srv := Start(t, Options{})
	c := dialRaw(t, srv)
	for _, step := range []struct {
		line string
		code int
	}{
		{"MAIL FROM:<a@example.org>", 503}, // before EHLO
		{"HELO", 501},
		{"EHLO client.test", 250},
		{"RCPT TO:<b@example.org>", 503}, // before MAIL
		{"DATA", 503},
		{"MAIL FROM:a@example.org", 501},
		{"MAIL FROM:<a@example.org> SIZE=10", 250},
		{"MAIL FROM:<a@example.org>", 503}, // nested
		{"RCPT TO:<>", 501},
		{"RCPT TO:<b@example.org>", 250},
		{"NOOP", 250},
		{"VRFY b", 252},
		{"STARTTLS", 502}, // not offered
		{"AUTH PLAIN", 502},
		{"BOGUS", 500},
		{"RSET", 250},
		{"DATA", 503}, // RSET dropped the recipient
		{"QUIT", 221},
	} {
		c.expect(step.line, step.code)
	}
	if _, err := c.text.ReadLine(); err != io.EOF {
		t.Errorf("after QUIT: %v, want the connection closed", err)
	}
}

func TestDotUnstuffingAndReset(t *testing.T) {
	srv := Start(t, Options{})
	c, err := smtp.Dial(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("old@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("dropped@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	c.Mail("a@example.org")
	c.Rcpt("b@example.org")
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	const body = "Subject: dots\r\n\r\n.\r\n..two\r\n.hidden\r\nlast\r\n"
	io.WriteString(w, body)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()[0]
	if string(got.Data) != body || got.From != "a@example.org" || strings.Join(got.To, ",") != "b@example.org" {
		t.Errorf("received %+v", got)
	}
	if got.Header.Get("Subject") != "dots" || string(got.Body) != ".\r\n..two\r\n.hidden\r\nlast\r\n" || got.ParseErr != nil {
		t.Errorf("parsed subject %q body %q (%v)", got.Header.Get("Subject"), got.Body, got.ParseErr)
	}
}

func TestAuth(t *testing.T) {
	srv := Start(t, Options{Username: "u", Password: "p"})
	c := dialRaw(t, srv)
	if ext := c.expect("EHLO client.test", 250); !strings.Contains(ext, "AUTH PLAIN LOGIN") {
		t.Errorf("EHLO offers %q", ext)
	}
	c.expect("MAIL FROM:<a@example.org>", 530)
	c.expect("AUTH XOAUTH2 abc", 504)
	c.expect("AUTH PLAIN "+b64("\x00u\x00wrong"), 535)
	c.expect("AUTH PLAIN !!!", 501)
	c.expect("AUTH PLAIN", 334)
	c.expect("*", 501)
	c.expect("AUTH LOGIN", 334)
	c.expect(b64("u"), 334)
	c.expect(b64("p"), 235)
	c.expect("AUTH PLAIN "+b64("\x00u\x00p"), 503)
	c.expect("MAIL FROM:<a@example.org>", 250)
}

func TestAuthOnlyAfterTLS(t *testing.T) {
	srv := Start(t, Options{STARTTLS: true, NoAuthBeforeTLS: true, Username: "u", Password: "p"})
	c, err := smtp.Dial(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH offered before TLS")
	}
	if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS offered again after TLS")
	}
	if ok, mechanisms := c.Extension("AUTH"); !ok || mechanisms != "PLAIN LOGIN" {
		t.Errorf("AUTH after TLS: %v %q", ok, mechanisms)
	}
	if err := c.Auth(smtp.PlainAuth("", "u", "p", "127.0.0.1")); err != nil {
		t.Error(err)
	}
}

func TestSTARTTLSRefusesPipelinedCommands(t *testing.T) {
	srv := Start(t, Options{STARTTLS: true})
	c := dialRaw(t, srv)
	c.expect("EHLO client.test", 250)
	io.WriteString(c.conn, "STARTTLS\r\nNOOP\r\n") // one write, so the server reads both at once
	c.expect("", 501)
}

func TestInjectedRejections(t *testing.T) {
	srv := Start(t, Options{RejectRcpt: Reject{Code: 451, Times: 2}, RejectData: Reject{Code: 554, Times: 1}})
	c := dialRaw(t, srv)
	c.expect("EHLO client.test", 250)
	c.expect("MAIL FROM:<a@example.org>", 250)
	c.expect("RCPT TO:<b@example.org>", 451)
	c.expect("RCPT TO:<b@example.org>", 451)
	c.expect("RCPT TO:<b@example.org>", 250)
	c.expect("DATA", 354)
	c.expect("Subject: x\r\n\r\nbody\r\n.", 554)
	c.expect("MAIL FROM:<a@example.org>", 250)
	c.expect("RCPT TO:<b@example.org>", 250)
	c.expect("DATA", 354)
	c.expect("Subject: x\r\n\r\nbody\r\n.", 250)
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("recorded %d messages, want only the accepted one", n)
	}
}

func TestOverlongDataLineRejected(t *testing.T) {
	srv := Start(t, Options{})
	c := dialRaw(t, srv)
	c.expect("EHLO client.test", 250)
	c.expect("MAIL FROM:<a@example.org>", 250)
	c.expect("RCPT TO:<b@example.org>", 250)
	c.expect("DATA", 354)
	c.expect("Subject: x\r\n\r\n"+strings.Repeat("x", 5000)+"\r\n.", 552)
	c.expect("NOOP", 250) // the session survives
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("recorded %d messages", n)
	}
}

func TestClientDisconnectMidData(t *testing.T) {
	srv := Start(t, Options{})
	c := dialRaw(t, srv)
	c.expect("EHLO client.test", 250)
	c.expect("MAIL FROM:<a@example.org>", 250)
	c.expect("RCPT TO:<b@example.org>", 250)
	c.expect("DATA", 354)
	io.WriteString(c.conn, "Subject: half\r\n\r\nhalf a mess")
	c.conn.Close()

	if err := smtp.SendMail(srv.Addr(), nil, "a@example.org", []string{"b@example.org"}, []byte("Subject: whole\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	msgs := srv.WaitForMessages(1, 5*time.Second)
	if len(msgs) != 1 || msgs[0].Header.Get("Subject") != "whole" {
		t.Errorf("messages %+v, want only the whole one", msgs)
	}
}

func TestIdleConnectionDropped(t *testing.T) {
	srv := Start(t, Options{ReadTimeout: 50 * time.Millisecond})
	c := dialRaw(t, srv)
	if _, err := c.text.ReadLine(); err != io.EOF {
		t.Errorf("idle connection: %v, want it closed by the server", err)
	}
}

func TestWaitForMessages(t *testing.T) {
	srv := Start(t, Options{ImplicitTLS: true})
	go func() {
		conn, err := tls.Dial("tcp", srv.Addr(), &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			return // WaitForMessages fails the test
		}
		c, err := smtp.NewClient(conn, srv.Host())
		if err != nil {
			return
		}
		defer c.Close()
		c.Mail("a@example.org")
		c.Rcpt("b@example.org")
		if w, err := c.Data(); err == nil {
			io.WriteString(w, "Subject: async\r\n\r\nbody\r\n")
			w.Close()
		}
	}()
	msgs := srv.WaitForMessages(1, 5*time.Second)
	if !msgs[0].TLS || msgs[0].Header.Get("Subject") != "async" {
		t.Errorf("received %+v", msgs[0])
	}
}

func TestCleanupEndsStalledConnections(t *testing.T) {
	var conn net.Conn
	t.Run("server", func(t *testing.T) {
		srv := Start(t, Options{StallAt: "greeting"})
		var err error
		if conn, err = net.Dial("tcp", srv.Addr()); err != nil {
			t.Fatal(err)
		}
		<-srv.Stalled()
	}) // the server's cleanup has run here
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("stalled connection after cleanup: %v, want closed", err)
	}
}

func TestAccessors(t *testing.T) {
	srv := Start(t, Options{})
	if srv.Host() != "127.0.0.1" || srv.Port() == 0 || srv.Addr() != net.JoinHostPort(srv.Host(), strconv.Itoa(srv.Port())) {
		t.Errorf("Host %q Port %d Addr %q", srv.Host(), srv.Port(), srv.Addr())
	}
}
