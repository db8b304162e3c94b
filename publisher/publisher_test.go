package publisher_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

// testLog logs to the test at debug level when -v, and discards otherwise.
func testLog(t testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// connect connects to the server with Connect and returns its JetStream.
func connect(t testing.TB, url string) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := publisher.Connect(ctxT(t, 10*time.Second), publisher.ConnOptions{URL: url, Name: "publisher-test"}, testLog(t))
	if err != nil {
		t.Fatalf("Connect(%s) = %v", url, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream.New() = %v", err)
	}
	return nc, js
}

func streamInfo(t testing.TB, js jetstream.JetStream, name string) *jetstream.StreamInfo {
	t.Helper()
	ctx := ctxT(t, 5*time.Second)
	s, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatalf("Stream(%s) = %v", name, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatalf("Info() = %v", err)
	}
	return info
}

func TestNew_createAndUpdate(t *testing.T) {
	srv := testutil.StartNATSEmbedded(t)
	_, js := connect(t, srv.URL)
	ctx := ctxT(t, 30*time.Second)

	// The stream's limits set by an operator, not by StreamConfig, are kept.
	const operatorMaxBytes = 1 << 30
	steps := []struct {
		name    string
		cfg     publisher.StreamConfig
		operate func(t *testing.T)
		want    func(t *testing.T, c jetstream.StreamConfig)
	}{
		{
			name: "create",
			cfg:  publisher.StreamConfig{},
			want: func(t *testing.T, c jetstream.StreamConfig) {
				if c.MaxAge != publisher.DefaultMaxAge || c.Duplicates != publisher.DefaultDuplicateWindow ||
					!reflect.DeepEqual(c.Subjects, []string{"bounced.>"}) || c.Storage != jetstream.FileStorage ||
					c.Replicas != 1 || c.Retention != jetstream.LimitsPolicy {
					t.Errorf("stream config = %+v, want defaults", c)
				}
			},
		},
		{
			name: "sameConfigAgain",
			cfg:  publisher.StreamConfig{Name: "BOUNCED", SubjectPrefix: "bounced", MaxAge: 30 * 24 * time.Hour},
			operate: func(t *testing.T) {
				s, err := js.Stream(ctx, "BOUNCED")
				if err != nil {
					t.Fatal(err)
				}
				c := s.CachedInfo().Config
				c.MaxBytes = operatorMaxBytes
				if _, err := js.UpdateStream(ctx, c); err != nil {
					t.Fatalf("operator UpdateStream() = %v", err)
				}
			},
			want: func(t *testing.T, c jetstream.StreamConfig) {
				if c.MaxAge != publisher.DefaultMaxAge || c.MaxBytes != operatorMaxBytes {
					t.Errorf("stream config = %+v, want unchanged", c)
				}
			},
		},
		{
			name: "changeMaxAge",
			cfg:  publisher.StreamConfig{MaxAge: 7 * 24 * time.Hour, DuplicateWindow: time.Hour},
			want: func(t *testing.T, c jetstream.StreamConfig) {
				if c.MaxAge != 7*24*time.Hour || c.Duplicates != time.Hour || c.MaxBytes != operatorMaxBytes {
					t.Errorf("stream config = %+v, want max age 168h, duplicates 1h, max bytes kept", c)
				}
			},
		},
		{
			name: "changeMaxAgeAgain",
			cfg:  publisher.StreamConfig{MaxAge: 7 * 24 * time.Hour, DuplicateWindow: time.Hour},
			want: func(t *testing.T, c jetstream.StreamConfig) {
				if c.MaxAge != 7*24*time.Hour {
					t.Errorf("stream config = %+v, want max age 168h", c)
				}
			},
		},
		{
			name: "changePrefix",
			cfg:  publisher.StreamConfig{SubjectPrefix: "acme.bounced", MaxAge: 7 * 24 * time.Hour, DuplicateWindow: time.Hour},
			want: func(t *testing.T, c jetstream.StreamConfig) {
				if !reflect.DeepEqual(c.Subjects, []string{"acme.bounced.>"}) {
					t.Errorf("stream subjects = %v, want [acme.bounced.>]", c.Subjects)
				}
			},
		},
	}
	var seq uint64
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.operate != nil {
				st.operate(t)
			}
			p, err := publisher.New(ctx, js, st.cfg, testLog(t))
			if err != nil {
				t.Fatalf("New() = %v", err)
			}
			info := streamInfo(t, js, "BOUNCED")
			st.want(t, info.Config)
			// Events published before an update are still there.
			if info.State.Msgs != uint64(i) {
				t.Errorf("stream has %d messages, want %d", info.State.Msgs, i)
			}
			ev := sampleBounce()
			ev.ID = fmt.Sprintf("create-update-%d", i)
			res, err := p.Publish(ctx, ev)
			if err != nil {
				t.Fatalf("Publish() = %v", err)
			}
			if res.Sequence != seq+1 || res.Duplicate {
				t.Errorf("Publish() = %+v, want sequence %d, not duplicate", res, seq+1)
			}
			seq = res.Sequence
		})
	}
}

func TestNew_invalidConfig(t *testing.T) {
	srv := testutil.StartNATSEmbedded(t)
	_, js := connect(t, srv.URL)
	tests := []struct {
		name string
		cfg  publisher.StreamConfig
		want string
	}{
		{"dotInName", publisher.StreamConfig{Name: "A.B"}, `stream name "A.B"`},
		{"wildcardName", publisher.StreamConfig{Name: "A*"}, `stream name "A*"`},
		{"wildcardPrefix", publisher.StreamConfig{SubjectPrefix: "bounced.*"}, `subject prefix "bounced.*"`},
		{"spacePrefix", publisher.StreamConfig{SubjectPrefix: "my bounces"}, `want dot-separated tokens`},
		{"emptyTokenPrefix", publisher.StreamConfig{SubjectPrefix: "a..b"}, `"a.b"`},
		{"replicas", publisher.StreamConfig{Replicas: 7}, "replicas 7"},
		{"storage", publisher.StreamConfig{Storage: "disk"}, `storage "disk"`},
		{"negativeMaxAge", publisher.StreamConfig{MaxAge: -time.Hour}, "negative max age"},
		{"windowOverMaxAge", publisher.StreamConfig{MaxAge: time.Hour, DuplicateWindow: 2 * time.Hour}, "exceeds max age"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := publisher.New(ctxT(t, 5*time.Second), js, tc.cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "publisher: ") {
				t.Errorf("New(%+v) = %v, want an error containing %q", tc.cfg, err, tc.want)
			}
			if publisher.IsTransient(err) {
				t.Errorf("IsTransient(%v) = true, want false", err)
			}
		})
	}
	t.Run("storageChange", func(t *testing.T) {
		ctx := ctxT(t, 10*time.Second)
		if _, err := publisher.New(ctx, js, publisher.StreamConfig{Name: "MEM", SubjectPrefix: "mem", Storage: "memory"}, nil); err != nil {
			t.Fatalf("New(memory) = %v", err)
		}
		_, err := publisher.New(ctx, js, publisher.StreamConfig{Name: "MEM", SubjectPrefix: "mem", Storage: "file"}, nil)
		if err == nil || !strings.Contains(err.Error(), "storage cannot be changed") {
			t.Errorf("New(file over memory) = %v, want a storage error", err)
		}
	})
	t.Run("nilJetStream", func(t *testing.T) {
		if _, err := publisher.New(context.Background(), nil, publisher.StreamConfig{}, nil); err == nil {
			t.Error("New(nil) = nil error")
		}
	})
}

// fetch reads n messages on filter from the stream, from sequence start
// on, with a durable pull consumer as a subscriber would, and acks them.
func fetch(t *testing.T, js jetstream.JetStream, stream, filter string, start uint64, n int) []jetstream.Msg {
	t.Helper()
	ctx := ctxT(t, 10*time.Second)
	c, err := js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
		Durable:       "test-" + strconv.FormatInt(time.Now().UnixNano(), 36),
		FilterSubject: filter,
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   start,
	})
	if err != nil {
		t.Fatalf("CreateOrUpdateConsumer() = %v", err)
	}
	var out []jetstream.Msg
	for len(out) < n {
		batch, err := c.Fetch(n-len(out), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatalf("Fetch() = %v", err)
		}
		got := 0
		for m := range batch.Messages() {
			if err := m.Ack(); err != nil {
				t.Fatalf("Ack() = %v", err)
			}
			out = append(out, m)
			got++
		}
		if err := batch.Error(); err != nil {
			t.Fatalf("Fetch() batch = %v", err)
		}
		if got == 0 {
			t.Fatalf("Fetch() got %d messages of %d", len(out), n)
		}
	}
	return out
}

func TestPublish_subjectAndRoundTrip(t *testing.T) {
	srv := testutil.StartNATSEmbedded(t)
	_, js := connect(t, srv.URL)
	ctx := ctxT(t, 30*time.Second)
	p, err := publisher.New(ctx, js, publisher.StreamConfig{Name: "EVENTS", SubjectPrefix: "shop.bounced", Storage: "memory"}, testLog(t))
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	delay := sampleBounce()
	delay.ID, delay.Type, delay.Category, delay.Reason, delay.Hard = "delay-1", publisher.TypeDelay, "transient", "expired", false
	noSchema := sampleComplaint()
	noSchema.Schema = 0
	paris := sampleBounce()
	paris.ID = "tz-1"
	paris.Time = sampleTime.In(time.FixedZone("CET", 3600))
	tests := []struct {
		name    string
		ev      publisher.Event
		subject string
		want    publisher.Event // zero: ev
	}{
		{"bounce", sampleBounce(), "shop.bounced.bounce.user_unknown.user_unknown", publisher.Event{}},
		{"complaintSchemaFilled", noSchema, "shop.bounced.complaint", sampleComplaint()},
		{"delay", delay, "shop.bounced.delay.transient.expired", publisher.Event{}},
		{"timeInUTC", paris, "shop.bounced.bounce.user_unknown.user_unknown", func() publisher.Event {
			e := paris
			e.Time = sampleTime
			return e
		}()},
		{"unparseable", publisher.Event{ID: "u-1", Type: publisher.TypeUnparseable, Time: sampleTime, Error: "bounce: truncated"},
			"shop.bounced.unparseable", publisher.Event{Schema: 1, ID: "u-1", Type: publisher.TypeUnparseable, Time: sampleTime, Error: "bounce: truncated"}},
		{"suppressionRemoved", publisher.Event{Schema: 1, ID: "r-1", Type: publisher.TypeSuppressionRemoved, Time: sampleTime, Recipient: "a@example.com", Actor: "api", Note: "fixed"},
			"shop.bounced.suppression.removed", publisher.Event{}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := p.Publish(ctx, tc.ev)
			if err != nil {
				t.Fatalf("Publish() = %v", err)
			}
			if res.Duplicate || res.Sequence != uint64(i+1) {
				t.Errorf("Publish() = %+v, want sequence %d", res, i+1)
			}
			m := fetch(t, js, "EVENTS", tc.subject, res.Sequence, 1)[0]
			if m.Subject() != tc.subject {
				t.Errorf("subject = %q, want %q", m.Subject(), tc.subject)
			}
			want := tc.want
			if want.ID == "" {
				want = tc.ev
			}
			if h := m.Headers(); h.Get(jetstream.MsgIDHeader) != want.ID || h.Get(publisher.HeaderType) != string(want.Type) || h.Get(publisher.HeaderSchema) != "1" {
				t.Errorf("headers = %v, want Nats-Msg-Id %s, type and schema", h, want.ID)
			}
			var got publisher.Event
			if err := json.Unmarshal(m.Data(), &got); err != nil {
				t.Fatalf("Unmarshal(%s) = %v", m.Data(), err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("event read back = %+v\nwant %+v", got, want)
			}
		})
	}
	t.Run("invalidEvent", func(t *testing.T) {
		_, err := p.Publish(ctx, publisher.Event{Type: publisher.TypeBounce, Time: sampleTime})
		if !errors.Is(err, publisher.ErrInvalidEvent) || publisher.IsTransient(err) {
			t.Errorf("Publish(no id) = %v, want ErrInvalidEvent, not transient", err)
		}
	})
	t.Run("subjectsTakenByOtherStream", func(t *testing.T) {
		_, err := publisher.New(ctx, js, publisher.StreamConfig{Name: "SECOND", SubjectPrefix: "shop.bounced", Storage: "memory"}, nil)
		if err == nil || publisher.IsTransient(err) {
			t.Errorf("New(overlapping subjects) = %v, want a permanent error", err)
		}
	})
}

// newDefaultPublisher starts an embedded server and returns its
// JetStream, a Publisher with the default stream, and a context for the
// test.
func newDefaultPublisher(t *testing.T) (jetstream.JetStream, *publisher.Publisher, context.Context) {
	t.Helper()
	srv := testutil.StartNATSEmbedded(t)
	_, js := connect(t, srv.URL)
	ctx := ctxT(t, 30*time.Second)
	p, err := publisher.New(ctx, js, publisher.StreamConfig{}, testLog(t))
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	return js, p, ctx
}

func TestPublish_duplicate(t *testing.T) {
	js, p, ctx := newDefaultPublisher(t)
	tests := []struct {
		name          string
		ev            publisher.Event
		wantDuplicate bool
		wantSeq       uint64
	}{
		{"first", sampleBounce(), false, 1},
		{"sameIDAgain", sampleBounce(), true, 1},
		{"sameIDOtherContent", func() publisher.Event { e := sampleBounce(); e.Count = 9; return e }(), true, 1},
		{"otherID", sampleComplaint(), false, 2},
		{"otherIDAgain", sampleComplaint(), true, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := p.Publish(ctx, tc.ev)
			if err != nil {
				t.Fatalf("Publish() = %v", err)
			}
			if res.Duplicate != tc.wantDuplicate || res.Sequence != tc.wantSeq {
				t.Errorf("Publish() = %+v, want {Sequence:%d Duplicate:%v}", res, tc.wantSeq, tc.wantDuplicate)
			}
		})
	}
	if n := streamInfo(t, js, "BOUNCED").State.Msgs; n != 2 {
		t.Errorf("stream has %d messages, want 2", n)
	}
	msgs := fetch(t, js, "BOUNCED", "bounced.bounce.>", 1, 1)
	var got publisher.Event
	if err := json.Unmarshal(msgs[0].Data(), &got); err != nil || got.Count != 1 {
		t.Errorf("stored event = %+v (%v), want the first copy (count 1)", got, err)
	}
}

// TestPublishAll sends events together: they are stored in the order
// given, deduplicated by ID like Publish's, and an invalid one stops the
// call before anything is sent.
func TestPublishAll(t *testing.T) {
	js, p, ctx := newDefaultPublisher(t)
	bad := sampleBounce()
	bad.ID = "other"
	bad.Recipient = ""
	tests := []struct {
		name    string
		evs     []publisher.Event
		want    []publisher.PublishResult
		wantErr error
	}{
		{"two", []publisher.Event{sampleBounce(), sampleComplaint()}, []publisher.PublishResult{{Sequence: 1}, {Sequence: 2}}, nil},
		{"againDuplicates", []publisher.Event{sampleBounce(), sampleComplaint()}, []publisher.PublishResult{{Sequence: 1, Duplicate: true}, {Sequence: 2, Duplicate: true}}, nil},
		{"one", []publisher.Event{func() publisher.Event { e := sampleBounce(); e.ID = "third"; return e }()}, []publisher.PublishResult{{Sequence: 3}}, nil},
		{"invalidSendsNothing", []publisher.Event{func() publisher.Event { e := sampleComplaint(); e.ID = "fourth"; return e }(), bad}, nil, publisher.ErrInvalidEvent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.PublishAll(ctx, tc.evs...)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("PublishAll() error = %v, want %v", err, tc.wantErr)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("PublishAll() = %+v, want %+v", got, tc.want)
			}
		})
	}
	if n := streamInfo(t, js, "BOUNCED").State.Msgs; n != 3 {
		t.Errorf("stream has %d messages, want 3", n)
	}
	msgs := fetch(t, js, "BOUNCED", "bounced.>", 1, 3)
	for i, wantID := range []string{sampleBounce().ID, sampleComplaint().ID, "third"} {
		if id := msgs[i].Headers().Get(jetstream.MsgIDHeader); id != wantID {
			t.Errorf("stream message %d has ID %q, want %q", i+1, id, wantID)
		}
	}
}

// TestPublish_outage stops the server, the real nats-server binary and
// the embedded one: while it is down, Publish fails with a transient error;
// once it is back, the same connection reconnects by itself and Publish
// succeeds.
func TestPublish_outage(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts nats-server")
	}
	tests := []struct {
		name  string
		start func(testing.TB) *testutil.NATSServer
	}{
		{"binary", testutil.StartNATS},
		{"embedded", testutil.StartNATSEmbedded},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { testOutage(t, tc.start(t)) })
	}
}

func testOutage(t *testing.T, srv *testutil.NATSServer) {
	nc, js := connect(t, srv.URL)
	ctx := ctxT(t, 60*time.Second)
	p, err := publisher.New(ctx, js, publisher.StreamConfig{}, testLog(t))
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	before := sampleBounce()
	if _, err := p.Publish(ctx, before); err != nil {
		t.Fatalf("Publish() before the outage = %v", err)
	}

	srv.Stop()
	during := sampleComplaint()
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	_, err = p.Publish(pctx, during)
	cancel()
	if err == nil {
		t.Fatal("Publish() during the outage = nil error")
	}
	t.Logf("Publish() during the outage = %v", err)
	if !publisher.IsTransient(err) {
		t.Errorf("IsTransient(%v) = false, want true", err)
	}
	if !strings.HasPrefix(err.Error(), "publisher: ") {
		t.Errorf("Publish() error %q, want a publisher: prefix", err)
	}

	pctx, cancel = context.WithTimeout(ctx, 3*time.Second)
	_, err = p.PublishAll(pctx, during, sampleBounce())
	cancel()
	if err == nil || !publisher.IsTransient(err) {
		t.Errorf("PublishAll() during the outage = %v, want a transient error", err)
	}

	srv.Start()
	deadline := time.Now().Add(20 * time.Second)
	var res publisher.PublishResult
	for attempt := 1; ; attempt++ {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		res, err = p.Publish(pctx, during)
		cancel()
		if err == nil {
			t.Logf("published after restart at attempt %d", attempt)
			break
		}
		if !publisher.IsTransient(err) {
			t.Fatalf("Publish() after restart = %v, not transient", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("Publish() still failing 20s after restart: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if res.Duplicate || res.Sequence != 2 {
		t.Errorf("Publish() after restart = %+v, want sequence 2 (the stream survived)", res)
	}
	if nc.Stats().Reconnects < 1 {
		t.Errorf("Reconnects = %d, want the connection to have reconnected", nc.Stats().Reconnects)
	}
	if res, err := p.Publish(ctx, before); err != nil || !res.Duplicate {
		t.Errorf("Publish(before) again = %+v, %v; want a duplicate across the restart", res, err)
	}
}

func TestConnect_unreachable(t *testing.T) {
	port := testutil.FreePort(t)
	ctx := ctxT(t, 1500*time.Millisecond)
	start := time.Now()
	_, err := publisher.Connect(ctx, publisher.ConnOptions{URL: "nats://user:s3cret@127.0.0.1:" + strconv.Itoa(port)}, testLog(t))
	if err == nil {
		t.Fatal("Connect() = nil error with no server")
	}
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("Connect() = %v after %v, want a deadline error after about 1.5s", err, time.Since(start))
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Connect() error %q shows the password", err)
	}
}

func TestConnect_badOptions(t *testing.T) {
	tests := []struct {
		name string
		o    publisher.ConnOptions
		want string
	}{
		{"missingCA", publisher.ConnOptions{TLS: true, TLSCAFile: "/nonexistent/ca.pem"}, "tls ca file"},
		{"certWithoutKey", publisher.ConnOptions{TLS: true, TLSCertFile: "/nonexistent/c.pem"}, "go together"},
		{"missingCreds", publisher.ConnOptions{CredsFile: "/nonexistent/x.creds"}, "creds file"},
		{"missingNKey", publisher.ConnOptions{NKeyFile: "/nonexistent/x.nk"}, "nkey file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := publisher.Connect(ctxT(t, 5*time.Second), tc.o, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Connect() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestIsTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"timeout", nats.ErrTimeout, true},
		{"wrappedTimeout", fmt.Errorf("publisher: publish: %w", nats.ErrTimeout), true},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{"canceled", context.Canceled, false},
		{"noResponders", nats.ErrNoResponders, true},
		{"noStreamResponse", jetstream.ErrNoStreamResponse, true},
		{"closed", nats.ErrConnectionClosed, true},
		{"reconnecting", nats.ErrConnectionReconnecting, true},
		{"reconnectBuffer", nats.ErrReconnectBufExceeded, true},
		{"noServers", nats.ErrNoServers, true},
		{"netRefused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true},
		{"api503", &jetstream.APIError{Code: 503, ErrorCode: 10008, Description: "JetStream system temporarily unavailable"}, true},
		{"jetStreamOff", jetstream.ErrJetStreamNotEnabled, false},
		{"api400", &jetstream.APIError{Code: 400, ErrorCode: 10060, Description: "expected stream does not match"}, false},
		{"streamNotFound", jetstream.ErrStreamNotFound, false},
		{"authorization", nats.ErrAuthorization, false},
		{"maxPayload", nats.ErrMaxPayload, false},
		{"invalidEvent", fmt.Errorf("%w: no id", publisher.ErrInvalidEvent), false},
		{"other", io.ErrUnexpectedEOF, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := publisher.IsTransient(tc.err); got != tc.want {
				t.Errorf("IsTransient(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func BenchmarkPublish(b *testing.B) {
	srv := testutil.StartNATSEmbedded(b)
	_, js := connect(b, srv.URL)
	ctx := context.Background()
	p, err := publisher.New(ctx, js, publisher.StreamConfig{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	ev := sampleBounce()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ev.ID = "bench-" + strconv.Itoa(i)
		if _, err := p.Publish(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}
