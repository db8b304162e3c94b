package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// The Standard Webhooks reference test vector, as in the specification's
// libraries' tests (secret, id, timestamp, body and signature).
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSign_standardWebhooksVector(t *testing.T) {
	key, err := webhook.ParseSecret(vectorSecret)
	if err != nil {
		t.Fatalf("ParseSecret() = %v", err)
	}
	if got := webhook.Sign(vectorID, vectorTimestamp, []byte(vectorBody), key); got != vectorSignature {
		t.Errorf("Sign() = %q, want %q", got, vectorSignature)
	}
	other := make([]byte, 32)
	two := webhook.Sign(vectorID, vectorTimestamp, []byte(vectorBody), key, other)
	if first, _, ok := strings.Cut(two, " "); !ok || first != vectorSignature {
		t.Errorf("Sign(two keys) = %q, want the vector's signature then another, space-separated", two)
	}
	h := http.Header{}
	h.Set("webhook-id", vectorID)
	h.Set("webhook-timestamp", strconv.Itoa(vectorTimestamp))
	h.Set("webhook-signature", "v1,bm9wZQ== "+vectorSignature)
	if err := verify(vectorSecret, h, []byte(vectorBody), time.Unix(vectorTimestamp, 0)); err != nil {
		t.Errorf("verify(vector) = %v: the test's own verifier is wrong", err)
	}
}

func TestParseSecret(t *testing.T) {
	s, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if k, err := webhook.ParseSecret(s); err != nil || len(k) != 32 {
		t.Errorf("ParseSecret(NewSecret()) = %d bytes, %v; want 32", len(k), err)
	}
	for _, bad := range []string{"", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!", "whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 16)),
		"whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 65))} {
		_, err := webhook.ParseSecret(bad)
		if !errors.Is(err, webhook.ErrBadSecret) {
			t.Errorf("ParseSecret(%q) = %v, want ErrBadSecret", bad, err)
		}
		if bad != "" && strings.Contains(fmt.Sprint(err), strings.TrimPrefix(bad, "whsec_")) {
			t.Errorf("ParseSecret error %q shows the secret", err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://crm.example/hooks/bounced":            "https://crm.example/hooks/bounced",
		"https://user:pw@crm.example/h?token=abc#frag": "https://crm.example/h?…",
	} {
		if got := webhook.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// verify checks a request as a receiver would, following the
// specification's text independently of package webhook: the key is the
// base64 after whsec_, the signed content "<id>.<timestamp>.<body>", the
// header a space-separated list of "v1,<base64>", compared in constant
// time, and the timestamp within five minutes of now.
func verify(secret string, h http.Header, body []byte, now time.Time) error {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return err
	}
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	if id == "" || strings.Contains(id, ".") {
		return fmt.Errorf("webhook-id %q: empty or with a '.'", id)
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q: %w", ts, err)
	}
	if d := now.Sub(time.Unix(n, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("webhook-timestamp %s is %v from now", ts, d)
	}
	mac := hmac.New(sha256.New, key)
	io.WriteString(mac, id+"."+ts+".")
	mac.Write(body)
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		version, b64, _ := strings.Cut(sig, ",")
		got, err := base64.StdEncoding.DecodeString(b64)
		if version == "v1" && err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("no valid v1 signature in %q", h.Get("webhook-signature"))
}

// harness is an embedded NATS server with the default event stream.
type harness struct {
	log *slog.Logger // nil: the test's log
	t   *testing.T
	ctx context.Context
	js  jetstream.JetStream
	pub *publisher.Publisher
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	srv := testutil.StartNATSEmbedded(t)
	nc, err := nats.Connect(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	pub, err := publisher.New(ctx, js, publisher.StreamConfig{Storage: "memory"}, nil)
	if err != nil {
		t.Fatalf("publisher.New() = %v", err)
	}
	return &harness{t: t, ctx: ctx, js: js, pub: pub}
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// run starts a Service for eps, waits until its consumers exist, and
// stops it when the test ends.
func (h *harness) run(eps ...webhook.Endpoint) *webhook.Service {
	h.t.Helper()
	log := h.log
	if log == nil {
		log = testLog(h.t)
	}
	svc, err := webhook.New(h.js, eps, webhook.Options{Log: log})
	if err != nil {
		h.t.Fatalf("webhook.New() = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.Run(ctx)
	}()
	h.t.Cleanup(func() {
		cancel()
		<-done
	})
	testutil.WaitFor(h.t, 20*time.Second, "webhook consumers", func() bool {
		for _, st := range svc.Status(h.ctx) {
			if st.State != "running" {
				return false
			}
		}
		return true
	})
	return svc
}

// publish publishes ev and returns it as stored in the stream.
func (h *harness) publish(ev publisher.Event) *jetstream.RawStreamMsg {
	h.t.Helper()
	res, err := h.pub.Publish(h.ctx, ev)
	if err != nil {
		h.t.Fatalf("Publish() = %v", err)
	}
	st, err := h.js.Stream(h.ctx, h.pub.Stream())
	if err != nil {
		h.t.Fatal(err)
	}
	m, err := st.GetMsg(h.ctx, res.Sequence)
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// settled reports whether endpoint's consumer has nothing left to deliver.
func (h *harness) settled(endpoint string) bool {
	c, err := h.js.Consumer(h.ctx, h.pub.Stream(), webhook.ConsumerName(endpoint))
	if err != nil {
		return false
	}
	info, err := c.Info(h.ctx)
	return err == nil && info.NumPending == 0 && info.NumAckPending == 0
}

// waiting returns how many pull requests the server holds for the
// endpoint's consumer (those whose client unsubscribed are not counted),
// or -1 when it cannot tell.
func (h *harness) waiting(endpoint string) int {
	c, err := h.js.Consumer(h.ctx, h.pub.Stream(), webhook.ConsumerName(endpoint))
	if err != nil {
		return -1
	}
	info, err := c.Info(h.ctx)
	if err != nil {
		return -1
	}
	return info.NumWaiting
}

func event(id string, typ publisher.EventType) publisher.Event {
	ev := publisher.Event{ID: id, Type: typ, Time: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		Recipient: "alice@example.net", Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown", Hard: true}, Mailbox: "shop"}
	if typ == publisher.TypeComplaint {
		ev.Reason, ev.Category, ev.Hard = "complaint", "complaint", false
	}
	return ev
}

// receiver is a local webhook receiver answering as answer says.
type receiver struct {
	srv    *httptest.Server
	answer func(n int) int // status for the n-th request (from 1)

	mu   sync.Mutex
	reqs []request
}

type request struct {
	header http.Header
	body   []byte
	status int
	at     time.Time
}

func newReceiver(t *testing.T, tls bool, answer func(n int) int) *receiver {
	r := &receiver{answer: answer}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		status := r.answer(len(r.reqs) + 1)
		r.reqs = append(r.reqs, request{header: req.Header.Clone(), body: body, status: status, at: time.Now()})
		r.mu.Unlock()
		w.WriteHeader(status)
		fmt.Fprintf(w, "answer %d\n", status)
	})
	if tls {
		r.srv = httptest.NewTLSServer(h)
	} else {
		r.srv = httptest.NewServer(h)
	}
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.reqs...)
}

func endpoint(t *testing.T, name, url string) webhook.Endpoint {
	key, err := webhook.ParseSecret(vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	return webhook.Endpoint{Name: name, URL: url, Keys: [][]byte{key}, Timeout: 5 * time.Second,
		MaxAttempts: 5, RetryMin: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond}
}

func metrics(svc *webhook.Service, name string) webhook.Metrics {
	for _, m := range svc.Metrics() {
		if m.Endpoint == name {
			return m
		}
	}
	return webhook.Metrics{}
}

func TestDeliver_retriedUntilAccepted(t *testing.T) {
	h := newHarness(t)
	rcv := newReceiver(t, false, func(n int) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	})
	var logs testutil.LogBuffer
	h.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := h.run(endpoint(t, "crm", rcv.srv.URL+"/hook?token=abc"))
	stored := h.publish(event("m1:alice@example.net", publisher.TypeBounce))

	testutil.WaitFor(t, 20*time.Second, "delivery", func() bool { return metrics(svc, "crm").Delivered == 1 && h.settled("crm") })
	reqs := rcv.requests()
	if len(reqs) != 3 {
		t.Fatalf("receiver got %d requests, want 3 (two 500s, then a 204)", len(reqs))
	}
	if got := metrics(svc, "crm"); got != (webhook.Metrics{Endpoint: "crm", Delivered: 1, Failed: 2}) {
		t.Errorf("Metrics() = %+v, want 1 delivered, 2 failed", got)
	}
	wantID := webhook.MessageID("m1:alice@example.net")
	for i, r := range reqs {
		if string(r.body) != string(stored.Data) {
			t.Errorf("request %d body = %s, want the stored event %s", i, r.body, stored.Data)
		}
		if err := verify(vectorSecret, r.header, r.body, time.Now()); err != nil {
			t.Errorf("request %d: signature: %v", i, err)
		}
		if id := r.header.Get("webhook-id"); id != wantID {
			t.Errorf("request %d webhook-id = %q, want %q on every attempt", i, id, wantID)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("request %d Content-Type = %q", i, ct)
		}
		// CloudEvents HTTP binding, binary mode.
		for k, want := range map[string]string{"ce-specversion": "1.0", "ce-type": "dev.bounced.bounce",
			"ce-id": "m1:alice@example.net", "ce-time": "2025-03-14T09:26:53Z"} {
			if got := r.header.Get(k); got != want {
				t.Errorf("request %d %s = %q, want %q", i, k, got, want)
			}
		}
		if src := r.header.Get("ce-source"); !strings.HasPrefix(src, "bounced://") || !strings.HasSuffix(src, "/shop") {
			t.Errorf("request %d ce-source = %q, want bounced://<host>/shop", i, src)
		}
	}
	if d := reqs[2].at.Sub(reqs[1].at); d < 4*20*time.Millisecond {
		t.Errorf("second retry came %v after the first, want at least 80ms (4 x retry_min)", d)
	}
	if l := logs.String(); strings.Contains(l, "token=abc") || strings.Contains(l, strings.TrimPrefix(vectorSecret, "whsec_")) ||
		!strings.Contains(l, "webhook delivery failed") {
		t.Errorf("log shows the URL's token or the secret, or no failure:\n%s", l)
	}
	st := svc.Status(h.ctx)[0]
	if st.Pending != 0 || st.LastDelivered == nil || !strings.HasPrefix(st.LastError, "status 500") || strings.Contains(st.URL, "abc") {
		t.Errorf("Status() = %+v, want nothing pending, a delivery, the 500 as last error and no token", st)
	}
}

func TestDeliver_deadLetterAfterMaxAttempts(t *testing.T) {
	h := newHarness(t)
	rcv := newReceiver(t, false, func(int) int { return http.StatusInternalServerError })
	ep := endpoint(t, "shop", rcv.srv.URL)
	ep.MaxAttempts = 3
	svc := h.run(ep)
	stored := h.publish(event("m2:alice@example.net", publisher.TypeBounce))

	st, err := h.js.Stream(h.ctx, h.pub.Stream())
	if err != nil {
		t.Fatal(err)
	}
	subject := webhook.DeadLetterSubject("", "shop")
	var dead *jetstream.RawStreamMsg
	testutil.WaitFor(t, 20*time.Second, "dead letter on "+subject, func() bool {
		dead, err = st.GetLastMsgForSubject(h.ctx, subject)
		return err == nil
	})
	if got := len(rcv.requests()); got != 3 {
		t.Errorf("receiver got %d requests, want max_attempts 3", got)
	}
	if string(dead.Data) != string(stored.Data) {
		t.Errorf("dead letter body = %s, want the event %s", dead.Data, stored.Data)
	}
	for k, want := range map[string]string{
		webhook.HeaderDeadEndpoint: "shop", webhook.HeaderDeadAttempts: "3",
		webhook.HeaderDeadSubject: stored.Subject, webhook.HeaderDeadSequence: strconv.FormatUint(stored.Sequence, 10),
		"ce-type": "dev.bounced.bounce", publisher.HeaderType: "bounce",
	} {
		if got := dead.Header.Get(k); got != want {
			t.Errorf("dead letter header %s = %q, want %q", k, got, want)
		}
	}
	if e := dead.Header.Get(webhook.HeaderDeadError); !strings.HasPrefix(e, "status 500") {
		t.Errorf("dead letter error = %q, want status 500...", e)
	}
	testutil.WaitFor(t, 10*time.Second, "consumer settled", func() bool { return h.settled("shop") })
	if got := metrics(svc, "shop"); got != (webhook.Metrics{Endpoint: "shop", Failed: 3, DeadLettered: 1}) {
		t.Errorf("Metrics() = %+v, want 3 failed, 1 dead-lettered", got)
	}
	// The dead letter is not an event the endpoint is sent.
	if got := len(rcv.requests()); got != 3 {
		t.Errorf("receiver got %d requests after dead-lettering, want still 3", got)
	}
}

func TestDeliver_filterByEventType(t *testing.T) {
	h := newHarness(t)
	complaints := newReceiver(t, false, func(int) int { return http.StatusOK })
	all := newReceiver(t, false, func(int) int { return http.StatusOK })
	only := endpoint(t, "complaints", complaints.srv.URL)
	only.Events = []publisher.EventType{publisher.TypeComplaint, publisher.TypeSuppressionRemoved}
	svc := h.run(only, endpoint(t, "all", all.srv.URL))
	h.publish(event("e1", publisher.TypeBounce))
	h.publish(event("e2", publisher.TypeComplaint))
	h.publish(event("e3", publisher.TypeSuppressionAdded))
	h.publish(event("e4", publisher.TypeDelay))

	testutil.WaitFor(t, 20*time.Second, "deliveries", func() bool {
		return metrics(svc, "all").Delivered == 4 && metrics(svc, "complaints").Delivered == 1 && h.settled("all") && h.settled("complaints")
	})
	got := complaints.requests()
	if len(got) != 1 || got[0].header.Get("ce-type") != "dev.bounced.complaint" || got[0].header.Get("ce-id") != "e2" {
		t.Errorf("complaints endpoint got %d requests (%v), want only the complaint e2", len(got), got)
	}
	seen := map[string]bool{}
	for _, r := range all.requests() {
		seen[r.header.Get("ce-id")] = true
	}
	if len(seen) != 4 {
		t.Errorf("all endpoint got events %v, want e1 to e4", seen)
	}
}

func TestReplay_sinceTime(t *testing.T) {
	h := newHarness(t)
	rcv := newReceiver(t, false, func(int) int { return http.StatusOK })
	ep := endpoint(t, "crm", rcv.srv.URL)
	svc := h.run(ep)
	h.publish(event("old", publisher.TypeBounce))
	testutil.WaitFor(t, 20*time.Second, "first delivery", func() bool { return metrics(svc, "crm").Delivered == 1 })
	since := time.Now()
	h.publish(event("new", publisher.TypeComplaint))
	testutil.WaitFor(t, 20*time.Second, "second delivery", func() bool { return metrics(svc, "crm").Delivered == 2 && h.settled("crm") })

	pending, err := webhook.Replay(h.ctx, h.js, webhook.Options{}, ep, since)
	if err != nil {
		t.Fatalf("Replay() = %v", err)
	}
	if pending != 1 {
		t.Errorf("Replay() = %d pending, want 1 (only the event after since)", pending)
	}
	testutil.WaitFor(t, 30*time.Second, "replayed delivery", func() bool { return metrics(svc, "crm").Delivered == 3 && h.settled("crm") })
	var ids []string
	for _, r := range rcv.requests() {
		ids = append(ids, r.header.Get("ce-id"))
	}
	if strings.Join(ids, ",") != "old,new,new" {
		t.Errorf("receiver got %v, want old,new then new again", ids)
	}
	reqs := rcv.requests()
	if reqs[1].header.Get("webhook-id") != reqs[2].header.Get("webhook-id") {
		t.Errorf("replayed webhook-id %q differs from the first %q", reqs[2].header.Get("webhook-id"), reqs[1].header.Get("webhook-id"))
	}
	// The replayed consumer keeps delivering new events.
	h.publish(event("after", publisher.TypeBounce))
	testutil.WaitFor(t, 20*time.Second, "delivery after replay", func() bool { return metrics(svc, "crm").Delivered == 4 })
}

func TestDeliver_goneDisablesEndpoint(t *testing.T) {
	h := newHarness(t)
	rcv := newReceiver(t, false, func(int) int { return http.StatusGone })
	svc := h.run(endpoint(t, "old", rcv.srv.URL))
	h.publish(event("g1", publisher.TypeBounce))
	testutil.WaitFor(t, 20*time.Second, "endpoint disabled", func() bool { return svc.Status(h.ctx)[0].State == "disabled" })
	if got := len(rcv.requests()); got != 1 {
		t.Errorf("receiver got %d requests, want 1: no retry after 410 Gone", got)
	}
	if m := metrics(svc, "old"); m.DeadLettered != 0 || m.Delivered != 0 {
		t.Errorf("Metrics() = %+v, want the event kept, not dead-lettered", m)
	}
}

func TestDeliver_tlsVerified(t *testing.T) {
	h := newHarness(t)
	rcv := newReceiver(t, true, func(int) int { return http.StatusOK })
	untrusted := endpoint(t, "untrusted", rcv.srv.URL)
	trusted := endpoint(t, "trusted", rcv.srv.URL)
	pool := x509.NewCertPool()
	pool.AddCert(rcv.srv.Certificate())
	trusted.TLS = &tls.Config{RootCAs: pool}
	svc := h.run(untrusted, trusted)
	h.publish(event("t1", publisher.TypeBounce))

	testutil.WaitFor(t, 20*time.Second, "deliveries", func() bool {
		return metrics(svc, "trusted").Delivered == 1 && metrics(svc, "untrusted").Failed >= 1
	})
	for _, st := range svc.Status(h.ctx) {
		if st.Endpoint == "untrusted" && (st.Delivered != 0 || !strings.Contains(st.LastError, "certificate")) {
			t.Errorf("untrusted endpoint status = %+v, want a certificate error and nothing delivered", st)
		}
	}
	if got := len(rcv.requests()); got != 1 {
		t.Errorf("receiver got %d requests, want 1 (from the endpoint that trusts its CA)", got)
	}
}

func TestDeliver_timeout(t *testing.T) {
	h := newHarness(t)
	release := make(chan struct{})
	var mu sync.Mutex
	calls := 0
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			select { // hang past the timeout
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) }) // before Close, which waits for the handler
	ep := endpoint(t, "slow", slow.URL)
	ep.Timeout = 300 * time.Millisecond
	svc := h.run(ep)
	h.publish(event("s1", publisher.TypeBounce))
	testutil.WaitFor(t, 20*time.Second, "delivery after a timeout", func() bool { return metrics(svc, "slow").Delivered == 1 })
	if m := metrics(svc, "slow"); m.Failed != 1 {
		t.Errorf("Metrics() = %+v, want 1 failure (the timeout)", m)
	}
	if st := svc.Status(h.ctx)[0]; !strings.Contains(st.LastError, "timeout") && !strings.Contains(st.LastError, "deadline") {
		t.Errorf("LastError = %q, want a timeout", st.LastError)
	}
}

func TestNew_errors(t *testing.T) {
	h := newHarness(t)
	key := make([]byte, 32)
	good := webhook.Endpoint{Name: "a", URL: "https://x.example/", Keys: [][]byte{key}}
	tests := []struct {
		name string
		eps  []webhook.Endpoint
	}{
		{"badName", []webhook.Endpoint{{Name: "A.b", URL: good.URL, Keys: good.Keys}}},
		{"noKey", []webhook.Endpoint{{Name: "a", URL: good.URL}}},
		{"shortKey", []webhook.Endpoint{{Name: "a", URL: good.URL, Keys: [][]byte{make([]byte, 8)}}}},
		{"badURL", []webhook.Endpoint{{Name: "a", URL: "ftp://x", Keys: good.Keys}}},
		{"unknownEvent", []webhook.Endpoint{{Name: "a", URL: good.URL, Keys: good.Keys, Events: []publisher.EventType{"bounced"}}}},
		{"twice", []webhook.Endpoint{good, good}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := webhook.New(h.js, tc.eps, webhook.Options{}); err == nil || !strings.HasPrefix(err.Error(), "webhook: ") {
				t.Errorf("New() = %v, want a webhook: error", err)
			}
		})
	}
}

func TestSubjects(t *testing.T) {
	got := webhook.Subjects("acme.bounced", []publisher.EventType{publisher.TypeBounce, publisher.TypeComplaint, publisher.TypeBounce})
	if strings.Join(got, " ") != "acme.bounced.bounce.> acme.bounced.complaint" {
		t.Errorf("Subjects() = %v", got)
	}
	if all := webhook.Subjects("", nil); len(all) != 6 || strings.Contains(strings.Join(all, " "), "deadletter") {
		t.Errorf("Subjects(all) = %v, want the six types, no dead letters", all)
	}
}

// TestDeliver_eventsWhileStopped: events published while no Service runs
// are delivered when one starts again, from the durable consumer.
func TestDeliver_eventsWhileStopped(t *testing.T) {
	h := newHarness(t)
	rcv := newReceiver(t, false, func(int) int { return http.StatusOK })
	ep := endpoint(t, "crm", rcv.srv.URL)
	svc, err := webhook.New(h.js, []webhook.Endpoint{ep}, webhook.Options{Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(ctx) }()
	testutil.WaitFor(t, 20*time.Second, "first consumer", func() bool { return svc.Status(h.ctx)[0].State == "running" })
	h.publish(event("before-stop", publisher.TypeBounce))
	testutil.WaitFor(t, 20*time.Second, "first delivery", func() bool { return metrics(svc, "crm").Delivered == 1 })
	cancel()
	<-done
	// Run has returned, but the last pull request of its worker may still
	// be waiting at the server: nats.go sends its UNSUB after Next
	// returns. An event published before the server sees it goes to that
	// dead request and waits out AckWait (the timeout plus 30s) before it
	// is redelivered, late but not lost. "While stopped" starts when the
	// server holds no request of the old worker.
	testutil.WaitFor(t, 20*time.Second, "the stopped worker's pull request gone", func() bool { return h.waiting("crm") == 0 })

	h.publish(event("while-stopped-1", publisher.TypeBounce))
	h.publish(event("while-stopped-2", publisher.TypeComplaint))
	again := h.run(ep)
	testutil.WaitFor(t, 20*time.Second, "deliveries after the restart", func() bool { return metrics(again, "crm").Delivered == 2 && h.settled("crm") })
	var ids []string
	for _, r := range rcv.requests() {
		ids = append(ids, r.header.Get("ce-id"))
	}
	if len(ids) != 3 || ids[0] != "before-stop" || !strings.Contains(strings.Join(ids, ","), "while-stopped-1") || !strings.Contains(strings.Join(ids, ","), "while-stopped-2") {
		t.Errorf("receiver got %v, want before-stop then the two events published while stopped, once each", ids)
	}
}

// TestDeliver_retryAfter: a 503 with Retry-After waits at least that long.
func TestDeliver_retryAfter(t *testing.T) {
	h := newHarness(t)
	var mu sync.Mutex
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	ep := endpoint(t, "busy", srv.URL)
	ep.RetryMax = 5 * time.Second
	svc := h.run(ep)
	h.publish(event("r1", publisher.TypeBounce))
	testutil.WaitFor(t, 20*time.Second, "delivery", func() bool { return metrics(svc, "busy").Delivered == 1 })
	mu.Lock()
	defer mu.Unlock()
	if len(times) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(times))
	}
	if d := times[1].Sub(times[0]); d < time.Second {
		t.Errorf("retry came %v after a Retry-After: 1, want at least 1s (retry_min is 20ms)", d)
	}
}

// BenchmarkDeliver measures events delivered per second to a local
// receiver that answers 204 at once (go test -bench Deliver -benchtime 2000x).
func BenchmarkDeliver(b *testing.B) {
	srv := testutil.StartNATSEmbedded(b)
	nc, err := nats.Connect(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub, err := publisher.New(ctx, js, publisher.StreamConfig{Storage: "memory"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rcv.Close()
	key, _ := webhook.ParseSecret(vectorSecret)
	svc, err := webhook.New(js, []webhook.Endpoint{{Name: "bench", URL: rcv.URL, Keys: [][]byte{key}}}, webhook.Options{})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(ctx) }()
	defer func() { cancel(); <-done }()
	testutil.WaitFor(b, 20*time.Second, "consumer", func() bool { return svc.Status(ctx)[0].State == "running" })
	evs := make([]publisher.Event, b.N)
	for i := range evs {
		evs[i] = event(fmt.Sprintf("bench-%d:a@example.net", i), publisher.TypeBounce)
	}
	b.ResetTimer()
	for i := 0; i < len(evs); i += 100 {
		if _, err := pub.PublishAll(ctx, evs[i:min(i+100, len(evs))]...); err != nil {
			b.Fatal(err)
		}
	}
	testutil.WaitFor(b, 5*time.Minute, "deliveries", func() bool { return svc.Metrics()[0].Delivered == uint64(b.N) })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
