package app

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/pipeline"
)

func (a *App) httpHandler() http.Handler {
	return httpapi.Handler(httpapi.Options{
		Store:      a.store,
		ReadToken:  a.cfg.HTTP.ReadToken.Value(),
		WriteToken: a.cfg.HTTP.WriteToken.Value(),
		Token:      a.cfg.HTTP.Token.Value(),
		Health:     a.health,
		Metrics:    a.writeMetrics,
		// The lift queued its event in the outbox: publish it now.
		OnRemove: func(string, string) { a.kickOutbox() },
		Log:      a.log.With("component", "http"),
	})
}

// httpServer returns the HTTP server with the limits of the configuration.
func (a *App) httpServer() *httpapi.Server {
	h := a.cfg.HTTP
	return httpapi.NewServer(a.httpHandler(), httpapi.ServerOptions{
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

func (a *App) writeMetrics(b *strings.Builder) {
	a.mu.RLock()
	pipe, workers := a.pipe, a.workers
	a.mu.RUnlock()
	m := &pipeline.Metrics{} // zeros until started
	if pipe != nil {
		m = pipe.Metrics()
	}
	counter := func(name, help string, v int64) {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("bounced_messages_processed_total", "Bounce messages handled.", m.Processed.Load())
	counter("bounced_messages_ignored_total", "Auto-replies, ordinary mail and delivery reports moved aside.", m.Ignored.Load())
	counter("bounced_messages_quarantined_total", "Messages that could not be decoded.", m.Quarantined.Load())
	counter("bounced_recipients_total", "Recipients applied to the store and published.", m.Recipients.Load())
	counter("bounced_recipients_duplicate_total", "Recipients found already applied (a message handled again).", m.Duplicates.Load())
	counter("bounced_recipients_unverified_total", "Recipients recorded without suppressing: no valid signed return path (verp.require_signed).", m.Unverified.Load())
	counter("bounced_messages_rejected_total", "Messages quarantined because they can never be applied (also in quarantined).", m.Rejected.Load())
	counter("bounced_messages_over_recipient_cap_total", "Messages quarantined for naming more recipients than max_recipients.", m.OverRecipientCap.Load())
	counter("bounced_messages_rate_limited_total", "Messages quarantined because their mailbox reached max_new_suppressions_per_minute.", m.RateLimited.Load())
	counter("bounced_suppression_rate_alerts_total", "Alerts published for a mailbox reaching max_new_suppressions_per_minute.", m.RateAlerts.Load())
	fmt.Fprintf(b, "# HELP bounced_handle_seconds Time to handle one bounce message.\n# TYPE bounced_handle_seconds histogram\n")
	var cum int64
	h := m.Latency()
	for i, n := range h {
		cum += n
		le := "+Inf"
		if i < len(h)-1 {
			le = fmt.Sprintf("%g", float64(int64(1)<<i)/1000)
		}
		fmt.Fprintf(b, "bounced_handle_seconds_bucket{le=%q} %d\n", le, cum)
	}
	fmt.Fprintf(b, "bounced_handle_seconds_count %d\n", cum)
	for _, w := range workers {
		s := w.Status()
		up := 0
		if s.Connected {
			up = 1
		}
		fmt.Fprintf(b, "bounced_mailbox_connected{mailbox=%q} %d\n", w.Status().Name, up)
	}
	a.writeStoreAndStreamMetrics(b)
	gauge := func(name, help string, f func(s mailbox.Status) float64) {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		for _, w := range workers {
			s := w.Status()
			fmt.Fprintf(b, "%s{mailbox=%q} %g\n", name, s.Name, f(s))
		}
	}
	gauge("bounced_mailbox_stalled", "1 when messages have waited longer than stall_after with none moved.", func(s mailbox.Status) float64 {
		if s.Stalled {
			return 1
		}
		return 0
	})
	gauge("bounced_mailbox_waiting", "Messages found at the last poll and not yet moved.", func(s mailbox.Status) float64 { return float64(s.Waiting) })
	gauge("bounced_mailbox_progress_age_seconds", "Seconds since a message was last moved, the mailbox found empty, or messages started waiting.",
		func(s mailbox.Status) float64 { return time.Since(s.LastProgress).Round(time.Millisecond).Seconds() })
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
