package httpapi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"gopkg.in/yaml.v3"
)

// openapiYAML is the OpenAPI 3.1 document of the API, kept beside the code
// it describes; TestOpenAPI_everyRoute checks every route against it.
//
//go:embed openapi.yaml
var openapiYAML []byte

var openapiJSON = sync.OnceValues(func() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(openapiYAML, &doc); err != nil {
		return nil, fmt.Errorf("httpapi: openapi.yaml: %w", err)
	}
	return json.Marshal(doc)
})

// OpenAPI returns the API's OpenAPI 3.1 document as JSON.
func OpenAPI() ([]byte, error) { return openapiJSON() }

func (a *api) openapi(w http.ResponseWriter, r *http.Request) {
	b, err := openapiJSON()
	if err != nil {
		a.o.Log.Error("http: openapi", "error", err)
		writeError(w, http.StatusInternalServerError, "openapi document unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
