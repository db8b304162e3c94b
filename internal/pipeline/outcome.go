package pipeline

import (
	"strings"
	"time"

	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/publisher"
)

// The outcome of one recipient travels record.Record -> suppress.Entry ->
// publisher.Event (eventOf) and, in a rebuild, publisher.Event ->
// suppress.Entry (EntryOfEvent). The mappings live here, side by side, and
// TestOutcome_roundTrip checks that an event gives back the entry that
// was applied live.

// entryOf is the store entry of recipient r of the message with key
// msgKey, from source, at, with its VERP verdict.
func entryOf(r record.Record, key, msgKey, source, raw string, at time.Time, vd verdict) suppress.Entry {
	return suppress.Entry{
		IdempotencyKey: key, Recipient: r.Recipient, Kind: r.Kind, Reason: r.Reason, Category: r.Category,
		Hard: r.Hard, Status: r.Status, ReplyCode: r.ReplyCode, Diagnostic: r.Diagnostic,
		RemoteMTA: r.RemoteMTA, ReportingMTA: r.ReportingMTA, Format: r.Format, Rule: r.Rule,
		Confidence: r.Confidence, RuleSource: r.RuleSource,
		OriginalMessageID: r.OriginalMessageID, OriginalSubject: r.OriginalSubject, Source: source, At: at,
		Verification: vd.state, Unverified: vd.unverified,
		MessageKey: msgKey, Raw: raw,
	}
}

// EntryOfEvent is the store entry a bounce, delay or complaint event was
// published for, with the policy decision it recorded: what `bounced
// rebuild` applies again.
func EntryOfEvent(ev publisher.Event) suppress.Entry {
	kind := ev.Kind
	if kind == "" {
		kind = string(ev.Type)
	}
	// The ID is <message key>:<recipient as written>.
	written := ev.Recipient
	if ev.RecipientAsWritten != "" {
		written = ev.RecipientAsWritten
	}
	msgKey, _ := strings.CutSuffix(ev.ID, ":"+written)
	return suppress.Entry{
		// The decision made live, whatever the policy is now.
		Decision:       DecisionOf(ev),
		IdempotencyKey: ev.ID, Recipient: written, Kind: kind, Reason: ev.Reason, Category: ev.Category,
		Hard: ev.Hard, Status: ev.Status, ReplyCode: ev.ReplyCode, Diagnostic: ev.Diagnostic,
		RemoteMTA: ev.RemoteMTA, ReportingMTA: ev.ReportingMTA, Format: ev.Format, Rule: ev.Rule,
		Confidence: ev.Confidence, RuleSource: ev.RuleSource,
		OriginalMessageID: ev.OriginalMessageID, OriginalSubject: ev.OriginalSubject, MessageKey: msgKey,
		Source: ev.Source, At: ev.Time, Verification: ev.Verification, Unverified: ev.Unverified,
		Raw: ev.Raw,
	}
}
