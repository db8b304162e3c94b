package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bounced-dev/bounced/internal/httpapi"
	bmetrics "github.com/bounced-dev/bounced/internal/metrics"
)

func (a *App) httpHandler() http.Handler {
	return httpapi.WithWebhooksIn(httpapi.Handler(httpapi.Options{
		Store:      a.store,
		ReadToken:  a.cfg.HTTP.ReadToken.Value(),
		WriteToken: a.cfg.HTTP.WriteToken.Value(),
		Token:      a.cfg.HTTP.Token.Value(),
		Health:     a.health,
		Metrics:    a.writeMetrics,
		// The lift queued its event in the outbox: publish it now.
		OnRemove:   func(string, string) { a.kickOutbox() },
		Deliveries: a.reportDeliveries,
		Log:        a.log.With("component", "http"),
		// The kept raw messages and their reprocessing (raw.go).
		Raw: a.rawReader(), Reprocess: a.reprocessor(),
		Webhooks: a.webhookStatus, // webhooks.go
	}), a.inboundHandler())
}

// httpServer returns the HTTP server with the limits of the configuration.
func (a *App) httpServer() *httpapi.Server {
	h := a.cfg.HTTP
	return httpapi.NewServer(a.withMetrics(a.httpHandler()), httpapi.ServerOptions{
		ReadHeaderTimeout: h.ReadHeaderTimeout.D(), ReadTimeout: h.ReadTimeout.D(), WriteTimeout: h.WriteTimeout.D(),
		IdleTimeout: h.IdleTimeout.D(), MaxConns: h.MaxConnections, Log: a.log.With("component", "http"),
	})
}

// health reports each dependency and worker; the daemon is ready when all are OK.
func (a *App) health(ctx context.Context) httpapi.Status {
	st := httpapi.Status{Ready: true, Components: map[string]httpapi.Component{}}
	set := func(name string, c httpapi.Component) {
		st.Components[name] = c
		st.Ready = st.Ready && c.OK
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		set("redis", httpapi.Component{Error: err.Error()})
	} else {
		set("redis", httpapi.Component{OK: true})
	}
	set("store_epoch", a.epochComponent())
	a.mu.RLock()
	nc, workers, starting, startErr := a.nc, a.workers, a.starting, a.startErr
	a.mu.RUnlock()
	switch {
	case nc != nil && nc.IsConnected():
		set("nats", httpapi.Component{OK: true})
	case nc == nil && starting != "":
		msg := "starting: " + starting
		if startErr != nil {
			msg += ": " + startErr.Error()
		}
		set("nats", httpapi.Component{Error: msg})
	default:
		set("nats", httpapi.Component{Error: "not connected"})
	}
	if workers == nil {
		// Not started yet: the configured mailboxes wait for NATS.
		for _, mc := range a.cfg.Mailboxes {
			set("mailbox:"+mc.Name, httpapi.Component{Error: "not started: " + starting})
		}
	}
	for _, w := range workers {
		s := w.Status()
		c := httpapi.Component{OK: s.Connected && !s.Stalled, Error: s.LastError, LastOK: s.LastSuccess, Processed: int64(s.Processed)}
		if s.Stalled {
			// Connected, maybe, but not advancing: one message or one
			// folder holds the rest back.
			c.Error = fmt.Sprintf("stalled: %d messages waiting, none moved for %s; last error: %s",
				s.Waiting, time.Since(s.LastProgress).Round(time.Second), s.LastError)
		}
		set("mailbox:"+s.Name, leaseHealth(&st, s, c))
	}
	return st
}

// obsState is the daemon's metrics registry and the counts kept by the
// app itself (lifts published by the outbox, expiries of the sweep).
type obsState struct {
	once    sync.Once
	reg     *bmetrics.Registry
	mu      sync.Mutex
	lifted  map[string]int64 // by scope
	expired atomic.Int64
}

// Metrics returns the daemon's Prometheus registry, made on first use:
// another component adds its series to it (Register, SetWebhooks).
func (a *App) Metrics() *bmetrics.Registry {
	o := &a.obs
	o.once.Do(func() {
		o.lifted = map[string]int64{}
		o.reg = bmetrics.New(bmetrics.Sources{
			Pipeline:  a.pipelineSnapshot,
			Mailboxes: a.mailboxSnapshots,
			Publisher: a.publisherSnapshot,
			EpochOK:   func() bool { return a.epochComponent().OK },
			Active: func(ctx context.Context) (map[string]int64, error) {
				if a.store == nil {
					return nil, errors.New("app: store not open")
				}
				return a.store.CountByScope(ctx)
			},
			Lifted: func() map[string]int64 {
				o.mu.Lock()
				defer o.mu.Unlock()
				return maps.Clone(o.lifted)
			},
			Expired: o.expired.Load,
		}, a.log.With("component", "metrics"))
	})
	return o.reg
}

// countLifted counts a lift whose suppression.removed event was published.
func (a *App) countLifted(scope string) {
	a.obs.mu.Lock()
	defer a.obs.mu.Unlock()
	if a.obs.lifted == nil {
		a.obs.lifted = map[string]int64{}
	}
	a.obs.lifted[bmetrics.Scope(scope)]++
}

// countExpired counts soft suppressions lifted by the sweep.
func (a *App) countExpired(n int) { a.obs.expired.Add(int64(n)) }

func (a *App) pipelineSnapshot() bmetrics.Pipeline {
	a.mu.RLock()
	pipe := a.pipe
	a.mu.RUnlock()
	if pipe == nil {
		return bmetrics.Pipeline{} // zeros until started
	}
	return pipe.Metrics().Snapshot()
}

func (a *App) mailboxSnapshots() []bmetrics.Mailbox {
	a.mu.RLock()
	workers := a.workers
	a.mu.RUnlock()
	out := make([]bmetrics.Mailbox, 0, len(workers))
	for _, w := range workers {
		s := w.Status()
		out = append(out, bmetrics.Mailbox{
			Name: s.Name, Connected: s.Connected, Stalled: s.Stalled, Waiting: s.Waiting,
			LastProgress: s.LastProgress, LastSuccess: s.LastSuccess, Reconnects: s.Reconnects,
			HandlerErrors: s.HandlerErrors, Processed: s.Processed, Ignored: s.Ignored,
			Quarantined: s.Quarantined, Rejects: s.Rejected,
		})
	}
	return out
}

func (a *App) publisherSnapshot() bmetrics.Publisher {
	a.mu.RLock()
	pub := a.pub
	a.mu.RUnlock()
	if pub == nil {
		return bmetrics.Publisher{}
	}
	st := pub.Stats()
	return bmetrics.Publisher{StreamsRecreated: st.StreamsRecreated, PermanentFailures: st.PermanentFailures}
}

// writeMetrics writes every series in the Prometheus text format.
func (a *App) writeMetrics(b *strings.Builder) {
	if err := a.Metrics().WriteText(b); err != nil {
		a.log.Warn("metrics: gather", "error", err)
	}
}

// withMetrics serves GET /metrics from the registry through promhttp
// (content negotiation, compression), and everything else from h.
func (a *App) withMetrics(h http.Handler) http.Handler {
	m := a.Metrics().Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			m.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func loadCAs(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("no PEM certificates in %s", path)
	}
	return pool, nil
}
