package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// daemon is the collector of the daemon's own series. It describes none
// (an unchecked collector): the series of each scrape follow the state,
// a mailbox or an endpoint appears only once it exists.
type daemon struct{ r *Registry }

func (daemon) Describe(chan<- *prometheus.Desc) {}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

var (
	// The series of the hand-written exposition before this package keep
	// their names, so that dashboards keep working.
	dProcessed   = desc("bounced_messages_processed_total", "Bounce messages handled.")
	dIgnored     = desc("bounced_messages_ignored_total", "Auto-replies, ordinary mail and delivery reports moved aside.")
	dQuarantined = desc("bounced_messages_quarantined_total", "Messages that could not be decoded or can never be applied.")
	dRecipients  = desc("bounced_recipients_total", "Recipients applied to the store and published.")
	dDuplicates  = desc("bounced_recipients_duplicate_total", "Recipients found already applied (a message handled again).")
	dUnverified  = desc("bounced_recipients_unverified_total", "Recipients recorded without suppressing: no valid signed return path (verp.require_signed).")
	dRejected    = desc("bounced_messages_rejected_total", "Messages quarantined because they can never be applied (also in quarantined).")
	dOverCap     = desc("bounced_messages_over_recipient_cap_total", "Messages quarantined for naming more recipients than max_recipients.")
	dRateLimited = desc("bounced_messages_rate_limited_total", "Messages quarantined because their mailbox reached max_new_suppressions_per_minute.")
	dRateAlerts  = desc("bounced_suppression_rate_alerts_total", "Alerts published for a mailbox reaching max_new_suppressions_per_minute.")
	dHandle      = desc("bounced_handle_seconds", "Time to handle one message, by outcome (processed, ignored, quarantined, failed).", "outcome")

	dFetched  = desc("bounced_messages_fetched_total", "Messages fetched from a mailbox and handed to the pipeline (again when handled again after an outage).", "mailbox")
	dDecoded  = desc("bounced_messages_decoded_total", "Messages decoded, by kind and by the decoder format that read them.", "kind", "format")
	dBounces  = desc("bounced_bounces_total", "Recipients bounced or complained about, first time applied, by kind, category, reason, hardness and the recipient's mobile carrier (or other).", "kind", "category", "reason", "hard", "carrier")
	dByDomain = desc("bounced_bounces_by_domain_total", "Recipients bounced or complained about, first time applied, by kind, category and recipient domain (large providers and carriers only, else other).", "kind", "category", "domain")
	dAdded    = desc("bounced_suppressions_added_total", "Addresses newly suppressed, by scope.", "scope")
	dLifted   = desc("bounced_suppressions_lifted_total", "Suppressions lifted by an operator (API or CLI) whose event was published, by scope.", "scope")
	dExpired  = desc("bounced_suppressions_expired_total", "Soft suppressions lifted by the periodic sweep when their expiry passed.")
	dActive   = desc("bounced_suppressions_active", "Addresses suppressed now, by scope (counted at most every 15s).", "scope")

	dConnected   = desc("bounced_mailbox_connected", "1 while the worker has the mailbox selected.", "mailbox")
	dStalled     = desc("bounced_mailbox_stalled", "1 when messages have waited longer than stall_after with none moved.", "mailbox")
	dWaiting     = desc("bounced_mailbox_waiting", "Messages found at the last poll and not yet moved.", "mailbox")
	dProgressAge = desc("bounced_mailbox_progress_age_seconds", "Seconds since a message was last moved, the mailbox found empty, or messages started waiting.", "mailbox")
	dPollAge     = desc("bounced_mailbox_last_poll_age_seconds", "Seconds since the mailbox was last polled to the end (IMAP lag); absent before the first poll.", "mailbox")
	dReconnects  = desc("bounced_mailbox_reconnects_total", "Connections (IMAP sessions, IDLE included) made again after a failure.", "mailbox")
	dHandlerErrs = desc("bounced_mailbox_handler_errors_total", "Handler calls that returned an error (the message stays or is quarantined).", "mailbox")

	dRecreated = desc("bounced_stream_recreated_total", "Times the JetStream stream was found missing and created again.")
	dPubFailed = desc("bounced_publish_permanent_failures_total", "Events that cannot be published (too large, not permitted, stream full or not creatable).")
	dEpochOK   = desc("bounced_store_epoch_ok", "Whether the suppression store has its epoch (0: Redis lost its data, run bounced rebuild).")

	dWHDelivered = desc("bounced_webhook_deliveries_total", "Events a webhook receiver acknowledged with a 2xx, by endpoint.", "endpoint")
	dWHFailed    = desc("bounced_webhook_failures_total", "Webhook POSTs that failed (each retry counts), by endpoint.", "endpoint")
	dWHDead      = desc("bounced_webhook_dead_letters_total", "Events moved to the dead-letter subject after the last retry, by endpoint.", "endpoint")
)

func (d daemon) Collect(ch chan<- prometheus.Metric) {
	r := d.r
	counter := func(desc *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, v, labels...)
	}
	gauge := func(desc *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	}
	var p Pipeline // zeros until started
	if r.src.Pipeline != nil {
		p = r.src.Pipeline()
	}
	counter(dProcessed, float64(p.Processed))
	counter(dIgnored, float64(p.Ignored))
	counter(dQuarantined, float64(p.Quarantined))
	counter(dRecipients, float64(p.Recipients))
	counter(dDuplicates, float64(p.Duplicates))
	counter(dUnverified, float64(p.Unverified))
	counter(dRejected, float64(p.Rejected))
	counter(dOverCap, float64(p.OverRecipientCap))
	counter(dRateLimited, float64(p.RateLimited))
	counter(dRateAlerts, float64(p.RateAlerts))
	for mb, n := range p.Fetched {
		counter(dFetched, float64(n), mb)
	}
	for k, n := range p.Decoded {
		counter(dDecoded, float64(n), k.Kind, k.Format)
	}
	for k, n := range p.Bounces {
		counter(dBounces, float64(n), k.Kind, k.Category, k.Reason, k.Hard, k.Carrier)
	}
	for k, n := range p.BouncesByDomain {
		counter(dByDomain, float64(n), k.Kind, k.Category, k.Domain)
	}
	for s, n := range p.SuppressionsAdded {
		counter(dAdded, float64(n), s)
	}
	if len(p.Latency) == 0 {
		p.Latency = map[string]Histogram{"processed": *NewHistogram()}
	}
	for outcome, h := range p.Latency {
		buckets := make(map[float64]uint64, len(LatencyBuckets))
		var cum uint64
		for i, le := range LatencyBuckets {
			cum += h.Counts[i]
			buckets[le] = cum
		}
		cum += h.Counts[len(LatencyBuckets)]
		ch <- prometheus.MustNewConstHistogram(dHandle, cum, h.Sum, buckets, outcome)
	}
	if r.src.Lifted != nil {
		for s, n := range r.src.Lifted() {
			counter(dLifted, float64(n), s)
		}
	}
	if r.src.Expired != nil {
		counter(dExpired, float64(r.src.Expired()))
	}
	for s, n := range r.activeCounts() {
		gauge(dActive, float64(n), s)
	}

	if r.src.Mailboxes != nil {
		now := time.Now()
		for _, m := range r.src.Mailboxes() {
			gauge(dConnected, b2f(m.Connected), m.Name)
			gauge(dStalled, b2f(m.Stalled), m.Name)
			gauge(dWaiting, float64(m.Waiting), m.Name)
			gauge(dProgressAge, now.Sub(m.LastProgress).Round(time.Millisecond).Seconds(), m.Name)
			if !m.LastSuccess.IsZero() {
				gauge(dPollAge, now.Sub(m.LastSuccess).Round(time.Millisecond).Seconds(), m.Name)
			}
			counter(dReconnects, float64(m.Reconnects), m.Name)
			counter(dHandlerErrs, float64(m.HandlerErrors), m.Name)
		}
	}

	var pub Publisher
	if r.src.Publisher != nil {
		pub = r.src.Publisher()
	}
	counter(dRecreated, float64(pub.StreamsRecreated))
	counter(dPubFailed, float64(pub.PermanentFailures))
	if r.src.EpochOK != nil {
		gauge(dEpochOK, b2f(r.src.EpochOK()))
	}

	r.mu.Lock()
	wh := r.webhooks
	r.mu.Unlock()
	if wh != nil {
		for _, w := range wh() {
			counter(dWHDelivered, float64(w.Delivered), w.Endpoint)
			counter(dWHFailed, float64(w.Failed), w.Endpoint)
			counter(dWHDead, float64(w.DeadLettered), w.Endpoint)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
