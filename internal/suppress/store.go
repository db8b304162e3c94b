// Package suppress is bounced's suppression store in Redis: after a bounce
// is decoded and classified, the daemon applies it here, and the address is
// put in a Redis SET that sending systems check with SISMEMBER before they
// mail it again.
//
// # Policy
//
// Every bounce and complaint is judged by one Rule of the Policy, keyed by
// its reason or category (a reason's beats its category's; RuleDefault
// covers the rest; see DefaultRules and Policy.Decide): suppress it at
// once in a scope, count it on distinct UTC days and suppress once
// Threshold days fall within Window, notify (publish with a hint, never
// suppress) or ignore. Refusals the sending side caused (RuleSenderBlocked,
// auth_failure, rate_limited...) and network-class failures never count
// against the address: they raise sender-side alerts, and the outage
// detector (Policy.Burst) fires once when many domains fail at once. A
// low-confidence verdict never suppresses for good. A suppression with an
// Expiry is lifted by the store after it; with a Reprobe, one counted
// bounce in the time after the expiry suppresses again. Delay notices,
// delivery reports, auto-replies (RFC 3834), unverified bounces and
// allowlisted addresses (see Allow) are recorded as evidence and never
// suppress. Delivered forgets the soft bounces counted for an address.
//
// Scopes are "all", "transactional", "marketing" and Policy.Streams. An
// address can be suppressed in several, each with its own expiry; one
// suppressed for all mail is in every scope's set, so that one SISMEMBER
// of P:suppressed:<scope> answers a sender (IsSuppressed does exactly
// that). The decision made for an entry is returned (Result.Decision) and
// published with its event, so that a rebuild replays it (Entry.Decision)
// whatever the policy is then: a policy change alters nothing already
// suppressed until Reapply.
//
// Each Apply runs as one Lua script, so it is atomic, and is idempotent: an
// entry whose idempotency key was seen within Policy.IdempotencyTTL changes
// nothing and returns the result of its first application.
//
// # Keys
//
// Every key starts with the prefix given to New, "{bounced}" by default. The
// braces are a Redis Cluster hash tag: all keys hash to one slot, which the
// scripts need because they touch several keys at once (and derive some of
// them from the prefix). A custom prefix must keep a hash tag to work on a
// cluster. With prefix P:
//
//	P:suppressed              SET   addresses suppressed for all mail
//	P:suppressed:<scope>      SET   addresses suppressed for that scope (those of P:suppressed too)
//	P:addr:<address>          HASH  the address's record (see Record; sc:<scope> fields per scope)
//	P:soft:<address>          ZSET  counted bounces (member: rule|idempotency key, score: time)
//	P:expiry                  ZSET  scope suppressions by expiry time (member: scope:address)
//	P:idx:time                ZSET  suppressed addresses by suppression time
//	P:idx:reason:<reason>     ZSET  the same, for one reason
//	P:idx:domain:<domain>     ZSET  the same, for one domain
//	P:idem:<key>              STRING  the Result JSON of an applied entry, with a TTL
//	P:seen:<hash>             STRING  an entry counted for (original message, address, effect), with a TTL
//	P:epoch                   HASH  the store's epoch (id, created_at); see CheckEpoch
//	P:audit                   LIST  lifted suppressions, newest first, capped at AuditLength
//	P:checkpoint:<key>        HASH  IMAP poller checkpoints, kept by package internal/checkpoint
//	P:allow:address, P:allow:domain  SET  the allowlist (see Allow)
//	P:outage, P:outage:alert  ZSET, STRING  the outage detector's window and last alert
//
// Scores and times in hashes are Unix milliseconds; times are kept to the
// millisecond.
//
// # Expiry
//
// Redis cannot expire a member of a SET, so soft suppressions are lifted by
// the store: every Apply, IsSuppressed, Get, List, Count and Remove first
// lifts up to 100 suppressions whose time in P:expiry has passed, and Sweep
// lifts them all. Systems that read P:suppressed directly see an expired
// soft suppression until the next of these calls, so the daemon runs Sweep
// periodically.
//
// # Addresses
//
// Addresses are trimmed of spaces and angle brackets and lower-cased whole
// (local part and domain), once, in NormalizeAddress; records keep the
// address as written too (Record.AsWritten).
// RFC 5321 lets the local part be case-sensitive, but no mailbox provider
// in use treats it so, and one key per address is what SISMEMBER checks
// need: callers must lower-case the address they check too.
package suppress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/addrcheck"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/smtp"
	"github.com/bounced-dev/bounced/outcome"
)

// DefaultPrefix is the key prefix used when New is given "". Its braces
// are a Redis Cluster hash tag.
const DefaultPrefix = "{bounced}"

// AuditLength is how many entries the audit list keeps.
const AuditLength = 10000

// Scopes of a suppression.
const (
	// ScopeAll suppresses every mail to the address.
	ScopeAll = "all"
	// ScopeMarketing suppresses marketing mail only.
	ScopeMarketing = "marketing"
)

// lazySweepLimit is how many expired soft suppressions each call lifts
// before doing its work.
const lazySweepLimit = 100

// sweepBatch is how many expired suppressions Sweep lifts per script call.
const sweepBatch = 1000

var (
	// ErrNotFound is returned by Get for an address with no record.
	ErrNotFound = errors.New("suppress: not found")
	// ErrInvalid is returned for an entry, address or option the store
	// cannot use; retrying cannot help.
	ErrInvalid = errors.New("suppress: invalid argument")
)

// Policy says when bounces suppress an address: a Rule per reason or
// category (a reason's beats its category's), the shop's own scopes, the
// allowlist from the configuration, and the outage detector.
type Policy struct {
	// Rules are keyed by reason, category, RuleDefault or
	// RuleSenderBlocked; each replaces the DefaultRules entry of its key.
	Rules map[string]Rule
	// Streams are the shop's own scopes (message streams) besides all,
	// transactional and marketing.
	Streams []string
	// Allow are addresses and domains never suppressed, from the
	// configuration (see also Store.Allow), normalised.
	Allow []string
	// Burst configures the sender-side outage detector (default 5
	// domains within 10 minutes).
	Burst Burst
	// SoftThreshold, SoftWindow and SoftExpiry, when set, are the
	// threshold, window and expiry of the RuleDefault rule (the
	// configuration's policy.soft_* keys).
	SoftThreshold int
	SoftWindow    time.Duration
	SoftExpiry    time.Duration
	// ComplaintScope, when set, is the complaint rule's scope.
	ComplaintScope string
	// IdempotencyTTL is how long an applied entry's idempotency key is
	// remembered.
	IdempotencyTTL time.Duration
}

// DefaultPolicy returns the default policy: DefaultRules, the outage
// detector at 5 domains within 10 minutes, and idempotency keys kept 30
// days.
func DefaultPolicy() Policy {
	return Policy{
		Rules:          DefaultRules(),
		Burst:          Burst{Domains: 5, Window: 10 * time.Minute},
		IdempotencyTTL: 30 * 24 * time.Hour,
	}
}

// Validate reports a policy that New would have to correct; every error
// wraps ErrInvalid and names the configuration key.
func (p Policy) Validate() error {
	var errs []error
	switch {
	case p.SoftThreshold < 0:
		errs = append(errs, fmt.Errorf("%w: policy.soft_threshold %d < 0", ErrInvalid, p.SoftThreshold))
	case p.SoftWindow < 0 || p.SoftExpiry < 0 || p.IdempotencyTTL < 0:
		errs = append(errs, fmt.Errorf("%w: negative duration in policy", ErrInvalid))
	case p.ComplaintScope != "" && !p.HasScope(p.ComplaintScope):
		errs = append(errs, fmt.Errorf("%w: policy.complaint_scope %q: want all, transactional, marketing or a stream", ErrInvalid, p.ComplaintScope))
	}
	for i, a := range p.Allow {
		if _, err := NormalizeAllowEntry(a); err != nil {
			errs = append(errs, fmt.Errorf("policy.allow[%d]: %w", i, err))
		}
	}
	errs = append(errs, p.validateRules()...)
	return errors.Join(errs...)
}

// withDefaults returns p with every zero field set from DefaultPolicy and
// the invalid rules dropped (their key's default applies).
func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	rules := DefaultRules()
	def := rules[RuleDefault]
	if p.SoftThreshold > 0 {
		def.Threshold = p.SoftThreshold
	}
	if p.SoftWindow >= dayDur {
		def.Window = p.SoftWindow
	}
	if p.SoftExpiry >= time.Millisecond {
		def.Expiry = p.SoftExpiry
	}
	rules[RuleDefault] = def
	for k, r := range p.Rules {
		one := Policy{Rules: map[string]Rule{k: r}, Streams: p.Streams}
		if len(one.validateRules()) == 0 {
			rules[k] = r
		}
	}
	// ComplaintScope sets the complaint rule's scope unless the rules name
	// one of their own (a complaint rule other than the default).
	cat := string(classify.CatComplaint)
	if own, ok := p.Rules[cat]; p.ComplaintScope != "" && p.HasScope(p.ComplaintScope) && (!ok || own == DefaultRules()[cat]) {
		c := rules[cat]
		if c.Action == ActionSuppress || c.Action == ActionCount {
			c.Scope = p.ComplaintScope
		}
		rules[cat] = c
	}
	p.Rules = rules
	var streams []string
	for _, s := range p.Streams {
		if scopeName.MatchString(s) && s != ScopeAll {
			streams = append(streams, s)
		}
	}
	p.Streams = streams
	var allow []string
	for _, a := range p.Allow {
		if n, err := NormalizeAllowEntry(a); err == nil {
			allow = append(allow, n)
		}
	}
	p.Allow = allow
	if p.Burst.Domains <= 0 {
		p.Burst.Domains = d.Burst.Domains
	}
	if p.Burst.Window < time.Second {
		p.Burst.Window = d.Burst.Window
	}
	if p.IdempotencyTTL < time.Millisecond {
		p.IdempotencyTTL = d.IdempotencyTTL
	}
	return p
}

// Entry is one recipient of a decoded, classified report, as the pipeline
// applies it.
type Entry struct {
	// IdempotencyKey identifies the entry (e.g. mailbox, UID and
	// recipient); applying the same key twice changes nothing. Required.
	IdempotencyKey string `json:"idempotency_key"`
	// Recipient is the address the report is about. Required.
	Recipient string `json:"recipient"`
	// Verdict is the recipient's outcome: the report's kind (bounce,
	// delay, delivered, complaint, auto_reply, not_bounce or unparseable),
	// the classifier's verdict and its evidence. OriginalMessageID also
	// identifies the bounce: see MessageKey. The record keeps every field
	// (outcome.Verdict.AppendFields).
	outcome.Verdict
	// MessageKey identifies the report message the entry comes from (e.g.
	// a hash of its content). An entry counts once per original message,
	// normalised recipient and effect (hard, soft, complaint, evidence):
	// the original message is OriginalMessageID when there is one, so the
	// same bounce received again (resent, re-wrapped, other Received
	// headers) and case variants of one address count once; without it,
	// MessageKey; without both, IdempotencyKey.
	MessageKey string `json:"message_key,omitempty"`
	// Source says where the report came from (e.g. a mailbox and UID).
	Source string `json:"source"`
	// At is when the bounce happened; zero means now. Soft bounces are
	// counted by this time.
	At time.Time `json:"at"`
	// Verification is the outcome of the signed-VERP check (verified,
	// unsigned, bad_signature, expired, mismatch; "" when none was made),
	// kept in the record.
	Verification string `json:"verification,omitempty"`
	// Unverified makes the entry evidence only: recorded (and counted in
	// Count) but never suppressing nor counting as a soft bounce, for a
	// bounce that failed the check while verp.require_signed is set.
	Unverified bool `json:"unverified,omitempty"`
	// Decision, when not nil, is applied instead of the policy's decision
	// for the entry: a rebuild replays the decision its event recorded, so
	// that a policy changed since does not alter what was suppressed.
	Decision *Decision `json:"decision,omitempty"`
	// Raw is the content hash of the report message in the raw store
	// (internal/rawstore), "" when it is not kept.
	Raw string `json:"raw,omitempty"`
	// Annotation, when not nil, is AnnotationOf(the entry), computed by a
	// caller that needs it too (the pipeline, for the event): Apply then
	// uses it instead of checking the address again. It is never read
	// from JSON.
	Annotation *Annotation `json:"-"`
}

// Result says what Apply did.
type Result struct {
	// Duplicate is true when the idempotency key had been applied before;
	// the other fields are then those of the first application.
	Duplicate bool `json:"duplicate"`
	// Suppressed says whether the address is suppressed after the entry.
	Suppressed bool `json:"suppressed"`
	// NewlySuppressed is true when the entry put the address in a set it was
	// not in: suppressed it, or widened a marketing suppression to all
	// mail. Making a soft suppression permanent is not new.
	NewlySuppressed bool `json:"newly_suppressed"`
	// Scope is the address's scope after the entry, or "".
	Scope string `json:"scope"`
	// Count is how many entries have been applied for the address, this one
	// included.
	Count int `json:"count"`
	// WindowCount is, for a soft bounce, how many soft bounces are in the
	// busiest span shorter than Policy.SoftWindow that includes it, itself
	// included (a late, out-of-order report counts with later ones).
	WindowCount int `json:"window_count"`
	// ExpiresAt is when a soft suppression ends; zero for a permanent one.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Repeat is true when the entry is a bounce already counted for the
	// address under another idempotency key: the same original message
	// and recipient (see Entry.MessageKey). Nothing changed; Suppressed,
	// Scope, Count and ExpiresAt are the address's current ones.
	Repeat bool `json:"repeat,omitempty"`
	// Allowlisted is true when the address or its domain is allowlisted:
	// the entry was recorded and suppressed nothing.
	Allowlisted bool `json:"allowlisted,omitempty"`
	// Outage is true when this entry made the outage detector fire: many
	// domains failed with network-class errors at once (Policy.Burst).
	// It fires once per window.
	Outage bool `json:"outage,omitempty"`

	// The fields below are not stored with the result: Apply fills them.

	// Address is the normalised address; AsWritten the entry's.
	Address   string `json:"-"`
	AsWritten string `json:"-"`
	// Decision is the policy's decision for the entry.
	Decision Decision `json:"-"`
	// Carrier is the recipient domain's carrier (addrcheck.Carrier). The
	// faults and the suggestion recorded are Annotate's.
	Carrier string `json:"-"`
}

// Scopes returns the scopes of r.Scope.
func (r Result) Scopes() []string { return splitScopes(r.Scope) }

func splitScopes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Annotate returns what the record and event of e carry about its
// address: the carrier of its domain, and for user_unknown and
// host_unknown bounces the faults addrcheck finds and the address it
// suggests.
func Annotate(e Entry) (carrier string, faults []addrcheck.Fault, suggestion string) {
	carrier, faults, suggestion = addrcheck.Annotate(strings.TrimSpace(e.Recipient))
	if e.Kind != "bounce" || (e.Category != string(classify.CatUserUnknown) && e.Category != string(classify.CatHostUnknown)) {
		return carrier, nil, ""
	}
	if len(faults) == 0 {
		faults = nil
	}
	return carrier, faults, suggestion
}

// Annotation is what Annotate returns for an entry, as one value.
type Annotation struct {
	// Carrier is the carrier of the address's domain (addrcheck.Carrier).
	Carrier string
	// Faults are the faults addrcheck found, for user_unknown and
	// host_unknown bounces; nil otherwise.
	Faults []addrcheck.Fault
	// Suggestion is the address addrcheck suggests, or "".
	Suggestion string
}

// AnnotationOf returns Annotate(e) as an Annotation.
func AnnotationOf(e Entry) Annotation {
	carrier, faults, suggestion := Annotate(e)
	return Annotation{Carrier: carrier, Faults: faults, Suggestion: suggestion}
}

// Record is what the store knows of one address.
type Record struct {
	// Address is the normalised address.
	Address string `json:"address"`
	// AsWritten is the address as the entry that last described the
	// record wrote it, before normalisation (it may differ in case).
	AsWritten string `json:"as_written,omitempty"`
	// Suppressed and Scope give the address's current suppression: Scope
	// is "all", or the scopes it is suppressed in, comma-separated.
	Suppressed bool   `json:"suppressed"`
	Scope      string `json:"scope,omitempty"`
	// Scopes lists them.
	Scopes []string `json:"scopes,omitempty"`
	// Carrier is the recipient domain's carrier (docomo, au, softbank,
	// rakuten) or "".
	Carrier string `json:"carrier,omitempty"`
	// Faults and Suggestion are what addrcheck found wrong with the address
	// and the address it suggests, recorded with user_unknown and
	// host_unknown bounces.
	Faults     []addrcheck.Fault `json:"faults,omitempty"`
	Suggestion string            `json:"suggestion,omitempty"`
	// Policy is the policy's decision for the entry that describes the
	// record, and Hint what it tells the operator.
	Policy string `json:"policy,omitempty"`
	Hint   string `json:"hint,omitempty"`
	// LastDelivered is the latest successful delivery reported (see
	// Store.Delivered).
	LastDelivered time.Time `json:"last_delivered,omitzero"`
	// The Verdict and Source come from the entry that last decided the
	// suppression, or from the last entry when the address is not
	// suppressed.
	outcome.Verdict
	Source string `json:"source,omitempty"`
	// Verification is the signed-VERP check of that entry (Entry.Verification).
	Verification string `json:"verification,omitempty"`
	// Count is how many entries have been applied for the address.
	Count int `json:"count"`
	// FirstSeen and LastSeen are the earliest and latest entry times.
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// SuppressedAt is when the current suppression began.
	SuppressedAt time.Time `json:"suppressed_at,omitzero"`
	// ExpiresAt is when a soft suppression ends; zero if permanent or none.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Complaint is true when a complaint is on record (until lifted).
	Complaint bool `json:"complaint,omitempty"`
	// LiftedAt and LiftedBy tell the last Remove.
	LiftedAt time.Time `json:"lifted_at,omitzero"`
	LiftedBy string    `json:"lifted_by,omitempty"`
	// Raw is the content hash of the report in the raw store, and Note the
	// operator's note of a suppression added by hand.
	Raw  string `json:"raw,omitempty"`
	Note string `json:"note,omitempty"`
}

// AuditEntry is one lifted suppression in the audit list.
type AuditEntry struct {
	At      time.Time `json:"at"`
	Action  string    `json:"action"`
	Address string    `json:"address"`
	Actor   string    `json:"actor"`
	Note    string    `json:"note"`
	// Scope and Reason are those of the lifted suppression.
	Scope  string `json:"scope"`
	Reason string `json:"reason"`
}

// ListOptions selects the suppressed addresses List returns.
type ListOptions struct {
	// Reason and Domain, when set, keep only addresses suppressed for that
	// reason or in that domain.
	Reason string
	Domain string
	// Since (inclusive) and Until (exclusive), when set, bound the
	// suppression time.
	Since time.Time
	Until time.Time
	// Limit is the page size: 100 when zero, at most 1000.
	Limit int
	// Offset is how many matching addresses to skip.
	Offset int
}

// Store is the suppression store. It is safe for concurrent use.
type Store struct {
	c      redis.UniversalClient
	prefix string
	policy Policy
	log    *slog.Logger
	// now returns the current time; tests replace it.
	now func() time.Time
	// requireEpoch makes Apply refuse while the store has no epoch; see
	// CheckEpoch.
	requireEpoch atomic.Bool
	// scopesArg and allowArg are the scripts' arguments for the scopes
	// but all and for the configured allowlist; maxWindow is the longest
	// count window.
	scopesArg string
	allowArg  string
	maxWindow time.Duration
	// fixed are the keys of the apply script that name no address.
	fixed fixedKeys
	// addrIndexed is set once the address index is known to be built
	// (query.go).
	addrIndexed atomic.Bool
	// waitReplicas replicas must acknowledge every write within
	// waitTimeout (replicas.go); 0 does not wait.
	waitReplicas int
	waitTimeout  time.Duration
	replicas     replicaCounts
}

// New returns a store on c with keys under prefix (DefaultPrefix when "").
// Zero fields of p are taken from DefaultPolicy, and so are invalid ones,
// with a warning (see Policy.Validate). A nil log discards.
func New(c redis.UniversalClient, prefix string, p Policy, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if err := p.Validate(); err != nil {
		log.Warn("suppress: policy corrected from defaults", "error", err)
	}
	if !strings.Contains(prefix, "{") {
		log.Debug("suppress: key prefix has no hash tag, the store will not work on Redis Cluster", "prefix", prefix)
	}
	st := &Store{c: c, prefix: prefix, policy: p.withDefaults(), log: log, now: time.Now}
	st.scopesArg = strings.Join(st.policy.Scopes()[1:], ",")
	st.allowArg = "\n" + strings.Join(st.policy.Allow, "\n") + "\n"
	for _, r := range st.policy.Rules {
		st.maxWindow = max(st.maxWindow, r.Window)
	}
	st.fixed = fixedKeys{
		suppressed: st.key("suppressed"), expiry: st.key("expiry"), idxTime: st.key("idx", "time"),
		epoch: st.key("epoch"), allowAddress: st.key("allow", "address"), allowDomain: st.key("allow", "domain"),
		outage: st.key("outage"), outageAlert: st.key("outage", "alert"), fenceNone: st.key("fence", "none"),
	}
	return st
}

// fixedKeys are keys of the store made once, in New: the apply script's
// that name no address, and the key of no fence.
type fixedKeys struct {
	suppressed, expiry, idxTime, epoch, allowAddress, allowDomain, outage, outageAlert, fenceNone string
}

// Policy returns the policy in effect.
func (s *Store) Policy() Policy { return s.policy }

func (s *Store) key(parts ...string) string {
	if len(parts) == 0 {
		return s.prefix + ":"
	}
	n := len(s.prefix) + len(parts)
	for _, p := range parts {
		n += len(p)
	}
	var b strings.Builder // one allocation, where a Join and a concatenation made two
	b.Grow(n)
	b.WriteString(s.prefix)
	for _, p := range parts {
		b.WriteByte(':')
		b.WriteString(p)
	}
	return b.String()
}

// NormalizeAddress returns the form of addr the store keys on: the
// decoder's normalised address (internal/smtp.Key: trimmed of spaces and
// angle brackets, domain and local part lower-cased), so the store accepts
// exactly the addresses the decoder reports. It fails with ErrInvalid for a
// string that is not local@domain, holds a control character or is too long.
func NormalizeAddress(addr string) (string, error) {
	a, err := smtp.Key(addr)
	if err != nil {
		return "", fmt.Errorf("%w: address %q: %w", ErrInvalid, addr, err)
	}
	return a, nil
}

func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v string) time.Time {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || v == "" {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

// Apply records e and suppresses its recipient as the policy says, in one
// atomic script. Applying an idempotency key again returns the first result
// with Duplicate set and changes nothing; an entry for a bounce already
// counted (see Entry.MessageKey) returns with Repeat set and changes
// nothing. Once CheckEpoch has been called, Apply fails with an error
// wrapping ErrNoEpoch while the store has no epoch (Redis lost its data).
// Under a stale fence (see WithFence) it fails with ErrStaleFence and
// changes nothing.
func (s *Store) Apply(ctx context.Context, e Entry) (Result, error) {
	return s.apply(ctx, e, s.now(), s.requireEpoch.Load())
}

// seenKey identifies what e asserts of addr: its effect on the address,
// for one original message. See Entry.MessageKey.
func seenKey(e Entry, addr, act, idem string) string {
	src := "idem\x00" + idem
	if id := strings.TrimSpace(strings.Trim(strings.TrimSpace(e.OriginalMessageID), "<>")); id != "" {
		// Events carry at most the first 1,010 bytes of a Message-ID
		// (publisher.MaxShortFieldLen with its marker): key on fewer, so
		// that a rebuild from the events gives the same key.
		src = "mid\x00" + id[:min(len(id), 900)]
	} else if k := strings.TrimSpace(e.MessageKey); k != "" {
		src = "msg\x00" + k
	}
	sum := sha256.Sum256([]byte(src + "\x00" + addr + "\x00" + act))
	return hex.EncodeToString(sum[:16])
}

// effect names what a decision does to the address, for seenKey: the
// same bounce counts once per effect (hard, soft, complaint, evidence, as
// before the policy had rules, so that keys stay those of older stores).
func effect(e Entry, d Decision) string {
	switch {
	case d.Action == ActionEvidence || d.Action == string(ActionNotify) || d.Action == string(ActionIgnore):
		return "evidence"
	case e.Kind == "complaint":
		return "complaint"
	case d.Action == string(ActionSuppress) && d.Expiry == 0 && d.Scope == ScopeAll:
		return "hard"
	}
	return "soft"
}

func validKind(k string) bool {
	switch k {
	case "bounce", "complaint", "delay", "delivered", "auto_reply", "not_bounce", "unparseable":
		return true
	}
	return false
}

func (s *Store) apply(ctx context.Context, e Entry, now time.Time, needEpoch bool) (Result, error) {
	addr, err := NormalizeAddress(e.Recipient)
	if err != nil {
		return Result{}, err
	}
	idem := strings.TrimSpace(e.IdempotencyKey)
	if idem == "" {
		return Result{}, fmt.Errorf("%w: empty idempotency key", ErrInvalid)
	}
	if !validKind(e.Kind) {
		return Result{}, fmt.Errorf("%w: kind %q", ErrInvalid, e.Kind)
	}
	p := s.policy
	d := p.Decide(e)
	if e.Decision != nil {
		if err := e.Decision.valid(); err != nil {
			return Result{}, err
		}
		d = *e.Decision
	}
	at := e.At
	if at.IsZero() {
		at = now
	}
	requireEpoch := "0"
	if needEpoch {
		requireEpoch = "1"
	}
	scope := d.Scope
	if scope == "" {
		scope = ScopeAll
	}
	outage := "0"
	if d.Outage {
		outage = "1"
	}
	// The caller's annotation when it gave one: the same checks, once.
	var carrier, suggestion string
	var faults []addrcheck.Fault
	if a := e.Annotation; a != nil {
		carrier, faults, suggestion = a.Carrier, a.Faults, a.Suggestion
	} else {
		carrier, faults, suggestion = Annotate(e)
	}
	faultJSON := ""
	if len(faults) > 0 {
		b, _ := json.Marshal(faults)
		faultJSON = string(b)
	}
	policy, _ := json.Marshal(d)
	dom := domainOf(addr)
	k := &s.fixed
	keys := make([]string, 0, 15) // and the fence
	keys = append(keys,
		s.key("idem", idem),
		s.key("addr", addr),
		s.key("soft", addr),
		k.suppressed,
		k.expiry,
		k.idxTime,
		s.key("idx", "reason", e.Reason),
		s.key("idx", "domain", dom),
		s.key("seen", seenKey(e, addr, effect(e, d), idem)),
		k.epoch,
		k.allowAddress,
		k.allowDomain,
		k.outage,
		k.outageAlert,
	)
	seenTTL := max(p.IdempotencyTTL, 2*d.Window, 2*s.maxWindow)
	args := []any{
		s.prefix, ms(now), lazySweepLimit, addr, d.Action, ms(at),
		d.Threshold, d.Window.Milliseconds(), d.Expiry.Milliseconds(),
		scope, p.IdempotencyTTL.Milliseconds(), idem,
		e.Reason, e.Category, requireEpoch, seenTTL.Milliseconds(),
		d.Rule, d.Reprobe.Milliseconds(), s.scopesArg, outage,
		p.Burst.Domains, p.Burst.Window.Milliseconds(), dom, s.allowArg, e.Kind,
		"source", e.Source,
		"verification", e.Verification,
		"as_written", strings.TrimSpace(e.Recipient),
		"carrier", carrier,
		"faults", faultJSON,
		"suggestion", suggestion,
		"policy", string(policy),
		"hint", d.Hint,
	}
	// Every field of the outcome, from the one table of them.
	args = e.Verdict.AppendFields(args)
	args = append(args, historyArgs(e, carrier, idem, at)...) // history.go
	// The fence goes last: the script's prelude takes it off (fence.go).
	keys, args = s.fenced(ctx, keys, args)
	v, err := s.runWrite(ctx, applyScript, keys, args...).Slice()
	if ferr := fenceError("apply "+addr, err); ferr != nil {
		return Result{}, ferr
	}
	if err != nil {
		if redis.HasErrorPrefix(err, noEpochReply) {
			return Result{}, fmt.Errorf("suppress: apply %s: %w", addr, ErrNoEpoch)
		}
		return Result{}, fmt.Errorf("suppress: apply %s: %w", addr, err)
	}
	if len(v) != 2 {
		return Result{}, fmt.Errorf("suppress: apply %s: unexpected script reply %v", addr, v)
	}
	js, _ := v[1].(string)
	var r Result
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		return Result{}, fmt.Errorf("suppress: apply %s: decode result: %w", addr, err)
	}
	r.Duplicate = v[0] == int64(1)
	r.Address, r.AsWritten, r.Decision, r.Carrier = addr, strings.TrimSpace(e.Recipient), d, carrier
	// The attributes are made only for a line that will be written.
	if s.log.Enabled(ctx, slog.LevelDebug) || r.NewlySuppressed && !r.Duplicate && !r.Repeat && s.log.Enabled(ctx, slog.LevelInfo) {
		s.logApplied(ctx, e, r, addr, idem, d)
	}
	if r.Outage {
		s.log.WarnContext(ctx, "suppress: sender-side outage: many domains fail with network errors at once",
			"domains", p.Burst.Domains, "window", p.Burst.Window)
	}
	return r, nil
}

// logApplied logs what apply did: one line, at debug level but for a new
// suppression (info).
func (s *Store) logApplied(ctx context.Context, e Entry, r Result, addr, idem string, d Decision) {
	attrs := []any{"address", addr, "kind", e.Kind, "reason", e.Reason, "rule", e.Rule,
		"policy", d.Rule, "action", d.Action, "scope", r.Scope, "count", r.Count}
	switch {
	case r.Duplicate:
		s.log.DebugContext(ctx, "suppress: duplicate entry", append(attrs, "idempotency_key", idem)...)
	case r.Repeat:
		s.log.DebugContext(ctx, "suppress: bounce already counted", append(attrs, "idempotency_key", idem)...)
	case r.NewlySuppressed:
		if !r.ExpiresAt.IsZero() {
			attrs = append(attrs, "expires_at", r.ExpiresAt)
		}
		s.log.InfoContext(ctx, "suppress: address suppressed", attrs...)
	default:
		s.log.DebugContext(ctx, "suppress: entry recorded", attrs...)
	}
}

// lazySweep lifts a few expired soft suppressions before a read.
func (s *Store) lazySweep(ctx context.Context) error {
	err := sweepScript.Run(ctx, s.c, []string{s.key("expiry")}, s.prefix, ms(s.now()), lazySweepLimit, s.scopesArg).Err()
	if err != nil {
		return fmt.Errorf("suppress: sweep: %w", err)
	}
	return nil
}

// Sweep lifts every soft suppression whose expiry has passed and returns how
// many it lifted. See the package documentation.
func (s *Store) Sweep(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := sweepScript.Run(ctx, s.c, []string{s.key("expiry")}, s.prefix, ms(s.now()), sweepBatch, s.scopesArg).Int()
		if err != nil {
			return total, fmt.Errorf("suppress: sweep: %w", err)
		}
		total += n
		if n < sweepBatch {
			break
		}
		if err := ctx.Err(); err != nil {
			return total, fmt.Errorf("suppress: sweep: %w", err)
		}
	}
	if total > 0 {
		s.log.InfoContext(ctx, "suppress: expired soft suppressions lifted", "count", total)
	}
	return total, nil
}

// Get returns the record of addr, or ErrNotFound.
func (s *Store) Get(ctx context.Context, addr string) (*Record, error) {
	a, err := NormalizeAddress(addr)
	if err != nil {
		return nil, err
	}
	if err := s.lazySweep(ctx); err != nil {
		return nil, err
	}
	m, err := s.c.HGetAll(ctx, s.key("addr", a)).Result()
	if err != nil {
		return nil, fmt.Errorf("suppress: get %s: %w", a, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, a)
	}
	return recordOf(a, m), nil
}

func recordOf(addr string, m map[string]string) *Record {
	count, _ := strconv.Atoi(m["count"])
	var faults []addrcheck.Fault
	if f := m["faults"]; f != "" {
		json.Unmarshal([]byte(f), &faults)
	}
	var policy Decision
	if p := m["policy"]; p != "" {
		json.Unmarshal([]byte(p), &policy)
	}
	return &Record{
		Address:       addr,
		AsWritten:     m["as_written"],
		Suppressed:    m["scope"] != "",
		Scope:         m["scope"],
		Scopes:        splitScopes(m["scope"]),
		Carrier:       m["carrier"],
		Faults:        faults,
		Suggestion:    m["suggestion"],
		Policy:        policy.Rule,
		Hint:          m["hint"],
		LastDelivered: fromMS(m["last_delivered"]),
		Verdict:       outcome.FromFields(m),
		Source:        m["source"],
		Verification:  m["verification"],
		Count:         count,
		FirstSeen:     fromMS(m["first_seen"]),
		LastSeen:      fromMS(m["last_seen"]),
		SuppressedAt:  fromMS(m["suppressed_at"]),
		ExpiresAt:     fromMS(m["expires_at"]),
		Complaint:     m["marketing"] == "1",
		LiftedAt:      fromMS(m["lifted_at"]),
		LiftedBy:      m["lifted_by"],
		Raw:           m["raw"],
		Note:          m["note"],
	}
}

// IsSuppressed reports whether mail of the given scope must not be sent to
// addr. It answers with one SISMEMBER of the scope's set, as a sender
// checking Redis directly does: P:suppressed for "all" (or ""), which
// holds the addresses suppressed for every mail, and
// P:suppressed:<scope> for any other scope of the policy, which holds
// those too. It fails with ErrInvalid for a scope the policy does not
// know.
func (s *Store) IsSuppressed(ctx context.Context, addr, scope string) (bool, error) {
	if scope == "" {
		scope = ScopeAll
	}
	if !s.policy.HasScope(scope) {
		return false, fmt.Errorf("%w: scope %q: want one of %s", ErrInvalid, scope, strings.Join(s.policy.Scopes(), ", "))
	}
	a, err := NormalizeAddress(addr)
	if err != nil {
		return false, err
	}
	keys := []string{s.ScopeKey(scope), s.key("expiry")}
	n, err := isSuppressedScript.Run(ctx, s.c, keys, s.prefix, ms(s.now()), lazySweepLimit, a, s.scopesArg).Int()
	if err != nil {
		return false, fmt.Errorf("suppress: check %s: %w", a, err)
	}
	return n == 1, nil
}

// ScopeKey returns the Redis key of the set that holds the addresses
// suppressed for scope: P:suppressed for all, P:suppressed:<scope>
// otherwise.
func (s *Store) ScopeKey(scope string) string {
	if scope == ScopeAll || scope == "" {
		return s.key("suppressed")
	}
	return s.key("suppressed", scope)
}

// SyncScopes adds every address suppressed for all mail to the set of
// every scope of the policy: run at start, so that a stream added to the
// configuration (or a store written before scopes) answers SISMEMBER
// right at once.
func (s *Store) SyncScopes(ctx context.Context) error {
	for _, sc := range s.policy.Scopes()[1:] {
		k := s.ScopeKey(sc)
		if err := s.c.SUnionStore(ctx, k, k, s.key("suppressed")).Err(); err != nil {
			return fmt.Errorf("suppress: sync scope %s: %w", sc, err)
		}
	}
	return nil
}

// Remove lifts any suppression of addr: it leaves the sets and indexes, its
// soft-bounce window and complaint are forgotten, and an entry naming actor
// and note goes to the audit list. The record stays, marked lifted. It
// reports whether there was a suppression to lift.
func (s *Store) Remove(ctx context.Context, addr, actor, note string) (bool, error) {
	return s.remove(ctx, addr, actor, note, s.now(), true)
}

func (s *Store) remove(ctx context.Context, addr, actor, note string, now time.Time, outbox bool) (bool, error) {
	a, err := NormalizeAddress(addr)
	if err != nil {
		return false, err
	}
	// To the millisecond, as the outbox and so the event carry it: a
	// rebuild from the events gives the same audit entry.
	now = time.UnixMilli(now.UnixMilli()).UTC()
	keys := []string{
		s.key("addr", a), s.key("soft", a), s.key("suppressed"), s.key("suppressed", "marketing"),
		s.key("expiry"), s.key("idx", "time"), s.key("audit"), s.key("outbox"),
	}
	queue := "0"
	if outbox {
		queue = "1"
	}
	n, err := s.runWrite(ctx, removeScript, keys, s.prefix, ms(now), lazySweepLimit, a, actor, note,
		now.Format(time.RFC3339Nano), AuditLength, queue, s.scopesArg).Int()
	if err != nil {
		return false, fmt.Errorf("suppress: remove %s: %w", a, err)
	}
	if n == 1 {
		s.log.InfoContext(ctx, "suppress: suppression lifted", "address", a, "actor", actor)
	}
	return n == 1, nil
}

// Lifted is a suppression lifted by Remove, waiting in the outbox until its
// suppression.removed event is published.
type Lifted struct {
	// At is when it was lifted; Actor and Note are Remove's.
	At           time.Time
	Address      string
	Actor, Note  string
	Scope        string // the scope lifted: all or marketing
	Kind, Reason string
	Category     string
	Hard         bool
	Count        int

	raw string // the outbox entry, for Published
}

// ID is an identifier of the lift, stable across reads of the outbox: use
// it as the event's ID, so that publishing twice is deduplicated.
func (l Lifted) ID() string {
	return "removed:" + l.Address + ":" + strconv.FormatInt(l.At.UnixMilli(), 10)
}

// Outbox returns the oldest lifted suppressions (at most limit) whose
// event is not yet published. Remove queues them in the same script that
// lifts, so that a lift is published even when NATS is down at the time,
// or when it was made by a program that does not publish (the CLI).
func (s *Store) Outbox(ctx context.Context, limit int) ([]Lifted, error) {
	vs, err := s.c.LRange(ctx, s.key("outbox"), 0, int64(limit)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("suppress: outbox: %w", err)
	}
	out := make([]Lifted, 0, len(vs))
	for _, v := range vs {
		var e struct {
			AtMS                                string `json:"at_ms"`
			Address, Actor, Note, Scope, Reason string
			Kind, Category, Hard, Count         string
		}
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			return nil, fmt.Errorf("suppress: outbox: decode %q: %w", v, err)
		}
		ms, _ := strconv.ParseInt(e.AtMS, 10, 64)
		count, _ := strconv.Atoi(e.Count)
		out = append(out, Lifted{
			At: time.UnixMilli(ms).UTC(), Address: e.Address, Actor: e.Actor, Note: e.Note, Scope: e.Scope,
			Kind: e.Kind, Reason: e.Reason, Category: e.Category, Hard: e.Hard == "1", Count: count, raw: v,
		})
	}
	return out, nil
}

// Published takes l out of the outbox once its event is published.
func (s *Store) Published(ctx context.Context, l Lifted) error {
	if err := s.c.LRem(ctx, s.key("outbox"), 1, l.raw).Err(); err != nil {
		return fmt.Errorf("suppress: outbox: %w", err)
	}
	return nil
}

// Audit returns the newest limit entries of the audit list (all when limit
// is zero or less).
func (s *Store) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	vs, err := s.c.LRange(ctx, s.key("audit"), 0, int64(limit)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("suppress: audit: %w", err)
	}
	out := make([]AuditEntry, 0, len(vs))
	for _, v := range vs {
		var e AuditEntry
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			return nil, fmt.Errorf("suppress: audit: decode %q: %w", v, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// List returns a page of suppressed addresses matching o, newest
// suppression first, and how many match in all. With both Reason and
// Domain, it scans the reason's index.
func (s *Store) List(ctx context.Context, o ListOptions) ([]Record, int, error) {
	limit := o.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	offset := max(o.Offset, 0)
	domain := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(o.Domain), "@"))
	reason := strings.TrimSpace(o.Reason)
	lo, hi := "-inf", "+inf"
	if !o.Since.IsZero() {
		lo = strconv.FormatInt(ms(o.Since), 10)
	}
	if !o.Until.IsZero() {
		hi = "(" + strconv.FormatInt(ms(o.Until), 10)
	}
	key := s.key("idx", "time")
	switch {
	case reason != "":
		key = s.key("idx", "reason", reason)
	case domain != "":
		key = s.key("idx", "domain", domain)
	}

	if err := s.lazySweep(ctx); err != nil {
		return nil, 0, err
	}
	var page []string
	var total int
	if reason != "" && domain != "" {
		var matched []string
		for off := int64(0); ; off += sweepBatch {
			batch, err := s.c.ZRevRangeByScore(ctx, key, &redis.ZRangeBy{Min: lo, Max: hi, Offset: off, Count: sweepBatch}).Result()
			if err != nil {
				return nil, 0, fmt.Errorf("suppress: list: %w", err)
			}
			for _, m := range batch {
				if domainOf(m) == domain {
					matched = append(matched, m)
				}
			}
			if len(batch) < sweepBatch {
				break
			}
		}
		total = len(matched)
		if offset < len(matched) {
			page = matched[offset:min(offset+limit, len(matched))]
		}
	} else {
		pipe := s.c.Pipeline()
		cnt := pipe.ZCount(ctx, key, lo, hi)
		rng := pipe.ZRevRangeByScore(ctx, key, &redis.ZRangeBy{Min: lo, Max: hi, Offset: int64(offset), Count: int64(limit)})
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, 0, fmt.Errorf("suppress: list: %w", err)
		}
		total, page = int(cnt.Val()), rng.Val()
	}
	if len(page) == 0 {
		return []Record{}, total, nil
	}
	pipe := s.c.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(page))
	for i, a := range page {
		cmds[i] = pipe.HGetAll(ctx, s.key("addr", a))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, 0, fmt.Errorf("suppress: list: %w", err)
	}
	out := make([]Record, 0, len(page))
	for i, a := range page {
		if m := cmds[i].Val(); len(m) > 0 {
			out = append(out, *recordOf(a, m))
		}
	}
	return out, total, nil
}

// Count returns how many addresses are suppressed, in any scope.
func (s *Store) Count(ctx context.Context) (int64, error) {
	if err := s.lazySweep(ctx); err != nil {
		return 0, err
	}
	n, err := s.c.ZCard(ctx, s.key("idx", "time")).Result()
	if err != nil {
		return 0, fmt.Errorf("suppress: count: %w", err)
	}
	return n, nil
}

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("suppress: ping: %w", err)
	}
	return nil
}
