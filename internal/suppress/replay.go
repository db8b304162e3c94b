package suppress

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The methods below rebuild the store from its durable log (the JetStream
// stream of events), which `bounced rebuild` replays in order.

// ReplayApply applies e as Apply does, but as of now, the time it was
// applied live (its event's time in the stream; e.At when zero): expiries
// are judged at that time, so that replaying a log in order gives what
// applying it live gave. Call Sweep after the last event to lift what has
// expired since. It does not check the epoch.
func (s *Store) ReplayApply(ctx context.Context, e Entry, now time.Time) (Result, error) {
	if now.IsZero() {
		now = e.At
	}
	if now.IsZero() {
		now = s.now()
	}
	return s.apply(ctx, e, now, false)
}

// ReplayLift lifts addr as Remove did at at, with the same audit entry,
// but queues no event: the lift's suppression.removed event is the one
// being replayed.
func (s *Store) ReplayLift(ctx context.Context, addr, actor, note string, at time.Time) (bool, error) {
	return s.remove(ctx, addr, actor, note, at, false)
}

// Reset deletes every key of the store but the IMAP checkpoints
// (P:checkpoint:*), the epoch included, before a rebuild. It returns how
// many keys it deleted.
func (s *Store) Reset(ctx context.Context) (int, error) {
	keep := s.key("checkpoint") + ":"
	n := 0
	iter := s.c.Scan(ctx, 0, escapeGlob(s.prefix)+":*", 1000).Iterator()
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.c.Unlink(ctx, batch...).Err(); err != nil {
			return fmt.Errorf("suppress: reset: %w", err)
		}
		n += len(batch)
		batch = batch[:0]
		return nil
	}
	for iter.Next(ctx) {
		k := iter.Val()
		if strings.HasPrefix(k, keep) {
			continue
		}
		batch = append(batch, k)
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := iter.Err(); err != nil {
		return n, fmt.Errorf("suppress: reset: %w", err)
	}
	if err := flush(); err != nil {
		return n, err
	}
	s.log.InfoContext(ctx, "suppress: store reset", "keys_deleted", n)
	return n, nil
}

// escapeGlob escapes the glob characters of a Redis SCAN MATCH pattern.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
