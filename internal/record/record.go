// Package record turns a decoded bounce report into one classified record
// per recipient: the shape of `bounced parse` output (../shared/CONTRACT.md)
// and the common input of the suppression store and the event publisher.
package record

import (
	"fmt"
	"strings"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
)

// Record is one recipient of one message, classified. Its JSON form is the
// JSONL record of `bounced parse`.
type Record struct {
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
	// Fields beyond the contract's table.
	FeedbackType    string `json:"feedback_type,omitempty"`
	Rule            string `json:"rule,omitempty"`
	Confidence      string `json:"confidence,omitempty"`  // the verdict's: high, medium, low
	RuleSource      string `json:"rule_source,omitempty"` // where the deciding rule comes from
	OriginalSubject string `json:"original_subject,omitempty"`
	Error           string `json:"error,omitempty"`
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
		r := Record{Source: source, Kind: string(bounce.KindUnparseable)}
		if err != nil {
			r.Error = err.Error()
		}
		return []Record{r}
	}
	base := Record{
		Source:            source,
		Format:            rep.Format,
		ReportingMTA:      rep.ReportingMTA,
		OriginalMessageID: rep.Original.MessageID,
		OriginalFrom:      rep.Original.From,
		OriginalSubject:   rep.Original.Subject,
	}
	if len(rep.Recipients) == 0 {
		r := base
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
	out := make([]Record, 0, len(rep.Recipients))
	for _, rc := range rep.Recipients {
		v := ClassifyWith(c, rc)
		r := base
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
		r.Recipient = rc.Address
		r.Action = rc.Action
		r.Status = rc.Status
		r.ReplyCode = rc.ReplyCode
		r.Reason = string(v.Reason)
		r.Category = string(v.Category)
		r.Hard = v.Hard
		r.Rule = v.Rule
		r.Confidence = string(v.Confidence)
		r.RuleSource = v.RuleSource
		r.Diagnostic = rc.Diagnostic
		r.RemoteMTA = rc.RemoteMTA
		if rc.ReportingMTA != "" {
			r.ReportingMTA = rc.ReportingMTA
		}
		r.FeedbackType = rc.FeedbackType
		out = append(out, r)
	}
	return out
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
