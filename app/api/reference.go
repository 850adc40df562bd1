package api

import (
	"html/template"
	"sort"
	"strings"

	"clinaudit/static"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"
)

// The reference page is rendered on the server from the contract itself,
// styled by the app's own vendored stylesheet: no script, nothing from a
// CDN, nothing inline for the Content-Security-Policy to refuse, and it
// cannot drift from the document.
var referencePage = template.Must(template.New("ref").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} – reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{.CSS}}">
</head><body><main class="nhsuk-width-container nhsuk-main-wrapper">
<h1>{{.Title}} (version {{.Version}})</h1>
<p>{{.Description}}</p>
<p>The contract: <a href="openapi.json">openapi.json</a>. Base path: <code>{{.Base}}</code>.</p>
{{range .Ops}}<h2 id="{{.ID}}"><code>{{.Method}} {{.Path}}</code></h2>
<p>{{.Summary}} <small>({{.ID}})</small></p>
{{if .Params}}<table class="nhsuk-table"><tr><th>Parameter</th><th>In</th><th>Required</th><th>About</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code></td><td>{{.In}}</td><td>{{if .Required}}yes{{else}}no{{end}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
{{if .Body}}<p>Body: <code>{{.Body}}</code></p>{{end}}
<p>Answers: {{range .Responses}}<code>{{.}}</code> {{end}}</p>
{{end}}
<h2 id="problems">Problems</h2>
<p>Every refusal is <code>application/problem+json</code> (RFC 9457) with <code>errors</code> naming the fields.</p>
{{range .Problems}}<p id="problem-{{.}}"><code>{{.}}</code></p>{{end}}
</main></body></html>`))

type refOp struct {
	ID, Method, Path, Summary, Body string
	Params                          []*openapi3.Parameter
	Responses                       []string
}

func (a *API) handleReference(c *fiber.Ctx) error {
	doc := a.spec.Doc
	var ops []refOp
	statuses := map[string]bool{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			r := refOp{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary}
			for _, p := range append(item.Parameters, op.Parameters...) {
				r.Params = append(r.Params, p.Value)
			}
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					r.Body = strings.TrimPrefix(mt.Schema.Ref, "#/components/schemas/")
				}
			}
			for code := range op.Responses.Map() {
				r.Responses = append(r.Responses, code)
				if code >= "400" {
					statuses[code] = true
				}
			}
			sort.Strings(r.Responses)
			ops = append(ops, r)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Path+ops[i].Method < ops[j].Path+ops[j].Method })
	var problems []string
	for s := range statuses {
		problems = append(problems, s)
	}
	sort.Strings(problems)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return referencePage.Execute(c.Response().BodyWriter(), map[string]any{"Title": doc.Info.Title, "Version": doc.Info.Version,
		"Description": doc.Info.Description, "Base": Prefix, "CSS": static.Path("vendor/nhsuk/nhsuk-frontend.min.css"), "Ops": ops, "Problems": problems})
}
