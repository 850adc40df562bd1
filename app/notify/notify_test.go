package notify

import (
	"errors"
	"strings"
	"testing"

	"clinaudit/app/outbox"
)

func TestCountSMS(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		unicode   bool
		units     int
		fragments int
	}{
		{"empty", "", false, 0, 1},
		{"GSM, one message", strings.Repeat("a", 160), false, 160, 1},
		{"GSM, one over", strings.Repeat("a", 161), false, 161, 2},
		{"GSM, two full parts", strings.Repeat("a", 306), false, 306, 2},
		{"GSM, three parts", strings.Repeat("a", 307), false, 307, 3},
		{"GSM extension counts twice", strings.Repeat("a", 158) + "€", false, 160, 1},
		{"GSM extension tips it over", strings.Repeat("a", 159) + "[", false, 161, 2},
		{"GSM accents stay GSM", "Café à Düsseldorf £5", false, 20, 1},
		{"UCS-2, one message", strings.Repeat("ł", 70), true, 70, 1},
		{"UCS-2, one over", strings.Repeat("ł", 71), true, 71, 2},
		{"UCS-2, two full parts", strings.Repeat("a", 133) + "ł", true, 134, 2},
		{"UCS-2, three parts", strings.Repeat("a", 134) + "ł", true, 135, 3},
		{"emoji is a surrogate pair", strings.Repeat("a", 68) + "😀", true, 70, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CountSMS(tt.text)
			if got != (SMSLength{Unicode: tt.unicode, Units: tt.units, Fragments: tt.fragments}) {
				t.Errorf("CountSMS = %+v, want unicode %v, %d units, %d fragments", got, tt.unicode, tt.units, tt.fragments)
			}
		})
	}
}

// TestNoIdentifiersInSMSOrSubjects renders every template with each value
// a marker, and finds no identifying field's marker in an SMS or a
// subject: those show on lock screens.
func TestNoIdentifiersInSMSOrSubjects(t *testing.T) {
	for _, tpl := range Templates() {
		values := map[string]string{}
		for _, f := range tpl.Fields {
			values[f] = "<<" + f + ">>"
		}
		if len(tpl.Channels()) == 0 {
			t.Errorf("%s has no text", tpl.Name)
		}
		for _, ch := range tpl.Channels() {
			r, err := Render(tpl.Name, ch, values)
			if err != nil {
				t.Fatalf("%s %s: %v", tpl.Name, ch, err)
			}
			shown := r.Subject
			if ch == outbox.SMS {
				shown = r.Text
			}
			for f := range Identifying {
				if strings.Contains(shown, "<<"+f+">>") {
					t.Errorf("%s %s shows %s in its %s", tpl.Name, ch, f, map[bool]string{true: "text", false: "subject"}[ch == outbox.SMS])
				}
			}
			// Every declared field is used somewhere.
			for _, f := range tpl.Fields {
				if ch == outbox.Email && !strings.Contains(r.Subject+r.Text, "<<"+f+">>") && f != "contact_name" {
					t.Errorf("%s email never uses %s", tpl.Name, f)
				}
			}
		}
	}
}

func TestEssentialMessagesSaySoAndSamplesFit(t *testing.T) {
	for _, tpl := range Templates() {
		for _, ch := range tpl.Channels() {
			r, err := Render(tpl.Name, ch, tpl.Sample)
			if err != nil {
				t.Fatalf("%s %s: %v", tpl.Name, ch, err)
			}
			says := strings.Contains(strings.ToLower(r.Text), "essential message")
			if says != tpl.Essential {
				t.Errorf("%s %s: says essential %v, is essential %v", tpl.Name, ch, says, tpl.Essential)
			}
			if ch == outbox.SMS && r.SMS.Fragments > 1 {
				t.Errorf("%s SMS with its sample values takes %d messages: %q", tpl.Name, r.SMS.Fragments, r.Text)
			}
			if ch == outbox.Email && (r.Subject == "" || r.Text == "") {
				t.Errorf("%s email: subject %q text %q", tpl.Name, r.Subject, r.Text)
			}
		}
	}
}

func TestRenderRefusesUnplannedValuesAndEscapesHTML(t *testing.T) {
	v := map[string]string{"contact_name": "<b>Jane</b>", "registry": "R", "survey": "S", "link": "https://x.example/s/t", "closes": "soon"}
	r, err := Render("survey_invite", outbox.Email, v)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.HTML, "<b>Jane</b>") || !strings.Contains(r.HTML, "&lt;b&gt;Jane&lt;/b&gt;") {
		t.Errorf("HTML not escaped: %s", r.HTML)
	}
	if !strings.Contains(r.Text, "Dear <b>Jane</b>,") {
		t.Errorf("plain text: %s", r.Text)
	}
	v["nhs_number"] = "9434765919"
	if _, err := Render("survey_invite", outbox.Email, v); !errors.Is(err, ErrTemplate) {
		t.Errorf("an undeclared value: %v", err)
	}
	delete(v, "nhs_number")
	delete(v, "link")
	if _, err := Render("survey_invite", outbox.SMS, v); !errors.Is(err, ErrTemplate) {
		t.Errorf("a missing value: %v", err)
	}
	if _, err := Render("nope", outbox.SMS, v); !errors.Is(err, ErrTemplate) {
		t.Errorf("an unknown template: %v", err)
	}
}

func TestRoute(t *testing.T) {
	code, _ := Lookup("sign_in_code")
	invite, _ := Lookup("survey_invite")
	both := Recipient{Email: "a@example.org", Phone: "+447700900123"}
	tests := []struct {
		name   string
		r      Recipient
		t      Template
		ask    outbox.Channel
		wantCh outbox.Channel
		wantTo string
		err    error
	}{
		{"default is email", both, invite, "", outbox.Email, "a@example.org", nil},
		{"preference SMS", Recipient{Email: "a@example.org", Phone: "+447700900123", Prefer: outbox.SMS}, invite, "", outbox.SMS, "+447700900123", nil},
		{"letter preference falls back to email", Recipient{Email: "a@example.org", Prefer: "letter"}, invite, "", outbox.Email, "a@example.org", nil},
		{"preferred channel has no address: the other", Recipient{Email: "a@example.org", Prefer: outbox.SMS}, invite, "", outbox.Email, "a@example.org", nil},
		{"asked for SMS", both, invite, outbox.SMS, outbox.SMS, "+447700900123", nil},
		{"asked for SMS without a phone: no fallback", Recipient{Email: "a@example.org"}, invite, outbox.SMS, "", "", ErrNoAddress},
		{"no address at all", Recipient{}, invite, "", "", "", ErrNoAddress},
		{"opted out: non-essential refused", Recipient{Email: "a@example.org", OptedOut: true}, invite, "", "", "", ErrOptedOut},
		{"opted out: essential still sent", Recipient{Phone: "+447700900123", OptedOut: true}, code, outbox.SMS, outbox.SMS, "+447700900123", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, to, err := tt.r.Route(tt.t, tt.ask)
			if ch != tt.wantCh || to != tt.wantTo || !errors.Is(err, tt.err) {
				t.Errorf("Route = %q %q %v, want %q %q %v", ch, to, err, tt.wantCh, tt.wantTo, tt.err)
			}
		})
	}
}

func TestMaskAddress(t *testing.T) {
	for in, want := range map[string]string{"jane@example.org": "j***@example.org", "@x.org": "***@x.org",
		"+447700900123": "+44*******123", "12345": "*****"} {
		if got := MaskAddress(in); got != want {
			t.Errorf("MaskAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
