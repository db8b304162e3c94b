// Package httpapi serves the daemon's HTTP interface: liveness and
// readiness, Prometheus metrics, the suppression API (list, search, look
// up, lift) and a small web page for operators.
//
// The suppression list holds customers' addresses, which are personal
// data: reading it (the list, one address) needs the read token or the
// write token, and a change (lifting a suppression) needs the write token,
// each sent as "Authorization: Bearer <token>". Without a configured token
// those requests are refused. A client that sends too many wrong tokens is
// answered 429 for a while, and the refusals are logged. Health, readiness
// and metrics need no token. Every answer carries security headers: a
// strict Content-Security-Policy, nosniff, no framing, no referrer and no
// caching.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
)

// Suppressions is the suppression store as the API uses it.
type Suppressions interface {
	List(ctx context.Context, o suppress.ListOptions) ([]suppress.Record, int, error)
	Get(ctx context.Context, addr string) (*suppress.Record, error)
	Remove(ctx context.Context, addr, actor, note string) (bool, error)
}

// Status is the daemon's health as /readyz reports it.
type Status struct {
	// Ready is true when every dependency answers.
	Ready bool `json:"ready"`
	// Components holds one entry per dependency or worker.
	Components map[string]Component `json:"components"`
	// Leases lists the mailboxes whose lease this process holds and those
	// it stands by for; nil when leases are off.
	Leases *Leases `json:"leases,omitempty"`
}

// Leases is what /readyz says of the leases per mailbox.
type Leases struct {
	Held    []string `json:"held"`
	Standby []string `json:"standby"`
}

// Component is the health of one dependency or worker.
type Component struct {
	OK        bool      `json:"ok"`
	Error     string    `json:"error,omitempty"`
	LastOK    time.Time `json:"last_ok,omitzero"`
	Processed int64     `json:"processed,omitempty"`
	// Lease is "held" or "standby" for a mailbox under a lease.
	Lease string `json:"lease,omitempty"`
}

// Options configure the handler.
type Options struct {
	// Store serves the suppression API.
	Store Suppressions
	// ReadToken authorises reads of the suppression list and of one
	// address. WriteToken authorises them too.
	ReadToken string
	// WriteToken authorises changes (lifting a suppression) and reads.
	// Empty (with Token empty) refuses every change.
	WriteToken string
	// Token is both a read and a write token.
	//
	// Deprecated: set ReadToken and WriteToken.
	Token string
	// AuthFailureBurst is how many wrong tokens one client may send before
	// it is answered 429 (default DefaultAuthFailureBurst).
	AuthFailureBurst int
	// AuthFailureInterval is the time that gives a limited client one
	// more try (default DefaultAuthFailureInterval).
	AuthFailureInterval time.Duration
	// Health reports readiness.
	Health func(ctx context.Context) Status
	// Metrics writes Prometheus text-format metrics.
	Metrics func(w *strings.Builder)
	// OnRemove, when set, is called after a suppression was lifted, with
	// the address and the actor (the daemon publishes the event the lift
	// queued).
	OnRemove func(addr, actor string)
	// Log receives request errors and refused tokens.
	Log *slog.Logger

	clock func() time.Time // for tests; time.Now when nil
}

// Handler returns the HTTP handler.
func Handler(o Options) http.Handler {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	a := &api{o: o}
	auth := newAuthenticator(o)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", a.ready)
	mux.HandleFunc("GET /metrics", a.metrics)
	mux.HandleFunc("GET /api/v1/suppressions", auth.wrap(accessRead, a.list))
	mux.HandleFunc("GET /api/v1/suppressions/{address}", auth.wrap(accessRead, a.get))
	mux.HandleFunc("DELETE /api/v1/suppressions/{address}", auth.wrap(accessWrite, a.remove))
	mux.HandleFunc("/api/v1/check", auth.wrap(accessRead, a.check))
	mux.HandleFunc("GET /{$}", a.page)
	mux.HandleFunc("GET /ui/{file}", a.asset)
	return secureHeaders(mux)
}

// apiCSP forbids everything: API answers are data, never a document to
// render. The page sets its own policy (pageCSP).
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// secureHeaders sets the headers every answer carries.
func secureHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", apiCSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

type api struct{ o Options }

func (a *api) ready(w http.ResponseWriter, r *http.Request) {
	st := Status{Ready: true}
	if a.o.Health != nil {
		st = a.o.Health(r.Context())
	}
	code := http.StatusOK
	if !st.Ready {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, st)
}

func (a *api) metrics(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	if a.o.Metrics != nil {
		a.o.Metrics(&b)
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprint(w, b.String())
}

func (a *api) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	o := suppress.ListOptions{Reason: q.Get("reason"), Domain: strings.ToLower(q.Get("domain"))}
	var err error
	if o.Limit, err = intParam(q.Get("limit")); err != nil {
		writeError(w, http.StatusBadRequest, "limit: "+err.Error())
		return
	}
	if o.Offset, err = intParam(q.Get("offset")); err != nil {
		writeError(w, http.StatusBadRequest, "offset: "+err.Error())
		return
	}
	for name, dst := range map[string]*time.Time{"since": &o.Since, "until": &o.Until} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeError(w, http.StatusBadRequest, name+": want RFC 3339 time")
				return
			}
			*dst = t
		}
	}
	recs, total, err := a.o.Store.List(r.Context(), o)
	if err != nil {
		a.o.Log.Error("list suppressions", "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
		return
	}
	if recs == nil {
		recs = []suppress.Record{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "suppressions": recs})
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	rec, err := a.o.Store.Get(r.Context(), r.PathValue("address"))
	switch {
	case errors.Is(err, suppress.ErrNotFound):
		writeError(w, http.StatusNotFound, "address not known")
	case err != nil:
		a.o.Log.Error("get suppression", "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
	default:
		writeJSON(w, http.StatusOK, rec)
	}
}

func (a *api) remove(w http.ResponseWriter, r *http.Request) {
	addr := r.PathValue("address")
	actor := r.URL.Query().Get("actor")
	if actor == "" {
		actor = "api"
	}
	note := r.URL.Query().Get("note")
	removed, err := a.o.Store.Remove(r.Context(), addr, actor, note)
	if err != nil {
		a.o.Log.Error("remove suppression", "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
		return
	}
	if !removed {
		writeError(w, http.StatusNotFound, "address is not suppressed")
		return
	}
	if a.o.OnRemove != nil {
		a.o.OnRemove(addr, actor)
	}
	writeJSON(w, http.StatusOK, map[string]any{"address": addr, "removed": true})
}

func intParam(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errors.New("want a non-negative integer")
	}
	return n, nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
