package api

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed openapi.yaml
var specYAML []byte

// Prefix is where the API is served; the document's one server.
const Prefix = "/api/v1"

// Spec is the loaded, checked contract.
type Spec struct {
	Doc  *openapi3.T
	JSON []byte // served at /api/v1/openapi.json
	// router finds an operation by path relative to Prefix: it is built
	// from a copy without servers, so that the relative server URL does
	// not take part in matching.
	router routers.Router
}

// LoadSpec reads and validates the embedded document.
func LoadSpec() (*Spec, error) {
	doc, err := load()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	bare, err := load()
	if err != nil {
		return nil, err
	}
	bare.Servers = nil
	r, err := legacy.NewRouter(bare)
	if err != nil {
		return nil, fmt.Errorf("openapi router: %w", err)
	}
	return &Spec{Doc: doc, JSON: b, router: r}, nil
}

func load() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(specYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(openapi3.NewLoader().Context); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}

// Router finds operations by path relative to Prefix (tests use it to
// validate responses).
func (s *Spec) Router() routers.Router { return s.router }
