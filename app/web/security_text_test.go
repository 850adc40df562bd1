package web

import (
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// probeForm is one form the pages offer: a <form>, or an htmx element
// that posts its own inputs (an audit question saving itself).
type probeForm struct {
	method, action string
	htmx           bool
	names          []string // fields in page order
	values         url.Values
	probe          map[string]bool // fields to probe: every one but the CSRF token
	extra          string          // the hx-vals, which tell one question's save from another's
}

// findForms reads every form on a page the way a browser would send it.
func findForms(page string, doc *goquery.Document) []probeForm {
	var out []probeForm
	collect := func(f *probeForm, inputs *goquery.Selection) {
		inputs.Find("input[name], textarea[name], select[name]").AddSelection(inputs.Filter("input[name], textarea[name], select[name]")).Each(func(_ int, in *goquery.Selection) {
			name := in.AttrOr("name", "")
			typ := strings.ToLower(in.AttrOr("type", "text"))
			if _, disabled := in.Attr("disabled"); disabled || name == "" {
				return
			}
			value := in.AttrOr("value", "")
			switch {
			case goquery.NodeName(in) == "textarea":
				value, typ = in.Text(), "textarea"
			case goquery.NodeName(in) == "select":
				value = in.Find("option[selected]").AttrOr("value", in.Find("option").First().AttrOr("value", ""))
				typ = "select"
			case typ == "checkbox" || typ == "radio":
				// The checked one, or else the first choice: every name is
				// probed, since a tampered request can send anything.
				if _, on := in.Attr("checked"); !on {
					if _, ok := f.values[name]; ok {
						return
					}
				} else if _, ok := f.values[name]; ok {
					f.values.Set(name, value)
					return
				}
			case typ == "submit" || typ == "button" || typ == "file":
				return
			}
			if _, ok := f.values[name]; !ok {
				f.names = append(f.names, name)
			}
			f.values.Add(name, value)
			if name != "csrf" {
				f.probe[name] = true
			}
		})
	}
	doc.Find("form").Each(func(_ int, form *goquery.Selection) {
		f := probeForm{method: strings.ToUpper(form.AttrOr("method", "GET")), action: form.AttrOr("action", page),
			values: url.Values{}, probe: map[string]bool{}}
		if hx, ok := form.Attr("hx-post"); ok {
			f.method, f.action, f.htmx = "POST", hx, true
		}
		collect(&f, form)
		out = append(out, f)
	})
	doc.Find("[hx-post]").Each(func(_ int, el *goquery.Selection) {
		if goquery.NodeName(el) == "form" || el.ParentsFiltered("form").Length() > 0 {
			return
		}
		f := probeForm{method: "POST", action: el.AttrOr("hx-post", ""), htmx: true, values: url.Values{}, probe: map[string]bool{}}
		scope := el
		if sel, ok := el.Attr("hx-include"); ok && strings.HasPrefix(sel, "#") {
			scope = doc.Find(sel)
		}
		collect(&f, scope)
		f.extra = el.AttrOr("hx-vals", "")
		var vals map[string]any
		if json.Unmarshal([]byte(el.AttrOr("hx-vals", "{}")), &vals) == nil {
			for k, v := range vals {
				if s, ok := v.(string); ok {
					f.names = append(f.names, k)
					f.values.Set(k, s)
					f.probe[k] = true
				}
			}
		}
		out = append(out, f)
	})
	return out
}

// What the probe types: NUL (a 500 on PostgreSQL, stored on SQLite before
// the rule), and in turn the other kinds of control character and a byte
// that is not UTF-8.
var probeChars = []string{"\x1b[31m", "\x07", "\x7f", "\u0085", "\x08", "\xff"}

// Every field of every form the app's pages offer (signed out, half
// signed in and as a superuser, every page of every GET route with its
// parameters filled) refuses NUL and the other control characters with a
// 422 and a message, the same on both engines, and nothing is stored.
func TestControlCharactersOnEveryTextInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newSecWorld(t, s)
		type who struct {
			name string
			b    func() *browser
		}
		visitors := []who{
			{"signed out", func() *browser { return newBrowser(t, w.app) }},
			{"half signed in", w.pending},
			{"superuser", w.superuser},
		}
		seen := map[string]bool{}
		probed := map[string]bool{}
		n := 0
		for _, v := range visitors {
			b := v.b()
			var found []probeForm
			for _, route := range w.routes(http.MethodGet) {
				if strings.Contains(route, "download") || route == "/healthz" || route == "/readyz" {
					continue // files and probes: no forms
				}
				for _, path := range w.paths(route) {
					p := b.get(path)
					if p.status != http.StatusOK {
						continue
					}
					for _, f := range findForms(path, p.doc) {
						names := append([]string(nil), f.names...)
						sort.Strings(names)
						key := f.method + " " + f.action + " " + strings.Join(names, ",") + " " + f.extra
						if !seen[key] {
							seen[key] = true
							found = append(found, f)
						}
					}
				}
			}
			for _, f := range found {
				for _, name := range f.names {
					if !f.probe[name] {
						continue
					}
					for _, bad := range []string{"\x00", probeChars[n%len(probeChars)]} {
						n++
						values := url.Values{}
						for k, vs := range f.values {
							values[k] = append([]string(nil), vs...)
						}
						values.Set(name, "ab"+bad+"cd")
						values.Set("csrf", b.csrf)
						var req *http.Request
						if f.method == "GET" {
							req = httptest.NewRequest(http.MethodGet, f.action+"?"+values.Encode(), nil)
						} else {
							req = httptest.NewRequest(http.MethodPost, f.action, strings.NewReader(values.Encode()))
							req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						}
						if f.htmx {
							req.Header.Set("HX-Request", "true")
						}
						p := b.do(req)
						probed[name] = true
						msg := strings.Join(strings.Fields(p.doc.Text()), " ")
						if p.status != http.StatusUnprocessableEntity || !(strings.Contains(msg, "control characters") || strings.Contains(msg, "could not be read")) {
							t.Errorf("%s: %s %s, %s = %q: %d %.200q", v.name, f.method, f.action, name, bad, p.status, msg)
						}
						if hp := headerProblems(p.header); len(hp) > 0 {
							t.Errorf("%s %s: headers %v", f.method, f.action, hp)
						}
					}
				}
			}
		}
		// The crawl reached the forms that matter: a guard against a
		// probe that silently finds nothing.
		for _, name := range []string{"email", "password", "code", "q", "first_name", "surname", "nhs_number", "postcode",
			"confirm", "organisation", "field", "key"} {
			if !probed[name] {
				t.Errorf("no form field %q was probed", name)
			}
		}
		var audit int
		for name := range probed {
			if strings.Contains(name, ".") {
				audit++
			}
		}
		if audit < 20 {
			t.Errorf("only %d audit questions probed", audit)
		}
		t.Logf("%d requests over %d fields", n, len(probed))
	})
}

// What a person sees when a control character is refused, and that
// nothing was stored: the case form's page names the field, an audit
// answer's message lands next to its question, a search says what was
// wrong without repeating it; both engines alike (PostgreSQL answered
// 500, SQLite stored the NUL).
func TestControlCharacterRefusedAndNothingStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newSecWorld(t, s)
		b := w.superuser()
		b.get("/children/new")
		form := childForm("9990000034")
		form.Set("first_name", "Ava\x00")
		p := b.post("/children", form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find("main").Text(),
			"First name must not include control characters (such as a null character, a tab or a line break): type it again rather than pasting it. Nothing was saved.") {
			t.Errorf("case form: %d %q", p.status, strings.Join(strings.Fields(p.doc.Find("main").Text()), " "))
		}
		if n := b.get("/children").doc.Find("tr[data-child]").Length(); n != 2 {
			t.Errorf("%d children listed, want the 2 there were", n)
		}
		// Tab and line breaks are whitespace, not refused: a name folds
		// them into one space.
		b.get("/children/new")
		form.Set("first_name", "Ava\tRose\r\n")
		if p := b.post("/children", form); p.status != http.StatusSeeOther {
			t.Errorf("a name with a tab: %d", p.status)
		} else if name := text(b.get(p.header.Get("Location")), "h1"); !strings.Contains(name, "Ava Rose") {
			t.Errorf("child page heading %q, want the name with one space", name)
		}

		const key = "management.0.has_an_aed_been_given"
		page := "/children/" + strconv.FormatInt(w.reg, 10) + "/forms/management"
		b.get(page)
		p = b.htmxPost(page+"/answer", url.Values{"key": {key}, key: {"true\x00"}})
		if p.status != http.StatusUnprocessableEntity || strings.Contains(p.body, "<html") ||
			!strings.Contains(p.doc.Find(`[role="alert"]`).Text(), "must not include control characters") {
			t.Errorf("audit answer: %d %.300q", p.status, p.body)
		}
		if b.get(page).doc.Find(`input[name="`+key+`"][checked]`).Length() != 0 {
			t.Error("the refused answer was saved")
		}

		p = b.get("/children?q=" + url.QueryEscape("Ava\x1b"))
		if msg := strings.Join(strings.Fields(p.doc.Find("main").Text()), " "); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(msg, "The search must not include control characters") {
			t.Errorf("search: %d %.200q", p.status, msg)
		}
	})
}

// Control characters in a path parameter (a child's id, an ODS code, an
// invite token) never reach the database as text: Fiber leaves the path
// escaped, so "%00" is three ordinary characters. Every route, GET and
// POST, both engines: never a 500.
func TestControlCharactersInPathParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newSecWorld(t, s)
		b := w.superuser()
		b.get("/account")
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			for _, route := range w.routes(method) {
				if !strings.Contains(route, ":") {
					continue
				}
				for _, bad := range []string{"%00", "a%00b", "%1b", "%ff"} {
					path := route
					for _, param := range []string{":id", ":form", ":row", ":ods", ":measure", ":token", ":action"} {
						path = strings.ReplaceAll(path, param, bad)
					}
					var p response
					if method == http.MethodGet {
						p = b.get(path)
					} else {
						p = b.post(path, url.Values{})
					}
					if p.status >= 500 {
						t.Errorf("%s %s: %d", method, path, p.status)
					}
				}
				if p := b.get("/account"); p.status != http.StatusOK {
					b = w.superuser()
					b.get("/account")
				}
			}
		}
	})
}

// A form sent as multipart/form-data (which Fiber's FormValue reads as
// readily as a URL-encoded one) is checked the same way.
func TestControlCharacterInMultipartForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newSecWorld(t, s)
		b := w.superuser()
		b.get("/children/new")
		var body strings.Builder
		mw := multipart.NewWriter(&body)
		form := childForm("9990000034")
		form.Set("surname", "Smith\x00")
		form.Set("csrf", b.csrf)
		for k := range form {
			_ = mw.WriteField(k, form.Get(k))
		}
		_ = mw.Close()
		req := httptest.NewRequest(http.MethodPost, "/children", strings.NewReader(body.String()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		p := b.do(req)
		if msg := strings.Join(strings.Fields(p.doc.Find("main").Text()), " "); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(msg, "Surname must not include control characters") {
			t.Errorf("multipart: %d %.200q", p.status, msg)
		}
		if n := b.get("/children").doc.Find("tr[data-child]").Length(); n != 2 {
			t.Errorf("%d children listed, want the 2 there were", n)
		}
	})
}
