package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/outcome"
)

// TestRun_deliveriesClearSoftCounts reports deliveries the two ways a
// sender does, on the NATS subject and through the API: the daemon
// applies both (the soft bounces counted for the address are cleared),
// and the API's report is kept in the stream for a rebuild.
func TestRun_deliveriesClearSoftCounts(t *testing.T) {
	s := newStack(t)
	s.cfg.HTTP.WriteToken = config.Secret("write-0123456789abcdef0123")
	a := s.run(t)
	ctx := context.Background()
	st := s.store(t)
	now := time.Now().UTC()
	for _, addr := range []string{"nats@example.com", "api@example.com"} {
		for i, ago := range []time.Duration{72 * time.Hour, 48 * time.Hour} {
			e := suppress.Entry{IdempotencyKey: addr + string(rune('0'+i)), Recipient: addr, Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"},
				At: now.Add(-ago)}
			if _, err := st.Apply(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	nc, err := nats.Connect(s.nats.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	at := now.Add(-time.Hour).Format(time.RFC3339Nano)
	if err := nc.Publish(s.cfg.NATS.SubjectPrefix+"."+DeliverySubjectSuffix,
		[]byte(`{"recipients": ["NATS@example.com"], "at": "`+at+`"}`)); err != nil {
		t.Fatal(err)
	}
	nc.Flush()
	delivered := func(addr string) bool {
		rec, err := st.Get(ctx, addr)
		return err == nil && !rec.LastDelivered.IsZero()
	}
	waitFor(t, 20*time.Second, "the NATS delivery report applied", func() bool { return delivered("nats@example.com") })

	req, _ := http.NewRequest(http.MethodPost, "http://"+a.HTTPAddr()+"/api/v1/deliveries",
		strings.NewReader(`{"recipients": ["api@example.com"], "at": "`+at+`"}`))
	req.Header.Set("Authorization", "Bearer write-0123456789abcdef0123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !delivered("api@example.com") {
		t.Fatalf("POST /api/v1/deliveries = %d, delivered %v", resp.StatusCode, delivered("api@example.com"))
	}
	// A third bounce starts a fresh count for both.
	for _, addr := range []string{"nats@example.com", "api@example.com"} {
		r, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: addr + "-now", Recipient: addr, Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full"},
			At: now})
		if err != nil || r.Suppressed || r.WindowCount != 1 {
			t.Errorf("Apply(%s) after the delivery = %+v, %v; want a fresh count", addr, r, err)
		}
	}
	// Both reports are in the stream, for a rebuild.
	js, _ := nc.JetStream()
	for _, want := range []string{"NATS@example.com", "api@example.com"} {
		found := false
		sub, err := js.SubscribeSync(s.cfg.NATS.SubjectPrefix+"."+DeliverySubjectSuffix, nats.DeliverAll(), nats.OrderedConsumer())
		if err != nil {
			t.Fatal(err)
		}
		for {
			m, err := sub.NextMsg(2 * time.Second)
			if err != nil {
				break
			}
			if strings.Contains(string(m.Data), want) {
				found = true
				break
			}
		}
		sub.Unsubscribe()
		if !found {
			t.Errorf("delivery report for %s not in the stream", want)
		}
	}
}
