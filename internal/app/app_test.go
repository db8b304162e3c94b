package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

// stack is Dovecot, Redis and nats-server on loopback, and a config that
// points bounced at them.
type stack struct {
	dovecot *testutil.Dovecot
	redis   *testutil.RedisServer
	nats    *testutil.NATSServer
	cfg     *config.Config
	logs    *testutil.LogBuffer
}

func newStack(t testing.TB, dovecotSettings ...string) *stack {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	s := &stack{dovecot: testutil.StartDovecotWith(t, testutil.DovecotOptions{Settings: dovecotSettings}), redis: testutil.StartRedisWith(t, testutil.RedisOptions{Persist: true}), nats: testutil.StartNATS(t), logs: &testutil.LogBuffer{}}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	writeCA(t, s.dovecot, ca)
	cfg := config.Default()
	cfg.Redis.URL = "redis://" + s.redis.Addr + "/0"
	cfg.NATS.URL = s.nats.URL
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.Decode.Headers = []string{"X-Customer-ID"}
	cfg.Mailboxes = []config.Mailbox{{
		Name: "shop", Addr: s.dovecot.IMAPSAddr, TLS: "implicit", TLSCAFile: ca, Username: s.dovecot.User,
		Password: config.Secret(s.dovecot.Password), Auth: "login", Mailbox: "INBOX", ProcessedFolder: "Processed",
		IgnoredFolder: "Ignored", QuarantineFolder: "Quarantine", After: "move", BatchSize: 50, MoveBatchSize: 2000, Concurrency: 8,
		MaxMessageSize: 10 << 20, PollInterval: config.Duration(time.Second), IdleRefresh: config.Duration(time.Minute),
	}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s.cfg = &cfg
	return s
}

// writeCA copies Dovecot's self-signed certificate, its own CA.
func writeCA(t testing.TB, d *testutil.Dovecot, path string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(d.Dir, "dovecot.crt"))
	if err != nil {
		t.Fatalf("dovecot certificate: %v", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// run starts the daemon in-process, waits until it is ready, and stops it
// when the test ends.
func (s *stack) run(t *testing.T) *App {
	t.Helper()
	a, done := s.start(t)
	waitReady(t, a, done, 30*time.Second)
	return a
}

// start starts the daemon in-process without waiting for it, and stops it
// when the test ends. done receives what Run returns.
func (s *stack) start(t *testing.T) (a *App, done <-chan error) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a = New(s.cfg, log)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-ran:
		case <-time.After(15 * time.Second):
			t.Error("daemon did not stop within 15s of cancel")
		}
		if t.Failed() {
			t.Logf("daemon log:\n%s", s.logs.Tail(6000))
		}
	})
	return a, ran
}

// waitReady waits until a is ready, failing the test when Run returns or
// the timeout passes first.
func waitReady(t *testing.T, a *App, done <-chan error, timeout time.Duration) {
	t.Helper()
	select {
	case <-a.Ready():
	case err := <-done:
		t.Fatalf("daemon stopped at start: %v", err)
	case <-time.After(timeout):
		t.Fatalf("daemon not ready after %v", timeout)
	}
}

func (s *stack) store(t *testing.T) *suppress.Store {
	c := redis.NewClient(&redis.Options{Addr: s.redis.Addr})
	t.Cleanup(func() { c.Close() })
	return suppress.New(c, s.cfg.Redis.Prefix, suppress.DefaultPolicy(), nil)
}

// events returns the stream's events.
func (s *stack) events(t *testing.T) []publisher.Event {
	t.Helper()
	nc, err := nats.Connect(s.nats.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	// One ordered consumer reads the stream in batches: a message at a
	// time (GetMsg) took more than a shared deadline on a loaded machine,
	// and the messages after it went uncounted. Every error fails.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := js.Stream(ctx, s.cfg.NATS.Stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatalf("stream info: %v", err)
	}
	if info.State.Msgs == 0 {
		return nil
	}
	last := info.State.LastSeq
	cons, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		t.Fatalf("ordered consumer: %v", err)
	}
	var out []publisher.Event
	for {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatalf("read the stream after %d events: %v", len(out), err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			md, err := m.Metadata()
			if err != nil {
				t.Fatalf("event %d: %v", len(out)+1, err)
			}
			if md.Sequence.Stream > last {
				return out
			}
			var ev publisher.Event
			if err := json.Unmarshal(m.Data(), &ev); err != nil {
				t.Fatalf("event at sequence %d: %v", md.Sequence.Stream, err)
			}
			out = append(out, ev)
			if md.Sequence.Stream == last {
				return out
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			t.Fatalf("read the stream after %d events: %v", len(out), err)
		}
		if got == 0 && ctx.Err() != nil {
			t.Fatalf("read %d events of the stream (last sequence %d) in 2 minutes", len(out), last)
		}
	}
}

// waitFor polls cond until it holds or the timeout passes.
var waitFor = testutil.WaitFor

// genBounce is a Postfix DSN for one hard-bouncing recipient.
func genBounce(tag string, i int) ([]byte, string) {
	rcpt := fmt.Sprintf("user%d-%s@example.net", i, tag)
	return []byte(fmt.Sprintf(`Return-Path: <>
Date: Mon, 23 Nov 2026 09:12:01 +0900
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@shop.example
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BB"
Message-Id: <%[2]s.%[1]d@mail.shop.example>

--BB
Content-Type: text/plain

<%[3]s>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)

--BB
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example

Final-Recipient: rfc822; %[3]s
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <%[3]s>: User unknown

--BB
Content-Type: text/rfc822-headers

From: orders@shop.example
To: %[3]s
Subject: Order %[1]d
Message-ID: <order-%[2]s-%[1]d@shop.example>
X-Customer-ID: C-%[1]d

--BB--
`, i, tag, rcpt)), rcpt
}

func TestRun_dovecotEndToEnd(t *testing.T) {
	s := newStack(t)
	samples, _ := filepath.Glob("../../cmd/bounced-demo/samples/*.eml")
	if len(samples) != 7 {
		t.Fatalf("want the 7 demo samples, found %d", len(samples))
	}
	for _, f := range samples {
		b, _ := os.ReadFile(f)
		s.dovecot.Append(t, "INBOX", []byte(strings.ReplaceAll(string(b), "\n", "\r\n")))
	}
	a := s.run(t)
	waitFor(t, 30*time.Second, "INBOX to empty", func() bool { return s.dovecot.Count(t, "INBOX") == 0 })
	for folder, want := range map[string]int{"Processed": 5, "Ignored": 1, "Quarantine": 1} {
		if got := s.dovecot.Count(t, folder); got != want {
			t.Errorf("%s holds %d messages, want %d", folder, got, want)
		}
	}
	st := s.store(t)
	ctx := context.Background()
	for _, addr := range []string{"hanako.typo@example.net", "hanako-mobile@docomo.example.ne.jp"} {
		if ok, err := st.IsSuppressed(ctx, addr, "all"); err != nil || !ok {
			t.Errorf("IsSuppressed(%s) = %v, %v; want true", addr, ok, err)
		}
	}
	if ok, _ := st.IsSuppressed(ctx, "saburo@isp.example", "all"); ok {
		t.Error("a complaint suppressed all mail, want marketing only")
	}
	if ok, _ := st.IsSuppressed(ctx, "saburo@isp.example", "marketing"); !ok {
		t.Error("a complaint did not suppress marketing")
	}
	evs := s.events(t)
	counts := map[publisher.EventType]int{}
	for _, ev := range evs {
		counts[ev.Type]++
	}
	want := map[publisher.EventType]int{publisher.TypeBounce: 4, publisher.TypeComplaint: 1, publisher.TypeSuppressionAdded: 3, publisher.TypeUnparseable: 1}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%d %s events, want %d (all: %v)", counts[typ], typ, n, counts)
		}
	}
	resp, err := http.Get("http://" + a.HTTPAddr() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/readyz = %d %s, want 200", resp.StatusCode, body)
	}
}

// TestRun_healthWhileWaitingForNATS starts the daemon while NATS is down:
// the HTTP server answers at once, /readyz says what the daemon waits for,
// and once NATS is up the daemon starts and handles mail.
func TestRun_healthWhileWaitingForNATS(t *testing.T) {
	s := newStack(t)
	s.nats.Stop()
	s.cfg.HTTP.Listen = net.JoinHostPort("127.0.0.1", strconv.Itoa(testutil.FreePort(t)))
	s.cfg.HTTP.ReadToken = "read-token-4f9a1c3e7b"
	base := "http://" + s.cfg.HTTP.Listen
	a, done := s.start(t)
	get := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer read-token-4f9a1c3e7b")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor(t, 10*time.Second, "/healthz to answer while NATS is down", func() bool { code, _ := get("/healthz"); return code == 200 })
	// The HTTP server answers before the start has reached NATS (it pings
	// Redis first): wait for /readyz to name what it waits for.
	var code int
	var body string
	waitFor(t, 10*time.Second, "/readyz to say it is connecting to NATS", func() bool {
		code, body = get("/readyz")
		return strings.Contains(body, "starting: connecting to NATS")
	})
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"mailbox:shop"`) {
		t.Errorf("/readyz while waiting for NATS = %d %s; want 503 saying it is connecting to NATS, with the mailbox", code, body)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "bounced_messages_processed_total 0") {
		t.Errorf("/metrics while waiting for NATS = %d %s", code, body)
	}
	if code, body := get("/api/v1/suppressions"); code != 200 {
		t.Errorf("/api/v1/suppressions while waiting for NATS = %d %s, want 200 (Redis is up)", code, body)
	}
	select {
	case <-a.Ready():
		t.Fatal("daemon ready while NATS is down")
	case err := <-done:
		t.Fatalf("daemon stopped while waiting for NATS: %v", err)
	default:
	}

	s.nats.Start()
	waitReady(t, a, done, 30*time.Second)
	raw, rcpt := genBounce("late", 1)
	s.dovecot.Append(t, "INBOX", raw)
	waitFor(t, 20*time.Second, "the bounce handled", func() bool { return s.dovecot.Count(t, "Processed") == 1 })
	if ok, err := s.store(t).IsSuppressed(context.Background(), rcpt, "all"); err != nil || !ok {
		t.Errorf("IsSuppressed(%s) = %v, %v; want true", rcpt, ok, err)
	}
	waitFor(t, 10*time.Second, "/readyz to say ready", func() bool { code, _ := get("/readyz"); return code == 200 })
}

// TestRun_liftsArePublished lifts suppressions the two ways operators do:
// through the store, as `bounced suppressions lift` does (it publishes
// nothing itself), and through the HTTP API while NATS is down. Each lift
// reaches the stream exactly once, the second when NATS is back.
func TestRun_liftsArePublished(t *testing.T) {
	s := newStack(t)
	s.cfg.HTTP.Token = config.Secret("tok")
	a := s.run(t)
	var rcpts []string
	for i := range 2 {
		raw, rcpt := genBounce("lift", i)
		s.dovecot.Append(t, "INBOX", raw)
		rcpts = append(rcpts, rcpt)
	}
	waitFor(t, 20*time.Second, "both bounces handled", func() bool { return s.dovecot.Count(t, "Processed") == 2 })
	removed := func() map[string][]publisher.Event {
		out := map[string][]publisher.Event{}
		for _, ev := range s.events(t) {
			if ev.Type == publisher.TypeSuppressionRemoved {
				out[ev.Recipient] = append(out[ev.Recipient], ev)
			}
		}
		return out
	}

	ctx := context.Background()
	if ok, err := s.store(t).Remove(ctx, rcpts[0], "cli:ops", "typo fixed"); err != nil || !ok {
		t.Fatalf("Remove() = %v, %v", ok, err)
	}
	waitFor(t, 10*time.Second, "the CLI lift published", func() bool { return len(removed()[rcpts[0]]) == 1 })
	ev := removed()[rcpts[0]][0]
	if ev.Actor != "cli:ops" || ev.Note != "typo fixed" || ev.Reason != "user_unknown" || !ev.Hard || ev.Scope != "all" {
		t.Errorf("suppression.removed = %+v", ev)
	}

	s.nats.Stop()
	req, _ := http.NewRequest(http.MethodDelete, "http://"+a.HTTPAddr()+"/api/v1/suppressions/"+rcpts[1]+"?actor=alice", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("DELETE while NATS is down = %d, want 200 (the event waits in the outbox)", resp.StatusCode)
	}
	time.Sleep(2 * time.Second)
	s.nats.Start()
	waitFor(t, 30*time.Second, "the API lift published after the outage", func() bool { return len(removed()[rcpts[1]]) == 1 })
	time.Sleep(2 * time.Second)
	for _, r := range rcpts {
		if n := len(removed()[r]); n != 1 {
			t.Errorf("%d suppression.removed events for %s, want exactly 1", n, r)
		}
	}
	if box, err := s.store(t).Outbox(ctx, 10); err != nil || len(box) != 0 {
		t.Errorf("Outbox() after publishing = %+v, %v; want empty", box, err)
	}
}

// TestRun_outages stops each server for a while during a run: the daemon
// keeps running, reports the outage, and catches up with nothing lost.
func TestRun_outages(t *testing.T) {
	for _, which := range []string{"redis", "nats", "dovecot"} {
		t.Run(which, func(t *testing.T) {
			s := newStack(t)
			s.cfg.Mailboxes[0].PollInterval = config.Duration(500 * time.Millisecond)
			a := s.run(t)
			var rcpts []string
			appendN := func(from, to int) {
				for i := from; i < to; i++ {
					raw, rcpt := genBounce(which, i)
					s.dovecot.Append(t, "INBOX", raw)
					rcpts = append(rcpts, rcpt)
				}
			}
			appendN(0, 5)
			waitFor(t, 20*time.Second, "first bounces handled", func() bool { return s.dovecot.Count(t, "Processed") == 5 })

			var stop, start func()
			switch which {
			case "redis":
				stop, start = s.redis.Stop, s.redis.Start
			case "nats":
				stop, start = s.nats.Stop, s.nats.Start
			case "dovecot":
				stop, start = s.dovecot.Stop, s.dovecot.Start
			}
			if which == "dovecot" {
				stop()
				time.Sleep(2 * time.Second)
				start()
				appendN(5, 10)
			} else {
				stop()
				appendN(5, 10)
				time.Sleep(3 * time.Second)
				if which == "redis" || which == "nats" {
					st := a.health(context.Background())
					if st.Ready || st.Components[which].OK {
						t.Errorf("health during %s outage = %+v, want %s not OK", which, st, which)
					}
				}
				if n := s.dovecot.Count(t, "Processed"); n != 5 {
					t.Errorf("%d messages moved during the %s outage, want 5 (none of the new ones)", n, which)
				}
				start()
			}
			waitFor(t, 90*time.Second, "catch-up after the outage", func() bool {
				return s.dovecot.Count(t, "INBOX") == 0 && s.dovecot.Count(t, "Processed") == 10
			})
			st := s.store(t)
			for _, r := range rcpts {
				rec, err := st.Get(context.Background(), r)
				if err != nil || !rec.Suppressed || rec.Count != 1 {
					t.Errorf("record of %s = %+v, %v; want suppressed once", r, rec, err)
				}
			}
			counts := map[publisher.EventType]int{}
			for _, ev := range s.events(t) {
				counts[ev.Type]++
			}
			if counts[publisher.TypeBounce] != 10 || counts[publisher.TypeSuppressionAdded] != 10 {
				t.Errorf("events = %v, want 10 bounce and 10 suppression.added", counts)
			}
			if !strings.Contains(s.logs.String(), "level=WARN") && !strings.Contains(s.logs.String(), "level=ERROR") {
				t.Errorf("the %s outage left no warning in the log", which)
			}
		})
	}
}

// buildBinary builds cmd/bounced for tests that run the real binary.
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bounced")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/bounced").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// binaryConfig writes a configuration file for the real binary pointing at
// the stack, with the mailbox settings of extra (YAML lines under the
// mailbox), and returns its path and the environment that carries the
// IMAP password.
func (s *stack) binaryConfig(t testing.TB, level string, extra ...string) (string, []string) {
	t.Helper()
	m := s.cfg.Mailboxes[0]
	var b strings.Builder
	fmt.Fprintf(&b, "log: {level: %s}\nhttp: {listen: \"\"}\nredis: {url: \"redis://%s/0\"}\nnats: {url: \"%s\"}\n", level, s.redis.Addr, s.nats.URL)
	fmt.Fprintf(&b, "mailboxes:\n  - name: shop\n    addr: %q\n    tls: implicit\n    tls_ca_file: %q\n    username: %q\n    password: env:TEST_IMAP_PASSWORD\n", m.Addr, m.TLSCAFile, m.Username)
	for _, e := range extra {
		fmt.Fprintf(&b, "    %s\n", e)
	}
	path := filepath.Join(t.TempDir(), "bounced.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, append(os.Environ(), "TEST_IMAP_PASSWORD="+m.Password.Value())
}

func TestPoolSize(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	tests := []struct {
		name        string
		concurrency []int
		want        int
	}{
		{"defaultIsEnough", []int{1}, 0},
		{"oneBusyMailbox", []int{10*procs + 1}, 10*procs + 9},
		{"summedOverMailboxes", []int{8 * procs, 8 * procs}, 16*procs + 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cfg config.Config
			for _, c := range tc.concurrency {
				cfg.Mailboxes = append(cfg.Mailboxes, config.Mailbox{Concurrency: c})
			}
			if got := poolSize(&cfg); got != tc.want {
				t.Errorf("poolSize(%v) = %d, want %d", tc.concurrency, got, tc.want)
			}
		})
	}
}

// TestMailboxConfig_backoff: a mailbox's backoff_min and backoff_max reach
// the worker, which waits between them before reconnecting.
func TestMailboxConfig_backoff(t *testing.T) {
	mc := config.Mailbox{Name: "shop", Addr: "imap.example:993", Username: "u",
		BackoffMin: config.Duration(250 * time.Millisecond), BackoffMax: config.Duration(7 * time.Second)}
	wc, err := mailboxConfig(mc)
	if err != nil {
		t.Fatal(err)
	}
	if wc.BackoffMin != 250*time.Millisecond || wc.BackoffMax != 7*time.Second {
		t.Errorf("mailboxConfig backoff = %v..%v, want 250ms..7s", wc.BackoffMin, wc.BackoffMax)
	}
}
