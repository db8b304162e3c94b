// Package pipeline wires the data path of one message:
//
//	internal/mailbox (IMAP fetch) -> bounce.Decode -> classify ->
//	internal/suppress (Redis, idempotent) -> publisher (JetStream, acked) ->
//	internal/mailbox (move, checkpoint)
//
// Handle does the middle: it decodes, classifies, applies each recipient
// to the suppression store and publishes its events, and tells the mailbox
// worker where the message goes. It returns an error, and the message
// stays where it is to be handled again, whenever Redis or JetStream did
// not confirm: effects are idempotent (one idempotency key per message and
// recipient, used as the Redis key and the Nats-Msg-Id), so handling a
// message twice never doubles them.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/publisher"
)

// Store is the suppression store as the pipeline uses it.
type Store interface {
	Apply(ctx context.Context, e suppress.Entry) (suppress.Result, error)
}

// Publisher publishes events and waits for JetStream's ack.
type Publisher interface {
	Publish(ctx context.Context, ev publisher.Event) (publisher.PublishResult, error)
	// PublishAll publishes events in order and waits for all their acks.
	PublishAll(ctx context.Context, evs ...publisher.Event) ([]publisher.PublishResult, error)
}

// Options configure a Pipeline.
type Options struct {
	// Decode are the decoder's options (limits, VERP patterns).
	Decode bounce.Options
	// Classifier classifies each recipient; nil means the built-in rules.
	Classifier *classify.Classifier
	// Headers names headers of the original message copied into events.
	Headers []string
	// Log receives one line per message handled.
	Log *slog.Logger
	// Metrics, when not nil, counts what the pipeline does.
	Metrics *Metrics
	// VERP checks every bounce against the signed return paths (verify.go).
	VERP VERP
}

// Pipeline handles messages fetched from a mailbox.
type Pipeline struct {
	store Store
	pub   Publisher
	opts  Options
	log   *slog.Logger
}

// New returns a Pipeline writing to store and pub.
func New(store Store, pub Publisher, o Options) *Pipeline {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics = &Metrics{}
	}
	o = withVERP(o)
	return &Pipeline{store: store, pub: pub, opts: o, log: o.Log}
}

// Metrics returns the pipeline's counters.
func (p *Pipeline) Metrics() *Metrics { return p.opts.Metrics }

// Handle is a mailbox.Handler: it decodes m, applies and publishes every
// recipient, and returns where m goes. A non-nil error means a store or
// publish failure: m must stay and be handled again later.
func (p *Pipeline) Handle(ctx context.Context, m *mailbox.Message) (mailbox.Disposition, error) {
	start := time.Now()
	msgKey := MessageKey(m.Raw)
	at := m.InternalDate.UTC()
	if at.IsZero() {
		at = time.Now().UTC()
	}
	log := p.log.With("mailbox", m.Worker, "uid", m.UID, "msg", msgKey[:12])
	rep, err := p.decode(m)
	if err == nil && len(rep.Recipients) == 0 && (rep.Kind == bounce.KindComplaint || rep.Kind == bounce.KindBounce || rep.Kind == bounce.KindDelay) {
		err = fmt.Errorf("bounce: %s report names no recipient", rep.Kind)
	}
	if err != nil || rep.Kind == bounce.KindUnparseable {
		if err == nil {
			err = fmt.Errorf("bounce: unparseable")
		}
		ev := publisher.Event{
			ID: msgKey + ":unparseable", Type: publisher.TypeUnparseable, Time: at,
			Kind: string(bounce.KindUnparseable), Mailbox: m.Worker, Source: m.Source(), Error: err.Error(),
		}
		if _, perr := p.pub.Publish(ctx, ev); perr != nil {
			return 0, fmt.Errorf("pipeline: publish unparseable event: %w", perr)
		}
		p.opts.Metrics.Quarantined.Add(1)
		log.Warn("message quarantined", "error", err)
		return mailbox.Quarantined, nil
	}
	recs := record.FromReportWith(p.opts.Classifier, m.Source(), rep, nil)
	switch rep.Kind {
	case bounce.KindNotBounce, bounce.KindAutoReply, bounce.KindDelivered:
		p.opts.Metrics.Ignored.Add(1)
		log.Info("message ignored", "kind", rep.Kind, "from", rep.AutoReplyFrom)
		return mailbox.Ignored, nil
	}
	headers := p.originalHeaders(rep)
	checks := p.verify(m.Raw, rep)
	for _, r := range recs {
		if r.Recipient == "" || r.Kind == string(bounce.KindDelivered) {
			continue
		}
		key := msgKey + ":" + r.Recipient
		vd := checks.of(r.Recipient, log)
		res, err := p.store.Apply(ctx, suppress.Entry{
			IdempotencyKey: key, Recipient: r.Recipient, Kind: r.Kind, Reason: r.Reason, Category: r.Category,
			Hard: r.Hard, Status: r.Status, ReplyCode: r.ReplyCode, Diagnostic: r.Diagnostic,
			RemoteMTA: r.RemoteMTA, ReportingMTA: r.ReportingMTA, Format: r.Format, Rule: r.Rule,
			Confidence: r.Confidence, RuleSource: r.RuleSource,
			OriginalMessageID: r.OriginalMessageID, OriginalSubject: r.OriginalSubject, Source: m.Source(), At: at,
			Verification: vd.state, Unverified: vd.unverified,
			MessageKey: msgKey,
		})
		if err != nil {
			return 0, fmt.Errorf("pipeline: suppression store: %w", err)
		}
		evs := []publisher.Event{eventOf(r, key, at, m, headers, res)}
		vd.mark(&evs[0])
		if res.NewlySuppressed {
			added := evs[0]
			added.ID = key + ":added"
			added.Type = publisher.TypeSuppressionAdded
			evs = append(evs, added)
		}
		// The suppression event goes out with the bounce's, not after its
		// ack: one round trip, and the stream keeps them in this order.
		if _, err := p.pub.PublishAll(ctx, evs...); err != nil {
			return 0, fmt.Errorf("pipeline: publish: %w", err)
		}
		p.opts.Metrics.Recipients.Add(1)
		if res.Duplicate {
			p.opts.Metrics.Duplicates.Add(1)
		}
		log.Info("recipient", "recipient", r.Recipient, "kind", r.Kind, "reason", r.Reason, "hard", r.Hard,
			"suppressed", res.Suppressed, "scope", res.Scope, "count", res.Count, "duplicate", res.Duplicate)
	}
	p.opts.Metrics.Processed.Add(1)
	p.opts.Metrics.observe(time.Since(start))
	return mailbox.Processed, nil
}

func (p *Pipeline) decode(m *mailbox.Message) (rep *bounce.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bounce: decoder panic: %v", r)
			rep = nil
		}
	}()
	return bounce.DecodeBytes(m.Raw, &p.opts.Decode)
}

func (p *Pipeline) originalHeaders(rep *bounce.Report) map[string]string {
	if len(p.opts.Headers) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, h := range p.opts.Headers {
		if v := rep.Original.Get(h); v != "" {
			out[h] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func eventOf(r record.Record, key string, at time.Time, m *mailbox.Message, headers map[string]string, res suppress.Result) publisher.Event {
	typ := publisher.TypeBounce
	switch r.Kind {
	case string(bounce.KindComplaint):
		typ = publisher.TypeComplaint
	case string(bounce.KindDelay):
		typ = publisher.TypeDelay
	}
	ev := publisher.Event{
		ID: key, Type: typ, Time: at, Recipient: r.Recipient, Kind: r.Kind, Reason: r.Reason,
		Category: r.Category, Hard: r.Hard, Status: r.Status, ReplyCode: r.ReplyCode,
		Diagnostic: r.Diagnostic, RemoteMTA: r.RemoteMTA, ReportingMTA: r.ReportingMTA, Format: r.Format,
		Rule: r.Rule, Confidence: r.Confidence, RuleSource: r.RuleSource, OriginalMessageID: r.OriginalMessageID, OriginalSubject: r.OriginalSubject,
		OriginalFrom: r.OriginalFrom, Headers: headers, Suppressed: res.Suppressed, Scope: res.Scope,
		Count: res.Count, Mailbox: m.Worker, Source: m.Source(),
	}
	if !res.ExpiresAt.IsZero() {
		t := res.ExpiresAt.UTC()
		ev.ExpiresAt = &t
	}
	return ev
}

// MessageKey identifies a message by its content: the hex SHA-256 of its
// bytes with line endings normalised, the same wherever and however often
// it is fetched.
func MessageKey(raw []byte) string {
	h := sha256.New()
	// Normalise CRLF so a message re-appended by another client keeps its key.
	s := strings.ReplaceAll(string(raw), "\r\n", "\n")
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))[:32]
}
