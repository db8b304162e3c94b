package publisher_test

import (
	"context"
	"encoding/json"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// Publishing events: connect, make the stream, publish, and keep an event
// whose publish failed transiently to publish it again later.
func Example() {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	nc, err := publisher.Connect(cctx, publisher.ConnOptions{URL: "nats://127.0.0.1:4222"}, logger)
	if err != nil {
		log.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	p, err := publisher.New(ctx, js, publisher.StreamConfig{MaxAge: 7 * 24 * time.Hour}, logger)
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Publish(ctx, publisher.Event{
		ID:        "9b2f0c4e7a1d4b6e8f3a5c7d9e1f2a3b:alice@example.net",
		Type:      publisher.TypeBounce,
		Time:      time.Now(),
		Recipient: "alice@example.net",
		Verdict: outcome.Verdict{
			Reason:   "user_unknown",
			Category: "user_unknown",
			Hard:     true,
			Status:   "5.1.1",
		},
	})
	switch {
	case publisher.IsTransient(err):
		// NATS is down or busy: keep the event, publish it again later.
	case err != nil:
		log.Fatal(err)
	case res.Duplicate:
		// Already published: nothing new was stored.
	}
}

// Consuming events with a durable consumer, as docs/events.md shows.
func Example_consume() {
	ctx := context.Background()
	apply := func(context.Context, publisher.Event) error { return nil }

	nc, err := nats.Connect("nats://127.0.0.1:4222")
	if err != nil {
		log.Fatal(err)
	}
	defer nc.Drain()
	js, err := jetstream.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	c, err := js.CreateOrUpdateConsumer(ctx, "BOUNCED", jetstream.ConsumerConfig{
		Durable:       "crm-sync",
		FilterSubject: "bounced.>", // or FilterSubjects (NATS 2.10+)
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    -1,
	})
	if err != nil {
		log.Fatal(err)
	}
	cc, err := c.Consume(func(m jetstream.Msg) {
		var ev publisher.Event // or your own struct with the fields you need
		if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.Schema != publisher.SchemaVersion {
			log.Printf("event %s: unreadable or unknown schema: %v", m.Headers().Get("Nats-Msg-Id"), err)
			_ = m.Term() // never redeliver it
			return
		}
		switch ev.Type {
		case publisher.TypeBounce, publisher.TypeComplaint, publisher.TypeSuppressionAdded, publisher.TypeSuppressionRemoved:
			if err := apply(ctx, ev); err != nil { // idempotent on ev.ID
				_ = m.NakWithDelay(time.Minute) // retry later
				return
			}
		}
		_ = m.Ack()
	})
	if err != nil {
		log.Fatal(err)
	}
	defer cc.Stop()
	<-ctx.Done()
}
