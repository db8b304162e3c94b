package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/publisher"
)

// hostileDeadError is a receiver's answer that tries to run a script in
// the page: it must show as text.
const hostileDeadError = `status 500: <img src=x onerror="window.__pwned='dead'"> upstream down`

// fixtureWebhooks reports two endpoints: crm, whose receiver fails and
// whose events were dead-lettered, and audit, which is fine.
func fixtureWebhooks(context.Context) []WebhookStatus {
	at := time.Date(2026, 12, 1, 9, 30, 15, 0, time.UTC)
	evAt := at.Add(-2 * time.Minute)
	ok := at.Add(-time.Hour)
	dl := func(i int, id string) webhook.DeadLetter {
		t := evAt.Add(time.Duration(i) * time.Minute)
		return webhook.DeadLetter{ID: id, Type: "bounce", Time: &t, DeadLetteredAt: at.Add(time.Duration(i) * time.Minute),
			Attempts: 10, Error: hostileDeadError, Subject: "bounced.bounce.shop.user_unknown", Sequence: uint64(40 + i)}
	}
	return []WebhookStatus{
		{
			Status: webhook.Status{
				Metrics: webhook.Metrics{Endpoint: "crm", Delivered: 7, Failed: 30, DeadLettered: 3},
				URL:     webhook.RedactURL("https://hook:s3cret@crm.shop.example/in?token=t0ken"), Events: []publisher.EventType{"bounce", "complaint"},
				Consumer: webhook.ConsumerName("crm"), DeadLetterSubject: webhook.DeadLetterSubject("", "crm"), State: "running",
				Pending: 2, LastDelivered: &ok, LastError: hostileDeadError, LastErrorAt: &at,
			},
			DeadLettersStored: 3,
			RecentDeadLetters: []webhook.DeadLetter{dl(2, "k3:carol@example.jp"), dl(1, "k2:bob@example.jp"), dl(0, "k1:alice@example.jp")},
		},
		{
			Status: webhook.Status{
				Metrics: webhook.Metrics{Endpoint: "audit", Delivered: 12},
				URL:     "http://127.0.0.1:9000/events", Consumer: webhook.ConsumerName("audit"),
				DeadLetterSubject: webhook.DeadLetterSubject("", "audit"), State: "running", LastDelivered: &ok,
			},
			DeadLettersStored: 0,
		},
	}
}

// TestWebhooksRoute_readToken: GET /api/v1/webhooks needs a read token,
// answers every endpoint with its counters and dead letters and a replay
// time that covers them, and shows no secret; without webhooks it
// answers an empty list.
func TestWebhooksRoute_readToken(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{ReadToken: "r", WriteToken: "w", Webhooks: fixtureWebhooks}))
	t.Cleanup(srv.Close)
	bare := httptest.NewServer(Handler(Options{ReadToken: "r"}))
	t.Cleanup(bare.Close)
	get := func(base, tok string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/api/v1/webhooks", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tok := range []string{"", "wrong"} {
		if code, _ := get(srv.URL, tok); code != http.StatusUnauthorized {
			t.Errorf("GET /api/v1/webhooks with token %q = %d, want 401", tok, code)
		}
	}
	code, body := get(srv.URL, "r")
	if code != http.StatusOK {
		t.Fatalf("GET /api/v1/webhooks = %d %s, want 200", code, body)
	}
	if strings.Contains(body, "s3cret") || strings.Contains(body, "t0ken") || strings.Contains(body, "hook:") {
		t.Errorf("the answer shows the URL's user information or query: %s", body)
	}
	var got struct {
		Webhooks []map[string]any `json:"webhooks"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Webhooks) != 2 {
		t.Fatalf("answer = %s (%v), want two endpoints", body, err)
	}
	crm, audit := got.Webhooks[0], got.Webhooks[1]
	for k, want := range map[string]any{"endpoint": "crm", "dead_lettered": 3.0, "failed": 30.0, "delivered": 7.0,
		"dead_letters_stored": 3.0, "url": "https://crm.shop.example/in?…", "replay_since": "2026-12-01T09:28:00Z"} {
		if crm[k] != want {
			t.Errorf("crm %s = %v, want %v", k, crm[k], want)
		}
	}
	if dls, _ := crm["recent_dead_letters"].([]any); len(dls) != 3 || dls[0].(map[string]any)["id"] != "k3:carol@example.jp" {
		t.Errorf("crm recent_dead_letters = %v, want the three, newest first", crm["recent_dead_letters"])
	}
	if dls, ok := audit["recent_dead_letters"].([]any); !ok || len(dls) != 0 || audit["replay_since"] != nil {
		t.Errorf("audit recent_dead_letters = %v, replay_since %v; want an empty list and no replay time", audit["recent_dead_letters"], audit["replay_since"])
	}
	if code, body := get(bare.URL, "r"); code != http.StatusOK || strings.Join(strings.Fields(body), "") != `{"webhooks":[]}` {
		t.Errorf("without webhooks GET /api/v1/webhooks = %d %s, want 200 and an empty list", code, body)
	}
}
