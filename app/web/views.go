package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"

	"github.com/gofiber/template/html/v2"
)

// views renders pages inside the layout so that a failing page template
// is an error (a 500 with the error page) rather than text in a page that
// answered 200. Fiber's html engine runs the page from the layout's
// {{embed}}, a function returning only an error, which html/template
// prints and then carries on: the staff list once showed its first row,
// then "template: ... can't evaluate field". Here the page is executed
// first, into a buffer, and the layout then embeds what it wrote. As in the
// engine, a render with the layout holds the engine's lock (the embed
// function is the template set's own).
type views struct{ *html.Engine }

func (v views) Render(out io.Writer, name string, binding any, layout ...string) error {
	if len(layout) == 0 || layout[0] == "" {
		return v.Engine.Render(out, name, binding)
	}
	if v.PreRenderCheck() {
		if err := v.Load(); err != nil {
			return err
		}
	}
	v.Mutex.Lock()
	defer v.Mutex.Unlock()
	page, lay := v.Templates.Lookup(name), v.Templates.Lookup(layout[0])
	if page == nil || lay == nil {
		return fmt.Errorf("render: no template %q or layout %q", name, layout[0])
	}
	var body bytes.Buffer
	if err := page.Execute(&body, binding); err != nil {
		return err
	}
	lay.Funcs(template.FuncMap{v.LayoutName: func() template.HTML {
		return template.HTML(body.String()) // #nosec G203 -- the page's own escaped output
	}})
	return lay.Execute(out, binding)
}
