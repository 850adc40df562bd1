package smtptest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

const (
	readBuffer    = 4096     // longest command line; longer data lines are read in pieces
	maxDataLine   = 1000     // RFC 5321 4.5.3.1.6, including CRLF
	maxDataSize   = 10 << 20 // SIZE, as offered in EHLO
	maxRecipients = 100
)

// errQuit ends a session after QUIT or a fatal protocol error.
var errQuit = errors.New("quit")

// session is one client connection.
type session struct {
	srv  *Server
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer

	tls      bool
	helo     string
	authUser string
	hasFrom  bool
	from     string
	to       []string
}

func newSession(srv *Server, conn net.Conn) *session {
	s := &session{srv: srv}
	s.use(conn)
	return s
}

func (s *session) use(conn net.Conn) {
	s.conn = conn
	s.r = bufio.NewReaderSize(conn, readBuffer)
	s.w = bufio.NewWriter(conn)
	_, s.tls = conn.(*tls.Conn)
}

func (s *session) serve() {
	if s.srv.opts.StallAt == "greeting" {
		s.stall()
		return
	}
	// With implicit TLS this first write also runs the handshake.
	if s.reply(220, "smtptest ESMTP ready") != nil {
		return
	}
	for {
		line, err := s.readLine()
		if errors.Is(err, bufio.ErrBufferFull) {
			s.reply(500, "5.5.2 line too long")
			return
		}
		if err != nil {
			return // client gone, idle too long, or server closing
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if s.srv.opts.StallAt != "" && verb == strings.ToUpper(s.srv.opts.StallAt) {
			s.stall()
			return
		}
		if s.handle(verb, strings.TrimSpace(arg)) != nil {
			return
		}
	}
}

func (s *session) handle(verb, arg string) error {
	switch verb {
	case "EHLO", "HELO":
		return s.hello(verb, arg)
	case "STARTTLS":
		return s.startTLS(arg)
	case "AUTH":
		if err := s.auth(arg); !errors.Is(err, errAuthAborted) {
			return err
		}
		return nil // refused with a reply; the session goes on
	case "MAIL":
		return s.mail(arg)
	case "RCPT":
		return s.rcpt(arg)
	case "DATA":
		return s.data(arg)
	case "RSET":
		s.resetTransaction()
		return s.reply(250, "2.0.0 OK")
	case "NOOP":
		return s.reply(250, "2.0.0 OK")
	case "VRFY":
		return s.reply(252, "2.5.0 cannot verify, will try")
	case "QUIT":
		s.reply(221, "2.0.0 bye")
		return errQuit
	}
	return s.reply(500, "5.5.2 command not recognised")
}

func (s *session) hello(verb, arg string) error {
	if arg == "" {
		return s.reply(501, "5.5.4 "+verb+" needs a domain")
	}
	s.helo = arg
	s.resetTransaction()
	if verb == "HELO" {
		return s.reply(250, "smtptest")
	}
	lines := []string{"smtptest greets " + arg, fmt.Sprintf("SIZE %d", maxDataSize)}
	if s.srv.opts.STARTTLS && !s.tls {
		lines = append(lines, "STARTTLS")
	}
	if s.authOffered() {
		lines = append(lines, "AUTH "+strings.Join(s.srv.opts.AuthMechanisms, " "))
	}
	return s.reply(250, lines...)
}

func (s *session) startTLS(arg string) error {
	switch {
	case !s.srv.opts.STARTTLS || s.tls:
		return s.reply(502, "5.5.1 STARTTLS not available")
	case arg != "":
		return s.reply(501, "5.5.4 STARTTLS takes no argument")
	case s.r.Buffered() > 0:
		// Commands pipelined after STARTTLS were sent in clear and would be
		// treated as if protected (the CVE-2011-0411 class of bug).
		s.reply(501, "5.5.0 data after STARTTLS")
		return errQuit
	}
	if err := s.reply(220, "2.0.0 ready to start TLS"); err != nil {
		return err
	}
	tlsConn := tls.Server(s.conn, s.srv.tls)
	tlsConn.SetDeadline(time.Now().Add(s.srv.opts.ReadTimeout))
	if err := tlsConn.Handshake(); err != nil {
		return err
	}
	s.use(tlsConn)
	// RFC 3207: forget everything learnt before the handshake.
	s.helo, s.authUser = "", ""
	s.resetTransaction()
	return nil
}

func (s *session) mail(arg string) error {
	switch {
	case s.helo == "":
		return s.reply(503, "5.5.1 send EHLO first")
	case s.srv.opts.Username != "" && s.authUser == "":
		return s.reply(530, "5.7.0 authentication required")
	case s.hasFrom:
		return s.reply(503, "5.5.1 nested MAIL command")
	}
	from, ok := parsePath(arg, "FROM:")
	if !ok {
		return s.reply(501, "5.5.4 syntax: MAIL FROM:<address>")
	}
	s.hasFrom, s.from = true, from
	return s.reply(250, "2.1.0 OK")
}

func (s *session) rcpt(arg string) error {
	if !s.hasFrom {
		return s.reply(503, "5.5.1 send MAIL first")
	}
	to, ok := parsePath(arg, "TO:")
	if !ok || to == "" {
		return s.reply(501, "5.5.4 syntax: RCPT TO:<address>")
	}
	if len(s.to) >= maxRecipients {
		return s.reply(452, "4.5.3 too many recipients")
	}
	if code := s.srv.reject("RCPT", s.srv.opts.RejectRcpt); code != 0 {
		return s.reply(code, injectedText(code))
	}
	s.to = append(s.to, to)
	return s.reply(250, "2.1.5 OK")
}

func (s *session) data(arg string) error {
	switch {
	case arg != "":
		return s.reply(501, "5.5.4 DATA takes no argument")
	case len(s.to) == 0:
		return s.reply(503, "5.5.1 no valid recipients")
	}
	if err := s.reply(354, "end data with <CR><LF>.<CR><LF>"); err != nil {
		return err
	}
	data, problem, err := s.readData()
	if err != nil {
		return err
	}
	if s.srv.opts.StallAt == "." {
		s.stall()
		return errQuit
	}
	defer s.resetTransaction()
	if problem != "" {
		return s.reply(552, problem)
	}
	if code := s.srv.reject("DATA", s.srv.opts.RejectData); code != 0 {
		return s.reply(code, injectedText(code))
	}
	s.srv.record(Received{
		From: s.from, To: s.to, Data: data, Helo: s.helo, TLS: s.tls, AuthUser: s.authUser,
	})
	return s.reply(250, "2.0.0 OK queued")
}

// readData reads up to the lone dot, removing the dot that clients add to
// lines starting with one. problem is set when the data breaks the limits;
// the rest is still read so the session can go on.
func (s *session) readData() (data []byte, problem string, err error) {
	var buf bytes.Buffer
	atLineStart, lineLen := true, 0
	for {
		s.conn.SetReadDeadline(time.Now().Add(s.srv.opts.ReadTimeout))
		chunk, err := s.r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, "", err
		}
		lineComplete := err == nil
		if atLineStart && lineComplete && string(chunk) == ".\r\n" {
			return buf.Bytes(), problem, nil
		}
		lineLen += len(chunk)
		if lineLen > maxDataLine {
			problem = "5.6.0 line longer than 1000 octets"
		}
		if atLineStart && chunk[0] == '.' {
			chunk = chunk[1:]
		}
		if buf.Len()+len(chunk) > maxDataSize {
			problem = "5.3.4 message too big"
		} else {
			buf.Write(chunk)
		}
		atLineStart = lineComplete
		if lineComplete {
			lineLen = 0
		}
	}
}

func (s *session) resetTransaction() {
	s.hasFrom, s.from, s.to = false, "", nil
}

// parsePath extracts the address from "FROM:<a@b> PARAMS" or "TO:<a@b>".
func parsePath(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}

func injectedText(code int) string {
	if code >= 500 {
		return "5.7.1 injected permanent failure"
	}
	return "4.3.0 injected temporary failure"
}

func (s *session) readLine() (string, error) {
	s.conn.SetReadDeadline(time.Now().Add(s.srv.opts.ReadTimeout))
	line, err := s.r.ReadSlice('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// reply writes one reply, multi-line when given several lines.
func (s *session) reply(code int, lines ...string) error {
	s.conn.SetWriteDeadline(time.Now().Add(s.srv.opts.ReadTimeout))
	for i, line := range lines {
		separator := "-"
		if i == len(lines)-1 {
			separator = " "
		}
		fmt.Fprintf(s.w, "%d%s%s\r\n", code, separator, line)
	}
	return s.w.Flush()
}

// stall stops answering until the client or the server closes the
// connection.
func (s *session) stall() {
	s.srv.markStalled()
	s.conn.SetReadDeadline(time.Time{})
	io.Copy(io.Discard, s.conn)
}
