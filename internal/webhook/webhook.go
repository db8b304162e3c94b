// Package webhook POSTs bounced's events to HTTP endpoints, for systems
// without NATS. Each endpoint has its own durable JetStream consumer on the
// event stream (named by ConsumerName), so nothing is lost while bounced or
// the receiver is down, and each event is sent as it is in the stream, as
// JSON, signed as the Standard Webhooks specification describes
// (https://www.standardwebhooks.com, spec/standard-webhooks.md: headers
// webhook-id, webhook-timestamp and webhook-signature) and with the
// CloudEvents attributes as ce-* headers (CloudEvents HTTP protocol
// binding, binary content mode).
//
// An event is acked only after a 2xx answer. A failure (another status, a
// timeout, a refused connection) is retried with exponential backoff
// (NakWithDelay) until MaxAttempts POSTs failed; the event is then copied
// to the dead-letter subject <prefix>.deadletter.<endpoint> in the same
// stream and terminated. A 410 Gone answer disables the endpoint until
// bounced restarts, as the specification recommends; its events wait in
// the consumer. Replay re-sends every event since a time.
//
// docs/webhooks.md describes it for receivers.
package webhook

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/publisher"
)

// Defaults of Endpoint.
const (
	// DefaultTimeout bounds one POST; the specification recommends 15 to 30 seconds.
	DefaultTimeout = 15 * time.Second
	// DefaultMaxAttempts is how many POSTs of one event may fail.
	DefaultMaxAttempts = 10
	// DefaultRetryMin is the wait after the first failure.
	DefaultRetryMin = 5 * time.Second
	// DefaultRetryMax caps the wait between attempts.
	DefaultRetryMax = 24 * time.Hour
	// DefaultConcurrency is how many POSTs to one endpoint are in flight.
	DefaultConcurrency = 4
	// MaxResponseBody is how much of a receiver's answer is read.
	MaxResponseBody = 64 << 10
)

// Headers of a dead letter, besides the event's own.
const (
	// HeaderDeadEndpoint names the endpoint that refused the event.
	HeaderDeadEndpoint = "Bounced-Deadletter-Endpoint"
	// HeaderDeadAttempts is how many POSTs failed.
	HeaderDeadAttempts = "Bounced-Deadletter-Attempts"
	// HeaderDeadError is the last failure, e.g. "status 500".
	HeaderDeadError = "Bounced-Deadletter-Error"
	// HeaderDeadSubject is the subject the event was published on.
	HeaderDeadSubject = "Bounced-Deadletter-Subject"
	// HeaderDeadSequence is the event's sequence number in the stream.
	HeaderDeadSequence = "Bounced-Deadletter-Sequence"
)

// Endpoint is one receiver of events.
type Endpoint struct {
	// Name names the endpoint, its consumer and its dead-letter subject:
	// a-z, 0-9, '_' and '-'.
	Name string
	// URL receives the POSTs.
	URL string
	// Keys sign every POST (ParseSecret gives one from whsec_...). Each
	// key adds a signature, for rotations; at least one is required.
	Keys [][]byte
	// Events are the types sent; empty sends every type.
	Events []publisher.EventType
	// Description says what the endpoint is for.
	Description string
	// Timeout bounds one POST (default DefaultTimeout).
	Timeout time.Duration
	// MaxAttempts is how many POSTs of one event may fail before it is
	// dead-lettered (default DefaultMaxAttempts).
	MaxAttempts int
	// RetryMin is the wait after the first failure; each following wait is
	// four times longer, up to RetryMax (defaults DefaultRetryMin,
	// DefaultRetryMax). A Retry-After answer may lengthen it, up to RetryMax.
	RetryMin, RetryMax time.Duration
	// Concurrency is how many POSTs are in flight at once (default
	// DefaultConcurrency). Events may then arrive out of order: order them
	// by their time field.
	Concurrency int
	// TLS configures HTTPS; nil verifies against the system's roots.
	// Certificates are verified whatever it says, unless it sets
	// InsecureSkipVerify itself.
	TLS *tls.Config
}

func (e Endpoint) withDefaults() (Endpoint, error) {
	if e.Name == "" || publisher.SubjectToken(e.Name) != e.Name {
		return e, fmt.Errorf("webhook: endpoint name %q: want a-z, 0-9, '_' and '-'", e.Name)
	}
	if len(e.Keys) == 0 {
		return e, fmt.Errorf("webhook: endpoint %s: no signing key", e.Name)
	}
	for _, k := range e.Keys {
		if len(k) < MinSecretBytes {
			return e, fmt.Errorf("webhook: endpoint %s: %w: a key of %d bytes, want at least %d", e.Name, ErrBadSecret, len(k), MinSecretBytes)
		}
	}
	for _, t := range e.Events {
		if !t.Known() {
			return e, fmt.Errorf("webhook: endpoint %s: unknown event type %q", e.Name, t)
		}
	}
	if !strings.HasPrefix(e.URL, "https://") && !strings.HasPrefix(e.URL, "http://") {
		return e, fmt.Errorf("webhook: endpoint %s: url %q: want http:// or https://", e.Name, RedactURL(e.URL))
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&e.Timeout, DefaultTimeout)
	def(&e.RetryMin, DefaultRetryMin)
	def(&e.RetryMax, DefaultRetryMax)
	e.RetryMax = max(e.RetryMax, e.RetryMin)
	if e.MaxAttempts <= 0 {
		e.MaxAttempts = DefaultMaxAttempts
	}
	if e.Concurrency <= 0 {
		e.Concurrency = DefaultConcurrency
	}
	return e, nil
}

// Options say which stream the events are in.
type Options struct {
	// Stream is the stream's name (default publisher.DefaultStreamName).
	Stream string
	// SubjectPrefix is the events' subject prefix (default
	// publisher.DefaultSubjectPrefix).
	SubjectPrefix string
	// Log receives the deliveries' log; nil discards. Secrets and URL
	// queries are never logged.
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Stream == "" {
		o.Stream = publisher.DefaultStreamName
	}
	o.SubjectPrefix = publisher.SubjectPrefix(o.SubjectPrefix)
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// ConsumerName returns the name of the durable consumer of endpoint.
func ConsumerName(endpoint string) string { return "bounced-webhook-" + endpoint }

// DeadLetterSubject returns the subject events endpoint refused are moved
// to: <prefix>.deadletter.<endpoint>.
func DeadLetterSubject(prefix, endpoint string) string {
	return publisher.SubjectPrefix(prefix) + ".deadletter." + publisher.SubjectToken(endpoint)
}

// Subjects returns the subjects of the events of the given types (every
// type when none is given) under prefix, as consumer filters. Dead
// letters are never among them.
func Subjects(prefix string, events []publisher.EventType) []string {
	p := publisher.SubjectPrefix(prefix)
	if len(events) == 0 {
		events = allTypes
	}
	var subs []string
	for _, t := range events {
		s := p + "." + string(t)
		if t == publisher.TypeBounce || t == publisher.TypeDelay {
			s += ".>"
		}
		if !slices.Contains(subs, s) {
			subs = append(subs, s)
		}
	}
	return subs
}

var allTypes = []publisher.EventType{publisher.TypeBounce, publisher.TypeDelay, publisher.TypeComplaint,
	publisher.TypeSuppressionAdded, publisher.TypeSuppressionRemoved, publisher.TypeUnparseable}

// consumerConfig is the consumer of e, without its deliver policy.
func consumerConfig(e Endpoint, prefix string) jetstream.ConsumerConfig {
	desc := "bounced webhook " + e.Name
	if e.Description != "" {
		desc += ": " + e.Description
	}
	return jetstream.ConsumerConfig{
		Durable:        ConsumerName(e.Name),
		Description:    desc,
		FilterSubjects: Subjects(prefix, e.Events),
		AckPolicy:      jetstream.AckExplicitPolicy,
		// An attempt in flight must not be redelivered: the wait outlasts
		// the POST's timeout.
		AckWait: e.Timeout + 30*time.Second,
		// Attempts are counted here (NumDelivered) rather than by the
		// server, so that an event is dead-lettered, never dropped.
		MaxDeliver:    -1,
		MaxAckPending: 1000,
	}
}

// Service delivers the events of a stream to its endpoints.
type Service struct {
	js   jetstream.JetStream
	opts Options
	eps  []*endpoint
}

// New returns a Service for endpoints; nothing runs before Run. Names must
// be unique.
func New(js jetstream.JetStream, endpoints []Endpoint, o Options) (*Service, error) {
	if js == nil {
		return nil, errors.New("webhook: nil JetStream")
	}
	s := &Service{js: js, opts: o.withDefaults()}
	seen := map[string]bool{}
	for _, e := range endpoints {
		e, err := e.withDefaults()
		if err != nil {
			return nil, err
		}
		if seen[e.Name] {
			return nil, fmt.Errorf("webhook: endpoint name %s used twice", e.Name)
		}
		seen[e.Name] = true
		s.eps = append(s.eps, newEndpoint(e, s))
	}
	return s, nil
}

// Run makes each endpoint's consumer (once NATS answers) and delivers its
// events until ctx ends, then waits for the POSTs in flight to end.
func (s *Service) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, ep := range s.eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ep.recoverPanic("endpoint")
			ep.run(ctx)
		}()
	}
	wg.Wait()
}

// Metrics are the counters of one endpoint since the start.
type Metrics struct {
	// Endpoint is the endpoint's name.
	Endpoint string `json:"endpoint"`
	// Delivered counts events a receiver acknowledged with a 2xx.
	Delivered uint64 `json:"delivered"`
	// Failed counts POSTs that failed (each retry counts).
	Failed uint64 `json:"failed"`
	// DeadLettered counts events moved to the dead-letter subject.
	DeadLettered uint64 `json:"dead_lettered"`
}

// Metrics returns the counters of every endpoint, in configured order.
func (s *Service) Metrics() []Metrics {
	out := make([]Metrics, len(s.eps))
	for i, ep := range s.eps {
		out[i] = Metrics{Endpoint: ep.Name, Delivered: ep.delivered.Load(), Failed: ep.failed.Load(), DeadLettered: ep.deadLettered.Load()}
	}
	return out
}

// Status is what an operator page shows of one endpoint.
type Status struct {
	Metrics
	// URL is the endpoint's URL without user information or query.
	URL string `json:"url"`
	// Description is the configured description.
	Description string `json:"description,omitempty"`
	// Events are the types sent; empty is all.
	Events []publisher.EventType `json:"events,omitempty"`
	// Consumer is the durable consumer's name.
	Consumer string `json:"consumer"`
	// DeadLetterSubject is where refused events go.
	DeadLetterSubject string `json:"dead_letter_subject"`
	// State is "starting", "running" or "disabled" (after a 410 Gone).
	State string `json:"state"`
	// Pending is the number of events not yet delivered (waiting in the
	// stream or being retried), from the consumer; -1 when unknown.
	Pending int64 `json:"pending"`
	// LastDelivered is when the last event was acknowledged.
	LastDelivered *time.Time `json:"last_delivered,omitempty"`
	// LastError is the last failure ("status 500", "timeout"...), and
	// LastErrorAt its time.
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
}

// Status returns the state of every endpoint, asking NATS for the
// consumers' pending counts (bounded by ctx).
func (s *Service) Status(ctx context.Context) []Status {
	out := make([]Status, len(s.eps))
	for i, ep := range s.eps {
		st := Status{
			Metrics: Metrics{Endpoint: ep.Name, Delivered: ep.delivered.Load(), Failed: ep.failed.Load(), DeadLettered: ep.deadLettered.Load()},
			URL:     RedactURL(ep.URL), Description: ep.Description, Events: ep.Events,
			Consumer: ConsumerName(ep.Name), DeadLetterSubject: DeadLetterSubject(s.opts.SubjectPrefix, ep.Name), Pending: -1,
		}
		ep.mu.Lock()
		st.State, st.LastError = ep.state, ep.lastErr
		if !ep.lastOK.IsZero() {
			t := ep.lastOK
			st.LastDelivered = &t
		}
		if !ep.lastErrAt.IsZero() {
			t := ep.lastErrAt
			st.LastErrorAt = &t
		}
		c := ep.cons
		ep.mu.Unlock()
		if c != nil {
			if info, err := c.Info(ctx); err == nil {
				st.Pending = int64(info.NumPending) + int64(info.NumAckPending)
			}
		}
		out[i] = st
	}
	return out
}

// Replay makes the consumer of e deliver again every event stored in the
// stream at or after since (its time of publication), whether delivered
// before or not: it deletes the consumer and makes it anew, starting at
// since. A running Service picks the new consumer up. Receivers see the
// same webhook-id again for events they had. It returns how many events
// the consumer now has to deliver.
func Replay(ctx context.Context, js jetstream.JetStream, o Options, e Endpoint, since time.Time) (uint64, error) {
	o = o.withDefaults()
	e, err := e.withDefaults()
	if err != nil {
		return 0, err
	}
	name := ConsumerName(e.Name)
	if err := js.DeleteConsumer(ctx, o.Stream, name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return 0, fmt.Errorf("webhook: replay %s: delete consumer %s: %w", e.Name, name, err)
	}
	cfg := consumerConfig(e, o.SubjectPrefix)
	cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
	since = since.UTC()
	cfg.OptStartTime = &since
	c, err := js.CreateConsumer(ctx, o.Stream, cfg)
	if err != nil {
		return 0, fmt.Errorf("webhook: replay %s: create consumer %s: %w", e.Name, name, err)
	}
	// As created, before a running Service takes any.
	info := c.CachedInfo()
	o.Log.InfoContext(ctx, "webhook consumer reset for replay", "endpoint", e.Name, "since", since, "pending", info.NumPending)
	return info.NumPending, nil
}

// endpoint is an Endpoint at work.
type endpoint struct {
	Endpoint
	svc    *Service
	client *http.Client
	log    *slog.Logger

	delivered, failed, deadLettered atomic.Uint64
	gone                            atomic.Bool

	mu        sync.Mutex
	cons      jetstream.Consumer
	missing   time.Time // since when the consumer is not found
	state     string
	lastOK    time.Time
	lastErr   string
	lastErrAt time.Time
}

func newEndpoint(e Endpoint, s *Service) *endpoint {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if e.TLS != nil {
		tr.TLSClientConfig = e.TLS.Clone()
	} else {
		tr.TLSClientConfig = &tls.Config{}
	}
	tr.TLSClientConfig.MinVersion = max(tr.TLSClientConfig.MinVersion, tls.VersionTLS12)
	tr.MaxIdleConnsPerHost = e.Concurrency
	tr.ResponseHeaderTimeout = e.Timeout
	return &endpoint{
		Endpoint: e,
		svc:      s,
		client: &http.Client{
			Transport: tr,
			Timeout:   e.Timeout,
			// The specification counts a 3xx as a failure: the URL is to
			// be fixed, not followed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		log:   s.opts.Log.With("component", "webhook", "endpoint", e.Name),
		state: "starting",
	}
}

func (ep *endpoint) recoverPanic(what string) {
	if r := recover(); r != nil {
		ep.log.Error("panic recovered", "in", what, "panic", r)
	}
}

func (ep *endpoint) setState(state string) {
	ep.mu.Lock()
	ep.state = state
	ep.mu.Unlock()
}

func (ep *endpoint) consumer() jetstream.Consumer {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	return ep.cons
}

// run makes the consumer, retrying until NATS answers, then runs the
// workers until ctx ends.
func (ep *endpoint) run(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		err := ep.ensureConsumer(ctx, false)
		if err == nil {
			break
		}
		ep.log.Warn("cannot make the webhook consumer yet; retrying", "error", err)
		ep.noteError("consumer: " + err.Error())
		if !sleep(ctx, min(500*time.Millisecond<<min(attempt, 6), 30*time.Second)) {
			return
		}
	}
	ep.setState("running")
	ep.log.Info("webhook endpoint running", "url", RedactURL(ep.URL), "consumer", ConsumerName(ep.Name),
		"subjects", Subjects(ep.svc.opts.SubjectPrefix, ep.Events))
	var wg sync.WaitGroup
	for range ep.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ep.recoverPanic("worker")
			ep.work(ctx)
		}()
	}
	wg.Wait()
}

// ensureConsumer finds the consumer, updating its settings, or makes it,
// starting with the events published from now on. When the consumer
// went missing while working (afterDelete), it leaves 10 seconds to
// another process (a replay) to make it before making it itself.
func (ep *endpoint) ensureConsumer(ctx context.Context, afterDelete bool) error {
	o := ep.svc.opts
	js := ep.svc.js
	cfg := consumerConfig(ep.Endpoint, o.SubjectPrefix)
	c, err := js.Consumer(ctx, o.Stream, cfg.Durable)
	switch {
	case err == nil:
		have := c.CachedInfo().Config
		cfg.DeliverPolicy, cfg.OptStartSeq, cfg.OptStartTime = have.DeliverPolicy, have.OptStartSeq, have.OptStartTime
		if c, err = js.UpdateConsumer(ctx, o.Stream, cfg); err != nil {
			return fmt.Errorf("webhook: update consumer %s: %w", cfg.Durable, err)
		}
	case errors.Is(err, jetstream.ErrConsumerNotFound):
		ep.mu.Lock()
		if ep.missing.IsZero() {
			ep.missing = time.Now()
		}
		waited := time.Since(ep.missing)
		ep.mu.Unlock()
		if afterDelete && waited < 10*time.Second {
			return fmt.Errorf("webhook: consumer %s: %w", cfg.Durable, err)
		}
		cfg.DeliverPolicy = jetstream.DeliverNewPolicy
		if c, err = js.CreateConsumer(ctx, o.Stream, cfg); err != nil {
			return fmt.Errorf("webhook: create consumer %s: %w", cfg.Durable, err)
		}
		ep.log.Info("webhook consumer created", "consumer", cfg.Durable, "deliver", "new events")
	default:
		return fmt.Errorf("webhook: consumer %s: %w", cfg.Durable, err)
	}
	ep.mu.Lock()
	ep.cons, ep.missing = c, time.Time{}
	ep.mu.Unlock()
	return nil
}

// work takes one event at a time and delivers it, until ctx ends.
func (ep *endpoint) work(ctx context.Context) {
	errs := 0
	for ctx.Err() == nil {
		if ep.gone.Load() {
			<-ctx.Done()
			return
		}
		fetch, cancel := context.WithTimeout(ctx, 5*time.Second)
		msg, err := ep.consumer().Next(jetstream.FetchContext(fetch))
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, jetstream.ErrNoHeartbeat) || isTimeout(err) {
				errs = 0
				continue
			}
			errs++
			if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) {
				// A replay makes it again at once; otherwise make it anew.
				if err := ep.ensureConsumer(ctx, true); err == nil {
					continue
				}
			}
			ep.log.Debug("webhook fetch failed", "error", err)
			sleep(ctx, min(100*time.Millisecond<<min(errs, 8), 10*time.Second))
			continue
		}
		errs = 0
		ep.handle(ctx, msg)
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout() || strings.Contains(err.Error(), "timeout")
}

// sleep waits d or until ctx ends, and reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (ep *endpoint) noteError(msg string) {
	ep.mu.Lock()
	ep.lastErr, ep.lastErrAt = msg, time.Now().UTC()
	ep.mu.Unlock()
}
