package pipeline

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
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
		{"hard bounce, mixed case", record.Record{Recipient: "Taro.@docomo.ne.jp", Verdict: outcome.Verdict{Kind: "bounce",
			Status: "5.1.1", ReplyCode: "550", Reason: "user_unknown", Category: "user_unknown", Hard: true,
			Diagnostic: "550 5.1.1 unknown", RemoteMTA: "mx.docomo.ne.jp", ReportingMTA: "relay.shop", Format: "rfc3464",
			OriginalMessageID: "<o1@shop>", Rule: "status:5.1.1", Confidence: "high", RuleSource: "RFC 3463", OriginalSubject: "Order 1"}},
			verdict{state: "verified"},
			suppress.Decision{Rule: "user_unknown", Action: "suppress", Scope: "all", Hint: suppress.HintCheckAddress}},
		{"counted soft bounce", record.Record{Recipient: "a@example.com", Verdict: outcome.Verdict{Kind: "bounce", Status: "4.2.2",
			Reason: "mailbox_full", Category: "mailbox_full", Diagnostic: "452 full", Format: "postfix", Rule: "status:4.2.2", Confidence: "high"}},
			verdict{},
			suppress.Decision{Rule: "mailbox_full", Action: "count", Scope: "all", Threshold: 3, Window: 720 * time.Hour,
				Expiry: 720 * time.Hour, Reprobe: 720 * time.Hour, Hint: suppress.HintMailboxFull}},
		{"unverified complaint", record.Record{Recipient: "b@example.com", Verdict: outcome.Verdict{Kind: "complaint", Reason: "complaint",
			Category: "complaint", Format: "arf", Rule: "feedback:abuse"}},
			verdict{state: "bad_signature", unverified: true},
			suppress.Decision{Action: "evidence"}},
		{"low confidence", record.Record{Recipient: "c@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "undefined",
			Category: "transient", Rule: "default:undefined", Confidence: "low"}},
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
			ev := eventOf(tc.r, key, at, m, nil, suppress.Result{Address: norm, Decision: tc.d}, suppress.AnnotationOf(live))
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

// TestOutcome_everyFieldSurvives: every field of the outcome, filled by
// the classifier and the decoded report, arrives unchanged at each step:
// record -> store entry -> the address's record in Redis -> the event's
// JSON -> the entry a rebuild applies. A field added to outcome.Verdict is
// checked here with no edit, and fails it until every step carries it.
func TestOutcome_everyFieldSurvives(t *testing.T) {
	ctx := context.Background()
	rs := testutil.StartRedis(t)
	rc := redis.NewClient(&redis.Options{Addr: rs.Addr, MaxRetries: -1})
	t.Cleanup(func() { rc.Close() })
	store := suppress.New(rc, "{o}", suppress.DefaultPolicy(), nil)

	rep := &bounce.Report{Kind: bounce.KindBounce, Format: "rfc3464", ReportingMTA: "mail.shop.example",
		Original: bounce.Original{MessageID: "<order-1@shop.example>", Subject: "ご注文 #1", From: "Shop <orders@shop.example>"},
		Recipients: []bounce.Recipient{{Address: "Taro@Docomo.ne.jp", Action: "failed", Status: "5.1.1", ReplyCode: "550",
			Diagnostic: "550 5.1.1 <Taro@Docomo.ne.jp>: Recipient address rejected: User unknown", RemoteMTA: "mx.docomo.ne.jp",
			ReportingMTA: "relay.shop.example"}}}
	recs := record.FromReport("imap://x", rep, nil)
	if len(recs) != 1 {
		t.Fatalf("FromReport() = %d records, want 1", len(recs))
	}
	r := recs[0]
	want := r.Verdict
	// The check is only as strong as the record is full.
	rv := reflect.ValueOf(want)
	for i := range rv.NumField() {
		if rv.Field(i).IsZero() {
			t.Fatalf("FromReport() left Verdict.%s empty: fill it in the report above", rv.Type().Field(i).Name)
		}
	}

	m := &mailbox.Message{Worker: "shop", Mailbox: "INBOX", UIDValidity: 3, UID: 9, Raw: []byte("x")}
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	msgKey := MessageKey(m.Raw)
	key := msgKey + ":" + r.Recipient
	e := entryOf(r, key, msgKey, m.Source(), "", at, verdict{})
	if e.Verdict != want {
		t.Errorf("entryOf().Verdict =\n%+v\nwant\n%+v", e.Verdict, want)
	}
	res, err := store.Apply(ctx, e)
	if err != nil {
		t.Fatalf("Apply() = %v", err)
	}
	got, err := store.Get(ctx, r.Recipient)
	if err != nil {
		t.Fatalf("Get() = %v", err)
	}
	if got.Verdict != want {
		t.Errorf("Get().Verdict (from Redis) =\n%+v\nwant\n%+v", got.Verdict, want)
	}
	b, err := publisher.Marshal(eventOf(r, key, at, m, nil, res, suppress.AnnotationOf(e)))
	if err != nil {
		t.Fatal(err)
	}
	var back publisher.Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Verdict != want {
		t.Errorf("event Verdict (from JSON) =\n%+v\nwant\n%+v", back.Verdict, want)
	}
	if got := EntryOfEvent(back); got.Verdict != want || got.Recipient != r.Recipient || got.IdempotencyKey != key || got.MessageKey != msgKey {
		t.Errorf("EntryOfEvent() =\n%+v\nwant the verdict\n%+v\nwith recipient %q, key %q, message key %q", got, want, r.Recipient, key, msgKey)
	}
}
