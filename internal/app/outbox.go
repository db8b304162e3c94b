package app

import (
	"context"
	"errors"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// outboxLoop runs the store's outbox relay (suppress.Store.RunOutbox)
// with pub: every second, and at once after a lift through the API.
func (a *App) outboxLoop(ctx context.Context, pub *publisher.Publisher) {
	a.store.RunOutbox(ctx, a.liftPublisher(pub), func(err error) bool { return errors.Is(err, publisher.ErrInvalidEvent) },
		a.outboxWake, time.Second)
}

// liftPublisher publishes the suppression.removed event of a lift, and
// counts it once published.
func (a *App) liftPublisher(pub *publisher.Publisher) suppress.PublishLift {
	return func(ctx context.Context, l suppress.Lifted) error {
		_, err := pub.Publish(ctx, publisher.Event{
			ID: l.ID(), Type: publisher.TypeSuppressionRemoved, Time: l.At, Recipient: l.Address,
			Verdict: outcome.Verdict{Kind: l.Kind, Reason: l.Reason, Category: l.Category, Hard: l.Hard}, Scope: l.Scope,
			Count: l.Count, Actor: l.Actor, Note: l.Note,
		})
		if err == nil {
			a.countLifted(l.Scope)
		}
		return err
	}
}

// kickOutbox makes the outbox relay run now. It never blocks.
func (a *App) kickOutbox() {
	select {
	case a.outboxWake <- struct{}{}:
	default:
	}
}
