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
	stream string
	prefix string
	log    *slog.Logger
	host   string // in the CloudEvents source (cloudevents.go)
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
	return &Publisher{js: js, stream: cfg.Name, prefix: cfg.SubjectPrefix, log: log, host: hostname()}, nil
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
	msg, err := p.message(ev)
	if err != nil {
		return PublishResult{}, err
	}
	ack, err := p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(ev.ID), jetstream.WithExpectStream(p.stream))
	if err != nil {
		return PublishResult{}, publishError(ev, msg, err)
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
	for i, ev := range evs {
		msg, err := p.message(ev)
		if err != nil {
			return nil, err
		}
		msgs[i] = msg
	}
	futures := make([]jetstream.PubAckFuture, len(evs))
	for i, msg := range msgs {
		f, err := p.js.PublishMsgAsync(msg, jetstream.WithMsgID(evs[i].ID), jetstream.WithExpectStream(p.stream))
		if err != nil {
			return nil, publishError(evs[i], msg, err)
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
			return nil, publishError(evs[i], msgs[i], err)
		case <-ctx.Done():
			return nil, publishError(evs[i], msgs[i], ctx.Err())
		case <-timer.C:
			return nil, publishError(evs[i], msgs[i], fmt.Errorf("no ack within %v: %w", wait, context.DeadlineExceeded))
		}
	}
	return out, nil
}

// message validates ev (setting a zero Schema) and makes its NATS message.
func (p *Publisher) message(ev Event) (*nats.Msg, error) {
	if ev.Schema == 0 {
		ev.Schema = SchemaVersion
	}
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	data, err := Marshal(ev)
	if err != nil {
		return nil, err
	}
	msg := &nats.Msg{Subject: ev.Subject(p.prefix), Data: data, Header: nats.Header{}}
	msg.Header.Set(HeaderSchema, strconv.Itoa(ev.Schema))
	msg.Header.Set(HeaderType, string(ev.Type))
	setCloudEvents(msg.Header, ev, p.host)
	return msg, nil
}

// result logs an ack and returns it as a PublishResult.
func (p *Publisher) result(ctx context.Context, ev Event, msg *nats.Msg, ack *jetstream.PubAck) PublishResult {
	res := PublishResult{Sequence: ack.Sequence, Duplicate: ack.Duplicate}
	p.log.DebugContext(ctx, "event published", "type", ev.Type, "id", ev.ID, "subject", msg.Subject,
		"seq", res.Sequence, "duplicate", res.Duplicate)
	return res
}

// publishError wraps a failed publish of ev.
func publishError(ev Event, msg *nats.Msg, err error) error {
	if errors.Is(err, nats.ErrReconnectBufExceeded) {
		// Connect's connections buffer nothing while reconnecting.
		return fmt.Errorf("publisher: publish %s event %s on %s: not connected, reconnecting: %w", ev.Type, ev.ID, msg.Subject, err)
	}
	return fmt.Errorf("publisher: publish %s event %s on %s: %w", ev.Type, ev.ID, msg.Subject, err)
}

// IsTransient reports whether err, from Publish, New or Connect, is a
// failure that may go away by itself: a timeout, no responders (no
// JetStream leader yet), a closed, draining or reconnecting connection, a
// network error, or a JetStream API error with code 503 (unavailable) or
// 408. An invalid event, a refused configuration, a denied permission, a
// server without JetStream or a cancelled context is not transient.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrInvalidEvent) {
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
