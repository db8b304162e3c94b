package record

import (
	"errors"
	"fmt"
	"testing"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/outcome"
)

func TestFromReport(t *testing.T) {
	tests := []struct {
		name string
		rep  *bounce.Report
		err  error
		want []Record
	}{
		{"decode error", nil, errors.New("bounce: too large"),
			[]Record{{Source: "s", Verdict: outcome.Verdict{Kind: "unparseable"}, Error: "bounce: too large"}}},
		{"not a bounce", &bounce.Report{Kind: bounce.KindNotBounce}, nil,
			[]Record{{Source: "s", Verdict: outcome.Verdict{Kind: "not_bounce"}}}},
		{"auto-reply names who replied", &bounce.Report{Kind: bounce.KindAutoReply, Format: "rfc3834", AutoReplyFrom: "a@example.jp"}, nil,
			[]Record{{Source: "s", Recipient: "a@example.jp", Verdict: outcome.Verdict{Kind: "auto_reply", Reason: "auto_reply", Category: "auto_reply", Format: "rfc3834"}}}},
		{"complaint naming nobody is unparseable", &bounce.Report{Kind: bounce.KindComplaint, Format: "arf"}, nil,
			[]Record{{Source: "s", Verdict: outcome.Verdict{Kind: "unparseable", Format: "arf"}, Error: "bounce: complaint report names no recipient"}}},
		{"bounce and delay per recipient", &bounce.Report{Kind: bounce.KindBounce, Format: "postfix", ReportingMTA: "mx.example.org",
			Original: bounce.Original{MessageID: "m@shop.example", From: "o@shop.example", Subject: "Order 1"},
			Recipients: []bounce.Recipient{
				{Address: "a@example.net", Action: "failed", Status: "5.1.1", ReplyCode: "550", Diagnostic: "550 5.1.1 user unknown", RemoteMTA: "mx.example.net"},
				{Address: "b@example.net", Action: "delayed", Status: "4.4.7", Diagnostic: "retry timeout exceeded", ReportingMTA: "relay.example.org"},
			}}, nil,
			[]Record{
				{Source: "s", Recipient: "a@example.net", Action: "failed", OriginalFrom: "o@shop.example", Verdict: outcome.Verdict{
					Kind: "bounce", Status: "5.1.1", ReplyCode: "550", Reason: "user_unknown",
					Category: "user_unknown", Hard: true, Diagnostic: "550 5.1.1 user unknown", RemoteMTA: "mx.example.net", ReportingMTA: "mx.example.org",
					Format: "postfix", OriginalMessageID: "m@shop.example", OriginalSubject: "Order 1"}},
				{Source: "s", Recipient: "b@example.net", Action: "delayed", OriginalFrom: "o@shop.example", Verdict: outcome.Verdict{
					Kind: "delay", Status: "4.4.7", Reason: "expired", Category: "transient",
					Diagnostic: "retry timeout exceeded", ReportingMTA: "relay.example.org", Format: "postfix", OriginalMessageID: "m@shop.example",
					OriginalSubject: "Order 1"}},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FromReport("s", tc.rep, tc.err)
			if len(got) != len(tc.want) {
				t.Fatalf("FromReport() = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i].Kind != "unparseable" && got[i].Kind != "not_bounce" && got[i].Kind != "auto_reply" && (got[i].Confidence == "" || got[i].RuleSource == "") {
					t.Errorf("FromReport()[%d] has confidence %q, rule source %q, want both", i, got[i].Confidence, got[i].RuleSource)
				}
				// The classifier's rule names and sources are its own business.
				got[i].Rule, got[i].Confidence, got[i].RuleSource = "", "", ""
				if got[i] != tc.want[i] {
					t.Errorf("FromReport()[%d] = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestFromReport_challengeResponseIsAutoReply(t *testing.T) {
	rep := &bounce.Report{Kind: bounce.KindBounce, Format: "fallback", Recipients: []bounce.Recipient{
		{Address: "uma@example.com", Action: "failed", Diagnostic: "Your message is held until you confirm that you are a human: reply to this message to confirm."},
	}}
	got := FromReport("s", rep, nil)
	if len(got) != 1 || got[0].Kind != "auto_reply" || got[0].Reason != "auto_reply" || got[0].Recipient != "uma@example.com" || got[0].Hard {
		t.Errorf("FromReport() = %+v, want one auto_reply record naming the address that replied", got)
	}
}

func TestFromReport_successStatusIsDelivered(t *testing.T) {
	rep := &bounce.Report{Kind: bounce.KindBounce, Format: "rfc3464", Recipients: []bounce.Recipient{
		{Address: "list@example.org", Action: "failed", Status: "2.0.0", Diagnostic: "250 2.0.0 Ok"},
	}}
	got := FromReport("s", rep, nil)
	if len(got) != 1 || got[0].Kind != "delivered" || got[0].Reason != "delivered" || got[0].Hard {
		t.Errorf("FromReport() = %+v, want one delivered record", got)
	}
}

// FromReportLimit makes the records FromReportWith makes while at most
// limit of them count, and stops at the first one past it.
func TestFromReportLimit(t *testing.T) {
	rep := &bounce.Report{Kind: bounce.KindBounce, Format: "rfc3464"}
	for i := range 5000 {
		rep.Recipients = append(rep.Recipients, bounce.Recipient{Address: fmt.Sprintf("u%04d@example.net", i), Action: "failed", Status: "5.1.1"})
	}
	// A delivery, which the count below leaves out, among the first.
	rep.Recipients[3] = bounce.Recipient{Address: "ok@example.net", Action: "delivered", Status: "2.0.0"}
	failed := func(r Record) bool { return r.Kind == string(bounce.KindBounce) }

	recs, over := FromReportLimit(nil, "src", rep, 200, failed)
	if !over || len(recs) != 202 {
		t.Fatalf("limit 200 of 4,999 failures: %d records, over=%v; want 202 (200 + the delivery + the one past the cap), over", len(recs), over)
	}
	all := FromReportWith(nil, "src", rep, nil)
	for i, r := range recs {
		if r != all[i] {
			t.Fatalf("record %d = %+v, want FromReportWith's %+v", i, r, all[i])
		}
	}
	recs, over = FromReportLimit(nil, "src", rep, 4999, failed)
	if over || len(recs) != 5000 {
		t.Errorf("limit 4,999 of 4,999 failures: %d records, over=%v; want all 5,000, not over", len(recs), over)
	}
	recs, over = FromReportLimit(nil, "src", rep, -1, failed)
	if over || len(recs) != 5000 {
		t.Errorf("no limit: %d records, over=%v; want all 5,000", len(recs), over)
	}
	none := &bounce.Report{Kind: bounce.KindNotBounce}
	if recs, over := FromReportLimit(nil, "src", none, 0, failed); over || len(recs) != 1 || recs[0].Kind != string(bounce.KindNotBounce) {
		t.Errorf("a report without recipients: %+v, over=%v; want FromReportWith's one not_bounce record", recs, over)
	}
}
