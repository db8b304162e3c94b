package pipeline

import (
	"strings"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// The outcome of one recipient (outcome.Verdict, which record.Record,
// suppress.Entry, suppress.Record and publisher.Event embed) travels
// record.Record -> suppress.Entry (entryOf) -> publisher.Event (eventOf)
// and, in a rebuild, publisher.Event -> suppress.Entry (EntryOfEvent).
// Each mapping copies the Verdict whole and sets what locates the
// recipient beside it; TestOutcome_roundTrip checks that every field of
// it survives, and that an event gives back the entry that was applied
// live.

// unparseable is the outcome of the events about a message rather than a
// recipient: unparseable, rejected, an alert.
var unparseable = outcome.Verdict{Kind: string(bounce.KindUnparseable)}

// entryOf is the store entry of recipient r of the message with key
// msgKey, from source, at, with its VERP verdict.
func entryOf(r record.Record, key, msgKey, source, raw string, at time.Time, vd verdict) suppress.Entry {
	return suppress.Entry{
		IdempotencyKey: key, Recipient: r.Recipient, Verdict: r.Verdict, Source: source, At: at,
		Verification: vd.state, Unverified: vd.unverified, MessageKey: msgKey, Raw: raw,
	}
}

// annotatedEntryOf is entryOf with its address checks made
// (suppress.AnnotationOf), once for the store and the event: the store
// uses the entry's, eventOf takes them as ann.
func annotatedEntryOf(r record.Record, key, msgKey, source, raw string, at time.Time, vd verdict) (suppress.Entry, suppress.Annotation) {
	e := entryOf(r, key, msgKey, source, raw, at, vd)
	ann := suppress.AnnotationOf(e)
	e.Annotation = &ann
	return e, ann
}

// eventOf is the event of recipient r (key: its idempotency key) of m,
// received at, with the configured headers of the original message, what
// the store did (res) and the address checks of its entry (ann:
// suppress.AnnotationOf).
func eventOf(r record.Record, key string, at time.Time, m *mailbox.Message, headers map[string]string, res suppress.Result, ann suppress.Annotation) publisher.Event {
	typ := publisher.TypeBounce
	switch r.Kind {
	case string(bounce.KindComplaint):
		typ = publisher.TypeComplaint
	case string(bounce.KindDelay):
		typ = publisher.TypeDelay
	}
	// Events carry the address as the sets hold it, and as written beside.
	recipient := res.Address
	if recipient == "" {
		recipient = r.Recipient
		if n, err := suppress.NormalizeAddress(r.Recipient); err == nil {
			recipient = n
		}
	}
	ev := publisher.Event{
		ID: key, Type: typ, Time: at, Recipient: recipient, Verdict: r.Verdict,
		OriginalFrom: r.OriginalFrom, Headers: headers, Suppressed: res.Suppressed, Scope: res.Scope,
		Count: res.Count, Mailbox: m.Worker, Source: m.Source(),
		Scopes: res.Scopes(), Allowlisted: res.Allowlisted, Hint: res.Decision.Hint,
	}
	if r.Recipient != recipient {
		ev.RecipientAsWritten = r.Recipient
	}
	if res.Decision.Action != "" {
		ev.Policy = PolicyOf(res.Decision)
	}
	ev.Carrier, ev.Suggestion = ann.Carrier, ann.Suggestion
	for _, f := range ann.Faults {
		ev.Faults = append(ev.Faults, publisher.AddressFault{Code: string(f.Code), Message: f.Message, MessageJA: f.MessageJA})
	}
	if !res.ExpiresAt.IsZero() {
		t := res.ExpiresAt.UTC()
		ev.ExpiresAt = &t
	}
	return ev
}

// EntryOfEvent is the store entry a bounce, delay or complaint event was
// published for, with the policy decision it recorded: what `bounced
// rebuild` applies again.
func EntryOfEvent(ev publisher.Event) suppress.Entry {
	v := ev.Verdict
	if v.Kind == "" {
		v.Kind = string(ev.Type)
	}
	// The ID is <message key>:<recipient as written>.
	written := ev.Recipient
	if ev.RecipientAsWritten != "" {
		written = ev.RecipientAsWritten
	}
	msgKey, _ := strings.CutSuffix(ev.ID, ":"+written)
	return suppress.Entry{
		// The decision made live, whatever the policy is now.
		Decision:       DecisionOf(ev),
		IdempotencyKey: ev.ID, Recipient: written, Verdict: v, MessageKey: msgKey,
		Source: ev.Source, At: ev.Time, Verification: ev.Verification, Unverified: ev.Unverified,
		Raw: ev.Raw,
	}
}
