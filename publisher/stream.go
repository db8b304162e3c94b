package publisher

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamState is what the stream holds, for a program that keeps it as its
// durable log (bounced rebuilds its suppression store from it).
type StreamState struct {
	// Metadata is the stream's metadata (NATS 2.10 and later).
	Metadata map[string]string
	// Msgs is how many events the stream holds now.
	Msgs uint64
	// FirstSeq and LastSeq are the sequences of its oldest and newest
	// events. LastSeq stays when events age out: a stream that has ever
	// held an event has LastSeq > 0. FirstSeq > 1 means older events are
	// gone (max age, limits or a purge).
	FirstSeq, LastSeq uint64
}

// StreamState returns the state of p's stream.
func (p *Publisher) StreamState(ctx context.Context) (StreamState, error) {
	s, err := p.js.Stream(ctx, p.stream)
	if err != nil {
		return StreamState{}, fmt.Errorf("publisher: stream %s: %w", p.stream, err)
	}
	info := s.CachedInfo()
	return StreamState{Metadata: maps.Clone(info.Config.Metadata), Msgs: info.State.Msgs,
		FirstSeq: info.State.FirstSeq, LastSeq: info.State.LastSeq}, nil
}

// ErrNoMetadata is returned by SetStreamMetadata when the server does not
// keep stream metadata (nats-server before 2.10).
var ErrNoMetadata = errors.New("publisher: the server does not keep stream metadata")

// SetStreamMetadata sets one entry of the stream's metadata, keeping its
// other settings and entries. The metadata goes with the stream: a stream
// recreated after it was deleted has none.
func (p *Publisher) SetStreamMetadata(ctx context.Context, key, value string) error {
	s, err := p.js.Stream(ctx, p.stream)
	if err != nil {
		return fmt.Errorf("publisher: stream %s: %w", p.stream, err)
	}
	cfg := s.CachedInfo().Config
	if cfg.Metadata[key] == value {
		return nil
	}
	cfg.Metadata = maps.Clone(cfg.Metadata)
	if cfg.Metadata == nil {
		cfg.Metadata = map[string]string{}
	}
	cfg.Metadata[key] = value
	s, err = p.js.UpdateStream(ctx, cfg)
	if err != nil {
		return fmt.Errorf("publisher: set metadata %s of stream %s: %w", key, p.stream, err)
	}
	if s.CachedInfo().Config.Metadata[key] != value {
		// QUIRK: nats-server before 2.10 accepts the update and drops the
		// metadata without a word.
		return fmt.Errorf("%w: stream %s", ErrNoMetadata, p.stream)
	}
	p.log.InfoContext(ctx, "stream metadata set", "stream", p.stream, "key", key, "value", value)
	return nil
}

// JetStream returns the JetStream context p publishes with, e.g. to read
// the stream back.
func (p *Publisher) JetStream() jetstream.JetStream { return p.js }
