// Package metrics exports the daemon's Prometheus series: one registry per
// daemon (tests run several in one process, so nothing is registered in
// the client library's global default registry), filled at each scrape
// from snapshots of the pipeline's counts, the mailbox workers' status, the
// publisher's counters and the suppression store. docs/metrics.md lists
// every series; label values are bounded (labels.go).
//
// Other packages add their own series with Registry.Register (any
// prometheus.Collector) or, for counters they already keep, with a
// snapshot function such as Registry.SetWebhooks.
package metrics

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
)

// DecodedKey are the labels of a decoded message.
type DecodedKey struct{ Kind, Format string }

// BounceKey are the labels of a recipient's bounce. Hard is "true" or
// "false" (the record's hard: what Amazon SES counts in its bounce rate).
type BounceKey struct{ Kind, Category, Reason, Hard, Carrier string }

// DomainKey are the labels of a recipient's bounce by recipient domain.
type DomainKey struct{ Kind, Category, Domain string }

// LatencyBuckets are the upper bounds, in seconds, of the handling-time
// histogram: one message takes milliseconds when Redis and NATS are local,
// up to seconds over a WAN or under load, and the top buckets catch a
// publish waiting for an ack through an outage.
var LatencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Histogram is a histogram over LatencyBuckets that is not safe for
// concurrent use: its owner locks. Counts[i] holds observations at most
// LatencyBuckets[i] and above the bound before; the last, those above all.
type Histogram struct {
	Counts []uint64
	Sum    float64
}

// NewHistogram returns an empty Histogram.
func NewHistogram() *Histogram { return &Histogram{Counts: make([]uint64, len(LatencyBuckets)+1)} }

// Observe adds one observation of v seconds.
func (h *Histogram) Observe(v float64) {
	i, _ := slices.BinarySearch(LatencyBuckets, v)
	h.Counts[i]++
	h.Sum += v
}

// Clone returns a copy of h.
func (h *Histogram) Clone() Histogram { return Histogram{Counts: slices.Clone(h.Counts), Sum: h.Sum} }

// Pipeline is a snapshot of the pipeline's counts (pipeline.Metrics).
type Pipeline struct {
	Processed, Ignored, Quarantined, Recipients, Duplicates, Unverified int64
	Rejected, OverRecipientCap, RateLimited, RateAlerts                 int64

	Fetched           map[string]int64 // by mailbox
	Decoded           map[DecodedKey]int64
	Bounces           map[BounceKey]int64
	BouncesByDomain   map[DomainKey]int64
	SuppressionsAdded map[string]int64     // by scope
	Latency           map[string]Histogram // by outcome
}

// Mailbox is a snapshot of one mailbox worker.
type Mailbox struct {
	Name                 string
	Connected, Stalled   bool
	Waiting              int
	LastProgress         time.Time // a message moved, the mailbox found empty, or messages started waiting
	LastSuccess          time.Time // the last poll to the end of the mailbox; zero before the first
	Reconnects           uint64
	HandlerErrors        uint64
	Processed, Ignored   uint64
	Quarantined, Rejects uint64
}

// Publisher is a snapshot of the publisher's counters.
type Publisher struct{ StreamsRecreated, PermanentFailures int64 }

// Webhook is a snapshot of one webhook endpoint's counters.
type Webhook struct {
	Endpoint                        string
	Delivered, Failed, DeadLettered uint64
}

// Sources are where a scrape reads the daemon's state. Each may be nil
// (not started yet): its series are then zero or absent.
type Sources struct {
	Pipeline  func() Pipeline
	Mailboxes func() []Mailbox
	Publisher func() Publisher
	// EpochOK reports whether the suppression store has its epoch.
	EpochOK func() bool
	// Active counts the suppressed addresses by scope. It is called at
	// most once per ActiveTTL, whatever the scrape rate.
	Active func(ctx context.Context) (map[string]int64, error)
	// Lifted and Expired count suppressions lifted (by scope) and expired.
	Lifted  func() map[string]int64
	Expired func() int64
}

// ActiveTTL is how long a count of the active suppressions is reused.
const ActiveTTL = 15 * time.Second

// Registry is one daemon's registry of series.
type Registry struct {
	reg *prometheus.Registry
	src Sources
	log *slog.Logger

	mu       sync.Mutex
	webhooks func() []Webhook
	active   map[string]int64
	activeAt time.Time
	now      func() time.Time
}

// New returns a Registry reading src, with the Go runtime's and the
// process's series.
func New(src Sources, log *slog.Logger) *Registry {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Registry{reg: prometheus.NewRegistry(), src: src, log: log, now: time.Now}
	r.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), daemon{r})
	return r
}

// Register adds collectors of another package (their series must not
// clash with the daemon's). It is a prometheus.Registerer's Register.
func (r *Registry) Register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := r.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// Registerer returns the registry for packages that take a
// prometheus.Registerer.
func (r *Registry) Registerer() prometheus.Registerer { return r.reg }

// SetWebhooks sets where the webhook series come from (the webhook
// service's counters, one Webhook per configured endpoint).
func (r *Registry) SetWebhooks(f func() []Webhook) {
	r.mu.Lock()
	r.webhooks = f
	r.mu.Unlock()
}

// Handler serves the series in the format the scraper asks for.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{r.log}, ErrorHandling: promhttp.ContinueOnError})
}

// WriteText writes every series in the Prometheus text format.
func (r *Registry) WriteText(w io.Writer) error {
	mfs, err := r.reg.Gather()
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if eerr := enc.Encode(mf); eerr != nil {
			return eerr
		}
	}
	return err
}

// slogPrinter is promhttp's error log.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Warn("metrics: scrape", "error", v) }

// activeCounts returns the active suppressions by scope, from the cache
// when it is younger than ActiveTTL.
func (r *Registry) activeCounts() map[string]int64 {
	if r.src.Active == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock() // one count at a time: concurrent scrapes wait for it
	if !r.activeAt.IsZero() && r.now().Sub(r.activeAt) < ActiveTTL {
		return r.active
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, err := r.src.Active(ctx)
	if err != nil {
		// No series rather than a stale count (absent() sees it), and no
		// new attempt before ActiveTTL: Redis is not hammered while down.
		r.log.Debug("metrics: active suppressions not counted", "error", err)
		n = nil
	}
	r.active, r.activeAt = n, r.now()
	return n
}
