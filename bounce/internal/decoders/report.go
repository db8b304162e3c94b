package decoders

import (
	"strings"
	"sync"
	"time"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Kind says what a decoded message is.
type Kind string

// The kinds of message Decode recognises.
const (
	KindBounce      Kind = "bounce"      // at least one recipient failed permanently or the report says failed
	KindDelay       Kind = "delay"       // delivery is delayed, the MTA keeps trying
	KindDelivered   Kind = "delivered"   // a positive delivery (or relay) report
	KindComplaint   Kind = "complaint"   // an ARF abuse/feedback report
	KindAutoReply   Kind = "auto_reply"  // vacation, out-of-office and other RFC 3834 replies
	KindNotBounce   Kind = "not_bounce"  // ordinary mail
	KindUnparseable Kind = "unparseable" // input that could not be read as a message
)

// Report is what Decode learned from one message.
type Report struct {
	// Kind is the message's kind. A report whose Recipients disagree in
	// kind (one failed, one delayed) takes the kind of the most severe.
	Kind Kind
	// Format names the decoder that read the message: rfc3464, arf,
	// postfix, exim, qmail, ...
	Format string
	// Recipients lists the recipients the report is about, in the order
	// the message lists them.
	Recipients []Recipient
	// Original describes the message that bounced, when the bounce carries it.
	Original Original
	// ReportingMTA is the host that wrote the report, when known.
	ReportingMTA string
	// AutoReplyFrom is the address that sent an auto-reply (KindAutoReply);
	// for a challenge-response request, the person whose mailbox it
	// guards, not the challenge system's own address.
	AutoReplyFrom string
	// Subject is the subject of the bounce message itself.
	Subject string
	// MessageID is the Message-ID of the bounce message itself.
	MessageID string
	// Date is the Date header of the bounce message, zero when absent.
	Date time.Time
}

// Recipient is one recipient a report is about.
type Recipient struct {
	// Address is the recipient, local@domain with the domain lower-cased.
	Address string
	// OriginalRecipient is the address as the sender wrote it, when the
	// report gives it (RFC 3464 Original-Recipient) and it differs.
	OriginalRecipient string
	// Action is failed, delayed, delivered, relayed, expanded, or "".
	Action string
	// Status is the RFC 3463 enhanced status code, e.g. "5.1.1", or "".
	Status string
	// ReplyCode is the SMTP reply code, e.g. "550", or "".
	ReplyCode string
	// Diagnostic is the remote server's own words, unfolded, on one line.
	Diagnostic string
	// DiagnosticType is the RFC 3464 diagnostic-type (smtp, x-unix, ...).
	DiagnosticType string
	// Command is the SMTP command the remote server refused (RCPT, DATA,
	// MAIL, CONN, HELO, STARTTLS, ...), when the report says it.
	Command string
	// RemoteMTA is the host that refused the message, when known.
	RemoteMTA string
	// ReportingMTA is the host that wrote the report, when known.
	ReportingMTA string
	// LastAttempt is when delivery was last tried, zero when unknown.
	LastAttempt time.Time
	// FeedbackType is the ARF feedback type (abuse, fraud, opt-out, ...)
	// for complaints.
	FeedbackType string
	// ReasonHint is a reason (one of package classify's names) that the
	// decoder read from the report itself, for formats that state their
	// cause in their own words rather than in a status code. Empty when
	// the decoder has no opinion; the classifier decides.
	ReasonHint string
}

// Original describes the message that bounced.
type Original struct {
	MessageID string
	From      string
	To        string
	Subject   string

	// fields is the returned message's header as the bounce carries it,
	// values neither trimmed nor RFC 2047-decoded: Header, Get and
	// Fields decode what they are asked for.
	fields header
	// lazy, when not nil, holds the header instead, as bytes, parsed on
	// first use.
	lazy *lazyHeader
	// decoded is set when fields holds values already decoded (an
	// original a decoder put together from a notice's words).
	decoded bool
	// known is set when the bounce carries the returned message or its
	// header (or a decoder read one from the notice).
	known bool
}

// lazyHeader is a header block kept as written and parsed once, when a
// method of Original first asks for it; copies of an Original share it.
type lazyHeader struct {
	once sync.Once
	src  string
	h    header
}

// header returns the original message's header fields.
func (o *Original) header() header {
	if l := o.lazy; l != nil {
		l.once.Do(func() { l.h, _ = mime.ParseHeader(bytesOf(l.src)) })
		return l.h
	}
	return o.fields
}

// HeaderField is one header field of the original message: its name in
// canonical MIME form (X-Customer-Id) and its value, RFC 2047-decoded
// and trimmed.
type HeaderField struct {
	Name  string
	Value string
}

// Header returns every value of the original message's header field
// name (any case), decoded and trimmed, in the order they come; nil when
// the bounce carries no such field.
func (o *Original) Header(name string) []string {
	key := toLower(strings.TrimSpace(name))
	var out []string
	h := o.header()
	for i := range h {
		if h[i].Key == key {
			out = append(out, o.value(&h[i]))
		}
	}
	return out
}

// Get returns the first value of the original message's header key
// (any case), decoded and trimmed, or "".
func (o *Original) Get(key string) string {
	key = toLower(strings.TrimSpace(key))
	h := o.header()
	for i := range h {
		if h[i].Key == key {
			return o.value(&h[i])
		}
	}
	return ""
}

// Fields returns every header field of the original message the bounce
// carries, in order, names in canonical MIME form and values decoded.
func (o *Original) Fields() []HeaderField {
	h := o.header()
	if len(h) == 0 {
		return nil
	}
	out := make([]HeaderField, len(h))
	for i := range h {
		out[i] = HeaderField{Name: h[i].CanonicalName(), Value: o.value(&h[i])}
	}
	return out
}

// Known reports whether the bounce carries the message that bounced, or
// its header, or a description of it that a decoder read.
func (o *Original) Known() bool { return o.known }

func (o *Original) value(f *field) string {
	if o.decoded {
		return f.Value
	}
	return strings.TrimSpace(mime.DecodeWords(f.Value))
}
