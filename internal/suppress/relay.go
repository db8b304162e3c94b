package suppress

import (
	"context"
	"fmt"
	"time"
)

// The store's own loops: the relay that publishes the outbox of lifted
// suppressions, and the sweeper of expired ones. The daemon runs both in
// its WaitGroup; each returns when ctx ends and recovers its panics.

// PublishLift publishes the suppression.removed event of one lift; the
// daemon's publishes it to JetStream and waits for the ack.
type PublishLift func(ctx context.Context, l Lifted) error

// RunOutbox publishes the suppression.removed event of every lifted
// suppression (Outbox), whoever lifted it: the HTTP API or `bounced
// suppressions lift`. The lift and its place in the outbox are one Redis
// script, and an entry leaves the outbox only once publish succeeded, so
// a lift made while NATS is down is published when it is back, and one
// published twice (a crash between the publish and the removal) is
// deduplicated by its ID (Lifted.ID). An error for which permanent
// reports true (an event that can never be published) drops the entry
// from the outbox: the lift itself is in the audit list. It runs every
// interval, and at once when wake receives, until ctx ends.
func (s *Store) RunOutbox(ctx context.Context, publish PublishLift, permanent func(error) bool, wake <-chan struct{}, interval time.Duration) {
	defer s.recoverPanic("outbox")
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		n, err := s.FlushOutbox(ctx, publish, permanent)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && !failing:
			failing = true
			s.log.Warn("suppress: cannot publish lifted suppressions yet; will retry", "error", err)
		case err == nil && failing:
			failing = false
			s.log.Info("suppress: lifted suppressions published again")
		}
		if n > 0 {
			s.log.Info("suppress: suppression.removed events published", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

// FlushOutbox publishes the outbox until it is empty or an error, and
// returns how many events it published. See RunOutbox.
func (s *Store) FlushOutbox(ctx context.Context, publish PublishLift, permanent func(error) bool) (int, error) {
	n := 0
	for {
		lifts, err := s.Outbox(ctx, 100)
		if err != nil || len(lifts) == 0 {
			return n, err
		}
		for _, l := range lifts {
			err := publish(ctx, l)
			switch {
			case err != nil && permanent != nil && permanent(err):
				s.log.Error("suppress: lifted suppression cannot be published; dropped from the outbox", "address", l.Address, "error", err)
			case err != nil:
				return n, fmt.Errorf("suppress: publish suppression.removed of %s: %w", l.Address, err)
			default:
				n++
			}
			if err := s.Published(ctx, l); err != nil {
				return n, err
			}
		}
	}
}

// RunSweeper lifts the expired suppressions (Sweep) every interval until
// ctx ends, telling lifted (when not nil) how many each sweep lifted.
func (s *Store) RunSweeper(ctx context.Context, interval time.Duration, lifted func(int)) {
	defer s.recoverPanic("sweeper")
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := s.Sweep(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.Warn("suppress: sweep of expired suppressions failed", "error", err)
			}
			if n > 0 && lifted != nil {
				lifted(n)
			}
		}
	}
}

func (s *Store) recoverPanic(what string) {
	if r := recover(); r != nil {
		s.log.Error("suppress: panic recovered", "in", what, "panic", r)
	}
}
