package webhook_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/publisher"
)

// TestDeadLetters_lastNewestFirst: an endpoint that always fails has its
// events dead-lettered among many events it is not sent; DeadLetters
// counts them and returns the last ones, newest first, as an ordered
// consumer reading the whole subject sees them.
func TestDeadLetters_lastNewestFirst(t *testing.T) {
	h := newHarness(t)
	rcv := newReceiver(t, false, func(int) int { return http.StatusBadGateway })
	ep := endpoint(t, "shop", rcv.srv.URL)
	ep.MaxAttempts, ep.Events = 1, []publisher.EventType{publisher.TypeBounce}
	other := endpoint(t, "quiet", rcv.srv.URL)
	other.Events = []publisher.EventType{publisher.TypeDelay} // never sent any
	svc := h.run(ep, other)

	const bounces = 45
	for i := range bounces {
		h.publish(event(fmt.Sprintf("m%d:alice@example.net", i), publisher.TypeBounce))
		// Events the endpoint is not sent, between its dead letters.
		for j := range 7 {
			h.publish(event(fmt.Sprintf("c%d-%d:bob@example.net", i, j), publisher.TypeComplaint))
		}
	}
	testutil.WaitFor(t, 30*time.Second, "every bounce dead-lettered", func() bool {
		return metrics(svc, "shop").DeadLettered == bounces
	})

	// Every dead letter, in stream order, read independently.
	subject := webhook.DeadLetterSubject("", "shop")
	oc, err := h.js.OrderedConsumer(h.ctx, h.pub.Stream(), jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	var all []*jetstream.RawStreamMsg
	for len(all) < bounces {
		m, err := oc.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatalf("read dead letter %d: %v", len(all), err)
		}
		md, _ := m.Metadata()
		all = append(all, &jetstream.RawStreamMsg{Sequence: md.Sequence.Stream, Data: m.Data(), Header: m.Headers()})
	}

	for _, n := range []int{20, 1, bounces + 10} {
		t.Run(fmt.Sprint("last ", n), func(t *testing.T) {
			dl, err := svc.DeadLetters(h.ctx, "shop", n)
			if err != nil {
				t.Fatalf("DeadLetters() = %v", err)
			}
			if dl.Stored != bounces {
				t.Errorf("DeadLetters().Stored = %d, want %d", dl.Stored, bounces)
			}
			want := min(n, bounces)
			if len(dl.Recent) != want {
				t.Fatalf("DeadLetters() gave %d, want %d", len(dl.Recent), want)
			}
			for i, d := range dl.Recent {
				m := all[len(all)-1-i]
				var ev publisher.Event
				if err := json.Unmarshal(m.Data, &ev); err != nil {
					t.Fatal(err)
				}
				if d.ID != ev.ID || d.Type != "bounce" || d.Attempts != 1 || d.Error == "" || d.Subject == "" || d.Sequence == 0 ||
					d.Time == nil || !d.Time.Equal(ev.Time) || d.DeadLetteredAt.IsZero() {
					t.Errorf("Recent[%d] = %+v, want the dead letter of %s (stream sequence %d), 1 attempt, with its error", i, d, ev.ID, m.Sequence)
				}
				if i > 0 && !dl.Recent[i-1].DeadLetteredAt.After(d.DeadLetteredAt) && !dl.Recent[i-1].DeadLetteredAt.Equal(d.DeadLetteredAt) {
					t.Errorf("Recent[%d] is newer than Recent[%d]", i, i-1)
				}
			}
			if dl.Recent[0].Error != "status 502: answer 502" {
				t.Errorf("Recent[0].Error = %q, want the receiver's status and words", dl.Recent[0].Error)
			}
		})
	}

	none, err := svc.DeadLetters(h.ctx, "quiet", 20)
	if err != nil || none.Stored != 0 || len(none.Recent) != 0 {
		t.Errorf("DeadLetters(quiet) = %+v, %v; want none", none, err)
	}
}
