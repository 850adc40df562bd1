package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
)

// browser drives the app like a browser that keeps cookies and sends the
// CSRF token its last page carried.
type browser struct {
	t    *testing.T
	app  *fiber.App
	jar  map[string]string
	csrf string
}

func newBrowser(t *testing.T, app *fiber.App) *browser {
	return &browser{t: t, app: app, jar: map[string]string{}}
}

type response struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	for k, v := range b.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.app.Test(req, -1)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.jar, c.Name)
		} else {
			b.jar[c.Name] = c.Value
		}
	}
	raw, _ := io.ReadAll(resp.Body)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(raw)))
	if v, ok := doc.Find(`input[name="csrf"]`).First().Attr("value"); ok {
		b.csrf = v
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(raw), doc: doc}
}

func (b *browser) get(path string) response {
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (b *browser) htmxGet(path string) response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("HX-Request", "true")
	return b.do(req)
}

// post submits a form, adding the CSRF token unless form already has one.
func (b *browser) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// authApp is an app with the sign-in service, two factors required.
func authApp(t *testing.T, s store.Store, https bool) (*fiber.App, *auth.Service) {
	t.Helper()
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	return New(Deps{Store: s, Version: "test", Auth: a, HTTPS: https, Demo: true, Files: testFiles(t, s)}), a
}

// htmxPost is post as htmx sends it (the autosave of one field).
func (b *browser) htmxPost(path string, form url.Values) response {
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return b.do(req)
}
