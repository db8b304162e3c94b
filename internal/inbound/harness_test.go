package inbound

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

// stack is a real HTTP server with the webhooks of o, on a pipeline
// writing to a real Redis and a real JetStream.
type stack struct {
	redis *testutil.RedisServer
	nats  *testutil.NATSServer
	url   string
	rc    *redis.Client
	store *suppress.Store
	js    jetstream.JetStream
}

func newStack(t *testing.T, o Options) *stack {
	t.Helper()
	ctx := context.Background()
	rs := testutil.StartRedis(t)
	rc := redis.NewClient(&redis.Options{Addr: rs.Addr, MaxRetries: -1})
	t.Cleanup(func() { rc.Close() })
	store := suppress.New(rc, "{t}", suppress.DefaultPolicy(), nil)
	ns := testutil.StartNATSEmbedded(t)
	nc, err := nats.Connect(ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	pub, err := publisher.New(ctx, js, publisher.StreamConfig{Name: "BOUNCED", SubjectPrefix: "bounced"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.New(store, pub, pipeline.Options{})
	o.Apply = p.ApplyExternal
	if o.Mailgun != nil && o.Mailgun.Redis == nil {
		o.Mailgun.Redis = rc
	}
	mux := http.NewServeMux()
	if err := Register(mux, o); err != nil {
		t.Fatal(err)
	}
	srv := httpapi.NewServer(httpapi.WithWebhooksIn(http.NotFoundHandler(), mux), httpapi.ServerOptions{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer func() { recover() }()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Log(err)
		}
	}()
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return &stack{redis: rs, nats: ns, url: "http://" + ln.Addr().String(), rc: rc, store: store, js: js}
}

// post sends body to path with the headers h and returns the status.
func (s *stack) post(t *testing.T, path string, body []byte, h http.Header) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// events returns every event in the stream.
func (s *stack) events(t *testing.T) []publisher.Event {
	t.Helper()
	ctx := context.Background()
	st, err := s.js.Stream(ctx, "BOUNCED")
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []publisher.Event
	for seq := uint64(1); seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // deleted
		}
		if err != nil {
			t.Fatalf("event %d: %v", seq, err)
		}
		var ev publisher.Event
		if err := json.Unmarshal(m.Data, &ev); err != nil {
			t.Fatalf("event %d: %v", seq, err)
		}
		out = append(out, ev)
	}
	return out
}

// count returns how many events of type typ name addr.
func count(evs []publisher.Event, typ publisher.EventType, addr string) int {
	n := 0
	for _, ev := range evs {
		if ev.Type == typ && ev.Recipient == addr {
			n++
		}
	}
	return n
}

// record returns the store's record of addr, nil when there is none.
func (s *stack) record(t *testing.T, addr string) *suppress.Record {
	t.Helper()
	r, err := s.store.Get(context.Background(), addr)
	if errors.Is(err, suppress.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// suppressed reports whether addr is suppressed (any scope) and the scope.
func (s *stack) suppressed(t *testing.T, addr string) (bool, string) {
	r := s.record(t, addr)
	if r == nil {
		return false, ""
	}
	return r.Suppressed, r.Scope
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
