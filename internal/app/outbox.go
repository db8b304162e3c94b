package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bounced-dev/bounced/publisher"
)

// outboxLoop publishes the suppression.removed event of every lifted
// suppression (suppress.Store.Outbox), whoever lifted it: the HTTP API or
// `bounced suppressions lift`. The lift and its place in the outbox are one
// Redis script, and an entry leaves the outbox only once JetStream has
// acked its event, so a lift made while NATS is down is published when it
// is back, and one published twice (a crash between the ack and the
// removal) is deduplicated by its ID. It runs every second, and at once
// after a lift through the API.
func (a *App) outboxLoop(ctx context.Context, pub *publisher.Publisher) {
	defer a.recoverPanic("outbox")
	t := time.NewTicker(time.Second)
	defer t.Stop()
	failing := false
	for {
		n, err := a.flushOutbox(ctx, pub)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && !failing:
			failing = true
			a.log.Warn("cannot publish lifted suppressions yet; will retry", "error", err)
		case err == nil && failing:
			failing = false
			a.log.Info("lifted suppressions published again")
		}
		if n > 0 {
			a.log.Info("suppression.removed events published", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-a.outboxWake:
		}
	}
}

// flushOutbox publishes the outbox until it is empty or an error, and
// returns how many events it published.
func (a *App) flushOutbox(ctx context.Context, pub *publisher.Publisher) (int, error) {
	n := 0
	for {
		lifts, err := a.store.Outbox(ctx, 100)
		if err != nil || len(lifts) == 0 {
			return n, err
		}
		for _, l := range lifts {
			ev := publisher.Event{
				ID: l.ID(), Type: publisher.TypeSuppressionRemoved, Time: l.At, Recipient: l.Address,
				Kind: l.Kind, Reason: l.Reason, Category: l.Category, Hard: l.Hard, Scope: l.Scope,
				Count: l.Count, Actor: l.Actor, Note: l.Note,
			}
			_, err := pub.Publish(ctx, ev)
			if errors.Is(err, publisher.ErrInvalidEvent) {
				// It can never be published: keep the outbox moving. The
				// lift itself is in the audit list.
				a.log.Error("lifted suppression cannot be published; dropped from the outbox", "address", l.Address, "error", err)
			} else if err != nil {
				return n, fmt.Errorf("app: publish suppression.removed of %s: %w", l.Address, err)
			} else {
				n++
				a.countLifted(l.Scope)
			}
			if err := a.store.Published(ctx, l); err != nil {
				return n, err
			}
		}
	}
}

// kickOutbox makes outboxLoop run now. It never blocks.
func (a *App) kickOutbox() {
	select {
	case a.outboxWake <- struct{}{}:
	default:
	}
}
