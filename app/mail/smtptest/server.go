// Package smtptest runs a real SMTP server inside a test process, on
// 127.0.0.1, so mail code is tested over real sockets rather than mocks.
//
// It speaks enough of RFC 5321 for a client such as net/smtp: EHLO/HELO,
// STARTTLS or implicit TLS with a self-signed certificate made at start,
// AUTH PLAIN and LOGIN, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP
// and QUIT. Options inject 4xx/5xx replies and stalls so retry and timeout
// handling can be tested without sleeping.
package smtptest

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a Server. The zero value is a plain server that needs
// no authentication and accepts everything.
type Options struct {
	// STARTTLS offers the STARTTLS extension.
	STARTTLS bool
	// ImplicitTLS speaks TLS from the first byte, like port 465.
	ImplicitTLS bool
	// Username and Password, when Username is set, make the server offer
	// AUTH and require it before MAIL.
	Username, Password string
	// AuthMechanisms are the mechanisms offered; default PLAIN and LOGIN.
	AuthMechanisms []string
	// NoAuthBeforeTLS hides AUTH until the connection is encrypted, as
	// most submission servers do.
	NoAuthBeforeTLS bool
	// RejectRcpt and RejectData inject failure replies to RCPT and to the
	// end of DATA (after the message is read; a rejected message is not
	// recorded).
	RejectRcpt, RejectData Reject
	// StallAt makes the server stop answering: "greeting" before the
	// greeting; a command verb ("EHLO", "MAIL", "RCPT", "DATA", ...)
	// instead of replying to it; "." after reading the message data
	// instead of the final reply. The connection stays open until the
	// client gives up; Stalled tells when the stall has begun.
	StallAt string
	// ReadTimeout drops a connection idle this long; default 5 s.
	ReadTimeout time.Duration
}

// Reject describes an injected failure reply.
type Reject struct {
	Code  int // e.g. 451 (temporary) or 550 (permanent); 0 means no rejection
	Times int // reject only the first Times commands, counted across connections; 0 means every one
}

// Received is one accepted message.
type Received struct {
	From     string   // MAIL FROM address
	To       []string // RCPT TO addresses
	Data     []byte   // the message as sent, after dot-unstuffing, CRLF line endings
	Header   mail.Header
	Body     []byte // the body after the header, still transfer-encoded
	ParseErr error  // why Data is not a valid RFC 5322 message, if it is not
	Helo     string // the name given in EHLO or HELO
	TLS      bool   // whether the message came over an encrypted connection
	AuthUser string // the user who authenticated, if any
}

// Server is a running test SMTP server. It stops when the test ends.
type Server struct {
	t        testing.TB
	opts     Options
	listener net.Listener
	tls      *tls.Config

	mu       sync.Mutex
	messages []Received
	changed  chan struct{} // closed and replaced whenever messages grows
	conns    map[net.Conn]struct{}
	rejected map[string]int // failures injected so far, by command
	closed   bool

	stalled     chan struct{}
	stalledOnce sync.Once
	wg          sync.WaitGroup
}

// Start starts a server on 127.0.0.1 and a free port, and stops it in
// t.Cleanup.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 5 * time.Second
	}
	if len(opts.AuthMechanisms) == 0 {
		opts.AuthMechanisms = []string{"PLAIN", "LOGIN"}
	}
	opts.AuthMechanisms = slices.Clone(opts.AuthMechanisms)
	for i, m := range opts.AuthMechanisms {
		opts.AuthMechanisms[i] = strings.ToUpper(m)
	}
	s := &Server{
		t:        t,
		opts:     opts,
		changed:  make(chan struct{}),
		conns:    map[net.Conn]struct{}{},
		rejected: map[string]int{},
		stalled:  make(chan struct{}),
	}
	if opts.STARTTLS || opts.ImplicitTLS {
		cert, err := selfSignedCertificate()
		if err != nil {
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	if opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.tls)
	}
	s.listener = ln
	s.wg.Add(1)
	go s.acceptLoop()
	t.Cleanup(s.close)
	return s
}

// Addr is the server's "127.0.0.1:port".
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Host is "127.0.0.1".
func (s *Server) Host() string { return s.listener.Addr().(*net.TCPAddr).IP.String() }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.listener.Addr().(*net.TCPAddr).Port }

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

// WaitForMessages waits until at least n messages have been accepted and
// returns them, or fails the test after timeout. Call it from the test's
// goroutine.
func (s *Server) WaitForMessages(n int, timeout time.Duration) []Received {
	s.t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			msgs := append([]Received(nil), s.messages...)
			s.mu.Unlock()
			return msgs
		}
		changed, got := s.changed, len(s.messages)
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			s.t.Fatalf("smtptest: waited %s for %d messages, got %d", timeout, n, got)
			return nil
		}
	}
}

// Stalled is closed when the server first stalls as Options.StallAt asks.
func (s *Server) Stalled() <-chan struct{} { return s.stalled }

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		conn, err := s.listener.Accept()
		if err != nil {
			return // closed by close; nothing else makes Accept fail on loopback
		}
		if !s.track(conn) {
			conn.Close()
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(conn)
			newSession(s, conn).serve()
		}()
	}
}

func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[conn] = struct{}{}
	return true
}

func (s *Server) untrack(conn net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, conn)
	conn.Close()
}

// close stops accepting, drops open connections (which ends stalls) and
// waits for every handler to return.
func (s *Server) close() {
	s.listener.Close()
	s.mu.Lock()
	s.closed = true
	for conn := range s.conns {
		conn.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// reject returns the injected reply code for a command, or 0.
func (s *Server) reject(command string, r Reject) int {
	if r.Code == 0 {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Times > 0 && s.rejected[command] >= r.Times {
		return 0
	}
	s.rejected[command]++
	return r.Code
}

func (s *Server) record(m Received) {
	if msg, err := mail.ReadMessage(bytes.NewReader(m.Data)); err != nil {
		m.ParseErr = err
	} else {
		m.Header = msg.Header
		m.Body, _ = io.ReadAll(msg.Body) // cannot fail on a bytes.Reader
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) markStalled() {
	s.stalledOnce.Do(func() { close(s.stalled) })
}
