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
// not confirm (a *mailbox.OutageError, which never counts against the
// message's attempts): effects are idempotent (one idempotency key per
// message and recipient, used as the Redis key and the Nats-Msg-Id), so
// handling a message twice never doubles them. A message that can never
// be applied, or that is over a Limits bound, is quarantined with a
// *mailbox.PermanentError and a rejected event instead.
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"

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

// Defaults of Limits.
const (
	DefaultMaxRecipients            = 200
	DefaultMaxNewSuppressionsPerMin = 500
)

// Limits bound what one message, and one mailbox per minute, may do to
// the suppression list.
type Limits struct {
	// MaxRecipients is the most recipients one message may name (default
	// 200; negative: no limit). A report naming more is not applied at
	// all: it goes to quarantine for a human, with one event saying why.
	MaxRecipients int
	// MaxNewSuppressionsPerMinute is the most new suppressions one mailbox
	// may cause in a calendar minute (default 500; negative: no limit).
	// Once reached, the messages of that minute that could suppress an
	// address are quarantined unapplied, and one alert event is published
	// for the minute.
	MaxNewSuppressionsPerMinute int
}

func (l Limits) withDefaults() Limits {
	if l.MaxRecipients == 0 {
		l.MaxRecipients = DefaultMaxRecipients
	}
	if l.MaxNewSuppressionsPerMinute == 0 {
		l.MaxNewSuppressionsPerMinute = DefaultMaxNewSuppressionsPerMin
	}
	return l
}

// Options configure a Pipeline.
type Options struct {
	// Limits apply to every mailbox not named in MailboxLimits.
	Limits Limits
	// MailboxLimits are the limits of some mailboxes, by
	// mailbox.Message.Worker.
	MailboxLimits map[string]Limits
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
	// Raw, when not nil, keeps each message's raw bytes before it is
	// applied (raw.go).
	Raw RawKeeper
}

// Pipeline handles messages fetched from a mailbox.
type Pipeline struct {
	store Store
	pub   Publisher
	opts  Options
	log   *slog.Logger
	rate  *rateLimiter
	now   func() time.Time // the rate limiter's clock
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
	o.Limits = o.Limits.withDefaults()
	for k, l := range o.MailboxLimits {
		o.MailboxLimits[k] = l.withDefaults()
	}
	return &Pipeline{store: store, pub: pub, opts: o, log: o.Log, rate: newRateLimiter(), now: time.Now}
}

// limits returns the limits of mailbox.
func (p *Pipeline) limits(mailbox string) Limits {
	if l, ok := p.opts.MailboxLimits[mailbox]; ok {
		return l
	}
	return p.opts.Limits
}

// Metrics returns the pipeline's counters.
func (p *Pipeline) Metrics() *Metrics { return p.opts.Metrics }

// Handle is a mailbox.Handler: it decodes m, applies and publishes every
// recipient, and returns where m goes.
//
// Errors are permanent or transient by type. A message that can never be
// applied (a recipient the store refuses, an event the stream refuses, more
// recipients than Limits.MaxRecipients, a mailbox over its suppression
// rate) is quarantined: Handle publishes an unparseable event whose Error
// says "rejected: " and why, and returns Quarantined with a
// *mailbox.PermanentError. Recipients and the limits are checked before
// anything is applied, so that such a message is either applied whole or
// not at all (but for an event refused after its recipient was applied).
// Any other store or publish failure is transient: m must stay and be
// handled again later.
func (p *Pipeline) Handle(ctx context.Context, m *mailbox.Message) (disp mailbox.Disposition, err error) {
	start := time.Now()
	p.opts.Metrics.Fetched(m.Worker)
	defer func() { p.opts.Metrics.Observe(handleOutcome(disp, err), time.Since(start)) }()
	msgKey := MessageKey(m.Raw)
	at := m.InternalDate.UTC()
	if at.IsZero() {
		at = time.Now().UTC()
	}
	log := withLazy(p.log, "mailbox", m.Worker, "uid", m.UID, "message_key", msgKey[:12])
	rep, err := p.decode(m)
	if rep != nil {
		p.opts.Metrics.Decoded(string(rep.Kind), rep.Format)
	} else {
		p.opts.Metrics.Decoded(string(bounce.KindUnparseable), "")
	}
	if err == nil && len(rep.Recipients) == 0 && (rep.Kind == bounce.KindComplaint || rep.Kind == bounce.KindBounce || rep.Kind == bounce.KindDelay) {
		err = fmt.Errorf("bounce: %s report names no recipient", rep.Kind)
	}
	if err != nil || rep.Kind == bounce.KindUnparseable {
		if err == nil {
			err = fmt.Errorf("bounce: unparseable")
		}
		ev := publisher.Event{
			ID: msgKey + ":unparseable", Type: publisher.TypeUnparseable, Time: at,
			Verdict: unparseable, Mailbox: m.Worker, Source: m.Source(), Error: err.Error(),
		}
		if _, perr := p.pub.Publish(ctx, ev); perr != nil {
			return 0, publishFailure("pipeline: publish unparseable event", perr)
		}
		p.opts.Metrics.Quarantined.Add(1)
		log.Warn("message quarantined", "error", err)
		return mailbox.Quarantined, nil
	}
	switch rep.Kind {
	case bounce.KindNotBounce, bounce.KindAutoReply, bounce.KindDelivered:
		p.opts.Metrics.Ignored.Add(1)
		log.Info("message ignored", "kind", rep.Kind, "from", rep.AutoReplyFrom)
		return mailbox.Ignored, nil
	}
	// Checks before any effect: the message is applied whole or not at
	// all. Over the cap, the classifier stops at the first recipient
	// past it.
	lim := p.limits(m.Worker)
	recs, over := record.FromReportLimit(p.opts.Classifier, m.Source(), rep, lim.MaxRecipients, applies)
	if over {
		p.opts.Metrics.OverRecipientCap.Add(1)
		return p.reject(ctx, m, msgKey, at, log, "too many recipients",
			fmt.Errorf("%w: the report names %d recipients, the cap is %d", errLimit, named(rep), lim.MaxRecipients))
	}
	headers := p.originalHeaders(rep)
	checks := p.verify(m.Raw, rep)
	var apply []record.Record
	for _, r := range recs {
		if applies(r) {
			apply = append(apply, r)
		}
	}
	for _, r := range apply {
		if _, err := suppress.NormalizeAddress(r.Recipient); err != nil {
			return p.reject(ctx, m, msgKey, at, log, "recipient refused by the store", err)
		}
		// What publisher.Event.Validate reads of the recipient's event (its
		// fields are capped, never refused, when it is published): made
		// without eventOf, whose address checks the store and the event
		// make again after the apply.
		ev := publisher.Event{Schema: publisher.SchemaVersion, ID: msgKey + ":" + r.Recipient, Type: publisher.TypeBounce,
			Time: at, Recipient: r.Recipient}
		if err := ev.Validate(); err != nil {
			return p.reject(ctx, m, msgKey, at, log, "event refused", err)
		}
	}
	var couldSuppress int
	for _, r := range apply {
		if p.mayNewlySuppress(r) {
			couldSuppress++
		}
	}
	if couldSuppress > 0 && lim.MaxNewSuppressionsPerMinute >= 0 {
		window, ok := p.rate.reserve(m.Worker, couldSuppress, lim.MaxNewSuppressionsPerMinute, p.now())
		if !ok {
			p.opts.Metrics.RateLimited.Add(1)
			if err := p.alertRate(ctx, m, window, lim.MaxNewSuppressionsPerMinute, log); err != nil {
				return 0, err
			}
			return p.reject(ctx, m, msgKey, at, log, "suppression rate limit",
				fmt.Errorf("%w: mailbox %s reached %d new suppressions in the minute from %s", errLimit, m.Worker, lim.MaxNewSuppressionsPerMinute, window.Format("15:04:05")))
		}
		newly := 0
		defer func() { p.rate.settle(m.Worker, window, couldSuppress, newly) }()
		return p.applyAll(ctx, m, msgKey, at, log, apply, headers, checks, &newly, start)
	}
	var newly int
	return p.applyAll(ctx, m, msgKey, at, log, apply, headers, checks, &newly, start)
}

// applies says whether record r of a report is applied to the store: it
// names a recipient, and it is not a delivery.
func applies(r record.Record) bool {
	return r.Recipient != "" && r.Kind != string(bounce.KindDelivered)
}

// named counts the recipients rep names whose action is not a delivery:
// the recipients a report over the cap was refused for (without the
// verdicts it was not worth making, a few may be successes).
func named(rep *bounce.Report) int {
	n := 0
	for _, rc := range rep.Recipients {
		if rc.Address != "" && bounce.RecipientKind(rc) != bounce.KindDelivered {
			n++
		}
	}
	return n
}

// handleOutcome names how Handle ended, for the handling-time histogram.
func handleOutcome(d mailbox.Disposition, err error) string {
	switch {
	case d == mailbox.Quarantined:
		return OutcomeQuarantined
	case err != nil:
		return OutcomeFailed
	case d == mailbox.Ignored:
		return OutcomeIgnored
	}
	return OutcomeProcessed
}

// errLimit is wrapped by the reasons of messages over a limit.
var errLimit = errors.New("pipeline: over a limit")

// mayNewlySuppress reports whether applying r may put its address on the
// suppression list: a bounce or a complaint whose policy rule suppresses
// or counts (when the store tells its policy), never a delay or evidence.
func (p *Pipeline) mayNewlySuppress(r record.Record) bool {
	switch r.Kind {
	case string(bounce.KindComplaint), string(bounce.KindBounce):
		if r.Category == "auto_reply" || r.Category == "delivered" {
			return false
		}
		if ps, ok := p.store.(interface{ Policy() suppress.Policy }); ok {
			d := ps.Policy().Decide(suppress.Entry{Verdict: r.Verdict})
			return d.Action == string(suppress.ActionSuppress) || d.Action == string(suppress.ActionCount)
		}
		return true
	}
	return false
}

// applyAll applies and publishes the recipients of apply, counting the new
// suppressions in *newly.
func (p *Pipeline) applyAll(ctx context.Context, m *mailbox.Message, msgKey string, at time.Time, log *slog.Logger,
	apply []record.Record, headers map[string]string, checks *checks, newly *int, start time.Time) (mailbox.Disposition, error) {
	rawRef, err := p.keepRaw(ctx, m)
	if err != nil {
		return 0, err
	}
	for _, r := range apply {
		key := msgKey + ":" + r.Recipient
		vd := checks.of(r.Recipient, log)
		e, ann := annotatedEntryOf(r, key, msgKey, m.Source(), rawRef, at, vd)
		res, err := p.store.Apply(ctx, e)
		if errors.Is(err, suppress.ErrInvalid) {
			return p.reject(ctx, m, msgKey, at, log, "refused by the store", err)
		}
		if err != nil {
			err = fmt.Errorf("pipeline: suppression store: %w", err)
			if suppress.IsTransient(err) {
				err = mailbox.Outage(err)
			}
			return 0, err
		}
		if res.NewlySuppressed {
			*newly++
		}
		ev := eventOf(r, key, at, m, headers, res, ann)
		ev.Raw = rawRef
		vd.mark(&ev)
		evs := outcomeEvents(ev, key, res)
		// The suppression event goes out with the bounce's, not after its
		// ack: one round trip, and the stream keeps them in this order.
		if _, err := p.pub.PublishAll(ctx, evs...); err != nil {
			if permanentPublish(err) {
				return p.reject(ctx, m, msgKey, at, log, "event refused by the stream", err)
			}
			return 0, publishFailure("pipeline: publish", err)
		}
		p.published(log, r, res, evs)
	}
	p.opts.Metrics.Processed.Add(1)
	return mailbox.Processed, nil
}

// outcomeEvents returns the events of one applied recipient, ev first:
// a suppression.added event when it newly suppressed the address, and the
// sender-side alerts its decision raised.
func outcomeEvents(ev publisher.Event, key string, res suppress.Result) []publisher.Event {
	evs := []publisher.Event{ev}
	if res.NewlySuppressed {
		added := ev
		added.ID = key + ":added"
		added.Type = publisher.TypeSuppressionAdded
		evs = append(evs, added)
	}
	return append(evs, alertsOf(ev, key, res)...)
}

// published counts one recipient whose events (outcomeEvents) JetStream
// acknowledged, and logs it.
func (p *Pipeline) published(log *slog.Logger, r record.Record, res suppress.Result, evs []publisher.Event) {
	m := p.opts.Metrics
	if res.Allowlisted {
		m.Allowlisted.Add(1)
	}
	m.Recipients.Add(1)
	if res.Duplicate {
		m.Duplicates.Add(1)
	} else {
		m.Bounce(r.Kind, r.Category, r.Reason, r.Hard, r.Recipient)
	}
	if res.NewlySuppressed {
		m.SuppressionAdded(res.Scope)
	}
	for _, ev := range evs[1:] {
		switch ev.Alert {
		case publisher.AlertSenderRefusal:
			m.SenderAlerts.Add(1)
		case publisher.AlertOutage:
			m.Outages.Add(1)
			log.Warn("sender-side outage: bounces for many domains with network errors at once", "recipient", res.Address)
		}
	}
	if !log.Enabled(context.Background(), slog.LevelInfo) {
		return
	}
	log.Info("recipient", "recipient", res.Address, "kind", r.Kind, "reason", r.Reason, "hard", r.Hard,
		"policy", res.Decision.Rule, "action", res.Decision.Action, "allowlisted", res.Allowlisted,
		"suppressed", res.Suppressed, "scope", res.Scope, "count", res.Count, "duplicate", res.Duplicate)
}

// permanentPublish reports whether a publish failed because of the event
// itself, which no retry cures: an invalid event, or one over the server's
// payload limit. Other failures that publisher.IsTransient calls permanent
// (a denied permission, no JetStream) are the server's and hold every
// message alike: they stay transient here, retried with a growing backoff,
// and visible in the logs and on /readyz.
func permanentPublish(err error) bool {
	return errors.Is(err, publisher.ErrInvalidEvent) || errors.Is(err, nats.ErrMaxPayload)
}

// publishFailure wraps a publish error that is not the message's (see
// permanentPublish) as a mailbox outage: NATS unreachable, or a server
// that refuses every message alike (permissions, no JetStream, a stream
// that cannot be created). Such failures never count against the
// message's attempts. A cancelled context (a stop) is left as it is.
func publishFailure(what string, err error) error {
	err = fmt.Errorf("%s: %w", what, err)
	if errors.Is(err, context.Canceled) {
		return err
	}
	return mailbox.Outage(err)
}

// maxErrorText bounds the Error of the events Handle publishes about a
// rejected message: the reason may quote a huge recipient or subject.
const maxErrorText = 1000

// reject publishes an unparseable event saying why m is refused, and
// returns Quarantined with a *mailbox.PermanentError. When the event
// cannot be published for a transient reason, m stays for a retry.
func (p *Pipeline) reject(ctx context.Context, m *mailbox.Message, msgKey string, at time.Time, log *slog.Logger, reason string, cause error) (mailbox.Disposition, error) {
	text := truncate("rejected: "+reason+": "+cause.Error(), maxErrorText)
	ev := publisher.Event{
		ID: msgKey + ":rejected", Type: publisher.TypeUnparseable, Time: at,
		Verdict: unparseable, Mailbox: m.Worker, Source: m.Source(), Error: text,
	}
	if _, err := p.pub.Publish(ctx, ev); err != nil {
		if !permanentPublish(err) {
			return 0, publishFailure("pipeline: publish rejected event", err)
		}
		log.Error("rejected event refused by the stream", "error", err)
	}
	p.opts.Metrics.Rejected.Add(1)
	p.opts.Metrics.Quarantined.Add(1)
	log.Warn("message rejected, quarantined", "reason", reason, "error", truncate(cause.Error(), maxErrorText))
	return mailbox.Quarantined, mailbox.Permanent(reason, errors.New(truncate(cause.Error(), maxErrorText)))
}

// alertRate publishes, once per mailbox and minute, the alert that the
// mailbox reached its suppression rate limit.
func (p *Pipeline) alertRate(ctx context.Context, m *mailbox.Message, window time.Time, limit int, log *slog.Logger) error {
	if !p.rate.alertDue(m.Worker, window) {
		return nil
	}
	ev := publisher.Event{
		ID:   "alert:" + m.Worker + ":suppression-rate:" + strconv.FormatInt(window.Unix(), 10),
		Type: publisher.TypeUnparseable, Time: window, Verdict: unparseable, Mailbox: m.Worker, Source: m.Source(),
		Error: fmt.Sprintf("alert: suppression rate limit: mailbox %s reached %d new suppressions in the minute from %s; "+
			"the messages that could suppress more go to quarantine until the minute ends", m.Worker, limit, window.UTC().Format(time.RFC3339)),
	}
	if _, err := p.pub.Publish(ctx, ev); err != nil {
		return publishFailure("pipeline: publish rate alert", err)
	}
	p.rate.alerted(m.Worker, window)
	p.opts.Metrics.RateAlerts.Add(1)
	log.Error("suppression rate limit reached: quarantining what could suppress more", "limit_per_minute", limit, "window", window)
	return nil
}

// GiveUp is a mailbox.Config.GiveUp: it publishes the unparseable event
// of a message quarantined after failing too many times.
func (p *Pipeline) GiveUp(ctx context.Context, m *mailbox.Message, last error) error {
	msgKey := MessageKey(m.Raw)
	at := m.InternalDate.UTC()
	if at.IsZero() {
		at = time.Now().UTC()
	}
	ev := publisher.Event{
		ID: msgKey + ":rejected", Type: publisher.TypeUnparseable, Time: at,
		Verdict: unparseable, Mailbox: m.Worker, Source: m.Source(),
		Error: truncate("rejected: failed too many times: "+last.Error(), maxErrorText),
	}
	if _, err := p.pub.Publish(ctx, ev); err != nil && !permanentPublish(err) {
		return publishFailure("pipeline: publish give-up event", err)
	}
	p.opts.Metrics.Rejected.Add(1)
	p.opts.Metrics.Quarantined.Add(1)
	p.log.Warn("message failed too many times, quarantined", "mailbox", m.Worker, "uid", m.UID, "message_key", msgKey[:12], "error", truncate(last.Error(), maxErrorText))
	return nil
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
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

// alertsOf returns the sender.alert events that go with ev: one for a
// refusal the sending side caused, one when the entry made the outage
// detector fire.
func alertsOf(ev publisher.Event, key string, res suppress.Result) []publisher.Event {
	var out []publisher.Event
	alert := func(id, kind, hint string) publisher.Event {
		a := ev
		a.ID, a.Type, a.Alert, a.Hint = id, publisher.TypeSenderAlert, kind, hint
		return a
	}
	if res.Decision.SenderAlert {
		out = append(out, alert(key+":sender-alert", publisher.AlertSenderRefusal, res.Decision.Hint))
	}
	if res.Outage {
		out = append(out, alert(key+":outage", publisher.AlertOutage, suppress.HintSenderOutage))
	}
	return out
}

// PolicyOf is the event form of a policy decision.
func PolicyOf(d suppress.Decision) *publisher.Policy {
	dur := func(v time.Duration) string {
		if v == 0 {
			return ""
		}
		return v.String()
	}
	return &publisher.Policy{Rule: d.Rule, Action: d.Action, Scope: d.Scope, Threshold: d.Threshold,
		Window: dur(d.Window), Expiry: dur(d.Expiry), Reprobe: dur(d.Reprobe), SenderAlert: d.SenderAlert,
		Outage: d.Outage, LowConfidence: d.LowConfidence}
}

// DecisionOf is the policy decision an event recorded (PolicyOf's
// inverse), or nil when it recorded none (an event written before the
// policy had rules). The hint is the rule's, as the event carries it.
func DecisionOf(ev publisher.Event) *suppress.Decision {
	p := ev.Policy
	if p == nil || p.Action == "" {
		return nil
	}
	dur := func(s string) time.Duration {
		d, _ := time.ParseDuration(s)
		return d
	}
	d := &suppress.Decision{Rule: p.Rule, Action: p.Action, Scope: p.Scope, Threshold: p.Threshold,
		Window: dur(p.Window), Expiry: dur(p.Expiry), Reprobe: dur(p.Reprobe), SenderAlert: p.SenderAlert,
		Outage: p.Outage, LowConfidence: p.LowConfidence}
	if ev.Type != publisher.TypeSenderAlert {
		d.Hint = ev.Hint
	}
	return d
}

// MessageKey identifies a message by its content: the hex SHA-256 of its
// bytes with line endings normalised, the same wherever and however often
// it is fetched.
func MessageKey(raw []byte) string {
	h := sha256.New()
	// Normalise CRLF so a message re-appended by another client keeps its
	// key: the runs between the CRs of CRLFs are hashed as they are, with
	// no copy of the message.
	for {
		i := bytes.Index(raw, crlf)
		if i < 0 {
			h.Write(raw)
			break
		}
		h.Write(raw[:i])
		raw = raw[i+1:] // from the LF
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

var crlf = []byte("\r\n")
