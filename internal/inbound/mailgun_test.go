package inbound

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/publisher"
)

const mailgunKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"

// mailgunPost wraps event-data with a signature made at ts with token.
func mailgunPost(t *testing.T, key string, ts time.Time, token string, eventData []byte) []byte {
	t.Helper()
	tss := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(tss + token))
	b, err := json.Marshal(map[string]any{
		"signature":  map[string]string{"timestamp": tss, "token": token, "signature": hex.EncodeToString(mac.Sum(nil))},
		"event-data": json.RawMessage(eventData),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMailgun_bounceDelayComplaint(t *testing.T) {
	s := newStack(t, Options{Mailgun: &MailgunOptions{SigningKey: mailgunKey}})
	now := time.Now()
	for i, f := range []string{"mailgun-failed-permanent.json", "mailgun-failed-temporary.json", "mailgun-complained.json"} {
		if code := s.post(t, "/webhooks/mailgun", mailgunPost(t, mailgunKey, now, "token-"+strconv.Itoa(i), fixture(t, f)), nil); code != 200 {
			t.Fatalf("%s: POST = %d, want 200", f, code)
		}
	}
	// Mailgun's retry carries a new token and the same event id: not doubled.
	if code := s.post(t, "/webhooks/mailgun", mailgunPost(t, mailgunKey, now, "token-retry", fixture(t, "mailgun-failed-permanent.json")), nil); code != 200 {
		t.Fatalf("retry POST = %d, want 200", code)
	}
	if r := s.record(t, "alice@example.com"); r == nil || !r.Suppressed || r.Reason != "user_unknown" || !r.Hard || r.ReplyCode != "550" || r.Status != "5.1.1" {
		t.Errorf("alice = %+v, want suppressed hard user_unknown 550 5.1.1", r)
	}
	if ok, _ := s.suppressed(t, "carol@example.com"); ok {
		t.Error("carol (temporary) suppressed, want not")
	}
	if ok, scope := s.suppressed(t, "dave@example.com"); !ok || scope != "marketing" {
		t.Errorf("dave = %v %q, want suppressed marketing", ok, scope)
	}
	evs := s.events(t)
	for _, c := range []struct {
		typ  publisher.EventType
		addr string
		want int
	}{
		{publisher.TypeBounce, "alice@example.com", 1},
		{publisher.TypeSuppressionAdded, "alice@example.com", 1},
		{publisher.TypeDelay, "carol@example.com", 1},
		{publisher.TypeComplaint, "dave@example.com", 1},
	} {
		if n := count(evs, c.typ, c.addr); n != c.want {
			t.Errorf("%s events for %s = %d, want %d", c.typ, c.addr, n, c.want)
		}
	}
}

func TestMailgun_refusedChangesNothing(t *testing.T) {
	s := newStack(t, Options{Mailgun: &MailgunOptions{SigningKey: mailgunKey}})
	now := time.Now()
	ev := fixture(t, "mailgun-failed-permanent.json")
	// A replay of an accepted post (same token) is refused, and changes nothing more.
	first := mailgunPost(t, mailgunKey, now, "tok-once", fixture(t, "mailgun-complained.json"))
	if code := s.post(t, "/webhooks/mailgun", first, nil); code != 200 {
		t.Fatalf("first POST = %d", code)
	}
	for _, tc := range []struct {
		name string
		body []byte
		want int
	}{
		{"wrong key", mailgunPost(t, "key-other", now, "t1", ev), http.StatusUnauthorized},
		{"too old", mailgunPost(t, mailgunKey, now.Add(-10*time.Minute), "t2", ev), http.StatusUnauthorized},
		{"token reused", first, http.StatusUnauthorized},
		{"unknown event", mailgunPost(t, mailgunKey, now, "t3", []byte(`{"event":"opened","id":"x","recipient":"alice@example.com"}`)), http.StatusBadRequest},
		{"malformed", []byte(`{"signature":`), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := s.post(t, "/webhooks/mailgun", tc.body, nil); code != tc.want {
				t.Errorf("POST = %d, want %d", code, tc.want)
			}
		})
	}
	if r := s.record(t, "alice@example.com"); r != nil {
		t.Errorf("alice = %+v, want none", r)
	}
	evs := s.events(t)
	if len(evs) != 2 || count(evs, publisher.TypeComplaint, "dave@example.com") != 1 {
		t.Errorf("events = %d, want the first post's complaint and its suppression only", len(evs))
	}
}

// TestMailgun_transientFailureIs5xxAndRetryApplies stops Redis, then NATS: the
// webhook is answered 503 (the provider retries), and the retry with the
// same token, once Redis is back, is applied once.
func TestMailgun_transientFailureIs5xxAndRetryApplies(t *testing.T) {
	for _, down := range []string{"redis", "nats"} {
		t.Run(down, func(t *testing.T) { testTransient(t, down) })
	}
}

func testTransient(t *testing.T, down string) {
	s := newStack(t, Options{Mailgun: &MailgunOptions{SigningKey: mailgunKey}})
	body := mailgunPost(t, mailgunKey, time.Now(), "tok-retry", fixture(t, "mailgun-failed-permanent.json"))
	stop, start := s.redis.Stop, s.redis.Start
	if down == "nats" {
		// Redis takes the suppression, the publish fails: the token is
		// forgotten so that the retry is accepted.
		stop, start = s.nats.Stop, s.nats.Start
	}
	stop()
	if code := s.post(t, "/webhooks/mailgun", body, nil); code < 500 {
		t.Fatalf("POST with %s down = %d, want 5xx", down, code)
	}
	start()
	deadline := time.Now().Add(10 * time.Second)
	code := 0
	for time.Now().Before(deadline) {
		if code = s.post(t, "/webhooks/mailgun", body, nil); code == http.StatusOK {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != http.StatusOK {
		t.Fatalf("retry POST = %d, want 200", code)
	}
	if ok, _ := s.suppressed(t, "alice@example.com"); !ok {
		t.Error("alice not suppressed after the retry")
	}
	evs := s.events(t)
	if n := count(evs, publisher.TypeBounce, "alice@example.com"); n != 1 {
		t.Errorf("bounce events = %d, want 1", n)
	}
	if n := count(evs, publisher.TypeSuppressionAdded, "alice@example.com"); n != 1 {
		t.Errorf("suppression.added events = %d, want 1 (published by the retry)", n)
	}
}
