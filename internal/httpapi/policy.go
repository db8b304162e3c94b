package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
)

// PolicyStore is the suppression store as the check, allowlist and
// delivery routes use it. *suppress.Store is one; when Options.Store is
// one too, Options.Policy may be left nil.
type PolicyStore interface {
	IsSuppressed(ctx context.Context, addr, scope string) (bool, error)
	Allow(ctx context.Context, entry, actor, note string) (bool, error)
	Disallow(ctx context.Context, entry, actor, note string) (bool, error)
	AllowList(ctx context.Context) ([]suppress.AllowEntry, error)
	Delivered(ctx context.Context, addr string, at time.Time) (int, error)
}

// maxDeliveries bounds the addresses of one delivery report.
const (
	maxDeliveries    = 1000
	maxDeliveryBody  = 256 << 10
	maxAllowNoteSize = 1000
)

// policyRoutes registers:
//
//	GET    /api/v1/suppressions/{address}/check?scope=  read: {"address", "scope", "suppressed"}
//	GET    /api/v1/allowlist                            read: {"allowlist": [{"entry", "source"}]}
//	PUT    /api/v1/allowlist/{entry}?actor=&note=       write: add an address or domain (lifts what it covers)
//	DELETE /api/v1/allowlist/{entry}?actor=&note=       write: remove it
//	POST   /api/v1/deliveries                           write: {"recipients": [...], "at": RFC 3339}
func (a *api) policyRoutes(mux *http.ServeMux, auth *authenticator) {
	mux.HandleFunc("GET /api/v1/suppressions/{address}/check", auth.wrap(accessRead, a.checkSuppressed))
	mux.HandleFunc("GET /api/v1/allowlist", auth.wrap(accessRead, a.allowList))
	mux.HandleFunc("PUT /api/v1/allowlist/{entry}", auth.wrap(accessWrite, a.allowChange))
	mux.HandleFunc("DELETE /api/v1/allowlist/{entry}", auth.wrap(accessWrite, a.allowChange))
	mux.HandleFunc("POST /api/v1/deliveries", auth.wrap(accessWrite, a.deliveries))
}

func (a *api) policyStore(w http.ResponseWriter) PolicyStore {
	if a.o.Policy != nil {
		return a.o.Policy
	}
	if p, ok := a.o.Store.(PolicyStore); ok {
		return p
	}
	writeError(w, http.StatusNotImplemented, "no policy store")
	return nil
}

// checkSuppressed answers as SISMEMBER on the scope's set does (the
// store's IsSuppressed), for senders.
func (a *api) checkSuppressed(w http.ResponseWriter, r *http.Request) {
	ps := a.policyStore(w)
	if ps == nil {
		return
	}
	addr, scope := r.PathValue("address"), r.URL.Query().Get("scope")
	if scope == "" {
		scope = suppress.ScopeAll
	}
	sup, err := ps.IsSuppressed(r.Context(), addr, scope)
	if errors.Is(err, suppress.ErrInvalid) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		a.o.Log.Error("check suppression", "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
		return
	}
	norm, _ := suppress.NormalizeAddress(addr)
	writeJSON(w, http.StatusOK, map[string]any{"address": norm, "scope": scope, "suppressed": sup})
}

func (a *api) allowList(w http.ResponseWriter, r *http.Request) {
	ps := a.policyStore(w)
	if ps == nil {
		return
	}
	list, err := ps.AllowList(r.Context())
	if err != nil {
		a.o.Log.Error("allowlist", "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"allowlist": list})
}

func (a *api) allowChange(w http.ResponseWriter, r *http.Request) {
	ps := a.policyStore(w)
	if ps == nil {
		return
	}
	q := r.URL.Query()
	actor := q.Get("actor")
	if actor == "" {
		actor = "api"
	}
	note := q.Get("note")
	if len(note) > maxAllowNoteSize {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("note over %d bytes", maxAllowNoteSize))
		return
	}
	entry := r.PathValue("entry")
	var changed bool
	var err error
	if r.Method == http.MethodPut {
		changed, err = ps.Allow(r.Context(), entry, actor, note)
	} else {
		changed, err = ps.Disallow(r.Context(), entry, actor, note)
	}
	if errors.Is(err, suppress.ErrInvalid) {
		writeError(w, http.StatusBadRequest, "not an address or a domain")
		return
	}
	if err != nil {
		a.o.Log.Error("allowlist change", "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
		return
	}
	norm, _ := suppress.NormalizeAllowEntry(entry)
	if r.Method == http.MethodPut {
		if a.o.OnRemove != nil {
			a.o.OnRemove(norm, actor) // Allow lifts what it covers: publish the lifts
		}
		writeJSON(w, http.StatusOK, map[string]any{"entry": norm, "allowlisted": true, "added": changed})
		return
	}
	if !changed {
		writeError(w, http.StatusNotFound, "entry is not in the store's allowlist")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entry": norm, "allowlisted": false, "removed": true})
}

// DeliveryReport is the body of POST /api/v1/deliveries, and of a message
// on the <prefix>.delivery.reported subject: successful deliveries, which
// clear the soft bounces counted for the addresses.
type DeliveryReport struct {
	// Recipients are the addresses delivered to; Recipient is one more.
	Recipients []string `json:"recipients"`
	Recipient  string   `json:"recipient,omitempty"`
	// At is when they were delivered; the time of the request when zero.
	At time.Time `json:"at,omitzero"`
}

// All returns Recipients and Recipient.
func (d DeliveryReport) All() []string {
	if d.Recipient == "" {
		return d.Recipients
	}
	return append([]string{d.Recipient}, d.Recipients...)
}

func (a *api) deliveries(w http.ResponseWriter, r *http.Request) {
	var rep DeliveryReport
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxDeliveryBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		writeError(w, http.StatusBadRequest, "want {\"recipients\": [...], \"at\": RFC 3339}: "+err.Error())
		return
	}
	addrs := rep.All()
	if len(addrs) == 0 || len(addrs) > maxDeliveries {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("want 1 to %d recipients", maxDeliveries))
		return
	}
	for _, ad := range addrs {
		if _, err := suppress.NormalizeAddress(ad); err != nil {
			writeError(w, http.StatusBadRequest, "not an address: "+err.Error())
			return
		}
	}
	if rep.At.IsZero() {
		rep.At = time.Now()
	}
	var cleared int
	var err error
	if a.o.Deliveries != nil {
		cleared, err = a.o.Deliveries(r.Context(), rep)
	} else if ps := a.policyStore(w); ps == nil {
		return
	} else {
		for _, ad := range addrs {
			n, derr := ps.Delivered(r.Context(), ad, rep.At)
			if derr != nil {
				err = derr
				break
			}
			cleared += n
		}
	}
	if err != nil {
		a.o.Log.Error("deliveries", "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"recipients": len(addrs), "cleared": cleared})
}
