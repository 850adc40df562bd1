package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/template/html/v2"
)

// A page whose template fails is an error, with nothing written, instead
// of the error's text inside a page that answers 200; a good page is
// embedded in the layout, escaped as before.
func TestViewsFailingPageIsAnError(t *testing.T) {
	engine := html.NewFileSystem(http.FS(fstest.MapFS{
		"layouts/base.html": {Data: []byte(`<title>{{.Title}}</title><main>{{embed}}</main>`)},
		"pages/good.html":   {Data: []byte(`<p>{{.Title}}</p>`)},
		"pages/bad.html":    {Data: []byte(`<p>first row</p>{{.Nope}}`)},
	}), ".html")
	v := views{engine}
	if err := v.Load(); err != nil {
		t.Fatal(err)
	}
	data := struct{ Title string }{"A & B"}
	var out bytes.Buffer
	if err := v.Render(&out, "pages/good", data, "layouts/base"); err != nil {
		t.Fatal(err)
	}
	if want := `<title>A &amp; B</title><main><p>A &amp; B</p></main>`; out.String() != want {
		t.Errorf("good page: %q, want %q", out.String(), want)
	}
	for range 2 { // the second time, after the first render set the embed
		out.Reset()
		err := v.Render(&out, "pages/bad", data, "layouts/base")
		if err == nil || !strings.Contains(err.Error(), "Nope") || out.Len() != 0 {
			t.Errorf("bad page: err %v, wrote %q", err, out.String())
		}
	}
	out.Reset()
	if err := v.Render(&out, "pages/good", data, ""); err != nil || out.String() != `<p>A &amp; B</p>` {
		t.Errorf("without the layout: %q %v", out.String(), err)
	}
}
