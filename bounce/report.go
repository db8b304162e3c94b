package bounce

import "github.com/bounced-dev/bounced/bounce/internal/decoders"

// Kind says what a decoded message is.
type Kind = decoders.Kind

// The kinds of message Decode recognises.
const (
	KindBounce      = decoders.KindBounce      // at least one recipient failed permanently or the report says failed
	KindDelay       = decoders.KindDelay       // delivery is delayed, the MTA keeps trying
	KindDelivered   = decoders.KindDelivered   // a positive delivery (or relay) report
	KindComplaint   = decoders.KindComplaint   // an ARF abuse/feedback report
	KindAutoReply   = decoders.KindAutoReply   // vacation, out-of-office and other RFC 3834 replies
	KindNotBounce   = decoders.KindNotBounce   // ordinary mail
	KindUnparseable = decoders.KindUnparseable // input that could not be read as a message
)

// Report is what Decode learned from one message: its kind, its format,
// the recipients it is about and the message that bounced. Its fields are
// documented in bounce/internal/decoders (report.go), where the decoders
// that fill it live.
type Report = decoders.Report

// Recipient is one recipient a Report is about, with what the report says
// of it (action, status, diagnostic, the MTAs involved).
type Recipient = decoders.Recipient

// Original describes the message that bounced, as the bounce returns it.
type Original = decoders.Original

// HeaderField is one header field of the original message
// (Original.Fields): its canonical name and its decoded value.
type HeaderField = decoders.HeaderField
