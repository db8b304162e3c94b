// Package publisher publishes bounce, complaint, delay, suppression and
// unparseable events as versioned JSON to a NATS JetStream stream, and
// waits for the stream's acknowledgement of each.
//
// Every Event carries an idempotency key, its ID, which is sent as the
// Nats-Msg-Id header: JetStream stores one message per ID within the
// stream's duplicate window, so publishing the same event again after a
// failure or a restart is safe, and PublishResult.Duplicate says it was
// already there. docs/events.md describes the schema and the subjects for
// subscribers.
//
// The package reads no configuration and keeps no globals: Connect dials
// NATS with the ConnOptions it is given, New makes the stream a
// StreamConfig describes, and Publish publishes one event.
//
//	nc, err := publisher.Connect(ctx, publisher.ConnOptions{URL: "nats://127.0.0.1:4222"}, log)
//	js, err := jetstream.New(nc)
//	p, err := publisher.New(ctx, js, publisher.StreamConfig{}, log)
//	res, err := p.Publish(ctx, ev)
//	if publisher.IsTransient(err) { /* retry later with the same ev.ID */ }
package publisher

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of StreamConfig.
const (
	// DefaultStreamName is the stream's name when StreamConfig.Name is empty.
	DefaultStreamName = "BOUNCED"
	// DefaultMaxAge is how long events are kept when StreamConfig.MaxAge is 0.
	DefaultMaxAge = 30 * 24 * time.Hour
	// DefaultDuplicateWindow is how long JetStream remembers a Nats-Msg-Id
	// when StreamConfig.DuplicateWindow is 0.
	DefaultDuplicateWindow = 24 * time.Hour
)

// Headers set on every published message besides Nats-Msg-Id, so that a
// subscriber can route without parsing the body.
const (
	// HeaderSchema carries Event.Schema as a decimal number.
	HeaderSchema = "Bounced-Schema"
	// HeaderType carries Event.Type.
	HeaderType = "Bounced-Type"
)

// StreamConfig describes the JetStream stream events are published to.
// The zero value is a usable configuration: every field has a default.
type StreamConfig struct {
	// Name of the stream (default BOUNCED): no dots, spaces or wildcards.
	Name string
	// SubjectPrefix starts every subject (default bounced); the stream
	// takes <prefix>.>. It may have several tokens ("acme.bounced").
	SubjectPrefix string
	// Replicas is the number of copies in a cluster (default 1, at most 5).
	Replicas int
	// MaxAge is how long events are kept (default 30 days).
	MaxAge time.Duration
	// DuplicateWindow is how long an event ID is remembered to drop
	// duplicates (default 24h); it may not exceed MaxAge.
	DuplicateWindow time.Duration
	// Storage is "file" (default) or "memory".
	Storage string
}

// withDefaults returns c with defaults filled in, or an error for a value
// no default can fix.
func (c StreamConfig) withDefaults() (StreamConfig, error) {
	if c.Name == "" {
		c.Name = DefaultStreamName
	}
	if strings.ContainsAny(c.Name, ".*> \t\r\n/\\") {
		return c, fmt.Errorf("publisher: stream name %q: no dots, spaces, slashes or wildcards allowed", c.Name)
	}
	if c.SubjectPrefix == "" {
		c.SubjectPrefix = DefaultSubjectPrefix
	}
	if SubjectPrefix(c.SubjectPrefix) != c.SubjectPrefix {
		return c, fmt.Errorf("publisher: subject prefix %q: want dot-separated tokens of a-z, 0-9, '_' and '-', e.g. %q",
			c.SubjectPrefix, SubjectPrefix(c.SubjectPrefix))
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		return c, fmt.Errorf("publisher: replicas %d: want 1 to 5", c.Replicas)
	}
	if c.MaxAge == 0 {
		c.MaxAge = DefaultMaxAge
	}
	if c.DuplicateWindow == 0 {
		c.DuplicateWindow = DefaultDuplicateWindow
	}
	if c.MaxAge < 0 || c.DuplicateWindow < 0 {
		return c, fmt.Errorf("publisher: negative max age %v or duplicate window %v", c.MaxAge, c.DuplicateWindow)
	}
	if c.DuplicateWindow > c.MaxAge {
		return c, fmt.Errorf("publisher: duplicate window %v exceeds max age %v", c.DuplicateWindow, c.MaxAge)
	}
	switch c.Storage {
	case "", "file":
		c.Storage = "file"
	case "memory":
	default:
		return c, fmt.Errorf("publisher: storage %q: want file or memory", c.Storage)
	}
	return c, nil
}

func (c StreamConfig) storageType() jetstream.StorageType {
	if c.Storage == "memory" {
		return jetstream.MemoryStorage
	}
	return jetstream.FileStorage
}

// Publisher publishes events to one stream. It is safe for concurrent use.
type Publisher struct {
	js     jetstream.JetStream
	cfg    StreamConfig // with defaults
	stream string
	prefix string
	log    *slog.Logger
	host   string // in the CloudEvents source (cloudevents.go)
	// sources caches the CloudEvents source of each mailbox (ceSource);
	// sourceCount counts the sources made.
	sources     sync.Map
	sourceCount atomic.Int64

	healMu    sync.Mutex // one recreation of the stream at a time
	recreated atomic.Int64
	permanent atomic.Int64
}

// Stats counts what a Publisher did beyond publishing, for metrics.
type Stats struct {
	// StreamsRecreated is how many times the stream was found missing
	// while publishing and created again.
	StreamsRecreated int64
	// PermanentFailures is how many publishes failed with an error
	// wrapping ErrPermanent.
	PermanentFailures int64
}

// Stats returns p's counters.
func (p *Publisher) Stats() Stats {
	return Stats{StreamsRecreated: p.recreated.Load(), PermanentFailures: p.permanent.Load()}
}

// New makes sure the stream cfg describes exists with cfg's subjects,
// limits and duplicate window, creating or updating it, and returns a
// Publisher for it. Calling New again with the same cfg changes nothing;
// limits not in StreamConfig (max bytes, max messages...) set on the stream
// by an operator are kept. The storage of an existing stream cannot be
// changed. A nil log discards.
func New(ctx context.Context, js jetstream.JetStream, cfg StreamConfig, log *slog.Logger) (*Publisher, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if js == nil {
		return nil, errors.New("publisher: nil JetStream")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := ensureStream(ctx, js, cfg, log, true); err != nil {
		return nil, err
	}
	return &Publisher{js: js, cfg: cfg, stream: cfg.Name, prefix: cfg.SubjectPrefix, log: log, host: hostname()}, nil
}

// ensureStream creates the stream, or updates it when its managed fields
// differ from cfg. When another client creates it at the same time, it
// checks the new stream once more if retry is set.
func ensureStream(ctx context.Context, js jetstream.JetStream, cfg StreamConfig, log *slog.Logger, retry bool) error {
	subject := cfg.SubjectPrefix + ".>"
	attrs := []any{"stream", cfg.Name, "subjects", subject, "max_age", cfg.MaxAge,
		"duplicate_window", cfg.DuplicateWindow, "replicas", cfg.Replicas, "storage", cfg.Storage}
	s, err := js.Stream(ctx, cfg.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name:        cfg.Name,
			Description: "bounced events, JSON schema " + strconv.Itoa(SchemaVersion),
			Subjects:    []string{subject},
			Retention:   jetstream.LimitsPolicy,
			Discard:     jetstream.DiscardOld,
			MaxAge:      cfg.MaxAge,
			Duplicates:  cfg.DuplicateWindow,
			Replicas:    cfg.Replicas,
			Storage:     cfg.storageType(),
			MaxMsgs:     -1,
			MaxBytes:    -1,
			// -1 is unlimited; 0 would be refused by the server.
			MaxMsgsPerSubject: -1,
			MaxConsumers:      -1,
		})
		if retry && errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return ensureStream(ctx, js, cfg, log, false)
		}
		if err != nil {
			return fmt.Errorf("publisher: create stream %s: %w", cfg.Name, err)
		}
		log.Info("stream created", attrs...)
		return nil
	}
	if err != nil {
		return fmt.Errorf("publisher: stream %s: %w", cfg.Name, err)
	}
	have := s.CachedInfo().Config
	if have.Storage != cfg.storageType() {
		return fmt.Errorf("publisher: stream %s has %s storage, not %s: storage cannot be changed, delete the stream or use another name",
			cfg.Name, have.Storage, cfg.Storage)
	}
	want := have
	want.Subjects = []string{subject}
	want.MaxAge = cfg.MaxAge
	want.Duplicates = cfg.DuplicateWindow
	want.Replicas = cfg.Replicas
	if slices.Equal(have.Subjects, want.Subjects) && have.MaxAge == want.MaxAge &&
		have.Duplicates == want.Duplicates && have.Replicas == want.Replicas {
		log.Debug("stream up to date", attrs...)
		return nil
	}
	if _, err := js.UpdateStream(ctx, want); err != nil {
		return fmt.Errorf("publisher: update stream %s: %w", cfg.Name, err)
	}
	log.Info("stream updated", append(attrs, "old_subjects", have.Subjects, "old_max_age", have.MaxAge,
		"old_duplicate_window", have.Duplicates, "old_replicas", have.Replicas)...)
	return nil
}

// Stream returns the name of the stream p publishes to.
func (p *Publisher) Stream() string { return p.stream }

// SubjectPrefix returns the prefix of p's subjects.
func (p *Publisher) SubjectPrefix() string { return p.prefix }

// PublishResult is JetStream's acknowledgement of one event.
type PublishResult struct {
	// Sequence is the event's sequence number in the stream; for a
	// duplicate, that of the copy already stored.
	Sequence uint64
	// Duplicate is true when the stream already had an event with the same
	// ID within its duplicate window, and did not store this one.
	Duplicate bool
}

// Publish publishes ev on ev.Subject(prefix) with Nats-Msg-Id ev.ID and
// waits until the stream has stored it, or ctx ends (without a deadline
// on ctx, JetStream's default of 5 seconds applies). A zero ev.Schema is
// set to SchemaVersion; an invalid event gives an error wrapping
// ErrInvalidEvent. When the error is transient (IsTransient), publish the
// same event again later: its ID makes that safe.
func (p *Publisher) Publish(ctx context.Context, ev Event) (PublishResult, error) {
	msg, ev, err := p.message(ev)
	if err != nil {
		return PublishResult{}, err
	}
	ack, err := p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(ev.ID), jetstream.WithExpectStream(p.stream))
	if err != nil {
		var healed bool
		if healed, err = p.heal(ctx, err); healed {
			ack, err = p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(ev.ID), jetstream.WithExpectStream(p.stream))
		}
	}
	if err != nil {
		return PublishResult{}, p.publishError(ctx, ev, msg, err)
	}
	return p.result(ctx, ev, msg, ack), nil
}

// defaultAckWait is how long PublishAll waits for an ack when ctx has no
// deadline, as Publish does (JetStream's default).
const defaultAckWait = 5 * time.Second

// PublishAll publishes evs as Publish does, in order, but sends each
// without waiting for the ack of the one before, then waits until the
// stream has stored them all (or ctx ends; without a deadline on ctx, 5
// seconds). Events sent together on one connection are stored in the
// order given. On an error some of evs may have been stored: publish them
// all again, their IDs make that safe. Give the JetStream of New the
// option jetstream.WithPublishAsyncTimeout, so that acks that never come
// (an outage) do not stay pending in it forever.
func (p *Publisher) PublishAll(ctx context.Context, evs ...Event) ([]PublishResult, error) {
	if len(evs) == 1 {
		res, err := p.Publish(ctx, evs[0])
		if err != nil {
			return nil, err
		}
		return []PublishResult{res}, nil
	}
	msgs := make([]*nats.Msg, len(evs))
	capped := make([]Event, len(evs))
	for i, ev := range evs {
		msg, ev, err := p.message(ev)
		if err != nil {
			return nil, err
		}
		msgs[i], capped[i] = msg, ev
	}
	out, i, err := p.publishAll(ctx, capped, msgs)
	if err != nil {
		var healed bool
		if healed, err = p.heal(ctx, err); healed {
			// The stream was recreated: publish them all again; their IDs
			// drop any that were stored.
			out, i, err = p.publishAll(ctx, capped, msgs)
		}
	}
	if err != nil {
		return nil, p.publishError(ctx, capped[i], msgs[i], err)
	}
	return out, nil
}

// publishAll sends msgs without waiting, then waits for their acks. On an
// error it returns the index of the event that failed.
func (p *Publisher) publishAll(ctx context.Context, evs []Event, msgs []*nats.Msg) ([]PublishResult, int, error) {
	futures := make([]jetstream.PubAckFuture, len(evs))
	for i, msg := range msgs {
		f, err := p.js.PublishMsgAsync(msg, jetstream.WithMsgID(evs[i].ID), jetstream.WithExpectStream(p.stream))
		if err != nil {
			return nil, i, err
		}
		futures[i] = f
	}
	wait := defaultAckWait
	if dl, ok := ctx.Deadline(); ok {
		wait = time.Until(dl)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	out := make([]PublishResult, len(evs))
	for i, f := range futures {
		select {
		case ack := <-f.Ok():
			out[i] = p.result(ctx, evs[i], msgs[i], ack)
		case err := <-f.Err():
			return nil, i, err
		case <-ctx.Done():
			return nil, i, ctx.Err()
		case <-timer.C:
			return nil, i, fmt.Errorf("no ack within %v: %w", wait, context.DeadlineExceeded)
		}
	}
	return out, 0, nil
}

// message caps and validates ev (setting a zero Schema) and makes its NATS
// message; it returns the capped event.
func (p *Publisher) message(ev Event) (*nats.Msg, Event, error) {
	if ev.Schema == 0 {
		ev.Schema = SchemaVersion
	}
	ev = ev.Capped()
	if err := ev.Validate(); err != nil {
		return nil, ev, err
	}
	data, err := Marshal(ev)
	if err != nil {
		return nil, ev, err
	}
	// Room for every header: these 8, and the 2 PublishMsgAsync sets.
	msg := &nats.Msg{Subject: ev.Subject(p.prefix), Data: data, Header: make(nats.Header, 10)}
	msg.Header.Set(HeaderSchema, strconv.Itoa(ev.Schema))
	msg.Header.Set(HeaderType, string(ev.Type))
	p.setCloudEvents(msg.Header, ev)
	return msg, ev, nil
}

// result logs an ack and returns it as a PublishResult.
func (p *Publisher) result(ctx context.Context, ev Event, msg *nats.Msg, ack *jetstream.PubAck) PublishResult {
	res := PublishResult{Sequence: ack.Sequence, Duplicate: ack.Duplicate}
	p.log.DebugContext(ctx, "event published", "type", ev.Type, "id", ev.ID, "subject", msg.Subject,
		"seq", res.Sequence, "duplicate", res.Duplicate)
	return res
}

// ErrPermanent is wrapped by the errors of a publish that failed for a
// reason retrying cannot fix: publishing to the subject is not permitted,
// the event is larger than the server or stream accepts, the stream is
// full and discards new messages, or the stream is missing and cannot be
// created. IsTransient is false for them.
var ErrPermanent = errors.New("publisher: permanent failure")

// publishError wraps a failed publish of ev, saying whether it is
// permanent, and logs and counts a permanent one.
func (p *Publisher) publishError(ctx context.Context, ev Event, msg *nats.Msg, err error) error {
	if errors.Is(err, nats.ErrReconnectBufExceeded) {
		// Connect's connections buffer nothing while reconnecting.
		return fmt.Errorf("publisher: publish %s event %s on %s: not connected, reconnecting: %w", ev.Type, ev.ID, msg.Subject, err)
	}
	if why := p.permanentCause(err, msg); why != "" && !errors.Is(err, ErrPermanent) {
		err = fmt.Errorf("%w (%s): %w", ErrPermanent, why, err)
	}
	if errors.Is(err, ErrPermanent) {
		p.permanent.Add(1)
		p.log.ErrorContext(ctx, "event cannot be published", "type", ev.Type, "id", ev.ID,
			"subject", msg.Subject, "size", len(msg.Data), "error", err)
	}
	return fmt.Errorf("publisher: publish %s event %s on %s: %w", ev.Type, ev.ID, msg.Subject, err)
}

// permanentCause says why err, from publishing msg, cannot be fixed by
// retrying, or "" when it may be.
func (p *Publisher) permanentCause(err error, msg *nats.Msg) string {
	if errors.Is(err, nats.ErrMaxPayload) {
		return "larger than the server's max_payload"
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case jetstream.JSErrCodeStreamMessageExceedsMaximum:
			return "larger than the stream's max_msg_size"
		case 10060: // JSStreamNotMatchErr: another stream took the subject
			return "the subject belongs to another stream"
		case 10077: // JSStreamStoreFailedF, wrapping the store's error
			// nats-server server/store.go: ErrMaxMsgs, ErrMaxBytes,
			// ErrMaxMsgsPerSubject (limits with discard new) and
			// ErrMsgTooLarge.
			d := apiErr.Description
			if strings.Contains(d, "maximum") && strings.Contains(d, "exceeded") || strings.Contains(d, "message too large") {
				return "the stream is full and discards new messages"
			}
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) {
		// A publish the server refuses for permissions is dropped, and
		// only the connection's last error tells: nats-server answers
		// `-ERR 'Permissions Violation for Publish to "<subject>"'`.
		if nc := p.js.Conn(); nc != nil {
			if last := nc.LastError(); errors.Is(last, nats.ErrPermissionViolation) &&
				strings.Contains(last.Error(), `Publish to "`+msg.Subject+`"`) {
				return "not permitted to publish to " + msg.Subject
			}
		}
	}
	return ""
}

// heal recreates the stream when err, a failed publish, says no stream
// answered and the stream is indeed gone (deleted while running). It
// reports whether it did, so that the publish can be tried again, and
// returns err, wrapped in ErrPermanent when the stream is gone and cannot
// be created (refused configuration, permissions, overlapping subjects).
func (p *Publisher) heal(ctx context.Context, err error) (bool, error) {
	if !errors.Is(err, jetstream.ErrNoStreamResponse) && !errors.Is(err, nats.ErrNoResponders) {
		return false, err
	}
	p.healMu.Lock()
	defer p.healMu.Unlock()
	_, serr := p.js.Stream(ctx, p.stream)
	switch {
	case serr == nil:
		return true, err // another publish recreated it meanwhile, or it answers again
	case !errors.Is(serr, jetstream.ErrStreamNotFound):
		return false, err // JetStream itself does not answer: an outage
	}
	p.log.WarnContext(ctx, "stream missing while publishing; recreating it", "stream", p.stream)
	if cerr := ensureStream(ctx, p.js, p.cfg, p.log, true); cerr != nil {
		p.log.ErrorContext(ctx, "stream cannot be recreated", "stream", p.stream, "error", cerr)
		if IsTransient(cerr) {
			return false, err
		}
		return false, fmt.Errorf("%w (stream %s is missing and cannot be created: %w): %w", ErrPermanent, p.stream, cerr, err)
	}
	p.recreated.Add(1)
	p.log.WarnContext(ctx, "stream recreated", "stream", p.stream)
	return true, err
}

// IsTransient reports whether err, from Publish, New or Connect, is a
// failure that may go away by itself: a timeout, no responders (no
// JetStream leader yet), a closed, draining or reconnecting connection, a
// network error, or a JetStream API error with code 503 (unavailable) or
// 408. An invalid event, an error wrapping ErrPermanent, a refused
// configuration, a denied permission, a server without JetStream or a
// cancelled context is not transient.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrInvalidEvent) || errors.Is(err, ErrPermanent) {
		return false
	}
	for _, target := range []error{
		context.DeadlineExceeded,
		nats.ErrTimeout,
		nats.ErrNoResponders,
		jetstream.ErrNoStreamResponse,
		nats.ErrConnectionClosed,
		nats.ErrConnectionDraining,
		nats.ErrConnectionReconnecting,
		nats.ErrReconnectBufExceeded,
		nats.ErrDisconnected,
		nats.ErrNoServers,
		nats.ErrStaleConnection,
		nats.ErrInvalidConnection,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case jetstream.JSErrCodeJetStreamNotEnabled, jetstream.JSErrCodeJetStreamNotEnabledForAccount:
			return false // a server or account without JetStream stays so
		}
		return apiErr.Code == 503 || apiErr.Code == 408
	}
	var netErr interface{ Timeout() bool }
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	return isNetError(err)
}
