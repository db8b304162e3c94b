package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/bounced-dev/bounced/internal/webhook"
)

// WebhookStatus is what GET /api/v1/webhooks says of one webhook endpoint:
// its state and counters (webhook.Status, whose URL carries no user
// information, query or fragment, and never the secret) and the dead
// letters the stream holds for it.
type WebhookStatus struct {
	webhook.Status
	// DeadLettersStored is how many dead letters of the endpoint the
	// stream holds (the counters count since the daemon started); -1 when
	// NATS did not say.
	DeadLettersStored int64 `json:"dead_letters_stored"`
	// RecentDeadLetters are the last dead letters, newest first.
	RecentDeadLetters []webhook.DeadLetter `json:"recent_dead_letters"`
	// DeadLettersError says why the dead letters could not be read.
	DeadLettersError string `json:"dead_letters_error,omitempty"`
	// ReplaySince, when dead letters are listed, is a time from which
	// `bounced webhooks replay` sends them all again: the earliest time or
	// dead-lettering time among them, to the minute.
	ReplaySince *time.Time `json:"replay_since,omitempty"`
}

// webhooksTimeout bounds what the route asks NATS.
const webhooksTimeout = 5 * time.Second

// webhooks answers GET /api/v1/webhooks: every configured endpoint, an
// empty list without any.
func (a *api) webhooks(w http.ResponseWriter, r *http.Request) {
	out := []WebhookStatus{}
	if a.o.Webhooks != nil {
		ctx, cancel := context.WithTimeout(r.Context(), webhooksTimeout)
		defer cancel()
		for _, st := range a.o.Webhooks(ctx) {
			if st.RecentDeadLetters == nil {
				st.RecentDeadLetters = []webhook.DeadLetter{}
			}
			st.ReplaySince = replaySince(st.RecentDeadLetters)
			out = append(out, st)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": out})
}

// replaySince returns the minute at or before every dead letter of dls
// and its event's time, nil for none. A replay starts at the time the
// stream stored an event: before its dead-lettering, and normally after
// the event's time.
func replaySince(dls []webhook.DeadLetter) *time.Time {
	var since time.Time
	for _, d := range dls {
		t := d.DeadLetteredAt
		if d.Time != nil && d.Time.Before(t) {
			t = *d.Time
		}
		if !t.IsZero() && (since.IsZero() || t.Before(since)) {
			since = t
		}
	}
	if since.IsZero() {
		return nil
	}
	since = since.UTC().Truncate(time.Minute)
	return &since
}
