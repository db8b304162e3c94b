// Package record turns a decoded bounce report into one classified record
// per recipient: the shape of `bounced parse` output (../shared/CONTRACT.md)
// and the common input of the suppression store and the event publisher.
package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/outcome"
)

// Record is one recipient of one message, classified: its outcome
// (outcome.Verdict) and what locates it. Its JSON form is the JSONL record
// of `bounced parse` (see MarshalJSON).
type Record struct {
	Source    string `json:"source"`
	Recipient string `json:"recipient"`
	Action    string `json:"action"`
	outcome.Verdict
	OriginalFrom string `json:"original_from"`
	// Fields beyond the contract's table.
	FeedbackType string `json:"feedback_type,omitempty"`
	Error        string `json:"error,omitempty"`
}

// contractRecord is the JSONL record of ../shared/CONTRACT.md: its keys in
// the contract's order, those of its first table always present.
type contractRecord struct {
	Source            string `json:"source"`
	Kind              string `json:"kind"`
	Recipient         string `json:"recipient"`
	Action            string `json:"action"`
	Status            string `json:"status"`
	ReplyCode         string `json:"reply_code"`
	Reason            string `json:"reason"`
	Category          string `json:"category"`
	Hard              bool   `json:"hard"`
	Diagnostic        string `json:"diagnostic"`
	RemoteMTA         string `json:"remote_mta"`
	ReportingMTA      string `json:"reporting_mta"`
	Format            string `json:"format"`
	OriginalMessageID string `json:"original_message_id"`
	OriginalFrom      string `json:"original_from"`
	FeedbackType      string `json:"feedback_type,omitempty"`
	Rule              string `json:"rule,omitempty"`
	Confidence        string `json:"confidence,omitempty"`
	RuleSource        string `json:"rule_source,omitempty"`
	OriginalSubject   string `json:"original_subject,omitempty"`
	Error             string `json:"error,omitempty"`
}

// MarshalJSON writes r as the contract's JSONL record: in the contract's
// order, with the fields of its first table present even when empty. (The
// flat form of the embedded Verdict would order them as events do and
// leave the empty ones out.) Decoding needs no counterpart: the names are
// the same. '<', '>' and '&' are written as they are: the encoder that
// calls it escapes them or not, as it is set to (json.Marshal does).
func (r Record) MarshalJSON() ([]byte, error) {
	v := r.Verdict
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(contractRecord{
		Source: r.Source, Kind: v.Kind, Recipient: r.Recipient, Action: r.Action, Status: v.Status,
		ReplyCode: v.ReplyCode, Reason: v.Reason, Category: v.Category, Hard: v.Hard, Diagnostic: v.Diagnostic,
		RemoteMTA: v.RemoteMTA, ReportingMTA: v.ReportingMTA, Format: v.Format,
		OriginalMessageID: v.OriginalMessageID, OriginalFrom: r.OriginalFrom, FeedbackType: r.FeedbackType,
		Rule: v.Rule, Confidence: v.Confidence, RuleSource: v.RuleSource, OriginalSubject: v.OriginalSubject,
		Error: r.Error,
	})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// FromReport returns the records of one decoded message. A report with no
// recipient yields one record whose Kind says why (not_bounce, auto_reply,
// unparseable); err, when not nil, makes it unparseable.
func FromReport(source string, rep *bounce.Report, err error) []Record {
	return FromReportWith(nil, source, rep, err)
}

// FromReportWith is FromReport with the classifier c (nil: the built-in
// rules), for an operator's rules file.
func FromReportWith(c *classify.Classifier, source string, rep *bounce.Report, err error) []Record {
	if err != nil || rep == nil {
		r := Record{Source: source}
		r.Kind = string(bounce.KindUnparseable)
		if err != nil {
			r.Error = err.Error()
		}
		return []Record{r}
	}
	if len(rep.Recipients) == 0 {
		r := base(source, rep)
		r.Kind = string(rep.Kind)
		switch rep.Kind {
		case bounce.KindAutoReply:
			r.Recipient = rep.AutoReplyFrom
			r.Reason, r.Category = string(classify.AutoReply), string(classify.CatAutoReply)
		case bounce.KindNotBounce:
			r.Reason, r.Category = "", ""
		default:
			// A report (a complaint, a bounce) that names nobody could not
			// be read for what it is about: a human has to look at it.
			r.Kind = string(bounce.KindUnparseable)
			r.Error = fmt.Sprintf("bounce: %s report names no recipient", rep.Kind)
			r.Reason, r.Category = "", ""
		}
		return []Record{r}
	}
	b := base(source, rep)
	out := make([]Record, 0, len(rep.Recipients))
	for _, rc := range rep.Recipients {
		out = append(out, fromRecipient(c, b, rc))
	}
	return out
}

// FromReportLimit is FromReportWith for a report with recipients, that
// stops once more than limit of the records made so far satisfy count
// (limit < 0: no limit): a report naming 100,000 recipients costs
// limit+1 verdicts before its cap refuses it, not 100,000. over says
// whether it stopped; recs then holds only the records made until then.
// A report without recipients (or err) gives FromReportWith's one record.
func FromReportLimit(c *classify.Classifier, source string, rep *bounce.Report, limit int, count func(Record) bool) (recs []Record, over bool) {
	if rep == nil || len(rep.Recipients) == 0 || limit < 0 {
		return FromReportWith(c, source, rep, nil), false
	}
	b := base(source, rep)
	n := 0
	recs = make([]Record, 0, min(len(rep.Recipients), limit+1))
	for _, rc := range rep.Recipients {
		r := fromRecipient(c, b, rc)
		recs = append(recs, r)
		if count(r) {
			if n++; n > limit {
				return recs, true
			}
		}
	}
	return recs, false
}

// base is what every record of rep shares.
func base(source string, rep *bounce.Report) Record {
	b := Record{Source: source, OriginalFrom: rep.Original.From}
	b.Format, b.ReportingMTA = rep.Format, rep.ReportingMTA
	b.OriginalMessageID, b.OriginalSubject = rep.Original.MessageID, rep.Original.Subject
	return b
}

// fromRecipient is the record of one recipient rc of a report: b, with
// rc's evidence and the classifier's verdict on it.
func fromRecipient(c *classify.Classifier, b Record, rc bounce.Recipient) Record {
	v := ClassifyWith(c, rc)
	r := b
	r.Kind = string(bounce.RecipientKind(rc))
	switch {
	case v.Reason == classify.AutoReply && r.Kind == string(bounce.KindBounce):
		// The words say an automatic reply (a challenge-response
		// system holding the message): the recipient is the address
		// that replied, and nothing failed.
		r.Kind = string(bounce.KindAutoReply)
	case v.Reason == classify.Delivered && (r.Kind == string(bounce.KindBounce) || r.Kind == string(bounce.KindDelay)):
		// A success status (2.X.X) in a report that says failed (a
		// forwarded list message, a relay's copy): not a failure.
		r.Kind = string(bounce.KindDelivered)
	}
	r.Recipient, r.Action, r.FeedbackType = rc.Address, rc.Action, rc.FeedbackType
	// The one place the outcome is put together: the recipient's
	// evidence and the classifier's verdict on it.
	r.Status, r.ReplyCode, r.Diagnostic, r.RemoteMTA = rc.Status, rc.ReplyCode, rc.Diagnostic, rc.RemoteMTA
	r.Reason, r.Category, r.Hard = string(v.Reason), string(v.Category), v.Hard
	r.Rule, r.Confidence, r.RuleSource = v.Rule, string(v.Confidence), v.RuleSource
	if rc.ReportingMTA != "" {
		r.ReportingMTA = rc.ReportingMTA
	}
	return r
}

var defaultClassifier = classify.New(nil)

// Classify runs the classifier on one recipient of a report.
func Classify(rc bounce.Recipient) classify.Verdict { return ClassifyWith(nil, rc) }

// ClassifyWith runs the classifier c (nil: the built-in rules) on one
// recipient of a report.
func ClassifyWith(c *classify.Classifier, rc bounce.Recipient) classify.Verdict {
	if c == nil {
		c = defaultClassifier
	}
	return c.Classify(classify.Input{
		Status:         rc.Status,
		ReplyCode:      rc.ReplyCode,
		Diagnostic:     rc.Diagnostic,
		Action:         rc.Action,
		Command:        rc.Command,
		RemoteMTA:      rc.RemoteMTA,
		Recipient:      rc.Address,
		Hint:           classify.Reason(strings.TrimSpace(rc.ReasonHint)),
		FeedbackType:   rc.FeedbackType,
		DiagnosticType: rc.DiagnosticType,
	})
}
