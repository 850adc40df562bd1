package web

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"clinaudit/app/apperr"
	"clinaudit/app/forms"
	"clinaudit/app/textinput"

	"github.com/gofiber/fiber/v2"
)

// refuseControlCharacters answers 422 to any request whose query string
// or form holds a control character or bytes that are not UTF-8, in any
// field, before a handler sees it: PostgreSQL refuses NUL and bad UTF-8
// (a 500) where SQLite stores them, and no one types them. One check in
// front of every route means a new form is covered without remembering
// to. Tab and line breaks pass here, as a textarea needs them; a
// single-line field refuses them itself (forms.check, textinput).
func (s *server) refuseControlCharacters(c *fiber.Ctx) error {
	name, err := badField(c)
	if err == nil {
		return c.Next()
	}
	s.log(c).Info("control character refused", "path", loggedPath(c)) // never the value
	return apperr.New(apperr.Unprocessable, textinput.Message(inputLabel(name), err)+". Nothing was saved.")
}

// badField is the first field (query string, then form) whose name or
// value textinput refuses, and why.
func badField(c *fiber.Ctx) (string, error) {
	var name string
	var bad error
	visit := func(k, v []byte) {
		if bad != nil {
			return
		}
		if err := textinput.Check(string(k), textinput.SingleLine); err != nil {
			name, bad = "", err
		} else if err := textinput.Check(string(v), textinput.MultiLine); err != nil {
			name, bad = string(k), err
		}
	}
	c.Request().URI().QueryArgs().VisitAll(visit)
	if bad != nil {
		return name, bad
	}
	switch ct := string(c.Request().Header.ContentType()); {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		c.Request().PostArgs().VisitAll(visit)
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		if f, err := c.MultipartForm(); err == nil {
			for k, vs := range f.Value {
				for _, v := range vs {
					visit([]byte(k), []byte(v))
				}
			}
			for k, fs := range f.File {
				for _, fh := range fs {
					visit([]byte(k), []byte(fh.Filename))
				}
			}
		}
	}
	return name, bad
}

// inputLabels name the app's form fields as their pages label them. The
// message names only fields it knows: a made-up field name is not
// repeated back (it would put the sender's words on our page).
var inputLabels = map[string]string{
	"q": "The search", "email": "Email address", "password": "Password", "confirm": "The password confirmation",
	"code": "The code", "first_name": "First name", "surname": "Surname", "nhs_number": "NHS number",
	"unique_reference_number": "Unique reference number", "postcode": "Postcode", "sex": "Sex", "ethnicity": "Ethnicity",
	"date_of_birth": "Date of birth", "first_paediatric_assessment_date": "Date of first paediatric assessment",
	"lead_organisation": "Lead organisation", "organisation": "Organisation", "role": "Role", "field": "The question searched for",
	"key": "The question", "cohort": "Cohort", "next": "The page to return to",
}

// inputLabel is the label of a known field, an audit question's label for
// its key, or a phrase that names none.
func inputLabel(name string) string {
	for _, part := range []string{"-day", "-month", "-year"} {
		name = strings.TrimSuffix(name, part)
	}
	if l, ok := inputLabels[name]; ok {
		return l
	}
	if k, err := forms.ParseKey(name); err == nil {
		if f := forms.ForSection(k.Section); f != nil {
			if q := f.Question(k); q != nil {
				return q.Label
			}
		}
	}
	return "One of the fields"
}

// maxUserAgent is how much of a User-Agent is kept: under the 300 bytes
// app/auth keeps, and cut here at a character boundary (auth cuts bytes).
const maxUserAgent = 256

// cleanUserAgent makes the User-Agent header storable before anything
// records it (sign-in events, sessions): a client may send any bytes
// there. Control characters and bytes that are not UTF-8 become U+FFFD,
// and it is cut to maxUserAgent bytes without splitting a character. The
// request goes on: the header is not something a person typed.
func cleanUserAgent(c *fiber.Ctx) error {
	ua := string(c.Request().Header.UserAgent())
	if clean := storableUserAgent(ua); clean != ua {
		c.Request().Header.SetUserAgent(clean)
	}
	return c.Next()
}

func storableUserAgent(ua string) string {
	ua = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(ua, string(utf8.RuneError)))
	if len(ua) > maxUserAgent {
		cut := maxUserAgent
		for cut > 0 && !utf8.RuneStart(ua[cut]) {
			cut--
		}
		ua = ua[:cut]
	}
	return ua
}
