package pipeline

import (
	"maps"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bounced-dev/bounced/internal/metrics"
)

// Metrics counts what a pipeline did. Safe for concurrent use; the zero
// value is ready. internal/metrics exports a Snapshot as Prometheus series.
type Metrics struct {
	Processed   atomic.Int64 // bounce messages handled
	Ignored     atomic.Int64 // auto-replies, ordinary mail and delivery reports
	Quarantined atomic.Int64 // undecodable messages
	Recipients  atomic.Int64 // recipients applied and published
	Duplicates  atomic.Int64 // recipients already applied (a message handled again)
	Unverified  atomic.Int64 // recipients whose return path did not verify under verp.require_signed
	// Rejected counts messages quarantined because they can never be
	// applied (also counted in Quarantined).
	Rejected atomic.Int64
	// OverRecipientCap counts messages rejected for naming more
	// recipients than Limits.MaxRecipients.
	OverRecipientCap atomic.Int64
	// RateLimited counts messages rejected because their mailbox reached
	// Limits.MaxNewSuppressionsPerMinute; RateAlerts the alerts published.
	RateLimited, RateAlerts atomic.Int64
	// SenderAlerts counts sender.alert events for refusals the sending
	// side caused; Outages those for sender-side outage bursts;
	// Allowlisted the recipients recorded but exempt from suppression.
	SenderAlerts, Outages, Allowlisted atomic.Int64

	// mu guards the labelled counts. Every label value is bounded by
	// internal/metrics (Reason, Carrier, Domain, ...) before it is a key.
	mu       sync.Mutex
	fetched  map[string]int64 // by mailbox
	decoded  map[metrics.DecodedKey]int64
	bounces  map[metrics.BounceKey]int64
	byDomain map[metrics.DomainKey]int64
	added    map[string]int64 // by scope
	latency  map[string]*metrics.Histogram
}

// Fetched counts a message of mailbox handed to the pipeline (again, when
// it is handled again after an outage).
func (m *Metrics) Fetched(mailbox string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fetched == nil {
		m.fetched = map[string]int64{}
	}
	m.fetched[mailbox]++
}

// Decoded counts a message decoded as kind by the decoder format.
func (m *Metrics) Decoded(kind, format string) {
	k := metrics.DecodedKey{Kind: metrics.Kind(kind), Format: metrics.Format(format)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.decoded == nil {
		m.decoded = map[metrics.DecodedKey]int64{}
	}
	m.decoded[k]++
}

// Bounce counts a recipient applied for the first time (not a duplicate):
// its kind, category, reason and hardness, and its domain's carrier and
// (for the large providers) the domain itself.
func (m *Metrics) Bounce(kind, category, reason string, hard bool, recipient string) {
	b := metrics.BounceKey{Kind: metrics.Kind(kind), Category: metrics.Category(category), Reason: metrics.Reason(reason),
		Hard: strconv.FormatBool(hard), Carrier: metrics.Carrier(recipient)}
	d := metrics.DomainKey{Kind: b.Kind, Category: b.Category, Domain: metrics.Domain(recipient)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bounces == nil {
		m.bounces, m.byDomain = map[metrics.BounceKey]int64{}, map[metrics.DomainKey]int64{}
	}
	m.bounces[b]++
	m.byDomain[d]++
}

// SuppressionAdded counts an address newly suppressed in scope.
func (m *Metrics) SuppressionAdded(scope string) {
	s := metrics.Scope(scope)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.added == nil {
		m.added = map[string]int64{}
	}
	m.added[s]++
}

// Outcomes of the handling-time histogram.
const (
	OutcomeProcessed   = "processed"
	OutcomeIgnored     = "ignored"
	OutcomeQuarantined = "quarantined"
	OutcomeFailed      = "failed" // a transient failure: the message stays
)

// Observe records the time to handle one message and how it ended.
func (m *Metrics) Observe(outcome string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.latency == nil {
		m.latency = map[string]*metrics.Histogram{}
	}
	h := m.latency[outcome]
	if h == nil {
		h = metrics.NewHistogram()
		m.latency[outcome] = h
	}
	h.Observe(d.Seconds())
}

// Snapshot returns a copy of every count.
func (m *Metrics) Snapshot() metrics.Pipeline {
	s := metrics.Pipeline{
		Processed: m.Processed.Load(), Ignored: m.Ignored.Load(), Quarantined: m.Quarantined.Load(),
		Recipients: m.Recipients.Load(), Duplicates: m.Duplicates.Load(), Unverified: m.Unverified.Load(),
		Rejected: m.Rejected.Load(), OverRecipientCap: m.OverRecipientCap.Load(),
		RateLimited: m.RateLimited.Load(), RateAlerts: m.RateAlerts.Load(),
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s.Fetched, s.Decoded, s.Bounces = maps.Clone(m.fetched), maps.Clone(m.decoded), maps.Clone(m.bounces)
	s.BouncesByDomain, s.SuppressionsAdded = maps.Clone(m.byDomain), maps.Clone(m.added)
	s.Latency = map[string]metrics.Histogram{}
	for k, h := range m.latency {
		s.Latency[k] = h.Clone()
	}
	return s
}
