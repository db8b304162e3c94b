package suppress

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/classify"
)

// Action is what a policy rule does with the bounces it covers.
type Action string

// The actions of a rule.
const (
	// ActionSuppress suppresses the address in the rule's scope at once.
	ActionSuppress Action = "suppress"
	// ActionCount counts the bounces on distinct UTC days and suppresses
	// once Threshold days fall within Window.
	ActionCount Action = "count"
	// ActionNotify records and publishes the bounce, with the rule's Hint
	// (and a sender-side alert when SenderAlert is set), and never
	// suppresses: the switch that turns a reason's suppression off.
	ActionNotify Action = "notify"
	// ActionIgnore records and publishes the bounce with no hint and no
	// alert, and never suppresses.
	ActionIgnore Action = "ignore"
)

// Scopes every policy knows. Policy.Streams adds the shop's own.
const (
	// ScopeTransactional suppresses transactional mail (receipts,
	// password resets).
	ScopeTransactional = "transactional"
)

// Keys of Policy.Rules that are not reasons or categories.
const (
	// RuleDefault covers every bounce no other key covers (the transient
	// category, suspended, and low-confidence verdicts that would
	// otherwise suppress for good).
	RuleDefault = "default"
	// RuleSenderBlocked covers a "blocked" bounce whose text names the
	// sending IP or a DNS blocklist: the sender's fault, not the address's.
	RuleSenderBlocked = "sender_blocked"
)

// Rule says what the policy does with one reason's or category's bounces.
type Rule struct {
	// Action is suppress, count, notify or ignore.
	Action Action `json:"action"`
	// Scope is the scope suppressed: all, transactional, marketing or one
	// of Policy.Streams.
	Scope string `json:"scope,omitempty"`
	// Threshold is, for count, how many distinct UTC days with a bounce
	// within Window suppress (several bounces on one day are one).
	Threshold int `json:"threshold,omitempty"`
	// Window is, for count, the span the days are counted in.
	Window time.Duration `json:"window,omitempty"`
	// Expiry is how long the suppression lasts, counted from the bounce
	// that caused (or extended) it; 0 means for good.
	Expiry time.Duration `json:"expiry,omitempty"`
	// Reprobe is, for a suppression that expires, how long after its
	// expiry the address stays on probation: one counted bounce in that
	// time suppresses it again at once, as a threshold of 1. 0 turns
	// probation off. A delivery reported for the address ends it.
	Reprobe time.Duration `json:"reprobe,omitempty"`
	// Hint tells the operator what to do, published with the event.
	Hint string `json:"hint,omitempty"`
	// SenderAlert publishes a sender-side alert (sender.alert) with the
	// event: the cause is likely on the sending side.
	SenderAlert bool `json:"sender_alert,omitempty"`
	// Outage feeds the bounce to the sender-side outage detector (see
	// Burst): network-class failures.
	Outage bool `json:"outage,omitempty"`
}

// Burst configures the detector of sender-side outages: bounces with an
// Outage rule for at least Domains distinct recipient domains within
// Window raise one alert per Window.
type Burst struct {
	Domains int           `json:"domains"`
	Window  time.Duration `json:"window"`
}

// Hints of the default rules.
const (
	HintReduceSize   = "reduce the size of the message (attachments, images); the recipient's server refuses messages this large"
	HintAllowSender  = "ask the customer to allow the sender's domain (the Japanese carriers' 指定受信 / domain designated reception setting)"
	HintSenderSide   = "the refusal names the sending side (IP reputation, blocklist, authentication, rate): fix the sender, the address is fine"
	HintSenderOutage = "the sending host reaches no one (outbound port 25 blocked, DNS down, relay authentication): fix the sending side"
	HintMailboxFull  = "the mailbox is full; the customer must make room"
	HintCheckAddress = "the address does not exist: check it with the customer (see faults and suggestion)"
)

const (
	dayDur  = 24 * time.Hour
	forGood = time.Duration(0)
)

// DefaultRules returns the rules a careful shop starts with; see the
// README's table for why each is what it is.
func DefaultRules() map[string]Rule {
	sender := Rule{Action: ActionNotify, Hint: HintSenderSide, SenderAlert: true}
	network := Rule{Action: ActionNotify, Hint: HintSenderOutage, Outage: true}
	return map[string]Rule{
		string(classify.CatUserUnknown): {Action: ActionSuppress, Scope: ScopeAll, Expiry: forGood, Hint: HintCheckAddress},
		string(classify.CatHostUnknown): {Action: ActionSuppress, Scope: ScopeAll, Expiry: forGood, Hint: HintCheckAddress},
		string(classify.CatMailboxFull): {Action: ActionCount, Scope: ScopeAll, Threshold: 3, Window: 30 * dayDur,
			Expiry: 30 * dayDur, Reprobe: 30 * dayDur, Hint: HintMailboxFull},
		string(classify.CatSizeRejected): {Action: ActionNotify, Hint: HintReduceSize},
		string(classify.CatPolicyBlock): {Action: ActionCount, Scope: ScopeMarketing, Threshold: 2, Window: 14 * dayDur,
			Expiry: 30 * dayDur, Hint: HintAllowSender, SenderAlert: true},
		string(classify.CatComplaint): {Action: ActionSuppress, Scope: ScopeMarketing, Expiry: forGood},
		// Refusals caused by the sender, not the customer.
		string(classify.AuthFailure):        sender,
		string(classify.RequirePTR):         sender,
		string(classify.RateLimited):        sender,
		string(classify.TooManyConnections): sender,
		string(classify.BadReputation):      sender,
		string(classify.NoRelaying):         sender,
		string(classify.FailedSTARTTLS):     sender,
		RuleSenderBlocked:                   sender,
		// Network-class failures: the outage detector, never the address.
		string(classify.NetworkError): network,
		RuleDefault:                   {Action: ActionCount, Scope: ScopeAll, Threshold: 3, Window: 7 * dayDur, Expiry: 30 * dayDur},
	}
}

// ValidRuleKey reports whether k can key Policy.Rules: a reason, a
// category, RuleDefault or RuleSenderBlocked.
func ValidRuleKey(k string) bool {
	if k == RuleDefault || k == RuleSenderBlocked {
		return true
	}
	if classify.Reason(k).Valid() {
		return true
	}
	for _, r := range classify.Reasons() {
		if string(r.Category()) == k {
			return true
		}
	}
	return false
}

// scopeName matches a stream name: lower-case letters, digits, '_' and '-'.
var scopeName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// Scopes returns every scope of the policy: all, transactional, marketing
// and the streams, in that order.
func (p Policy) Scopes() []string {
	out := []string{ScopeAll, ScopeTransactional, ScopeMarketing}
	for _, s := range p.Streams {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// HasScope reports whether sc is one of p.Scopes.
func (p Policy) HasScope(sc string) bool { return slices.Contains(p.Scopes(), sc) }

// validateRules checks p.Rules and p.Streams; every error names the key.
func (p Policy) validateRules() []error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, a...)...))
	}
	for _, s := range p.Streams {
		if !scopeName.MatchString(s) || s == ScopeAll {
			bad("policy.streams: %q is not a stream name (lower-case letters, digits, _ and -)", s)
		}
	}
	keys := make([]string, 0, len(p.Rules))
	for k := range p.Rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r := p.Rules[k]
		at := "policy.reasons." + k
		if !ValidRuleKey(k) {
			bad("%s: unknown reason or category %q", at, k)
			continue
		}
		switch r.Action {
		case ActionSuppress, ActionCount:
			if !p.HasScope(r.Scope) {
				bad("%s.scope %q: want all, transactional, marketing or a stream of policy.streams", at, r.Scope)
			}
		case ActionNotify, ActionIgnore:
		default:
			bad("%s.action %q: want suppress, count, notify or ignore", at, r.Action)
		}
		if r.Action == ActionCount {
			if r.Threshold < 1 {
				bad("%s.threshold %d: must be at least 1", at, r.Threshold)
			}
			if r.Window < dayDur {
				bad("%s.window %s: must be at least 24h (bounces are counted on distinct days)", at, r.Window)
			}
		}
		if r.Expiry < 0 || r.Reprobe < 0 {
			bad("%s: expiry and reprobe must not be negative", at)
		}
		if r.Reprobe > 0 && r.Expiry == 0 {
			bad("%s.reprobe: needs an expiry (a suppression for good never ends)", at)
		}
	}
	if p.Burst.Domains < 0 || p.Burst.Window < 0 {
		bad("policy.outage: domains and window must not be negative")
	}
	return errs
}

// Decision is what the policy decided for one entry. Apply makes it from
// the entry and the policy, and returns it in Result; events carry it, so
// that a rebuild replays the decision made live even after the policy
// changed (see Entry.Decision).
type Decision struct {
	// Rule is the key of Policy.Rules that decided ("" for evidence).
	Rule string `json:"rule,omitempty"`
	// Action is suppress, count, notify or ignore; "evidence" for what
	// never suppresses by kind (delays, unverified or allowlisted bounces).
	Action string `json:"action"`
	// Scope, Threshold, Window, Expiry, Reprobe are the rule's.
	Scope     string        `json:"scope,omitempty"`
	Threshold int           `json:"threshold,omitempty"`
	Window    time.Duration `json:"window,omitempty"`
	Expiry    time.Duration `json:"expiry,omitempty"`
	Reprobe   time.Duration `json:"reprobe,omitempty"`
	// Hint is the rule's hint (notify, count and suppress rules).
	Hint string `json:"hint,omitempty"`
	// SenderAlert and Outage are the rule's.
	SenderAlert bool `json:"sender_alert,omitempty"`
	Outage      bool `json:"outage,omitempty"`
	// LowConfidence is true when the verdict was a fallback guess that
	// the policy downgraded to the default rule.
	LowConfidence bool `json:"low_confidence,omitempty"`
}

// ActionEvidence is Decision.Action for an entry that is evidence only.
const ActionEvidence = "evidence"

// lowConfidence reports a verdict that must never suppress for good: one
// the classifier calls low (classify.Low, a fallback guess), or, for an
// entry without a confidence (an event written before it had one), one
// its catch-all decided ("default:" rules, classify.Classify's last stage).
func lowConfidence(e Entry) bool {
	if c := strings.TrimSpace(e.Confidence); c != "" {
		return c == string(classify.Low)
	}
	return strings.HasPrefix(strings.TrimSpace(e.Rule), "default:")
}

// senderMarkers are words of refusals that name the sending host or a DNS
// blocklist rather than the recipient. Sources: Postfix's default
// rbl_reply ("Client host [$client_address] blocked using $rbl_domain",
// postconf(5)); Spamhaus's and Spamcop's published rejection texts; the
// wordings of classify's "blocked" rules (classify/text_rules.go).
var senderMarkers = []string{
	"blocked using", "blocklist", "block list", "blacklist", "black list", "dnsbl", "rbl", "spamhaus",
	"spamcop", "sorbs", "barracuda", "client host", "your ip", "sending ip", "source ip", "ip address",
	"reputation", "listed at", "listed in", "listed on", "dynamic ip", "residential",
}

var ipLiteral = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b|\[ipv6:`)

// namesSender reports whether a blocked bounce's text names the sending
// IP or a blocklist.
func namesSender(e Entry) bool {
	t := strings.ToLower(e.Diagnostic + " " + e.Rule)
	if ipLiteral.MatchString(t) {
		return true
	}
	for _, m := range senderMarkers {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

// networkMarkers are words of an expired delivery that never reached the
// recipient's server: the sending side's connection failed. Sources:
// Postfix's delivery status texts ("connect to HOST[IP]:25: Connection
// refused", "Connection timed out", "No route to host", "Network is
// unreachable"; smtp(8)), Exim's retry-timeout bounces that quote the
// last error, and the resolver's "Temporary failure in name resolution"
// (EAI_AGAIN, getaddrinfo(3)).
var networkMarkers = []string{
	"connection refused", "connection timed out", "timed out", "no route to host", "network is unreachable",
	"connection reset", "could not connect", "unable to connect", "can't connect", "temporary failure in name resolution",
	"name server failure", "servfail", "lost connection", "host not found, try again", "name service error",
}

// namesNetwork reports whether an expired bounce's text names a
// connection or DNS failure of the sending side.
func namesNetwork(e Entry) bool {
	t := strings.ToLower(e.Diagnostic)
	for _, m := range networkMarkers {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

// Decide returns the policy's decision for e (ignoring e.Decision).
func (p Policy) Decide(e Entry) Decision {
	evidence := Decision{Action: ActionEvidence}
	if e.Unverified && (e.Kind == "bounce" || e.Kind == "complaint") {
		return evidence
	}
	switch e.Kind {
	case "complaint":
		return p.decision(string(classify.CatComplaint), false)
	case "bounce":
		if e.Category == "auto_reply" || e.Category == "delivered" {
			return evidence
		}
	default:
		return evidence
	}
	key := RuleDefault
	switch {
	case e.Reason == string(classify.Blocked) && namesSender(e):
		key = RuleSenderBlocked
	case ((e.Reason == string(classify.Expired) && !p.has(e.Reason)) || (e.Reason == string(classify.HostUnknown) && !e.Hard)) &&
		namesNetwork(e):
		// Given up after connection failures, or a DNS lookup that
		// failed for now (Postfix: "Name service error ...: Host not
		// found, try again"): the network rule (the outage detector), not
		// the address's count.
		key = string(classify.NetworkError)
	case p.has(e.Reason):
		key = e.Reason
	case p.has(e.Category):
		key = e.Category
	}
	d := p.decision(key, false)
	// A rule that suppresses for good needs a verdict that proves it: a
	// fallback guess, or a report that says the failure is not permanent
	// (a 4.x.x "user unknown"), counts as the default rule instead.
	if (d.Action == string(ActionSuppress) || d.Action == string(ActionCount)) && d.Expiry == 0 &&
		(lowConfidence(e) || (!e.Hard && classify.Reason(e.Reason).Hard())) {
		d = p.decision(RuleDefault, lowConfidence(e))
	}
	return d
}

func (p Policy) has(k string) bool {
	_, ok := p.Rules[k]
	return ok && k != ""
}

func (p Policy) decision(key string, low bool) Decision {
	r, ok := p.Rules[key]
	if !ok {
		r = DefaultRules()[RuleDefault]
	}
	d := Decision{Rule: key, Action: string(r.Action), Hint: r.Hint, SenderAlert: r.SenderAlert,
		Outage: r.Outage, LowConfidence: low}
	if r.Action == ActionSuppress || r.Action == ActionCount {
		d.Scope, d.Expiry, d.Reprobe = r.Scope, r.Expiry, r.Reprobe
	}
	if r.Action == ActionCount {
		d.Threshold, d.Window = r.Threshold, r.Window
	}
	if r.Action == ActionIgnore {
		d.Hint, d.SenderAlert, d.Outage = "", false, false
	}
	return d
}

// valid reports a replayed decision the store can apply.
func (d Decision) valid() error {
	switch Action(d.Action) {
	case ActionSuppress, ActionCount:
		if d.Scope == "" {
			return fmt.Errorf("%w: decision %q without scope", ErrInvalid, d.Action)
		}
		if d.Action == string(ActionCount) && (d.Threshold < 1 || d.Window < time.Millisecond) {
			return fmt.Errorf("%w: count decision without threshold or window", ErrInvalid)
		}
	case ActionNotify, ActionIgnore, ActionEvidence:
	default:
		return fmt.Errorf("%w: decision action %q", ErrInvalid, d.Action)
	}
	return nil
}
