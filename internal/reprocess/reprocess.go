// Package reprocess decodes kept raw bounces again with today's decoder
// and rules, shows what would change for each address, and applies the
// changes on request. It never undoes an operator's lift: an address
// lifted after the bounce stays lifted.
package reprocess

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/outcome"
)

// MaxAddresses is the most addresses one Request names.
const MaxAddresses = 1000

// ErrInvalid is returned for a request Reprocess cannot use.
var ErrInvalid = errors.New("reprocess: invalid request")

// Actor is who the changes reprocessing applies are audited as.
const Actor = "reprocess"

// Actions of a Change.
const (
	// ActionSuppress: today's verdict suppresses (or suppresses for good)
	// where the first did not; applying records the new verdict.
	ActionSuppress = "suppress"
	// ActionLift: the address is suppressed by this bounce, and today's
	// verdict would not have suppressed it (as far): applying lifts it,
	// audited, and records the new verdict.
	ActionLift = "lift"
	// ActionRelabel: the same effect for another reason; applying updates
	// the record when this bounce is its deciding one.
	ActionRelabel = "relabel"
	// ActionKeptLifted: today's verdict would suppress, but an operator
	// lifted the address after the bounce: nothing is done.
	ActionKeptLifted = "kept_lifted"
	// ActionRawMissing: the raw message is no longer kept.
	ActionRawMissing = "raw_missing"
	// ActionRecipientGone: today's decoder no longer finds the address in
	// the message; nothing is done.
	ActionRecipientGone = "recipient_gone"
)

// Request says what to reprocess.
type Request struct {
	// Addresses are the addresses whose kept bounces are decoded again.
	Addresses []string `json:"addresses"`
	// Apply applies the changes; false (the default) only shows them.
	Apply bool `json:"apply"`
	// Actor is who asked, for the report and the logs.
	Actor string `json:"actor,omitempty"`
}

// Verdict is what a decoding said of a recipient.
type Verdict struct {
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
	Category string `json:"category"`
	Hard     bool   `json:"hard"`
	Rule     string `json:"rule,omitempty"`
}

// Change is one bounce whose verdict differs today.
type Change struct {
	Address string    `json:"address"`
	Raw     string    `json:"raw"`
	At      time.Time `json:"at"`
	Old     Verdict   `json:"old"`
	New     Verdict   `json:"new"`
	Action  string    `json:"action"`
	Applied bool      `json:"applied"`
	Error   string    `json:"error,omitempty"`
}

// Report is what Reprocess found and did.
type Report struct {
	DryRun    bool `json:"dry_run"`
	Addresses int  `json:"addresses"`
	// Messages counts the kept bounces decoded again; Unchanged those
	// whose verdict is the same today.
	Messages  int      `json:"messages"`
	Unchanged int      `json:"unchanged"`
	Applied   int      `json:"applied"`
	Changes   []Change `json:"changes"`
	// Unknown lists the addresses with no record.
	Unknown []string `json:"unknown"`
}

// Options configure a Reprocessor.
type Options struct {
	Store      *suppress.Store
	Raw        *rawstore.Store
	Decode     bounce.Options
	Classifier *classify.Classifier
	Log        *slog.Logger
}

// Reprocessor decodes kept bounces again.
type Reprocessor struct{ o Options }

// New returns a Reprocessor.
func New(o Options) *Reprocessor {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Reprocessor{o: o}
}

// effect ranks what a verdict does to an address: 0 evidence, 1 soft
// bounce, 2 complaint, 3 hard bounce (the suppression store's policy).
func effect(v Verdict) int {
	switch {
	case v.Kind == "complaint":
		return 2
	case v.Kind != "bounce" || v.Category == "auto_reply" || v.Category == "delivered":
		return 0
	case v.Hard:
		return 3
	}
	return 1
}

// Reprocess decodes the kept bounces of each address of req again.
func (p *Reprocessor) Reprocess(ctx context.Context, req Request) (*Report, error) {
	if len(req.Addresses) == 0 || len(req.Addresses) > MaxAddresses {
		return nil, fmt.Errorf("%w: name 1 to %d addresses", ErrInvalid, MaxAddresses)
	}
	rep := &Report{DryRun: !req.Apply, Changes: []Change{}, Unknown: []string{}}
	for _, a := range req.Addresses {
		addr, err := suppress.NormalizeAddress(a)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		rec, err := p.o.Store.Get(ctx, addr)
		if errors.Is(err, suppress.ErrNotFound) {
			rep.Unknown = append(rep.Unknown, addr)
			continue
		}
		if err != nil {
			return nil, err
		}
		rep.Addresses++
		hist, err := p.o.Store.History(ctx, addr)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, h := range hist {
			if h.Raw == "" || seen[h.Raw] || h.Kind == suppress.KindManual {
				continue
			}
			seen[h.Raw] = true
			rep.Messages++
			c, changed := p.redecode(addr, h)
			if !changed {
				rep.Unchanged++
				continue
			}
			c.Action = p.decide(rec, h, c)
			if req.Apply {
				if err := p.apply(ctx, rec, h, &c); err != nil {
					if !suppress.IsTransient(err) {
						c.Error = err.Error()
					} else {
						return nil, err
					}
				}
				if c.Applied {
					rep.Applied++
					// Later changes see the record as it is now.
					if r, err := p.o.Store.Get(ctx, addr); err == nil {
						rec = r
					}
				}
			}
			rep.Changes = append(rep.Changes, c)
		}
	}
	if req.Apply && rep.Applied > 0 {
		p.o.Log.InfoContext(ctx, "reprocess: changes applied", "actor", req.Actor, "applied", rep.Applied, "messages", rep.Messages)
	}
	return rep, nil
}

// redecode decodes h's message again and compares the verdict for addr.
func (p *Reprocessor) redecode(addr string, h suppress.HistoryEntry) (Change, bool) {
	c := Change{Address: addr, Raw: h.Raw, At: h.At,
		Old: Verdict{Kind: h.Kind, Reason: h.Reason, Category: h.Category, Hard: h.Hard, Rule: h.Rule}}
	raw, err := p.o.Raw.Read(h.Raw)
	if err != nil {
		c.Action, c.Error = ActionRawMissing, err.Error()
		return c, true
	}
	rep, err := decode(raw, &p.o.Decode)
	for _, r := range record.FromReportWith(p.o.Classifier, h.Source, rep, err) {
		if a, err := suppress.NormalizeAddress(r.Recipient); err != nil || a != addr {
			continue
		}
		c.New = Verdict{Kind: r.Kind, Reason: r.Reason, Category: r.Category, Hard: r.Hard, Rule: r.Rule}
		same := c.New.Kind == c.Old.Kind && c.New.Reason == c.Old.Reason && c.New.Category == c.Old.Category && c.New.Hard == c.Old.Hard
		return c, !same
	}
	c.Action = ActionRecipientGone
	return c, true
}

func decode(raw []byte, o *bounce.Options) (rep *bounce.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("bounce: decoder panic: %v", r)
		}
	}()
	return bounce.DecodeBytes(raw, o)
}

// decide names what applying c would do.
func (p *Reprocessor) decide(rec *suppress.Record, h suppress.HistoryEntry, c Change) string {
	if c.Action != "" {
		return c.Action
	}
	olde, newe := effect(c.Old), effect(c.New)
	liftedAfter := !rec.LiftedAt.IsZero() && !rec.LiftedAt.Before(h.At) && rec.LiftedBy != Actor
	switch {
	case newe > olde && liftedAfter:
		return ActionKeptLifted
	case newe > olde:
		return ActionSuppress
	case newe < olde && rec.Suppressed && rec.Raw == h.Raw:
		return ActionLift
	}
	return ActionRelabel
}

// apply carries c out.
func (p *Reprocessor) apply(ctx context.Context, rec *suppress.Record, h suppress.HistoryEntry, c *Change) error {
	entry := suppress.Entry{
		IdempotencyKey: "reprocess:" + h.Raw + ":" + c.Address + ":" + c.New.Kind + ":" + c.New.Reason + ":" + fmt.Sprint(c.New.Hard),
		Recipient:      c.Address,
		Verdict: outcome.Verdict{Kind: c.New.Kind, Reason: c.New.Reason, Category: c.New.Category, Hard: c.New.Hard,
			Rule: c.New.Rule, Status: h.Status, ReplyCode: h.ReplyCode, Diagnostic: h.Diagnostic, RemoteMTA: h.RemoteMTA},
		Source: h.Source, At: h.At, Raw: h.Raw, MessageKey: "reprocess:" + h.Raw,
	}
	switch c.Action {
	case ActionSuppress:
		if _, err := p.o.Store.Apply(ctx, entry); err != nil {
			return err
		}
		c.Applied = true
	case ActionLift:
		note := fmt.Sprintf("decoded again with today's rules: was %s/%s (%s), now %s/%s (%s)",
			c.Old.Kind, c.Old.Reason, c.Old.Rule, c.New.Kind, c.New.Reason, c.New.Rule)
		if _, err := p.o.Store.Remove(ctx, c.Address, Actor, note); err != nil {
			return err
		}
		if c.New.Kind != "" {
			if _, err := p.o.Store.Apply(ctx, entry); err != nil {
				return err
			}
		}
		c.Applied = true
	case ActionRelabel:
		ok, err := p.o.Store.Relabel(ctx, c.Address, h.Raw, c.New.Reason, c.New.Category, c.New.Hard, c.New.Rule, "")
		if err != nil {
			return err
		}
		c.Applied = ok
	}
	return nil
}
