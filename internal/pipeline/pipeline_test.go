package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

type stack struct {
	redis *testutil.RedisServer
	store *suppress.Store
	js    jetstream.JetStream
	pipe  *Pipeline
}

func newStack(t *testing.T) *stack {
	t.Helper()
	return newStackWith(t, testutil.StartRedis(t), &redis.Options{MaxRetries: -1}, testutil.StartNATSEmbedded(t))
}

// newStackWith builds a pipeline on the Redis rs (a client with ro and
// rs's address) and the NATS server ns.
func newStackWith(t testing.TB, rs *testutil.RedisServer, ro *redis.Options, ns *testutil.NATSServer) *stack {
	t.Helper()
	ctx := context.Background()
	ro.Addr = rs.Addr
	rc := redis.NewClient(ro)
	t.Cleanup(func() { rc.Close() })
	store := suppress.New(rc, "{p}", suppress.DefaultPolicy(), nil)
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
	p := New(store, pub, Options{Headers: []string{"X-Customer-ID"}})
	return &stack{redis: rs, store: store, js: js, pipe: p}
}

// events returns every event in the stream, by subject.
func (s *stack) events(t *testing.T) []publisher.Event {
	t.Helper()
	ctx := context.Background()
	st, err := s.js.Stream(ctx, "BOUNCED")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := st.Info(ctx)
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

func sample(t *testing.T, name string) *mailbox.Message {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return &mailbox.Message{Worker: "shop", Mailbox: "INBOX", UIDValidity: 1, UID: 7, Raw: raw,
		InternalDate: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
}

func TestHandle_dispositions(t *testing.T) {
	tests := []struct {
		file       string
		want       mailbox.Disposition
		wantEvents []publisher.EventType
	}{
		{"hard-bounce.eml", mailbox.Processed, []publisher.EventType{publisher.TypeBounce, publisher.TypeSuppressionAdded}},
		{"soft-bounce.eml", mailbox.Processed, []publisher.EventType{publisher.TypeBounce}},
		{"complaint.eml", mailbox.Processed, []publisher.EventType{publisher.TypeComplaint, publisher.TypeSuppressionAdded}},
		{"vacation.eml", mailbox.Ignored, nil},
		{"garbage.eml", mailbox.Quarantined, []publisher.EventType{publisher.TypeUnparseable}},
		{"complaint-nobody.eml", mailbox.Quarantined, []publisher.EventType{publisher.TypeUnparseable}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			s := newStack(t)
			got, err := s.pipe.Handle(context.Background(), sample(t, tc.file))
			if err != nil || got != tc.want {
				t.Fatalf("Handle() = %v, %v; want %v", got, err, tc.want)
			}
			evs := s.events(t)
			if len(evs) != len(tc.wantEvents) {
				t.Fatalf("events = %+v, want types %v", evs, tc.wantEvents)
			}
			for i, ev := range evs {
				if ev.Type != tc.wantEvents[i] {
					t.Errorf("event %d type = %s, want %s", i, ev.Type, tc.wantEvents[i])
				}
			}
		})
	}
}

func TestHandle_hardBounceSuppressesAndCarriesHeaders(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	if _, err := s.pipe.Handle(ctx, sample(t, "hard-bounce.eml")); err != nil {
		t.Fatal(err)
	}
	ok, err := s.store.IsSuppressed(ctx, "hanako.typo@example.net", "all")
	if err != nil || !ok {
		t.Fatalf("IsSuppressed = %v, %v; want true", ok, err)
	}
	rec, _ := s.store.Get(ctx, "hanako.typo@example.net")
	if rec.Reason != "user_unknown" || !rec.Hard || rec.OriginalMessageID != "order-10023@shop.example" {
		t.Errorf("record = %+v", rec)
	}
	ev := s.events(t)[0]
	if ev.Headers["X-Customer-ID"] != "C-10023" || ev.Recipient != "hanako.typo@example.net" || ev.Reason != "user_unknown" ||
		ev.OriginalSubject != "Your order #10023 has shipped" || !ev.Suppressed || ev.Source == "" {
		t.Errorf("event = %+v", ev)
	}
}

// Handling the same message again (a crash before the IMAP move) must not
// double any effect.
func TestHandle_replayIsIdempotent(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if d, err := s.pipe.Handle(ctx, sample(t, "hard-bounce.eml")); err != nil || d != mailbox.Processed {
			t.Fatalf("Handle #%d = %v, %v", i, d, err)
		}
	}
	rec, _ := s.store.Get(ctx, "hanako.typo@example.net")
	if rec.Count != 1 {
		t.Errorf("record count = %d after 3 handlings of one message, want 1", rec.Count)
	}
	if n := len(s.events(t)); n != 2 {
		t.Errorf("stream holds %d events, want 2 (bounce + suppression.added)", n)
	}
	if s.pipe.Metrics().Duplicates.Load() != 2 {
		t.Errorf("duplicates = %d, want 2", s.pipe.Metrics().Duplicates.Load())
	}
}

func TestHandle_redisDownIsAnErrorAndPublishesNothing(t *testing.T) {
	s := newStack(t)
	s.redis.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := s.pipe.Handle(ctx, sample(t, "hard-bounce.eml")); err == nil {
		t.Fatal("Handle() with Redis down = nil error, want one")
	}
	if n := len(s.events(t)); n != 0 {
		t.Errorf("stream holds %d events after a failed apply, want 0", n)
	}
	s.redis.Start()
	if d, err := s.pipe.Handle(context.Background(), sample(t, "hard-bounce.eml")); err != nil || d != mailbox.Processed {
		t.Fatalf("Handle() after restart = %v, %v", d, err)
	}
}

func TestMessageKey_lineEndings(t *testing.T) {
	if MessageKey([]byte("a\r\nb\r\n")) != MessageKey([]byte("a\nb\n")) {
		t.Error("MessageKey differs between CRLF and LF copies of one message")
	}
	if MessageKey([]byte("a")) == MessageKey([]byte("b")) {
		t.Error("MessageKey equal for different messages")
	}
}

// An operator's rules file (classify.rules_file) decides before the
// built-in wordings, and every record and event carries the verdict's
// confidence.
func TestHandle_operatorRulesAndConfidence(t *testing.T) {
	ctx := context.Background()
	s := newStack(t)
	if _, err := s.pipe.Handle(ctx, sample(t, "soft-bounce.eml")); err != nil {
		t.Fatal(err)
	}
	rec, err := s.store.Get(ctx, "taro@example.org")
	if err != nil || rec.Reason != "mailbox_full" || rec.Confidence == "" {
		t.Fatalf("built-in rules: record = %+v, %v; want mailbox_full with a confidence", rec, err)
	}
	if ev := s.events(t)[0]; ev.Confidence != rec.Confidence || ev.Rule != rec.Rule {
		t.Errorf("event confidence/rule = %q/%q, record %q/%q", ev.Confidence, ev.Rule, rec.Confidence, rec.Rule)
	}

	rules, err := classify.LoadRules(strings.NewReader(
		"text\t10\trate_limited\ttried to reach is over quota\t-\toperator: test rule\n"), "operator.tsv")
	if err != nil {
		t.Fatal(err)
	}
	s2 := newStack(t)
	s2.pipe.opts.Classifier = classify.New(rules)
	if _, err := s2.pipe.Handle(ctx, sample(t, "soft-bounce.eml")); err != nil {
		t.Fatal(err)
	}
	rec, err = s2.store.Get(ctx, "taro@example.org")
	if err != nil || rec.Reason != "rate_limited" || rec.RuleSource != "operator: test rule" {
		t.Fatalf("operator rules: record = %+v, %v; want rate_limited from the operator rule", rec, err)
	}
}
