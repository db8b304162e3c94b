package app

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"testing"

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
	resp, err := http.Post("http://"+a.HTTPAddr()+"/webhooks/ses", "application/json", bytes.NewReader([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /webhooks/ses (not enabled) = %d, want 404", resp.StatusCode)
	}
}
