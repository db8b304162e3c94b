package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/bounced-dev/bounced/addrcheck"
)

// Limits of one address check request.
const (
	maxCheckAddresses = 1000
	maxCheckBody      = 256 << 10
)

// check serves the address check (package addrcheck: syntax faults,
// mistyped provider domains, the carrier, the suggested fix):
//
//	GET  /api/v1/check?address=taro.@docomo.ne.jp&address=...
//	POST /api/v1/check  ["taro.@docomo.ne.jp", ...]  or  {"addresses": [...]}
//
// and answers {"results": [addrcheck.Result, ...]} in the order asked. It
// makes no DNS query: the DNS check is the CLI's (bounced check --dns).
func (a *api) check(w http.ResponseWriter, r *http.Request) {
	var addrs []string
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		addrs = r.URL.Query()["address"]
	case http.MethodPost:
		var err error
		if addrs, err = readCheckBody(w, r); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", maxCheckBody))
				return
			}
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		writeError(w, http.StatusMethodNotAllowed, "use GET with ?address= or POST a JSON list")
		return
	}
	if len(addrs) == 0 {
		writeError(w, http.StatusBadRequest, "no address given: use ?address= or POST a JSON list")
		return
	}
	if len(addrs) > maxCheckAddresses {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("at most %d addresses a request", maxCheckAddresses))
		return
	}
	results := make([]addrcheck.Result, len(addrs))
	for i, addr := range addrs {
		results[i] = addrcheck.Check(addr)
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// readCheckBody reads a JSON list of addresses, bare or as
// {"addresses": [...]}.
func readCheckBody(w http.ResponseWriter, r *http.Request) ([]string, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCheckBody))
	if err != nil {
		return nil, err
	}
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var list []string
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, errors.New("body: want a JSON list of strings")
		}
		return list, nil
	}
	var obj struct {
		Addresses []string `json:"addresses"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&obj); err != nil {
		return nil, errors.New(`body: want a JSON list of strings or {"addresses": [...]}`)
	}
	return obj.Addresses, nil
}
