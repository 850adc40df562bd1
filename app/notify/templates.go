package notify

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"sort"
	"strings"
	"text/template"

	"clinaudit/app/outbox"
)

// Templates are files (embedded): templates/<name>.email.txt ("Subject:
// ..." line, a blank line, the plain text), an optional
// templates/<name>.email.html (the HTML alternative; html/template, so
// values are escaped) and templates/<name>.sms.txt. Values are Go template
// fields: {{.code}}.
//
//go:embed templates
var files embed.FS

// Template describes one message: whether it is essential (sent whatever
// the recipient's opt-out), the values it takes, and sample values for the
// preview page and the tests.
type Template struct {
	Name      string
	Title     string
	Essential bool
	Fields    []string
	Sample    map[string]string
	// OnRequest: the registry's staff may send it to a contact on request
	// (the API's notifications), giving its fields but contact_name and
	// registry, which come from the contact and its registry.
	OnRequest bool
}

// Identifying are the fields that name a person. They may appear in an
// email's body (a greeting to its recipient), never in a subject or an SMS,
// which lock screens and shared phones show (TestNoIdentifiersInSMSOrSubjects).
var Identifying = map[string]bool{"contact_name": true, "patient_name": true, "nhs_number": true, "date_of_birth": true}

var catalogue = []Template{
	{Name: "registry_message", Title: "Message from the registry team", OnRequest: true, Fields: []string{"contact_name", "registry", "subject", "body"},
		Sample: map[string]string{"contact_name": "Jane Smith", "registry": "Rett syndrome registry", "subject": "Family day on 12 June",
			"body": "Our family day is on 12 June; details are on our website."}},
	{Name: "sign_in_code", Title: "Sign-in code", Essential: true, Fields: []string{"code", "expires"},
		Sample: map[string]string{"code": "123456", "expires": "14:05 UTC"}},
	{Name: "survey_invite", Title: "Survey invitation", Fields: []string{"contact_name", "registry", "survey", "link", "closes"},
		Sample: map[string]string{"contact_name": "Jane Smith", "registry": "Rett syndrome registry", "survey": "Sleep and daily life",
			"link": "https://clinaudit.example/s/Ab3dEf6hIj9kLm2nOp5qRs8tUv", "closes": "30 June 2026"}},
	{Name: "survey_reminder", Title: "Survey reminder", Fields: []string{"contact_name", "registry", "survey", "link", "closes"},
		Sample: map[string]string{"contact_name": "Jane Smith", "registry": "Rett syndrome registry", "survey": "Sleep and daily life",
			"link": "https://clinaudit.example/s/Ab3dEf6hIj9kLm2nOp5qRs8tUv", "closes": "30 June 2026"}},
}

// Templates lists every template, by name.
func Templates() []Template {
	out := append([]Template(nil), catalogue...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns one template; ok is false for an unknown name.
func Lookup(name string) (Template, bool) {
	for _, t := range catalogue {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// Channels lists the channels the template has a text for.
func (t Template) Channels() []outbox.Channel {
	var out []outbox.Channel
	for _, ch := range []outbox.Channel{outbox.Email, outbox.SMS} {
		if _, err := fs.Stat(files, "templates/"+t.Name+"."+string(ch)+".txt"); err == nil {
			out = append(out, ch)
		}
	}
	return out
}

// Uses reports whether the template's text for ch uses field f (an SMS
// has no subject, say).
func (t Template) Uses(ch outbox.Channel, f string) bool {
	for _, ext := range []string{".txt", ".html"} {
		src, err := files.ReadFile("templates/" + t.Name + "." + string(ch) + ext)
		if err == nil && strings.Contains(string(src), "{{."+f+"}}") {
			return true
		}
	}
	return false
}

// Rendered is a message ready for the outbox.
type Rendered struct {
	Channel outbox.Channel
	Subject string // email only
	Text    string
	HTML    string    // email only; "" when the template has none
	SMS     SMSLength // SMS only
}

// ErrTemplate wraps every reason Render refuses.
var ErrTemplate = errors.New("notify: template")

// Render writes template name for channel ch with values, which must be
// exactly the template's fields: a value it does not declare is refused,
// so nothing (an identifier, say) slips into a message unplanned.
func Render(name string, ch outbox.Channel, values map[string]string) (Rendered, error) {
	t, ok := Lookup(name)
	if !ok {
		return Rendered{}, fmt.Errorf("%w %q: no such template", ErrTemplate, name)
	}
	declared := map[string]bool{}
	for _, f := range t.Fields {
		declared[f] = true
		if _, ok := values[f]; !ok {
			return Rendered{}, fmt.Errorf("%w %q: no value for %s", ErrTemplate, name, f)
		}
	}
	for k := range values {
		if !declared[k] {
			return Rendered{}, fmt.Errorf("%w %q: %s is not one of its fields", ErrTemplate, name, k)
		}
	}
	src, err := files.ReadFile("templates/" + name + "." + string(ch) + ".txt")
	if err != nil {
		return Rendered{}, fmt.Errorf("%w %q: no %s text", ErrTemplate, name, ch)
	}
	text, err := execText(name, string(src), values)
	if err != nil {
		return Rendered{}, err
	}
	r := Rendered{Channel: ch, Text: strings.TrimSpace(text)}
	if ch == outbox.SMS {
		r.SMS = CountSMS(r.Text)
		return r, nil
	}
	head, body, ok := strings.Cut(r.Text, "\n\n")
	subject, hasSubject := strings.CutPrefix(head, "Subject: ")
	if !ok || !hasSubject || strings.Contains(subject, "\n") {
		return Rendered{}, fmt.Errorf("%w %q: the email text must begin with a Subject: line and a blank line", ErrTemplate, name)
	}
	r.Subject, r.Text = subject, strings.TrimSpace(body)+"\n"
	if h, err := files.ReadFile("templates/" + name + ".email.html"); err == nil {
		ht, err := htmltemplate.New(name).Option("missingkey=error").Parse(string(h))
		if err != nil {
			return Rendered{}, fmt.Errorf("%w %q: %v", ErrTemplate, name, err)
		}
		var b bytes.Buffer
		if err := ht.Execute(&b, values); err != nil {
			return Rendered{}, fmt.Errorf("%w %q: %v", ErrTemplate, name, err)
		}
		r.HTML = b.String()
	}
	return r, nil
}

func execText(name, src string, values map[string]string) (string, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrTemplate, name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, values); err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrTemplate, name, err)
	}
	return b.String(), nil
}
