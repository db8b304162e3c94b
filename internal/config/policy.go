package config

import (
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// Reason is the policy of one reason or category (policy.reasons.<key>).
// A field left out is taken from the default rule of the key, else of
// the reason's category, else of the default rule (suppress.DefaultRules).
type Reason struct {
	// Action is suppress (at once), count (then suppress), notify (publish
	// with the hint, never suppress) or ignore.
	Action string `yaml:"action"`
	// Scope is all, transactional, marketing or a stream of policy.streams.
	Scope string `yaml:"scope"`
	// Threshold is, for count, how many distinct UTC days with a bounce
	// within Window suppress.
	Threshold *int `yaml:"threshold"`
	// Window is, for count, the span the days are counted in (24h at least).
	Window *Duration `yaml:"window"`
	// Expiry is how long a suppression lasts; 0 for good.
	Expiry *Duration `yaml:"expiry"`
	// Reprobe is how long after the expiry one bounce suppresses again; 0 off.
	Reprobe *Duration `yaml:"reprobe"`
	// Hint is published with the event, for the operator.
	Hint *string `yaml:"hint"`
	// SenderAlert publishes a sender.alert event with the bounce.
	SenderAlert *bool `yaml:"sender_alert"`
	// Outage feeds the bounce to the sender-side outage detector.
	Outage *bool `yaml:"outage"`
}

// Outage configures the sender-side outage detector: bounces with an
// outage rule (network_error by default) for Domains distinct recipient
// domains within Window raise one sender.alert.
type Outage struct {
	Domains int      `yaml:"domains"`
	Window  Duration `yaml:"window"`
}

// Suppress returns the store's policy that p describes: the default rules
// with p.Reasons merged in field by field. Validate it with
// suppress.Policy.Validate (Config.Validate does).
func (p Policy) Suppress() suppress.Policy {
	sp := suppress.DefaultPolicy()
	sp.SoftThreshold, sp.SoftWindow, sp.SoftExpiry = p.SoftThreshold, p.SoftWindow.D(), p.SoftExpiry.D()
	sp.ComplaintScope = p.ComplaintScope
	sp.Streams = p.Streams
	sp.Allow = p.Allow
	if p.Outage.Domains != 0 {
		sp.Burst.Domains = p.Outage.Domains
	}
	if p.Outage.Window != 0 {
		sp.Burst.Window = p.Outage.Window.D()
	}
	defaults := suppress.DefaultRules()
	def := defaults[suppress.RuleDefault]
	if p.SoftThreshold > 0 {
		def.Threshold = p.SoftThreshold
	}
	if p.SoftWindow > 0 {
		def.Window = p.SoftWindow.D()
	}
	if p.SoftExpiry > 0 {
		def.Expiry = p.SoftExpiry.D()
	}
	defaults[suppress.RuleDefault] = def
	if len(p.Reasons) > 0 {
		sp.Rules = map[string]suppress.Rule{}
		for k, v := range defaults {
			sp.Rules[k] = v
		}
	}
	for k, r := range p.Reasons {
		base, ok := defaults[k]
		if !ok {
			base = defaults[suppress.RuleDefault]
			if cat, ok := categoryOf(k); ok {
				if b, ok := defaults[cat]; ok {
					base = b
				}
			}
		}
		sp.Rules[k] = r.merge(base)
	}
	return sp
}

func (r Reason) merge(b suppress.Rule) suppress.Rule {
	if r.Action != "" && suppress.Action(r.Action) != b.Action {
		b.Action = suppress.Action(r.Action)
		if b.Action == suppress.ActionSuppress || b.Action == suppress.ActionNotify || b.Action == suppress.ActionIgnore {
			b.Threshold, b.Window = 0, 0
		}
		if b.Action == suppress.ActionCount && b.Threshold == 0 {
			d := suppress.DefaultRules()[suppress.RuleDefault]
			b.Threshold, b.Window = d.Threshold, d.Window
		}
		if (b.Action == suppress.ActionSuppress || b.Action == suppress.ActionCount) && b.Scope == "" {
			b.Scope = suppress.ScopeAll
		}
	}
	if r.Scope != "" {
		b.Scope = r.Scope
	}
	if r.Threshold != nil {
		b.Threshold = *r.Threshold
	}
	if r.Window != nil {
		b.Window = r.Window.D()
	}
	if r.Expiry != nil {
		b.Expiry = r.Expiry.D()
	}
	if r.Reprobe != nil {
		b.Reprobe = r.Reprobe.D()
	}
	if r.Hint != nil {
		b.Hint = *r.Hint
	}
	if r.SenderAlert != nil {
		b.SenderAlert = *r.SenderAlert
	}
	if r.Outage != nil {
		b.Outage = *r.Outage
	}
	return b
}

// categoryOf returns the category of a reason key.
func categoryOf(k string) (string, bool) {
	if r := classify.Reason(k); r.Valid() {
		return string(r.Category()), true
	}
	return "", false
}
