package publisher_test

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

func TestCloudEventHeaders(t *testing.T) {
	when := time.Date(2025, 3, 14, 9, 26, 53, 500_000_000, time.FixedZone("JST", 9*3600))
	tests := []struct {
		name string
		ev   publisher.Event
		host string
		want map[string]string
	}{
		{"bounce", publisher.Event{ID: "9b2f:alice@example.net", Type: publisher.TypeBounce, Time: when, Mailbox: "shop"}, "Bounce-1.example",
			map[string]string{
				"ce-specversion": "1.0", "ce-type": "dev.bounced.bounce", "ce-source": "bounced://bounce-1.example/shop",
				"ce-id": "9b2f:alice@example.net", "ce-time": "2025-03-14T00:26:53.5Z", "ce-datacontenttype": "application/json",
			}},
		// Space, '"', '%' and non-ASCII are percent-encoded, UTF-8 byte by
		// byte with upper-case hex (NATS binding 3.1.3.2, its example:
		// "Euro € 😀" is "Euro%20%E2%82%AC%20%F0%9F%98%80").
		{"percentEncoded", publisher.Event{ID: `Euro € 😀 "q" 100%`, Type: publisher.TypeSuppressionRemoved, Time: when}, "",
			map[string]string{
				"ce-specversion": "1.0", "ce-type": "dev.bounced.suppression.removed", "ce-source": "bounced://localhost/",
				"ce-id": "Euro%20%E2%82%AC%20%F0%9F%98%80%20%22q%22%20100%25", "ce-time": "2025-03-14T00:26:53.5Z", "ce-datacontenttype": "application/json",
			}},
		// The mailbox is a path segment: a space is %20 in the URI, and
		// that '%' is encoded again in the header.
		{"mailboxWithSpace", publisher.Event{ID: "x", Type: publisher.TypeComplaint, Time: when, Mailbox: "fb loop"}, "h",
			map[string]string{
				"ce-specversion": "1.0", "ce-type": "dev.bounced.complaint", "ce-source": "bounced://h/fb%2520loop",
				"ce-id": "x", "ce-time": "2025-03-14T00:26:53.5Z", "ce-datacontenttype": "application/json",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := publisher.CloudEventHeaders(tc.ev, tc.host); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("CloudEventHeaders() = %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestPublish_cloudEventsHeaders(t *testing.T) {
	srv := testutil.StartNATSEmbedded(t)
	_, js := connect(t, srv.URL)
	ctx := ctxT(t, 30*time.Second)
	p, err := publisher.New(ctx, js, publisher.StreamConfig{Name: "CE", Storage: "memory"}, testLog(t))
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	ev := sampleBounce()
	res, err := p.Publish(ctx, ev)
	if err != nil {
		t.Fatalf("Publish() = %v", err)
	}
	m := fetch(t, js, "CE", ev.Subject(""), res.Sequence, 1)[0]
	host, _ := os.Hostname()
	for k, want := range publisher.CloudEventHeaders(ev, host) {
		// Header names are case-sensitive in NATS: exactly as the binding writes them.
		if got := m.Headers().Get(k); got != want {
			t.Errorf("header %s = %q, want %q (all: %v)", k, got, want, m.Headers())
		}
	}
	if got := m.Headers().Get("ce-source"); got == "" || got != publisher.CloudEventSource(host, ev.Mailbox) {
		t.Errorf("ce-source = %q, want bounced://<host>/%s", got, ev.Mailbox)
	}
}
