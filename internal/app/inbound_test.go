package app

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// TestRun_webhooksIn: the daemon serves /webhooks/postmark when enabled,
// and a Postmark hard bounce is suppressed and published once, through
// the daemon's own pipeline.
func TestRun_webhooksIn(t *testing.T) {
	s := newStack(t)
	s.cfg.Inbound.Postmark.Enabled = true
	s.cfg.Inbound.Postmark.Username = "postmark"
	s.cfg.Inbound.Postmark.Password = "0123456789abcdef-pm"
	a := s.run(t)
	body, err := os.ReadFile("../inbound/testdata/postmark-hardbounce.json")
	if err != nil {
		t.Fatal(err)
	}
	post := func(user, pass string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+a.HTTPAddr()+"/webhooks/postmark", bytes.NewReader(body))
		req.SetBasicAuth(user, pass)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("postmark", "wrong-password-here"); code != http.StatusUnauthorized {
		t.Errorf("POST with a wrong password = %d, want 401", code)
	}
	for range 2 {
		if code := post("postmark", "0123456789abcdef-pm"); code != http.StatusOK {
			t.Fatalf("POST = %d, want 200", code)
		}
	}
	r, err := s.store(t).Get(context.Background(), "john@example.com")
	if err != nil || !r.Suppressed || r.Reason != "user_unknown" || r.Format != "postmark" {
		t.Fatalf("Get() = %+v, %v; want suppressed user_unknown from postmark", r, err)
	}
	n := 0
	for _, ev := range s.events(t) {
		if ev.Type == publisher.TypeBounce && ev.Recipient == "john@example.com" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("bounce events = %d, want 1", n)
	}

	// A delivery Postmark reports clears the soft bounces counted for the
	// address: the next soft bounce starts a fresh count.
	ctx := context.Background()
	st := s.store(t)
	now := time.Now().UTC()
	for i, ago := range []time.Duration{72 * time.Hour, 48 * time.Hour} {
		if _, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "mary" + strconv.Itoa(i), Recipient: "mary@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"},
			At: now.Add(-ago)}); err != nil {
			t.Fatal(err)
		}
	}
	body = []byte(`{"RecordType": "Delivery", "ServerID": 23, "MessageStream": "outbound", "MessageID": "00000000-0000-0000-0000-000000000001",
		"Recipient": "mary@example.com", "Tag": "", "DeliveredAt": "` + now.Add(-time.Hour).Format(time.RFC3339Nano) + `",
		"Details": "Test delivery webhook details"}`)
	if code := post("postmark", "0123456789abcdef-pm"); code != http.StatusOK {
		t.Fatalf("POST delivery = %d, want 200", code)
	}
	if rec, err := st.Get(ctx, "mary@example.com"); err != nil || rec.LastDelivered.IsZero() {
		t.Fatalf("after Postmark's delivery: %+v, %v; want the delivery recorded", rec, err)
	}
	if r, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "mary-now", Recipient: "mary@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"},
		At: now}); err != nil || r.Suppressed || r.WindowCount != 1 {
		t.Errorf("Apply after Postmark's delivery = %+v, %v; want a fresh count of 1", r, err)
	}

	resp, err := http.Post("http://"+a.HTTPAddr()+"/webhooks/ses", "application/json", bytes.NewReader([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /webhooks/ses (not enabled) = %d, want 404", resp.StatusCode)
	}
}
