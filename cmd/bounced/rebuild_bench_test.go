package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// BenchmarkRebuild replays a stream of 10,000 hard bounces into an empty
// store: go test ./cmd/bounced -run '^$' -bench Rebuild -benchtime 3x
func BenchmarkRebuild(b *testing.B) {
	const n = 10000
	rs := testutil.StartRedis(b)
	ns := testutil.StartNATSEmbedded(b)
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	store := suppress.New(c, "", suppress.DefaultPolicy(), nil)
	nc, err := nats.Connect(ns.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	pub, err := publisher.New(ctx, js, publisher.StreamConfig{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.CheckStoreEpoch(ctx, store, pub); err != nil {
		b.Fatal(err)
	}
	at := time.Now().Add(-time.Hour)
	for i := range n {
		rcpt := fmt.Sprintf("user%d@example.com", i)
		id := fmt.Sprintf("m%d:%s", i, rcpt)
		if _, err := js.PublishAsync("bounced.bounce.user_unknown.user_unknown", mustMarshal(b, publisher.Event{
			Schema: 1, ID: id, Type: publisher.TypeBounce, Time: at, Recipient: rcpt, Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown",
				Hard: true, OriginalMessageID: fmt.Sprintf("<o%d@shop>", i)},
		})); err != nil {
			b.Fatal(err)
		}
	}
	<-js.PublishAsyncComplete()
	log := slog.New(slog.DiscardHandler)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		st, err := rebuild(ctx, store, pub, rebuildOptions{Force: true, Log: log})
		if err != nil || st.Applied != n {
			b.Fatalf("rebuild() = %+v, %v", st, err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
	}
	if cnt, _ := store.Count(ctx); cnt != n {
		b.Fatalf("%d suppressed, want %d", cnt, n)
	}
}

func mustMarshal(b *testing.B, ev publisher.Event) []byte {
	data, err := publisher.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
