// Package api is clinaudit's JSON API under /api/v1 (docs/api.md). The
// contract is openapi.yaml: oapi-codegen generates the server interface and
// types (apigen) from it, and every request is validated against it
// (kin-openapi) before a handler runs. Handlers are thin: they call the same
// domain services as the pages (app/registry), so the API and the forms
// share one set of rules; the answers are RFC 9457 problem details.
package api

//go:generate echo "run make generate"
