package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

// TestRun_redisWipedIsNotReady restarts Redis without persistence under
// a running daemon: the store's epoch is gone, so the daemon logs an
// error, /readyz says not ready and why, and Apply refuses, until the
// epoch is set again (what bounced rebuild does). Before, every
// suppression was silently lost and /readyz said ready.
func TestRun_redisWipedIsNotReady(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	rs := testutil.StartRedis(t) // no persistence
	ns := testutil.StartNATSEmbedded(t)
	cfg := config.Default()
	cfg.Redis.URL = "redis://" + rs.Addr + "/0"
	cfg.NATS.URL = ns.URL
	cfg.HTTP.Listen = "127.0.0.1:0"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &testutil.LogBuffer{}
	a := New(&cfg, slog.New(slog.NewTextHandler(logs, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.Tail(4000))
		}
	})
	waitReady(t, a, done, 30*time.Second)
	readyz := func() (int, string) {
		resp, err := http.Get("http://" + a.HTTPAddr() + "/readyz")
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := readyz(); code != 200 {
		t.Fatalf("/readyz on a fresh install = %d %s, want 200", code, body)
	}

	// The fresh install recorded its epoch in Redis and in the stream.
	nc, err := nats.Connect(ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	st, err := js.Stream(ctx, cfg.NATS.Stream)
	if err != nil {
		t.Fatal(err)
	}
	streamEpoch := st.CachedInfo().Config.Metadata[EpochMetadataKey]
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	store := suppress.New(c, cfg.Redis.Prefix, suppress.DefaultPolicy(), nil)
	redisEpoch, ok, err := store.ReadEpoch(ctx)
	if err != nil || !ok || redisEpoch.ID != streamEpoch {
		t.Fatalf("epoch in redis %+v (%v, %v), in the stream %q: want the same", redisEpoch, ok, err, streamEpoch)
	}

	rs.Stop()
	rs.Start() // comes back empty
	waitFor(t, 20*time.Second, "/readyz to say the store was wiped", func() bool {
		code, body := readyz()
		return code == http.StatusServiceUnavailable && strings.Contains(body, "store_epoch") && strings.Contains(body, "wiped")
	})
	if !strings.Contains(logs.String(), "suppression store lost its data") {
		t.Errorf("no error logged for the wiped store")
	}
	if resp, err := http.Get("http://" + a.HTTPAddr() + "/metrics"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), "bounced_store_epoch_ok 0") {
			t.Errorf("/metrics does not say bounced_store_epoch_ok 0 for a wiped store")
		}
	}
	// The daemon's store refuses to apply.
	_, err = a.store.Apply(ctx, suppress.Entry{IdempotencyKey: "k1", Recipient: "a@example.com", Verdict: outcome.Verdict{Kind: "bounce", Hard: true, Reason: "user_unknown"}})
	if !errors.Is(err, suppress.ErrNoEpoch) || !suppress.IsTransient(err) {
		t.Errorf("Apply() on the wiped store = %v, want ErrNoEpoch, transient", err)
	}

	// The operator rebuilds (or accepts the empty store): ready again.
	if err := store.SetEpoch(ctx, redisEpoch); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "/readyz to say ready again", func() bool { code, _ := readyz(); return code == 200 })
	if _, err := a.store.Apply(ctx, suppress.Entry{IdempotencyKey: "k1", Recipient: "a@example.com", Verdict: outcome.Verdict{Kind: "bounce", Hard: true, Reason: "user_unknown"}}); err != nil {
		t.Errorf("Apply() after the epoch is back = %v", err)
	}
}
