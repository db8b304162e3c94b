package publisher

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/outcome"
)

// SchemaVersion is the version of the Event JSON schema this package
// writes, carried in every event's "schema" field. It changes only when a
// field is removed or changes meaning; adding a field does not change it.
const SchemaVersion = 1

// EventType says what happened; it is the event's "type" field and picks
// its subject.
type EventType string

// The event types.
const (
	// TypeBounce is a failed delivery to one recipient (a DSN or a
	// bounce text), hard or soft.
	TypeBounce EventType = "bounce"
	// TypeComplaint is a recipient's spam complaint (an ARF feedback
	// report, RFC 5965).
	TypeComplaint EventType = "complaint"
	// TypeDelay is a delivery the remote MTA is still retrying (a DSN with
	// Action: delayed, RFC 3464 section 2.3.3).
	TypeDelay EventType = "delay"
	// TypeSuppressionAdded is sent when an address enters the suppression
	// list, or widens its scope, after the event that caused it.
	TypeSuppressionAdded EventType = "suppression.added"
	// TypeSuppressionRemoved is sent when a suppression is lifted; Actor
	// and Note say who and why.
	TypeSuppressionRemoved EventType = "suppression.removed"
	// TypeUnparseable is a message no decoder could read; it was
	// quarantined, and Error says why.
	TypeUnparseable EventType = "unparseable"
	// TypeSenderAlert says the cause of a bounce is on the sending side
	// (Alert sender_refusal: a blocklisted IP, SPF/DKIM/DMARC, PTR, rate,
	// reputation), or that the sending host reaches no one (Alert outage:
	// many domains failing with network errors at once). It suppresses
	// nobody.
	TypeSenderAlert EventType = "sender.alert"
)

// Alerts of a sender.alert event.
const (
	AlertSenderRefusal = "sender_refusal"
	AlertOutage        = "outage"
)

// Policy is the suppression policy's decision for the recipient of an
// event (internal/suppress.Decision): the rule that decided and what it
// does. A rebuild replays it as recorded.
type Policy struct {
	// Rule is the policy key that decided: a reason, a category, default
	// or sender_blocked.
	Rule string `json:"rule,omitempty"`
	// Action is suppress, count, notify, ignore or evidence.
	Action string `json:"action"`
	// Scope is the scope the rule suppresses.
	Scope string `json:"scope,omitempty"`
	// Threshold (distinct days) and Window are a count rule's.
	Threshold int    `json:"threshold,omitempty"`
	Window    string `json:"window,omitempty"`
	// Expiry is how long the suppression lasts ("" for good); Reprobe the
	// re-probe time after it.
	Expiry  string `json:"expiry,omitempty"`
	Reprobe string `json:"reprobe,omitempty"`
	// SenderAlert, Outage and LowConfidence are the decision's.
	SenderAlert   bool `json:"sender_alert,omitempty"`
	Outage        bool `json:"outage,omitempty"`
	LowConfidence bool `json:"low_confidence,omitempty"`
}

// AddressFault is a fault found in the recipient's address (package
// addrcheck): a code and what to do about it.
type AddressFault struct {
	Code      string `json:"code"`
	Message   string `json:"message,omitempty"`
	MessageJA string `json:"message_ja,omitempty"`
}

// Known reports whether t is one of the event types above.
func (t EventType) Known() bool {
	switch t {
	case TypeBounce, TypeComplaint, TypeDelay, TypeSuppressionAdded, TypeSuppressionRemoved, TypeUnparseable,
		TypeSenderAlert:
		return true
	}
	return false
}

// ErrInvalidEvent is wrapped by the errors Validate and Publish return for
// an event that cannot be published: retrying it will not help.
var ErrInvalidEvent = errors.New("publisher: invalid event")

// Event is one JSON event, about one recipient of one message (or about one
// message, for unparseable). docs/events.md describes every field.
//
// Recipient, reason, category, hard and suppressed are always in the JSON,
// empty when they do not apply; the other optional fields are left out when
// empty. Times are written in UTC, RFC 3339.
type Event struct {
	// Schema is the schema version, SchemaVersion; Publish sets it when 0.
	Schema int `json:"schema"`
	// ID is the idempotency key: the same fact always has the same ID. It
	// is also the Nats-Msg-Id, so JetStream drops a second publish of it
	// within the stream's duplicate window.
	ID string `json:"id"`
	// Type says what happened, and picks the subject.
	Type EventType `json:"type"`
	// Time is when the message was received (or the suppression changed).
	Time time.Time `json:"time"`

	// Recipient is the address that bounced or complained, normalised
	// (lower-cased) as the suppression sets hold it.
	Recipient string `json:"recipient"`
	// RecipientAsWritten is the address as the report wrote it, when it
	// differs from Recipient.
	RecipientAsWritten string `json:"recipient_as_written,omitempty"`
	// Verdict is the recipient's outcome, its fields written flat:
	// kind (the decoder's kind of the report: bounce, delay, complaint,
	// unparseable...), reason, category, hard, status, reply_code,
	// diagnostic, remote_mta, reporting_mta, format, rule, confidence,
	// rule_source, original_message_id and original_subject (see
	// outcome.Verdict).
	outcome.Verdict

	// OriginalFrom is the From of the message that bounced.
	OriginalFrom string `json:"original_from,omitempty"`
	// Headers are the configured headers of the message that bounced
	// (e.g. X-Customer-ID), by name as configured.
	Headers map[string]string `json:"headers,omitempty"`

	// Suppressed says whether the recipient is suppressed after this event.
	Suppressed bool `json:"suppressed"`
	// Scope is what the suppression covers: "all" or "marketing".
	Scope string `json:"scope,omitempty"`
	// Count is how many events the suppression store has seen for the
	// recipient, this one included.
	Count int `json:"count,omitempty"`
	// ExpiresAt is when a soft suppression ends; nil when permanent or not
	// suppressed.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`

	// Scopes lists the scopes the recipient is suppressed in.
	Scopes []string `json:"scopes,omitempty"`
	// Policy is the suppression policy's decision for this event.
	Policy *Policy `json:"policy,omitempty"`
	// Hint tells the operator what to do (e.g. "reduce the size").
	Hint string `json:"hint,omitempty"`
	// Allowlisted is true when the recipient or its domain is
	// allowlisted: recorded, never suppressed.
	Allowlisted bool `json:"allowlisted,omitempty"`
	// Carrier is the recipient domain's carrier (docomo, au, softbank,
	// rakuten) or empty.
	Carrier string `json:"carrier,omitempty"`
	// Faults and Suggestion are what is wrong with the recipient's
	// address and the address suggested instead (user_unknown and
	// host_unknown bounces).
	Faults     []AddressFault `json:"faults,omitempty"`
	Suggestion string         `json:"suggestion,omitempty"`
	// Alert is the kind of a sender.alert: sender_refusal or outage.
	Alert string `json:"alert,omitempty"`

	// Mailbox is the name of the mailbox the message came from.
	Mailbox string `json:"mailbox,omitempty"`
	// Source locates the message, e.g.
	// imap://mail.example/INBOX;UIDVALIDITY=1;UID=5.
	Source string `json:"source,omitempty"`
	// Error says why an unparseable message could not be read.
	Error string `json:"error,omitempty"`
	// Actor is who lifted a suppression (suppression.removed).
	Actor string `json:"actor,omitempty"`
	// Note is the actor's reason for lifting it (suppression.removed).
	Note string `json:"note,omitempty"`
	// Verification is the signed-VERP check of the recipient (package
	// verp, docs/verp.md): verified, unsigned, bad_signature, expired or
	// mismatch; empty when no VERP secret is configured.
	Verification string `json:"verification,omitempty"`
	// Unverified is true when that check failed while verp.require_signed
	// is set: the bounce was recorded but suppressed nobody.
	Unverified bool `json:"unverified,omitempty"`
	// Raw is the SHA-256 (hex) of the report message in the daemon's raw
	// store, served at /api/v1/bounces/{raw}/raw while it is kept.
	Raw string `json:"raw,omitempty"`
}

// MarshalJSON writes e with its times in UTC.
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(e.plain())
}

// plainEvent is Event without methods, so that marshalling it does not
// recurse into MarshalJSON.
type plainEvent Event

func (e Event) plain() plainEvent {
	p := plainEvent(e)
	p.Time = p.Time.UTC()
	if p.ExpiresAt != nil {
		t := p.ExpiresAt.UTC()
		p.ExpiresAt = &t
	}
	return p
}

// Marshal returns the JSON body Publish sends for ev: MarshalJSON's, but
// with '<', '>' and '&' written as they are rather than as \u003c...
// escapes, as addresses like "Shop <orders@shop.example>" are common.
func Marshal(ev Event) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev.plain()); err != nil {
		return nil, fmt.Errorf("publisher: marshal event %s: %w", ev.ID, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Validate returns an error wrapping ErrInvalidEvent when e lacks what
// every consumer relies on: a known schema and type, an ID (one line) and a
// time, and a recipient for every type but unparseable.
func (e *Event) Validate() error {
	switch {
	case e.Schema != SchemaVersion:
		return fmt.Errorf("%w: schema %d, want %d", ErrInvalidEvent, e.Schema, SchemaVersion)
	case e.ID == "":
		return fmt.Errorf("%w: no id", ErrInvalidEvent)
	case strings.ContainsAny(e.ID, "\r\n\x00"):
		// It is sent as the Nats-Msg-Id header.
		return fmt.Errorf("%w: id %q has a line break or NUL", ErrInvalidEvent, e.ID)
	case !e.Type.Known():
		return fmt.Errorf("%w: unknown type %q", ErrInvalidEvent, e.Type)
	case e.Time.IsZero():
		return fmt.Errorf("%w: %s: no time", ErrInvalidEvent, e.ID)
	case e.Recipient == "" && e.Type != TypeUnparseable:
		return fmt.Errorf("%w: %s: %s event without recipient", ErrInvalidEvent, e.ID, e.Type)
	}
	return nil
}

// DefaultSubjectPrefix is the subject prefix used when none is given.
const DefaultSubjectPrefix = "bounced"

// Subject returns the subject e is published on under prefix
// (DefaultSubjectPrefix when empty):
//
//	<prefix>.bounce.<category>.<reason>
//	<prefix>.delay.<category>.<reason>
//	<prefix>.complaint
//	<prefix>.suppression.added
//	<prefix>.suppression.removed
//	<prefix>.unparseable
//	<prefix>.sender.alert
//
// Category and reason are sanitised into single tokens (see SubjectToken);
// an empty one becomes "undefined". An unknown type gives
// <prefix>.<type as a token>.
func (e *Event) Subject(prefix string) string {
	p := SubjectPrefix(prefix)
	switch e.Type {
	case TypeBounce, TypeDelay:
		return p + "." + string(e.Type) + "." + token(e.Category) + "." + token(e.Reason)
	case TypeComplaint, TypeSuppressionAdded, TypeSuppressionRemoved, TypeUnparseable, TypeSenderAlert:
		return p + "." + string(e.Type)
	}
	return p + "." + token(string(e.Type))
}

// SubjectPrefix returns prefix cleaned for use as a subject prefix: each
// dot-separated token sanitised with SubjectToken, empty tokens dropped,
// and DefaultSubjectPrefix when nothing is left.
func SubjectPrefix(prefix string) string {
	var toks []string
	for _, t := range strings.Split(prefix, ".") {
		if t = SubjectToken(t); t != "" {
			toks = append(toks, t)
		}
	}
	if len(toks) == 0 {
		return DefaultSubjectPrefix
	}
	return strings.Join(toks, ".")
}

// SubjectToken returns s as one NATS subject token: lower case, with every
// rune but ASCII letters, digits, '_' and '-' (dots, spaces, the wildcards
// '*' and '>', control and non-ASCII characters) replaced by '_'. Leading
// and trailing spaces are dropped first; "" stays "".
func SubjectToken(s string) string {
	s = strings.TrimSpace(s)
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		default:
			b = append(b, '_')
		}
	}
	return string(b)
}

// token is SubjectToken with "undefined" for an empty token.
func token(s string) string {
	if t := SubjectToken(s); t != "" {
		return t
	}
	return "undefined"
}
