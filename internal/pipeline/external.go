package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// External is one recipient of an event an email service provider reported
// by webhook (internal/inbound): what a decoded bounce would say about it,
// in the provider's own terms mapped to the classifier's inputs.
type External struct {
	// Provider names the source (ses, sendgrid, postmark, mailgun); it is
	// the event's Format and part of its idempotency key.
	Provider string
	// EventID is the provider's id of the event; with Provider and
	// Recipient it makes the idempotency key (and the Nats-Msg-Id), so an
	// event the provider sends again is applied once.
	EventID string
	// Kind is bounce, delay, complaint or delivered.
	Kind bounce.Kind
	// Recipient is the address the event is about.
	Recipient string
	// Status, ReplyCode and Diagnostic are the remote server's words as
	// the provider reports them.
	Status, ReplyCode, Diagnostic string
	// Hint is a reason (one of package classify's names) the provider's
	// own bounce type implies, used when the words say nothing stronger.
	Hint string
	// FeedbackType is the complaint's feedback type (abuse, ...).
	FeedbackType string
	// RemoteMTA is the host that refused the message, when known.
	RemoteMTA string
	// OriginalMessageID is the Message-ID of the message that bounced.
	OriginalMessageID string
	// At is when the provider saw the event (zero: now).
	At time.Time
}

// ErrExternal is wrapped by ApplyExternal's errors that no retry cures: an
// event the store or the stream refuses.
var ErrExternal = errors.New("pipeline: external event refused")

// ExternalKey returns the idempotency key of x: one per provider, event id
// and recipient.
func ExternalKey(x External) string {
	return "ext:" + x.Provider + ":" + x.EventID + ":" + strings.ToLower(x.Recipient)
}

// ClassifyExternal returns the record of x: the verdict of the same
// classifier rules a decoded bounce goes through.
func (p *Pipeline) ClassifyExternal(x External) record.Record {
	action := "failed"
	switch x.Kind {
	case bounce.KindDelay:
		action = "delayed"
	case bounce.KindDelivered:
		action = "delivered"
	}
	rc := bounce.Recipient{
		Address: x.Recipient, Action: action, Status: x.Status, ReplyCode: x.ReplyCode,
		Diagnostic: x.Diagnostic, RemoteMTA: x.RemoteMTA, ReasonHint: x.Hint, FeedbackType: x.FeedbackType,
	}
	if x.Kind == bounce.KindComplaint && rc.FeedbackType == "" {
		rc.FeedbackType = "abuse"
	}
	rep := &bounce.Report{Kind: x.Kind, Format: x.Provider, Recipients: []bounce.Recipient{rc}}
	rep.Original.MessageID = x.OriginalMessageID
	recs := record.FromReportWith(p.opts.Classifier, externalSource(x), rep, nil)
	r := recs[0]
	if x.Kind == bounce.KindComplaint {
		r.Kind = string(bounce.KindComplaint)
	}
	return r
}

func externalSource(x External) string { return "webhook:" + x.Provider + "/" + x.EventID }

// ApplyExternal applies x to the suppression store under the policy and
// publishes its events (outcomeEvents: its own, suppression.added, sender
// alerts), waiting for JetStream's ack, as Handle does for a recipient of a
// mailbox. A delivery is recorded in the store as evidence (kind
// delivered) and publishes nothing here: the caller reports it as a
// delivery (app: the delivery subject), which clears soft counts. It
// returns nil only when the effects are durable.
// An error wrapping ErrExternal is permanent (the event is refused); any
// other error is transient and the provider should send the event again,
// which is harmless: the key (ExternalKey) makes the effects idempotent.
func (p *Pipeline) ApplyExternal(ctx context.Context, x External) (suppress.Result, error) {
	if x.Provider == "" || x.EventID == "" {
		return suppress.Result{}, fmt.Errorf("%w: no provider or event id", ErrExternal)
	}
	at := x.At.UTC()
	if x.At.IsZero() {
		at = time.Now().UTC()
	}
	r := p.ClassifyExternal(x)
	key := ExternalKey(x)
	src := externalSource(x)
	// A provider's event carries no VERP token to check: its signature
	// (internal/inbound) authenticates it.
	e, ann := annotatedEntryOf(r, key, "ext:"+x.Provider+":"+x.EventID, src, "", at, verdict{})
	res, err := p.store.Apply(ctx, e)
	if errors.Is(err, suppress.ErrInvalid) {
		return res, fmt.Errorf("%w: %w", ErrExternal, err)
	}
	if err != nil {
		return res, fmt.Errorf("pipeline: suppression store: %w", err)
	}
	if r.Kind == string(bounce.KindDelivered) {
		// Evidence in the store; the caller reports the delivery.
		p.log.Info("external delivery recorded", "provider", x.Provider, "event_id", x.EventID, "recipient", r.Recipient, "duplicate", res.Duplicate)
		return res, nil
	}
	m := &mailbox.Message{Worker: "webhook:" + x.Provider}
	ev := eventOf(r, key, at, m, nil, res, ann)
	ev.Source = src
	evs := outcomeEvents(ev, key, res)
	if _, err := p.pub.PublishAll(ctx, evs...); err != nil {
		if permanentPublish(err) {
			return res, fmt.Errorf("%w: %w", ErrExternal, err)
		}
		return res, fmt.Errorf("pipeline: publish: %w", err)
	}
	p.published(p.log.With("provider", x.Provider, "event_id", x.EventID), r, res, evs)
	return res, nil
}
