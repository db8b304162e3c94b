package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// DeliverySubjectSuffix follows the subject prefix in the subject of
// delivery reports: <prefix>.delivery.reported. A sender publishes there
// (core NATS or JetStream) a JSON httpapi.DeliveryReport for successful
// deliveries; the stream keeps it with the events, the daemon applies it
// (the soft bounces counted for the addresses are forgotten), and a
// rebuild replays it.
const DeliverySubjectSuffix = "delivery.reported"

// deliveriesConsumer is the durable consumer of delivery reports.
const deliveriesConsumer = "bounced-deliveries"

// ErrBadDeliveryReport is returned for a delivery report that is not the
// JSON of an httpapi.DeliveryReport with recipients.
var ErrBadDeliveryReport = errors.New("app: bad delivery report")

// ApplyDeliveryReport applies one delivery report (the JSON of an
// httpapi.DeliveryReport) to store and returns how many counted soft
// bounces it cleared. An address the store refuses is skipped; a report
// with none it accepts fails with ErrBadDeliveryReport.
func ApplyDeliveryReport(ctx context.Context, store *suppress.Store, data []byte) (int, error) {
	var rep httpapi.DeliveryReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrBadDeliveryReport, err)
	}
	addrs := rep.All()
	if len(addrs) == 0 || rep.At.IsZero() {
		return 0, fmt.Errorf("%w: no recipient or no time", ErrBadDeliveryReport)
	}
	cleared, applied := 0, 0
	for _, a := range addrs {
		n, err := store.Delivered(ctx, a, rep.At)
		if errors.Is(err, suppress.ErrInvalid) {
			continue
		}
		if err != nil {
			return cleared, err
		}
		cleared += n
		applied++
	}
	if applied == 0 {
		return 0, fmt.Errorf("%w: no valid recipient", ErrBadDeliveryReport)
	}
	return cleared, nil
}

// reportDeliveries serves POST /api/v1/deliveries: it publishes the
// report on the delivery subject (so that the stream keeps it for a
// rebuild; the consumer applying it again changes nothing more) and
// applies it at once. Without NATS yet, it is applied only.
func (a *App) reportDeliveries(ctx context.Context, rep httpapi.DeliveryReport) (int, error) {
	data, err := json.Marshal(rep)
	if err != nil {
		return 0, fmt.Errorf("app: delivery report: %w", err)
	}
	a.mu.RLock()
	pub := a.pub
	a.mu.RUnlock()
	if pub != nil {
		sum := sha256.Sum256(data)
		subject := pub.SubjectPrefix() + "." + DeliverySubjectSuffix
		if _, err := pub.JetStream().Publish(ctx, subject, data, jetstream.WithMsgID("delivery:"+hex.EncodeToString(sum[:16]))); err != nil {
			return 0, fmt.Errorf("app: publish delivery report: %w", err)
		}
	} else {
		a.log.Warn("delivery report applied but not kept in the stream: NATS is not connected yet")
	}
	return ApplyDeliveryReport(ctx, a.store, data)
}

// policyLoop runs in the app's WaitGroup: it puts the all-mail
// suppressions into every scope's set (suppress.Store.SyncScopes), then
// consumes delivery reports until ctx ends.
func (a *App) policyLoop(ctx context.Context) {
	defer a.recoverPanic("deliveries")
	for attempt := 0; ; attempt++ {
		err := a.store.SyncScopes(ctx)
		if err == nil {
			break
		}
		a.log.Warn("syncing suppression scopes failed; retrying", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff(attempt)):
		}
	}
	a.mu.RLock()
	pub := a.pub
	a.mu.RUnlock()
	if pub == nil {
		return
	}
	subject := pub.SubjectPrefix() + "." + DeliverySubjectSuffix
	var cons jetstream.Consumer
	for attempt := 0; ; attempt++ {
		var err error
		cons, err = pub.JetStream().CreateOrUpdateConsumer(ctx, pub.Stream(), jetstream.ConsumerConfig{
			Durable: deliveriesConsumer, FilterSubject: subject, AckPolicy: jetstream.AckExplicitPolicy,
			DeliverPolicy: jetstream.DeliverAllPolicy, AckWait: 30 * time.Second,
		})
		if err == nil {
			break
		}
		a.log.Warn("delivery report consumer not created; retrying", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff(attempt)):
		}
	}
	a.log.Info("consuming delivery reports", "subject", subject)
	for attempt := 0; ctx.Err() == nil; {
		batch, err := cons.Fetch(100, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			a.log.Warn("fetching delivery reports failed", "error", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff(attempt)):
			}
			attempt++
			continue
		}
		attempt = 0
		for m := range batch.Messages() {
			a.deliveryMessage(ctx, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			a.log.Debug("delivery report batch", "error", err)
		}
	}
}

func (a *App) deliveryMessage(ctx context.Context, m jetstream.Msg) {
	n, err := ApplyDeliveryReport(ctx, a.store, m.Data())
	switch {
	case errors.Is(err, ErrBadDeliveryReport):
		a.log.Warn("delivery report dropped", "error", err)
		m.Term()
	case err != nil:
		a.log.Warn("delivery report not applied; redelivered later", "error", err)
		m.NakWithDelay(5 * time.Second)
	default:
		a.deliveries.Add(1)
		a.cleared.Add(int64(n))
		m.Ack()
	}
}

// registerPolicyMetrics adds the policy's series to the metrics registry:
// sender-side alerts, outages, allowlisted recipients (from the pipeline's
// counters) and the delivery reports applied.
func (a *App) registerPolicyMetrics() {
	pipe := func() *pipeline.Metrics {
		a.mu.RLock()
		defer a.mu.RUnlock()
		if a.pipe == nil {
			return &pipeline.Metrics{}
		}
		return a.pipe.Metrics()
	}
	counter := func(name, help string, v func() int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v()) })
	}
	err := a.Metrics().Register(
		counter("bounced_sender_alerts_total", "sender.alert events for refusals the sending side caused (blocklisted IP, SPF/DKIM/DMARC, PTR, rate, reputation).",
			func() int64 { return pipe().SenderAlerts.Load() }),
		counter("bounced_sender_outages_total", "sender.alert events for sender-side outages (many domains failing with network errors at once).",
			func() int64 { return pipe().Outages.Load() }),
		counter("bounced_allowlisted_total", "Recipients recorded but not suppressed because they are allowlisted.",
			func() int64 { return pipe().Allowlisted.Load() }),
		counter("bounced_deliveries_reported_total", "Delivery reports applied from the delivery subject.", a.deliveries.Load),
		counter("bounced_soft_bounces_cleared_total", "Counted soft bounces cleared by delivery reports from the delivery subject.", a.cleared.Load),
	)
	if err != nil {
		a.log.Warn("policy metrics not registered", "error", err)
	}
}
