package publisher_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/publisher"
)

// TestPublish_streamDeletedIsRecreated deletes the stream while the
// publisher runs: the next Publish and PublishAll recreate it with its
// configuration and succeed (before, every publish failed with "no
// response from stream" until a restart).
func TestPublish_streamDeletedIsRecreated(t *testing.T) {
	js, p, ctx := newDefaultPublisher(t)
	if _, err := p.Publish(ctx, sampleBounce()); err != nil {
		t.Fatalf("Publish() = %v", err)
	}
	before := streamInfo(t, js, "BOUNCED").Config

	for _, tc := range []struct {
		name    string
		publish func() error
	}{
		{"Publish", func() error { _, err := p.Publish(ctx, sampleComplaint()); return err }},
		{"PublishAll", func() error {
			a, b := sampleBounce(), sampleBounce()
			a.ID, b.ID, b.Type = "all-1", "all-1:added", publisher.TypeSuppressionAdded
			_, err := p.PublishAll(ctx, a, b)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := js.DeleteStream(ctx, "BOUNCED"); err != nil {
				t.Fatalf("DeleteStream() = %v", err)
			}
			recreated := p.Stats().StreamsRecreated
			if err := tc.publish(); err != nil {
				t.Fatalf("publish after the stream was deleted = %v, want it recreated", err)
			}
			if got := p.Stats().StreamsRecreated; got != recreated+1 {
				t.Errorf("Stats().StreamsRecreated = %d, want %d", got, recreated+1)
			}
			info := streamInfo(t, js, "BOUNCED")
			if info.State.Msgs == 0 {
				t.Errorf("recreated stream has no message")
			}
			got := info.Config
			if !slicesEqual(got.Subjects, before.Subjects) || got.MaxAge != before.MaxAge ||
				got.Duplicates != before.Duplicates || got.Storage != before.Storage || got.Discard != before.Discard {
				t.Errorf("recreated stream config = %+v, want that of the first %+v", got, before)
			}
		})
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

// startServer runs a NATS server with JetStream in the test process with
// opts (a free port, a temporary store) and returns its URL.
func startServer(t *testing.T, opts server.Options) string {
	t.Helper()
	return startServerWith(t, opts).ClientURL()
}

func startServerWith(t *testing.T, opts server.Options) *server.Server {
	t.Helper()
	opts.Host, opts.Port, opts.JetStream, opts.StoreDir = "127.0.0.1", -1, true, t.TempDir()
	opts.NoLog, opts.NoSigs = true, true
	s, err := server.NewServer(&opts)
	if err != nil {
		t.Fatalf("server.NewServer() = %v", err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(s.Shutdown)
	return s
}

// TestPublish_streamCannotBeRecreated: the stream is deleted and the
// account may not create another one: the publish fails as permanent.
func TestPublish_streamCannotBeRecreated(t *testing.T) {
	srv := startServerWith(t, server.Options{})
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	ctx := ctxT(t, 30*time.Second)
	p, err := publisher.New(ctx, js, publisher.StreamConfig{Storage: "memory"}, testLog(t))
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	if err := js.DeleteStream(ctx, publisher.DefaultStreamName); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "OTHER", Subjects: []string{"other.>"}, Storage: jetstream.MemoryStorage}); err != nil {
		t.Fatal(err)
	}
	limits := map[string]server.JetStreamAccountLimits{"": {MaxStreams: 1, MaxMemory: -1, MaxStore: -1, MaxConsumers: -1}}
	if err := srv.GlobalAccount().UpdateJetStreamLimits(limits); err != nil {
		t.Fatalf("UpdateJetStreamLimits() = %v", err)
	}
	_, err = p.Publish(ctx, sampleBounce())
	if !errors.Is(err, publisher.ErrPermanent) || publisher.IsTransient(err) {
		t.Fatalf("Publish() with no stream and none allowed = %v, want ErrPermanent", err)
	}
	if got := p.Stats(); got.PermanentFailures != 1 || got.StreamsRecreated != 0 {
		t.Errorf("Stats() = %+v, want 1 permanent failure, 0 recreated", got)
	}
}

// TestPublish_permanentErrors: failures that cannot heal wrap
// ErrPermanent, are not transient and are counted; an outage stays
// transient.
func TestPublish_permanentErrors(t *testing.T) {
	huge := sampleBounce()
	huge.ID = "huge-1"
	huge.OriginalSubject = strings.Repeat("é", 5<<20/2)
	huge.Diagnostic = strings.Repeat("x", 5<<20)

	tests := []struct {
		name  string
		opts  server.Options
		conn  func(url string) (*nats.Conn, error)
		setup func(ctx context.Context, js jetstream.JetStream) error
		ev    publisher.Event
	}{
		{
			// Capped fields still add up to more than a tiny max_payload.
			name: "overServerMaxPayload",
			opts: server.Options{MaxPayload: 4096},
			ev:   huge,
		},
		{
			name: "overStreamMaxMsgSize",
			setup: func(ctx context.Context, js jetstream.JetStream) error {
				return updateStream(ctx, js, func(c *jetstream.StreamConfig) { c.MaxMsgSize = 256 })
			},
			ev: sampleBounce(),
		},
		{
			name: "streamFullDiscardNew",
			setup: func(ctx context.Context, js jetstream.JetStream) error {
				return updateStream(ctx, js, func(c *jetstream.StreamConfig) { c.MaxMsgs, c.Discard = 1, jetstream.DiscardNew })
			},
			ev: sampleBounce(),
		},
		{
			// Deleted, and its subjects taken by another stream meanwhile:
			// recreating cannot help.
			name: "subjectTakenByAnotherStream",
			setup: func(ctx context.Context, js jetstream.JetStream) error {
				if err := js.DeleteStream(ctx, publisher.DefaultStreamName); err != nil {
					return err
				}
				_, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "OTHER", Subjects: []string{"bounced.>"}, Storage: jetstream.MemoryStorage})
				return err
			},
			ev: sampleBounce(),
		},
		{
			name: "publishNotPermitted",
			opts: server.Options{Users: []*server.User{{Username: "u", Password: "p",
				Permissions: &server.Permissions{Publish: &server.SubjectPermission{Deny: []string{"bounced.complaint"}}}}}},
			conn: func(url string) (*nats.Conn, error) { return nats.Connect(url, nats.UserInfo("u", "p")) },
			ev:   sampleComplaint(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := startServer(t, tc.opts)
			connFn := tc.conn
			if connFn == nil {
				connFn = func(url string) (*nats.Conn, error) { return nats.Connect(url) }
			}
			nc, err := connFn(url)
			if err != nil {
				t.Fatalf("nats.Connect() = %v", err)
			}
			t.Cleanup(nc.Close)
			js, err := jetstream.New(nc)
			if err != nil {
				t.Fatalf("jetstream.New() = %v", err)
			}
			ctx := ctxT(t, 30*time.Second)
			p, err := publisher.New(ctx, js, publisher.StreamConfig{Storage: "memory"}, testLog(t))
			if err != nil {
				t.Fatalf("New() = %v", err)
			}
			if tc.setup != nil {
				if err := tc.setup(ctx, js); err != nil {
					t.Fatalf("setup: %v", err)
				}
				// The first event fits; the one after it does not.
				if tc.name == "streamFullDiscardNew" {
					first := sampleComplaint()
					if _, err := p.Publish(ctx, first); err != nil {
						t.Fatalf("Publish(first) = %v", err)
					}
				}
			}
			pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			_, err = p.Publish(pctx, tc.ev)
			if !errors.Is(err, publisher.ErrPermanent) || publisher.IsTransient(err) {
				t.Fatalf("Publish() = %v (transient %v), want an error wrapping ErrPermanent, not transient", err, publisher.IsTransient(err))
			}
			if got := p.Stats().PermanentFailures; got != 1 {
				t.Errorf("Stats().PermanentFailures = %d, want 1", got)
			}
		})
	}

	t.Run("outageStaysTransient", func(t *testing.T) {
		js, p, ctx := newDefaultPublisher(t)
		js.Conn().Close()
		_, err := p.Publish(ctx, sampleBounce())
		if err == nil || errors.Is(err, publisher.ErrPermanent) || !publisher.IsTransient(err) {
			t.Fatalf("Publish() on a closed connection = %v, want transient", err)
		}
		if got := p.Stats().PermanentFailures; got != 0 {
			t.Errorf("Stats().PermanentFailures = %d, want 0", got)
		}
	})
}

func updateStream(ctx context.Context, js jetstream.JetStream, f func(*jetstream.StreamConfig)) error {
	s, err := js.Stream(ctx, publisher.DefaultStreamName)
	if err != nil {
		return err
	}
	c := s.CachedInfo().Config
	f(&c)
	_, err = js.UpdateStream(ctx, c)
	return err
}

// TestEvent_capped: a 5 MB Subject and 1,000 headers make an event that
// fits the server's default 1 MB payload, cut on UTF-8 boundaries with
// the marker, and the event is published.
func TestEvent_capped(t *testing.T) {
	ev := sampleBounce()
	ev.OriginalSubject = strings.Repeat("件名", 5<<20/6) // 3-byte runes: a cut must not split one
	ev.Diagnostic = strings.Repeat("\x00", 5<<20)      // JSON writes each as \u0000
	ev.Headers = map[string]string{}
	for i := range 1000 {
		ev.Headers["X-H-"+strconv.Itoa(i)+strings.Repeat("n", 200)] = strings.Repeat("v", 5000)
	}
	for _, f := range []*string{&ev.Recipient, &ev.Source, &ev.RemoteMTA, &ev.OriginalMessageID} {
		*f = strings.Repeat("a", 1<<20) + "@example.com"
	}
	ev.ID = strings.Repeat("i", 100000)

	c := ev.Capped()
	data, err := publisher.Marshal(c)
	if err != nil {
		t.Fatalf("Marshal() = %v", err)
	}
	if len(data) >= 1<<20 {
		t.Errorf("capped event is %d bytes, want < 1 MiB", len(data))
	}
	for name, v := range map[string]string{"original_subject": c.OriginalSubject, "diagnostic": c.Diagnostic, "recipient": c.Recipient} {
		if !utf8.ValidString(v) || !strings.HasSuffix(v, publisher.TruncatedMarker) {
			t.Errorf("%s: valid UTF-8 %v, ends in marker %v; want both", name, utf8.ValidString(v), strings.HasSuffix(v, publisher.TruncatedMarker))
		}
	}
	if len(c.OriginalSubject) > publisher.MaxTextFieldLen || len(c.Recipient) > publisher.MaxShortFieldLen {
		t.Errorf("lengths subject %d, recipient %d: over the caps", len(c.OriginalSubject), len(c.Recipient))
	}
	if len(c.Headers) != publisher.MaxHeaders+1 || c.Headers[publisher.TruncatedHeader] != strconv.Itoa(1000-publisher.MaxHeaders) {
		t.Errorf("capped headers: %d, %s=%q; want %d and %d dropped", len(c.Headers), publisher.TruncatedHeader,
			c.Headers[publisher.TruncatedHeader], publisher.MaxHeaders+1, 1000-publisher.MaxHeaders)
	}
	if len(c.ID) > publisher.MaxIDLen || c.ID == ev.Capped().ID[:len(c.ID)-1] || c.ID != ev.Capped().ID {
		t.Errorf("capped ID %q (%d bytes): want at most %d, and the same every time", c.ID[:40], len(c.ID), publisher.MaxIDLen)
	}
	other := ev
	other.ID += "x"
	if other.Capped().ID == c.ID {
		t.Errorf("two long IDs capped to the same %q", c.ID[:40])
	}
	// The worst case: every field at its cap, of characters JSON writes
	// in six bytes.
	worst := ev
	ctl := strings.Repeat("\x01", 1<<20)
	for _, f := range []*string{&worst.Recipient, &worst.Kind, &worst.Reason, &worst.Category, &worst.Status,
		&worst.ReplyCode, &worst.Diagnostic, &worst.RemoteMTA, &worst.ReportingMTA, &worst.Format, &worst.Rule,
		&worst.OriginalMessageID, &worst.OriginalSubject, &worst.OriginalFrom, &worst.Scope, &worst.Mailbox,
		&worst.Source, &worst.Error, &worst.Actor, &worst.Note} {
		*f = ctl
	}
	worst.Headers = map[string]string{}
	for i := range 1000 {
		worst.Headers[strconv.Itoa(i)+ctl[:300]] = ctl[:5000]
	}
	if data, err := publisher.Marshal(worst.Capped()); err != nil || len(data) >= 600<<10 {
		t.Errorf("worst-case capped event: %d bytes (%v), want < 600 KiB", len(data), err)
	}
	small := sampleBounce()
	if got := small.Capped(); !jsonEqual(t, got, small) {
		t.Errorf("Capped() changed an event within its caps")
	}

	js, p, ctx := newDefaultPublisher(t)
	if _, err := p.Publish(ctx, ev); err != nil {
		t.Fatalf("Publish(5 MB subject, 1000 headers) = %v", err)
	}
	msgs := fetch(t, js, "BOUNCED", "bounced.>", 1, 1)
	var got publisher.Event
	if err := json.Unmarshal(msgs[0].Data(), &got); err != nil {
		t.Fatalf("stored event: %v", err)
	}
	if got.OriginalSubject != c.OriginalSubject || got.ID != c.ID || msgs[0].Headers().Get("Nats-Msg-Id") != c.ID {
		t.Errorf("stored event differs from the capped one")
	}
}

func jsonEqual(t *testing.T, a, b publisher.Event) bool {
	t.Helper()
	x, _ := publisher.Marshal(a)
	y, _ := publisher.Marshal(b)
	return string(x) == string(y)
}
