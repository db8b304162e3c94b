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
	// Policy serves the suppression check, the allowlist and deliveries
	// (policy.go); nil takes Store when it is a PolicyStore.
	Policy PolicyStore
	// Deliveries, when set, takes a delivery report of POST
	// /api/v1/deliveries (the daemon publishes it and applies it) and
	// returns how many counted soft bounces it cleared; nil applies it to
	// Policy.
	Deliveries func(ctx context.Context, rep DeliveryReport) (int, error)
	// Log receives request errors and refused tokens.
	Log *slog.Logger
	// Raw, when set, serves the kept raw messages (v1.go).
	Raw RawReader
	// Reprocess, when set, serves POST /api/v1/reprocess (v1.go).
	Reprocess Reprocessor
	// Webhooks, when set, reports the webhook endpoints for GET
	// /api/v1/webhooks (webhooks_status.go), bounded by ctx.
	Webhooks func(ctx context.Context) []WebhookStatus

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
	registerV1(mux, a, auth) // v1.go: every API v1 route but the check
	mux.HandleFunc("/api/v1/check", auth.wrap(accessRead, a.check))
	a.policyRoutes(mux, auth)
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
