package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

// failedDSN returns an RFC 3464 report failing rcpts with 5.1.1, about an
// original message with subject, told apart by id.
func failedDSN(id string, subject string, rcpts ...string) *mailbox.Message {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: bounces@shop.example\r\n"+
		"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-%s@mx.example.net>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\n"+
		"Content-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"+
		"Reporting-MTA: dns; mx.example.net\r\n", id)
	for _, r := range rcpts {
		fmt.Fprintf(&b, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\n"+
			"Diagnostic-Code: smtp; 550 5.1.1 <%s>: Recipient address rejected: User unknown\r\n", r, r)
	}
	fmt.Fprintf(&b, "\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: orders@shop.example\r\nSubject: %s\r\n"+
		"Message-ID: <order-%s@shop.example>\r\n\r\n--b--\r\n", subject, id)
	return &mailbox.Message{Worker: "shop", Mailbox: "INBOX", UIDValidity: 1, UID: 9, Raw: []byte(b.String()),
		InternalDate: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
}

// rejectedEvents returns the events whose Error starts with "rejected: ".
func rejectedEvents(evs []publisher.Event) []publisher.Event {
	var out []publisher.Event
	for _, ev := range evs {
		if ev.Type == publisher.TypeUnparseable && strings.HasPrefix(ev.Error, "rejected: ") {
			out = append(out, ev)
		}
	}
	return out
}

// The decoder and the store share one address normaliser
// (internal/smtp), so a recipient the store would refuse (too long, a
// control character) is never reported: it costs only itself, and the
// message's other recipients are applied.
func TestHandle_unusableRecipientCostsOnlyItself(t *testing.T) {
	tests := []struct {
		name, bad string
	}{
		{"tooLong", strings.Repeat("a", 600) + "@example.net"},
		{"controlCharacter", "bad\x01user@example.net"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStack(t)
			ctx := context.Background()
			d, err := s.pipe.Handle(ctx, failedDSN(tc.name, "Order", "good@example.net", tc.bad))
			if d != mailbox.Processed || err != nil {
				t.Fatalf("Handle() = %v, %v; want Processed", d, err)
			}
			if ok, _ := s.store.IsSuppressed(ctx, "good@example.net", "all"); !ok {
				t.Errorf("good@example.net not suppressed")
			}
			if n, _ := s.store.Count(ctx); n != 1 {
				t.Errorf("store holds %d suppressions, want 1", n)
			}
			if rej := rejectedEvents(s.events(t)); len(rej) != 0 {
				t.Errorf("rejected events = %+v, want none", rej)
			}
		})
	}
}

// refusingStore is the real store, except that it refuses one address as
// invalid: what a store with stricter rules than the decoder would do.
type refusingStore struct {
	Store
	bad string
}

func (r refusingStore) Apply(ctx context.Context, e suppress.Entry) (suppress.Result, error) {
	if e.Recipient == r.bad {
		return suppress.Result{}, fmt.Errorf("%w: address %q", suppress.ErrInvalid, e.Recipient)
	}
	return r.Store.Apply(ctx, e)
}

// A recipient the store refuses makes the message permanent: it is
// quarantined with its reason and an event, not retried for ever.
func TestHandle_refusedRecipientIsPermanent(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	p := New(refusingStore{Store: s.store, bad: "refused@example.net"}, s.pipe.pub, Options{})
	d, err := p.Handle(ctx, failedDSN("refused", "Order", "refused@example.net"))
	pe, ok := mailbox.IsPermanent(err)
	if d != mailbox.Quarantined || !ok || pe.Reason != "refused by the store" {
		t.Fatalf("Handle() = %v, %v; want Quarantined and a permanent error naming the store's refusal", d, err)
	}
	evs := s.events(t)
	if rej := rejectedEvents(evs); len(evs) != 1 || len(rej) != 1 || !strings.Contains(rej[0].Error, "invalid argument") {
		t.Errorf("events = %+v, want one rejected event naming the reason", evs)
	}
}

// A report naming more recipients than the cap suppresses nobody: it goes
// to quarantine with one event, and the metric counts it.
func TestHandle_recipientCap(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	rcpts := make([]string, 5000)
	for i := range rcpts {
		rcpts[i] = fmt.Sprintf("user%05d@example.net", i)
	}
	d, err := s.pipe.Handle(ctx, failedDSN("flood", "Order", rcpts...))
	pe, ok := mailbox.IsPermanent(err)
	if d != mailbox.Quarantined || !ok || pe.Reason != "too many recipients" {
		t.Fatalf("Handle() = %v, %v; want Quarantined, too many recipients", d, err)
	}
	if n, _ := s.store.Count(ctx); n != 0 {
		t.Errorf("store holds %d suppressions after a 5,000-recipient report, want 0", n)
	}
	evs := s.events(t)
	if rej := rejectedEvents(evs); len(evs) != 1 || len(rej) != 1 || !strings.Contains(rej[0].Error, "names 5000 recipients, the cap is 200") {
		t.Errorf("events = %+v, want one rejected event", evs)
	}
	if n := s.pipe.Metrics().OverRecipientCap.Load(); n != 1 {
		t.Errorf("OverRecipientCap = %d, want 1", n)
	}
	// At the cap, a report is applied.
	d, err = s.pipe.Handle(ctx, failedDSN("at-cap", "Order", rcpts[:200]...))
	if d != mailbox.Processed || err != nil {
		t.Fatalf("Handle(200 recipients) = %v, %v; want Processed", d, err)
	}
	if n, _ := s.store.Count(ctx); n != 200 {
		t.Errorf("store holds %d suppressions, want 200", n)
	}
}

// Once a mailbox has made MaxNewSuppressionsPerMinute new suppressions in
// a minute, the messages that could make more are quarantined unapplied,
// one alert is published for the minute, and the next minute goes on.
func TestHandle_suppressionRateLimit(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.pipe.opts.Limits.MaxNewSuppressionsPerMinute = 5
	now := time.Date(2026, 11, 23, 9, 0, 10, 0, time.UTC)
	s.pipe.now = func() time.Time { return now }
	var processed, quarantined int
	for i := range 12 {
		d, err := s.pipe.Handle(ctx, failedDSN(fmt.Sprint("m", i), "Order", fmt.Sprintf("rate%02d@example.net", i)))
		switch _, perm := mailbox.IsPermanent(err); {
		case d == mailbox.Processed && err == nil:
			processed++
		case d == mailbox.Quarantined && perm:
			quarantined++
		default:
			t.Fatalf("Handle(%d) = %v, %v", i, d, err)
		}
	}
	if processed != 5 || quarantined != 7 {
		t.Errorf("processed %d, quarantined %d; want 5 and 7", processed, quarantined)
	}
	if n, _ := s.store.Count(ctx); n != 5 {
		t.Errorf("store holds %d suppressions, want 5", n)
	}
	alerts := 0
	for _, ev := range s.events(t) {
		if strings.HasPrefix(ev.Error, "alert: suppression rate limit") {
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("%d alert events, want 1 for the minute", alerts)
	}
	m := s.pipe.Metrics()
	if m.RateLimited.Load() != 7 || m.RateAlerts.Load() != 1 {
		t.Errorf("RateLimited = %d, RateAlerts = %d; want 7, 1", m.RateLimited.Load(), m.RateAlerts.Load())
	}
	now = now.Add(time.Minute)
	if d, err := s.pipe.Handle(ctx, failedDSN("next-minute", "Order", "later@example.net")); d != mailbox.Processed || err != nil {
		t.Errorf("Handle() in the next minute = %v, %v; want Processed", d, err)
	}
}

// An event the stream cannot take (over NATS's 1 MB payload limit: an
// original Subject of 1.5 MB) never stalls the mailbox: the message is
// either processed (event fields capped) or quarantined as permanent,
// never left for a retry.
func TestHandle_oversizedEventNeverRetried(t *testing.T) {
	s := newStack(t)
	d, err := s.pipe.Handle(context.Background(), failedDSN("big", strings.Repeat("x", 1500<<10), "big@example.net"))
	_, perm := mailbox.IsPermanent(err)
	switch {
	case d == mailbox.Processed && err == nil:
	case d == mailbox.Quarantined && perm:
		if rej := rejectedEvents(s.events(t)); len(rej) != 1 {
			t.Errorf("rejected events = %+v, want 1", rej)
		}
	default:
		t.Fatalf("Handle() = %v, %v; want Processed, or Quarantined with a permanent error", d, err)
	}
}

// Failures of Redis or NATS are outages, which never count against a
// message's attempts.
func TestHandle_outagesAreMarked(t *testing.T) {
	for _, down := range []string{"redis", "nats"} {
		t.Run(down, func(t *testing.T) {
			ns := testutil.StartNATSEmbedded(t)
			s := newStackWith(t, testutil.StartRedis(t), &redis.Options{MaxRetries: -1}, ns)
			if down == "redis" {
				s.redis.Stop()
			} else {
				ns.Stop()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			_, err := s.pipe.Handle(ctx, failedDSN("outage", "Order", "someone@example.net"))
			if err == nil || !mailbox.IsOutage(err) {
				t.Errorf("Handle() with %s down = %v; want an outage error", down, err)
			}
			if _, perm := mailbox.IsPermanent(err); perm {
				t.Errorf("Handle() with %s down = %v; want it not permanent", down, err)
			}
		})
	}
}
