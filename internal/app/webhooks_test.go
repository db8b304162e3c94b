package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// TestRun_embeddedNATSListenAndWebhooks runs the daemon on the README's
// "only Redis" path: the embedded NATS server listens where configured and
// asks for the configured password, another system publishes and reads
// there, and a webhook receives the events, within the daemon's lifecycle.
func TestRun_embeddedNATSListenAndWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	rs := testutil.StartRedis(t)
	var mu sync.Mutex
	var got []*http.Request
	var bodies []string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, bodies = append(got, r), append(bodies, string(b))
		mu.Unlock()
	}))
	t.Cleanup(rcv.Close)
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

	cfg := config.Default()
	cfg.Redis.URL = "redis://" + rs.Addr + "/0"
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.NATS.DataDir = filepath.Join(t.TempDir(), "nats")
	cfg.NATS.Listen = "127.0.0.1:0"
	cfg.NATS.ListenUser, cfg.NATS.ListenPassword = "shop", "listen-pw"
	cfg.Webhooks = []config.Webhook{{Name: "crm", URL: rcv.URL + "/in", Secret: secret, Events: []string{"bounce"},
		Timeout: config.Duration(5 * time.Second), MaxAttempts: 3, RetryMin: config.Duration(10 * time.Millisecond), RetryMax: config.Duration(time.Second)}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs testutil.LogBuffer
	a := New(&cfg, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	stopped := false
	t.Cleanup(func() {
		cancel()
		if !stopped {
			<-done
		}
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.Tail(6000))
		}
	})
	waitReady(t, a, done, 30*time.Second)

	url := a.NATSURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") {
		t.Fatalf("NATSURL() = %q, want the configured loopback address", url)
	}
	if nc, err := nats.Connect(url, nats.UserInfo("shop", "wrong"), nats.NoReconnect()); err == nil {
		nc.Close()
		t.Error("Connect(wrong password) = nil error, want it refused")
	} else if !errors.Is(err, nats.ErrAuthorization) && !strings.Contains(strings.ToLower(err.Error()), "authorization") {
		t.Errorf("Connect(wrong password) = %v, want an authorization error", err)
	}
	nc, err := nats.Connect(url, nats.UserInfo("shop", "listen-pw"))
	if err != nil {
		t.Fatalf("Connect(configured user) = %v", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer tcancel()
	testutil.WaitFor(t, 20*time.Second, "webhook consumer", func() bool {
		st := a.Webhooks().Status(tctx)
		return len(st) == 1 && st[0].State == "running"
	})
	pub, err := publisher.New(tctx, js, publisher.StreamConfig{Name: cfg.NATS.Stream, SubjectPrefix: cfg.NATS.SubjectPrefix, MaxAge: cfg.NATS.MaxAge.D(), DuplicateWindow: cfg.NATS.DuplicateWindow.D()}, nil)
	if err != nil {
		t.Fatalf("publisher.New() = %v", err)
	}
	when := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	for _, ev := range []publisher.Event{
		{ID: "k1:a@example.net", Type: publisher.TypeComplaint, Time: when, Recipient: "a@example.net"},
		{ID: "k2:b@example.net", Type: publisher.TypeBounce, Time: when, Recipient: "b@example.net", Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown", Hard: true}},
	} {
		if _, err := pub.Publish(tctx, ev); err != nil {
			t.Fatalf("Publish(%s) = %v", ev.ID, err)
		}
	}
	testutil.WaitFor(t, 20*time.Second, "webhook delivery", func() bool {
		m := a.Webhooks().Metrics()
		return m[0].Delivered == 1
	})
	if m := metrics(a); !strings.Contains(m, `bounced_webhook_deliveries_total{endpoint="crm"} 1`) {
		t.Errorf("/metrics has no delivery for the endpoint:\n%s", m)
	}
	mu.Lock()
	if len(got) != 1 || got[0].Header.Get("ce-id") != "k2:b@example.net" || got[0].Header.Get("webhook-signature") == "" {
		t.Errorf("receiver got %d requests (first ce-id %q), want the bounce only, signed", len(got), got[0].Header.Get("ce-id"))
	}
	key, _ := webhook.ParseSecret(secret)
	r := got[0]
	var ts int64
	if _, err := fmt.Sscan(r.Header.Get("webhook-timestamp"), &ts); err != nil {
		t.Fatal(err)
	}
	if want := webhook.Sign(r.Header.Get("webhook-id"), ts, []byte(bodies[0]), key); r.Header.Get("webhook-signature") != want {
		t.Errorf("webhook-signature = %q, want %q", r.Header.Get("webhook-signature"), want)
	}
	mu.Unlock()
	if strings.Contains(logs.String(), "listen-pw") || strings.Contains(logs.String(), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") {
		t.Error("the daemon's log shows a secret")
	}

	cancel()
	stopped = true
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run() = %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("daemon did not stop within 15s")
	}
}

// TestRun_webhookDeadLettersOnAPI: a webhook whose receiver always fails
// ends with its event dead-lettered after max_attempts, and the daemon's
// GET /api/v1/webhooks (with the read token) shows it: the counter, the
// dead letter read back from the stream with its error, and a replay
// time; /metrics counts it too.
func TestRun_webhookDeadLettersOnAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	rs := testutil.StartRedis(t)
	var mu sync.Mutex
	posts := 0
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		posts++
		mu.Unlock()
		http.Error(w, "crm is down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(rcv.Close)

	cfg := config.Default()
	cfg.Redis.URL = "redis://" + rs.Addr + "/0"
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.HTTP.ReadToken = config.Secret("read-tok-dl-4f9a1c3e7b")
	cfg.NATS.DataDir = filepath.Join(t.TempDir(), "nats")
	cfg.NATS.Listen = "127.0.0.1:0"
	cfg.NATS.ListenUser, cfg.NATS.ListenPassword = "shop", "listen-pw"
	cfg.Webhooks = []config.Webhook{{Name: "crm", URL: rcv.URL + "/in?token=rcv-t0ken", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		Timeout: config.Duration(5 * time.Second), MaxAttempts: 2, RetryMin: config.Duration(10 * time.Millisecond), RetryMax: config.Duration(100 * time.Millisecond)}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs testutil.LogBuffer
	a := New(&cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.Tail(6000))
		}
	})
	waitReady(t, a, done, 30*time.Second)

	type deadLetter struct {
		ID, Error string
		Attempts  int
	}
	type status struct {
		Endpoint          string       `json:"endpoint"`
		URL               string       `json:"url"`
		Failed            int          `json:"failed"`
		DeadLettered      int          `json:"dead_lettered"`
		DeadLettersStored int          `json:"dead_letters_stored"`
		Recent            []deadLetter `json:"recent_dead_letters"`
		ReplaySince       *time.Time   `json:"replay_since"`
		State             string       `json:"state"`
	}
	apiGet := func(tok string) (int, string, []status) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+a.HTTPAddr()+"/api/v1/webhooks", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var v struct{ Webhooks []status }
		_ = json.Unmarshal(b, &v)
		return resp.StatusCode, string(b), v.Webhooks
	}
	if code, _, _ := apiGet(""); code != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/webhooks without a token = %d, want 401", code)
	}
	testutil.WaitFor(t, 20*time.Second, "webhook consumer running", func() bool {
		_, _, st := apiGet("read-tok-dl-4f9a1c3e7b")
		return len(st) == 1 && st[0].State == "running"
	})

	nc, err := nats.Connect(a.NATSURL(), nats.UserInfo("shop", "listen-pw"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer tcancel()
	pub, err := publisher.New(tctx, js, publisher.StreamConfig{Name: cfg.NATS.Stream, SubjectPrefix: cfg.NATS.SubjectPrefix, MaxAge: cfg.NATS.MaxAge.D(), DuplicateWindow: cfg.NATS.DuplicateWindow.D()}, nil)
	if err != nil {
		t.Fatalf("publisher.New() = %v", err)
	}
	const id = "k9:dead@example.net"
	if _, err := pub.Publish(tctx, publisher.Event{ID: id, Type: publisher.TypeBounce, Time: time.Now().UTC(), Recipient: "dead@example.net",
		Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown", Hard: true}}); err != nil {
		t.Fatal(err)
	}

	var st []status
	var body string
	testutil.WaitFor(t, 30*time.Second, "the dead letter on GET /api/v1/webhooks", func() bool {
		_, body, st = apiGet("read-tok-dl-4f9a1c3e7b")
		return len(st) == 1 && st[0].DeadLettered > 0 && len(st[0].Recent) > 0
	})
	w := st[0]
	if w.Endpoint != "crm" || w.DeadLettered != 1 || w.Failed != 2 || w.DeadLettersStored != 1 || w.ReplaySince == nil {
		t.Errorf("GET /api/v1/webhooks = %s; want crm with 2 failures, 1 dead letter counted and stored, a replay time", body)
	}
	if d := w.Recent[0]; d.ID != id || d.Attempts != 2 || !strings.HasPrefix(d.Error, "status 503: crm is down") {
		t.Errorf("recent dead letter = %+v, want %s after 2 attempts with the receiver's 503", d, id)
	}
	if strings.Contains(body, "rcv-t0ken") || strings.Contains(body, "whsec_") {
		t.Errorf("GET /api/v1/webhooks shows the URL's query or the secret: %s", body)
	}
	mu.Lock()
	if posts != 2 {
		t.Errorf("receiver got %d POSTs, want max_attempts 2", posts)
	}
	mu.Unlock()
	if m := metrics(a); !strings.Contains(m, `bounced_webhook_dead_letters_total{endpoint="crm"} 1`) {
		t.Errorf("/metrics does not count the dead letter:\n%s", m)
	}
}
