package mail

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"
)

const testFrom = "clinaudit <noreply@example.org>"

var testNow = time.Date(2024, 1, 2, 15, 4, 5, 0, time.UTC)

func validMessage() Message {
	return Message{To: []string{"jane@example.org"}, Subject: "Your invitation", Text: "Hello Jane,\nFollow the link.\n"}
}

func TestMessageValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *Message)
		valid  bool
	}{
		{"plain address", func(m *Message) {}, true},
		{"display name", func(m *Message) { m.To = []string{"Dr Jane Doe <jane@example.org>"} }, true},
		{"two recipients", func(m *Message) { m.To = []string{"a@example.org", "b@example.org"} }, true},
		{"tab in subject", func(m *Message) { m.Subject = "a\tb" }, true},
		{"no recipient", func(m *Message) { m.To = nil }, false},
		{"empty recipient", func(m *Message) { m.To = []string{""} }, false},
		{"list in one recipient", func(m *Message) { m.To = []string{"a@example.org, b@example.org"} }, false},
		{"not an address", func(m *Message) { m.To = []string{"jane"} }, false},
		{"CRLF in address", func(m *Message) { m.To = []string{"jane@example.org\r\nBcc: evil@example.com"} }, false},
		{"LF in display name", func(m *Message) { m.To = []string{"Jane\nBcc: evil@example.com <jane@example.org>"} }, false},
		{"non-ASCII address", func(m *Message) { m.To = []string{"jöe@example.org"} }, false},
		{"CRLF in subject", func(m *Message) { m.Subject = "Hi\r\nBcc: evil@example.com" }, false},
		{"LF in subject", func(m *Message) { m.Subject = "Hi\nBcc: evil@example.com" }, false},
		{"CR in subject", func(m *Message) { m.Subject = "Hi\rthere" }, false},
		{"NUL in subject", func(m *Message) { m.Subject = "Hi\x00" }, false},
		{"empty subject", func(m *Message) { m.Subject = " " }, false},
		{"subject too long", func(m *Message) { m.Subject = strings.Repeat("é", maxSubjectRunes+1) }, false},
		{"invalid UTF-8", func(m *Message) { m.Text = "\xff" }, false},
		{"no text", func(m *Message) { m.Text = ""; m.HTML = "<p>hi</p>" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			tt.change(&m)
			err := m.Validate()
			if tt.valid {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidMessage) || !IsPermanent(err) {
				t.Fatalf("Validate() = %v, want a permanent ErrInvalidMessage", err)
			}
			if _, err := Build(testFrom, m, testNow, "id@example.org"); !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("Build() = %v, want ErrInvalidMessage", err)
			}
		})
	}
}

func TestBuildPlainText(t *testing.T) {
	m := validMessage()
	m.To = []string{"Dr Jane Doe <jane@example.org>", "bob@example.org"}
	raw, err := Build(testFrom, m, testNow, "abc@example.org")
	if err != nil {
		t.Fatal(err)
	}
	want := "From: \"clinaudit\" <noreply@example.org>\r\n" +
		"To: \"Dr Jane Doe\" <jane@example.org>, <bob@example.org>\r\n" +
		"Subject: Your invitation\r\n" +
		"Date: Tue, 02 Jan 2024 15:04:05 +0000\r\n" +
		"Message-ID: <abc@example.org>\r\n" +
		"Auto-Submitted: auto-generated\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Hello Jane,\r\nFollow the link.\r\n"
	if string(raw) != want {
		t.Errorf("Build() =\n%s\nwant\n%s", raw, want)
	}
	again, _ := Build(testFrom, m, testNow, "abc@example.org")
	if !bytes.Equal(raw, again) {
		t.Error("Build is not deterministic")
	}
}

func TestBuildSubjectEncoding(t *testing.T) {
	tests := []struct {
		name, subject string
		encoded       bool
	}{
		{"ASCII stays readable", "Your sign-in code", false},
		{"accented", "Réinitialisation du mot de passe", true},
		{"non-Latin and emoji", "Ваш код входа ✓ 🧠", true},
		{"long ASCII folds", strings.TrimSpace(strings.Repeat("transfer notification ", 10)), false},
		{"long non-ASCII folds", strings.TrimSpace(strings.Repeat("réinitialisation ", 14)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			m.Subject = tt.subject
			raw, err := Build(testFrom, m, testNow, "id@example.org")
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, raw)
			msg, err := netmail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			header := msg.Header.Get("Subject")
			if got := strings.HasPrefix(header, "=?utf-8?q?"); got != tt.encoded {
				t.Errorf("Subject header %q: encoded = %v, want %v", header, got, tt.encoded)
			}
			decoded, err := new(mime.WordDecoder).DecodeHeader(header)
			if err != nil {
				t.Fatal(err)
			}
			if decoded != tt.subject {
				t.Errorf("decoded subject %q, want %q", decoded, tt.subject)
			}
		})
	}
}

func TestBuildQuotedPrintable(t *testing.T) {
	text := "Sign in with this code: 123456\n" +
		"https://audit.example.org/reset?token=" + strings.Repeat("A1b2", 60) + "\n" +
		". a line starting with a dot\n" +
		"From the clinic, trailing spaces   \n" +
		"non-ASCII: Zoë, 2 × 3 = 6\r\n" +
		"no final newline"
	m := validMessage()
	m.Text = text
	raw, err := Build(testFrom, m, testNow, "id@example.org")
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, raw)
	_, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(body), "\r\n") {
		if len(line) > 76 {
			t.Errorf("quoted-printable line of %d characters: %q", len(line), line)
		}
	}
	decoded, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n") + "\r\n"
	if string(decoded) != want {
		t.Errorf("decoded body\n%q\nwant\n%q", decoded, want)
	}
}

func TestBuildMultipart(t *testing.T) {
	m := validMessage()
	m.HTML = "<p>Hello Jane, <a href=\"https://audit.example.org/invite?t=x\">accept</a> — Zoë</p>"
	raw, err := Build(testFrom, m, testNow, "id@example.org")
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, raw)
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	parts := readAlternatives(t, msg)
	want := []part{
		{"text/plain; charset=utf-8", "Hello Jane,\r\nFollow the link.\r\n"},
		{"text/html; charset=utf-8", m.HTML + "\r\n"},
	}
	if len(parts) != len(want) {
		t.Fatalf("got %d parts, want %d", len(parts), len(want))
	}
	for i := range want {
		if parts[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, parts[i], want[i])
		}
	}
}

type part struct{ contentType, body string }

// readAlternatives checks msg is multipart/alternative with
// quoted-printable parts and returns them decoded.
func readAlternatives(t *testing.T, msg *netmail.Message) []part {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	if msg.Header.Get("MIME-Version") != "1.0" {
		t.Errorf("MIME-Version %q", msg.Header.Get("MIME-Version"))
	}
	var parts []part
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Errorf("part Content-Transfer-Encoding %q", cte)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, part{p.Header.Get("Content-Type"), string(body)})
	}
}

func TestBuildRejectsBadArguments(t *testing.T) {
	tests := []struct{ name, from, messageID string }{
		{"empty message ID", testFrom, ""},
		{"message ID without @", testFrom, "abc"},
		{"message ID in brackets", testFrom, "<abc@example.org>"},
		{"message ID with space", testFrom, "a b@example.org"},
		{"message ID with CRLF", testFrom, "a@example.org\r\nBcc: evil@example.com"},
		{"from with CRLF", "noreply@example.org\r\nBcc: evil@example.com", "a@example.org"},
		{"from not an address", "clinaudit", "a@example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Build(tt.from, validMessage(), testNow, tt.messageID); err == nil {
				t.Fatal("Build() succeeded, want an error")
			}
		})
	}
}

func TestNewMessageID(t *testing.T) {
	a, err := NewMessageID(testFrom)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewMessageID(testFrom)
	if a == b {
		t.Errorf("two message IDs are both %q", a)
	}
	if !strings.HasSuffix(a, "@example.org") || checkMessageID(a) != nil {
		t.Errorf("message ID %q, want random@example.org", a)
	}
	if _, err := NewMessageID("not an address"); err == nil {
		t.Error("NewMessageID accepted a bad From")
	}
}

// checkLines fails unless every line ends in CRLF and fits SMTP's limit.
func checkLines(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Error("message does not end with CRLF")
	}
	for i, line := range bytes.SplitAfter(raw, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if !bytes.HasSuffix(line, []byte("\r\n")) || bytes.Count(line, []byte("\r")) != 1 {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 1000 {
			t.Errorf("line %d is %d octets, over SMTP's 1000", i+1, len(line))
		}
	}
}
