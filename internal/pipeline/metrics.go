package pipeline

import (
	"sync"
	"sync/atomic"
	"time"
)

// Metrics counts what a pipeline did. Safe for concurrent use.
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

	mu      sync.Mutex
	latency [16]int64 // handling time histogram, bucket i < 2^i ms
}

func (m *Metrics) observe(d time.Duration) {
	ms := d.Milliseconds()
	i := 0
	for i < len(m.latency)-1 && ms >= 1<<i {
		i++
	}
	m.mu.Lock()
	m.latency[i]++
	m.mu.Unlock()
}

// Latency returns the handling-time histogram: counts per bucket, bucket i
// holding times under 2^i milliseconds.
func (m *Metrics) Latency() [16]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.latency
}
