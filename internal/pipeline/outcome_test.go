package pipeline

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/publisher"
)

// TestOutcome_roundTrip: the event published for a recipient, read back
// from its JSON, gives the entry applied live with the decision made
// then; what `bounced rebuild` relies on.
func TestOutcome_roundTrip(t *testing.T) {
	m := &mailbox.Message{Worker: "shop", Mailbox: "INBOX", UIDValidity: 3, UID: 9}
	at := time.Date(2026, 12, 2, 10, 0, 0, 123e6, time.UTC)
	tests := []struct {
		name string
		r    record.Record
		vd   verdict
		d    suppress.Decision
	}{
		{"hard bounce, mixed case", record.Record{Kind: "bounce", Recipient: "Taro.@docomo.ne.jp", Status: "5.1.1", ReplyCode: "550",
			Reason: "user_unknown", Category: "user_unknown", Hard: true, Diagnostic: "550 5.1.1 unknown", RemoteMTA: "mx.docomo.ne.jp",
			ReportingMTA: "relay.shop", Format: "rfc3464", OriginalMessageID: "<o1@shop>", Rule: "status:5.1.1",
			Confidence: "high", RuleSource: "RFC 3463", OriginalSubject: "Order 1"},
			verdict{state: "verified"},
			suppress.Decision{Rule: "user_unknown", Action: "suppress", Scope: "all", Hint: suppress.HintCheckAddress}},
		{"counted soft bounce", record.Record{Kind: "bounce", Recipient: "a@example.com", Status: "4.2.2", Reason: "mailbox_full",
			Category: "mailbox_full", Diagnostic: "452 full", Format: "postfix", Rule: "status:4.2.2", Confidence: "high"},
			verdict{},
			suppress.Decision{Rule: "mailbox_full", Action: "count", Scope: "all", Threshold: 3, Window: 720 * time.Hour,
				Expiry: 720 * time.Hour, Reprobe: 720 * time.Hour, Hint: suppress.HintMailboxFull}},
		{"unverified complaint", record.Record{Kind: "complaint", Recipient: "b@example.com", Reason: "complaint", Category: "complaint",
			Format: "arf", Rule: "feedback:abuse"},
			verdict{state: "bad_signature", unverified: true},
			suppress.Decision{Action: "evidence"}},
		{"low confidence", record.Record{Kind: "bounce", Recipient: "c@example.com", Reason: "undefined", Category: "transient",
			Rule: "default:undefined", Confidence: "low"},
			verdict{},
			suppress.Decision{Rule: "default", Action: "count", Scope: "all", Threshold: 3, Window: 168 * time.Hour,
				Expiry: 720 * time.Hour, LowConfidence: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const msgKey = "0123456789abcdef0123456789abcdef"
			key := msgKey + ":" + tc.r.Recipient
			const rawRef = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
			live := entryOf(tc.r, key, msgKey, m.Source(), rawRef, at, tc.vd)
			norm, _ := suppress.NormalizeAddress(tc.r.Recipient)
			ev := eventOf(tc.r, key, at, m, nil, suppress.Result{Address: norm, Decision: tc.d})
			ev.Raw = rawRef
			tc.vd.mark(&ev)
			ev.Schema = publisher.SchemaVersion
			b, err := publisher.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			var back publisher.Event
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			got := EntryOfEvent(back)
			want := live
			d := tc.d
			want.Decision = &d
			if !reflect.DeepEqual(got, want) {
				t.Errorf("EntryOfEvent(eventOf(r)) =\n%+v\nwant the entry applied live\n%+v", got, want)
			}
		})
	}
}
