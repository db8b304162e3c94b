package publisher_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/publisher"
)

// everyField is an event with every field set, each to its own value.
func everyField() publisher.Event {
	exp := sampleExpires
	var e publisher.Event
	e.Schema, e.ID, e.Type, e.Time = publisher.SchemaVersion, "k:Taro@docomo.ne.jp", publisher.TypeBounce, sampleTime
	e.Recipient, e.RecipientAsWritten, e.Kind = "taro@docomo.ne.jp", "Taro@docomo.ne.jp", "bounce"
	e.Reason, e.Category, e.Hard = "user_unknown", "user_unknown", true
	e.Status, e.ReplyCode, e.Diagnostic = "5.1.1", "550", "550 5.1.1 <Taro@docomo.ne.jp>: unknown & gone"
	e.RemoteMTA, e.ReportingMTA, e.Format = "mx.docomo.ne.jp", "relay.shop.example", "rfc3464"
	e.Rule, e.Confidence, e.RuleSource = "status:5.1.1", "high", "RFC 3463"
	e.OriginalMessageID, e.OriginalSubject, e.OriginalFrom = "<o1@shop.example>", "ご注文 #1", "Shop <orders@shop.example>"
	e.Headers = map[string]string{"X-Customer-ID": "c-1"}
	e.Suppressed, e.Scope, e.Count, e.ExpiresAt = true, "all", 2, &exp
	e.Scopes = []string{"all"}
	e.Policy = &publisher.Policy{Rule: "user_unknown", Action: "suppress", Scope: "all", Threshold: 1, Window: "24h0m0s",
		Expiry: "720h0m0s", Reprobe: "720h0m0s", SenderAlert: true, Outage: true, LowConfidence: true}
	e.Hint, e.Allowlisted, e.Carrier = "check the address", true, "docomo"
	e.Faults = []publisher.AddressFault{{Code: "dot_before_at", Message: "m", MessageJA: "ja"}}
	e.Suggestion, e.Alert, e.Mailbox = "taro@docomo.ne.jp", "outage", "shop"
	e.Source, e.Error, e.Actor, e.Note = "imap://mail/INBOX;UIDVALIDITY=1;UID=5", "none", "ops", "note"
	e.Verification, e.Unverified, e.Raw = "bad_signature", true, "9f86d081"
	return e
}

// TestEvent_goldenEveryField: the wire form of an event with every field
// set keeps its keys and their order (docs/events.md), and reads back.
func TestEvent_goldenEveryField(t *testing.T) {
	ev := everyField()
	body, err := publisher.Marshal(ev)
	if err != nil {
		t.Fatalf("Marshal() = %v", err)
	}
	got := append(body, '\n')
	path := filepath.Join("testdata", "event_every_field.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Marshal() =\n%s\nwant (%s)\n%s", got, path, want)
	}
	var back publisher.Event
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatalf("Unmarshal(golden) = %v", err)
	}
	back.Time = back.Time.In(time.UTC)
	if !reflect.DeepEqual(back, ev) {
		t.Errorf("Unmarshal(golden) = %+v, want %+v", back, ev)
	}
}
