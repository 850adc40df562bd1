// Package mail sends the application's email (invite links, password-reset
// links, sign-in codes, transfer notifications) over SMTP.
//
// Callers build a Message and hand it to a Sender. SMTPSender delivers it
// with net/smtp; Build turns it into RFC 5322 bytes for anything that
// stores mail instead (such as an outbox). Errors say, through IsPermanent,
// whether a retry can help.
package mail

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is one email. Text is required; HTML, when set, is sent as an
// alternative and mail clients choose which to show.
type Message struct {
	To      []string // each a single address, "jane@example.org" or "Jane Doe <jane@example.org>"
	Subject string
	Text    string
	HTML    string // optional
}

// maxSubjectRunes keeps an unbreakable ASCII subject well inside SMTP's
// 998-octet line limit; application subjects are far shorter.
const maxSubjectRunes = 250

// Validate reports why m cannot be sent, wrapping ErrInvalidMessage. It
// refuses CR and LF (and other control characters) in the subject and
// addresses, which would otherwise let a value inject its own headers.
func (m Message) Validate() error {
	if len(m.To) == 0 {
		return invalidf("no recipient")
	}
	for _, to := range m.To {
		if _, err := parseAddress(to); err != nil {
			return invalidf("recipient %q: %v", to, err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return invalidf("empty subject")
	}
	if hasControl(m.Subject) {
		return invalidf("subject contains a control character (CR, LF, ...)")
	}
	if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		return invalidf("not valid UTF-8")
	}
	if utf8.RuneCountInString(m.Subject) > maxSubjectRunes {
		return invalidf("subject longer than %d characters", maxSubjectRunes)
	}
	if m.Text == "" {
		return invalidf("empty text body")
	}
	return nil
}

// LogValue leaves the bodies out of logs: they hold sign-in codes and
// reset links.
func (m Message) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("to", m.To),
		slog.String("subject", m.Subject),
		slog.Bool("html", m.HTML != ""),
	)
}

// parseAddress accepts exactly one ASCII address, with or without a
// display name. Internationalised addresses would need SMTPUTF8, which
// this package does not speak.
func parseAddress(s string) (*netmail.Address, error) {
	if hasControl(s) {
		return nil, fmt.Errorf("contains a control character (CR, LF, ...)")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(a.Address); i++ {
		if a.Address[i] >= utf8.RuneSelf {
			return nil, fmt.Errorf("non-ASCII address")
		}
	}
	return a, nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\t') || r == 0x7f
	})
}

// NewMessageID returns a random Message-ID (without angle brackets) in the
// domain of from, a From header value such as "clinaudit <noreply@example.org>".
func NewMessageID(from string) (string, error) {
	a, err := parseAddress(from)
	if err != nil {
		return "", fmt.Errorf("from %q: %w", from, err)
	}
	return rand.Text() + "@" + a.Address[strings.LastIndexByte(a.Address, '@')+1:], nil
}

// Build renders m as an RFC 5322 message with CRLF line endings, ready for
// SMTP DATA (net/smtp does the dot-stuffing). from is the From header
// value; messageID is "left@right" without angle brackets (see
// NewMessageID). Build is pure: the same arguments give the same bytes.
func Build(from string, m Message, now time.Time, messageID string) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	sender, err := parseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", from, err)
	}
	if err := checkMessageID(messageID); err != nil {
		return nil, err
	}
	to := make([]string, len(m.To))
	for i, s := range m.To {
		a, _ := parseAddress(s) // Validate has parsed it already
		to[i] = a.String()
	}

	var b bytes.Buffer
	writeHeader(&b, "From", sender.String())
	writeHeader(&b, "To", strings.Join(to, ", "))
	writeHeader(&b, "Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+messageID+">")
	// Tells auto-responders (out-of-office) not to answer (RFC 3834).
	writeHeader(&b, "Auto-Submitted", "auto-generated")
	writeHeader(&b, "MIME-Version", "1.0")

	if m.HTML == "" {
		writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		body, err := quotedPrintable(m.Text)
		if err != nil {
			return nil, err
		}
		b.Write(body)
		return b.Bytes(), nil
	}

	// The boundary comes from the Message-ID so Build stays deterministic;
	// a random Message-ID makes it unguessable to anyone writing the text.
	sum := sha256.Sum256([]byte(messageID))
	boundary := "clinaudit-" + hex.EncodeToString(sum[:16])
	var parts bytes.Buffer
	mw := multipart.NewWriter(&parts)
	if err := mw.SetBoundary(boundary); err != nil {
		return nil, err
	}
	for _, p := range []struct{ contentType, body string }{
		{"text/plain; charset=utf-8", m.Text}, // simplest first, as RFC 2046 asks
		{"text/html; charset=utf-8", m.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.contentType},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		body, err := quotedPrintable(p.body)
		if err != nil {
			return nil, err
		}
		if bytes.Contains(body, []byte("--"+boundary)) {
			return nil, invalidf("body contains the MIME boundary")
		}
		w.Write(body)
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	writeHeader(&b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": boundary}))
	b.WriteString("\r\n")
	b.Write(parts.Bytes())
	return b.Bytes(), nil
}

func checkMessageID(id string) error {
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.ContainsAny(id, "<>()[]\\\",;: ") || hasControl(id) {
		return fmt.Errorf("mail: message ID %q is not of the form left@right", id)
	}
	for i := 0; i < len(id); i++ {
		if id[i] >= utf8.RuneSelf {
			return fmt.Errorf("mail: message ID %q is not ASCII", id)
		}
	}
	return nil
}

// quotedPrintable encodes s with CRLF line endings and lines of at most 76
// characters, ending with a line break.
func quotedPrintable(s string) ([]byte, error) {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}

// maxHeaderLine is RFC 5322's recommended line length. Lines fold at
// spaces only, so a single long word may exceed it (never the 998 limit:
// Validate caps the subject and encoded words are at most 75 characters).
const maxHeaderLine = 78

// writeHeader writes "Name: value" and folds it before spaces so long
// subjects and recipient lists stay readable to strict servers.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteByte(':')
	lineLen := len(name) + 1
	for i, word := range strings.Split(value, " ") {
		// Never fold before the first word, nor before an empty one (which
		// could leave a line of only whitespace).
		if i > 0 && word != "" && lineLen+1+len(word) > maxHeaderLine {
			b.WriteString("\r\n")
			lineLen = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		lineLen += 1 + len(word)
	}
	b.WriteString("\r\n")
}
