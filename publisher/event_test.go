package publisher_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

var (
	sampleTime    = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	sampleExpires = time.Date(2025, 4, 13, 9, 26, 53, 0, time.UTC)
)

// sampleBounce is the bounce of docs/events.md.
func sampleBounce() publisher.Event {
	return publisher.Event{
		Schema:    publisher.SchemaVersion,
		ID:        "9b2f0c4e7a1d4b6e8f3a5c7d9e1f2a3b:alice@example.net",
		Type:      publisher.TypeBounce,
		Time:      sampleTime,
		Recipient: "alice@example.net",
		Verdict: outcome.Verdict{
			Kind:              "bounce",
			Reason:            "user_unknown",
			Category:          "user_unknown",
			Hard:              true,
			Status:            "5.1.1",
			ReplyCode:         "550",
			Diagnostic:        "550 5.1.1 <alice@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
			RemoteMTA:         "mx1.example.net",
			ReportingMTA:      "mail.shop.example",
			Format:            "rfc3464",
			Rule:              "status:5.1.1",
			OriginalMessageID: "<order-4711@shop.example>",
			OriginalSubject:   "Your order #4711",
		},
		OriginalFrom: "Shop <orders@shop.example>",
		Headers:      map[string]string{"X-Customer-ID": "c-1029"},
		Suppressed:   true,
		Scope:        "all",
		Count:        1,
		Mailbox:      "shop",
		Source:       "imap://mail.shop.example/INBOX;UIDVALIDITY=1;UID=5",
	}
}

// sampleComplaint is the complaint of docs/events.md.
func sampleComplaint() publisher.Event {
	return publisher.Event{
		Schema:    publisher.SchemaVersion,
		ID:        "4c1e8a2b6d0f4e9a8b7c6d5e4f3a2b1c:bob@example.org",
		Type:      publisher.TypeComplaint,
		Time:      sampleTime,
		Recipient: "bob@example.org",
		Verdict: outcome.Verdict{
			Kind:              "complaint",
			Reason:            "complaint",
			Category:          "complaint",
			ReportingMTA:      "feedback.example.org",
			Format:            "arf",
			Rule:              "feedback-type:abuse",
			OriginalMessageID: "<news-2025-03@shop.example>",
			OriginalSubject:   "March news",
		},
		OriginalFrom: "Shop <news@shop.example>",
		Headers:      map[string]string{"X-Customer-ID": "c-2231"},
		Suppressed:   true,
		Scope:        "marketing",
		Count:        1,
		Mailbox:      "fbl",
		Source:       "imap://mail.shop.example/INBOX;UIDVALIDITY=7;UID=118",
	}
}

func TestEvent_golden(t *testing.T) {
	delay := sampleBounce()
	delay.ID = "0d9c8b7a6f5e4d3c2b1a09f8e7d6c5b4:carol@example.com"
	delay.Type = publisher.TypeDelay
	delay.Recipient, delay.Kind, delay.Reason, delay.Category, delay.Hard = "carol@example.com", "delay", "expired", "transient", false
	delay.Status, delay.ReplyCode, delay.Diagnostic, delay.Rule = "4.4.7", "", "delivery temporarily suspended: connect to mx.example.com[192.0.2.1]:25: Connection timed out", "status:4.4.7"
	delay.RemoteMTA, delay.Suppressed, delay.Scope, delay.Count, delay.Headers = "mx.example.com", false, "", 2, nil
	softSuppressed := sampleBounce()
	softSuppressed.ID += ":added"
	softSuppressed.Type = publisher.TypeSuppressionAdded
	softSuppressed.Reason, softSuppressed.Category, softSuppressed.Hard = "mailbox_full", "mailbox_full", false
	softSuppressed.Status, softSuppressed.ReplyCode, softSuppressed.Rule = "4.2.2", "452", "status:4.2.2"
	softSuppressed.Diagnostic = "452 4.2.2 <alice@example.net>: Mailbox full"
	softSuppressed.Count, softSuppressed.ExpiresAt = 3, &sampleExpires
	tests := []struct {
		name string
		file string
		ev   publisher.Event
	}{
		{"bounce", "event_bounce.golden.json", sampleBounce()},
		{"complaint", "event_complaint.golden.json", sampleComplaint()},
		{"delay", "event_delay.golden.json", delay},
		{"suppressionAdded", "event_suppression_added.golden.json", softSuppressed},
		{"suppressionRemoved", "event_suppression_removed.golden.json", publisher.Event{
			Schema: 1, ID: "removed:alice@example.net:1741944413", Type: publisher.TypeSuppressionRemoved,
			Time: sampleTime, Recipient: "alice@example.net", Actor: "api:ops", Note: "customer fixed their mailbox",
		}},
		{"unparseable", "event_unparseable.golden.json", publisher.Event{
			Schema: 1, ID: "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b:unparseable", Type: publisher.TypeUnparseable,
			Time: sampleTime, Verdict: outcome.Verdict{Kind: "unparseable"}, Mailbox: "shop",
			Source: "imap://mail.shop.example/INBOX;UIDVALIDITY=1;UID=9", Error: "bounce: message nesting deeper than 20",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.ev.Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			body, err := publisher.Marshal(tc.ev)
			if err != nil {
				t.Fatalf("Marshal() = %v", err)
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, body, "", "  "); err != nil {
				t.Fatalf("Indent(Marshal()) = %v", err)
			}
			buf.WriteByte('\n')
			got := buf.Bytes()
			path := filepath.Join("testdata", tc.file)
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
			if !reflect.DeepEqual(back, tc.ev) {
				t.Errorf("Unmarshal(golden) = %+v, want %+v", back, tc.ev)
			}
		})
	}
}

func TestEvent_marshalJSON(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	exp := time.Date(2025, 4, 1, 12, 0, 0, 0, paris)
	ev := publisher.Event{Schema: 1, ID: "x", Type: publisher.TypeBounce, Time: time.Date(2025, 3, 14, 10, 26, 53, 0, paris), ExpiresAt: &exp}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  string
		want any
	}{
		{"time", "2025-03-14T09:26:53Z"},
		{"expires_at", "2025-04-01T11:00:00Z"},
		// Always present on a bounce, even empty.
		{"recipient", ""},
		{"reason", ""},
		{"category", ""},
		{"hard", false},
		{"suppressed", false},
		{"schema", float64(1)},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			got, ok := m[tc.key]
			if !ok || got != tc.want {
				t.Errorf("json[%q] = %v (present %v), want %v in %s", tc.key, got, ok, tc.want, b)
			}
		})
	}
	for _, absent := range []string{"status", "reply_code", "headers", "scope", "count", "error", "actor", "note"} {
		if _, ok := m[absent]; ok {
			t.Errorf("json[%q] present in %s, want omitted when empty", absent, b)
		}
	}
	if ev.Time.Location() != paris {
		t.Errorf("MarshalJSON changed the event's own time zone")
	}
}

func TestEvent_Validate(t *testing.T) {
	ok := sampleBounce()
	tests := []struct {
		name   string
		change func(*publisher.Event)
		want   string // "" for valid
	}{
		{"valid", func(*publisher.Event) {}, ""},
		{"noSchema", func(e *publisher.Event) { e.Schema = 0 }, "schema 0"},
		{"futureSchema", func(e *publisher.Event) { e.Schema = 2 }, "schema 2"},
		{"noID", func(e *publisher.Event) { e.ID = "" }, "no id"},
		{"idWithNewline", func(e *publisher.Event) { e.ID = "a\r\nNats-Expected-Stream: X" }, "line break"},
		{"unknownType", func(e *publisher.Event) { e.Type = "bounced" }, `unknown type "bounced"`},
		{"noTime", func(e *publisher.Event) { e.Time = time.Time{} }, "no time"},
		{"noRecipient", func(e *publisher.Event) { e.Recipient = "" }, "without recipient"},
		{"unparseableNoRecipient", func(e *publisher.Event) { e.Type, e.Recipient = publisher.TypeUnparseable, "" }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ok
			tc.change(&ev)
			err := ev.Validate()
			if tc.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, publisher.ErrInvalidEvent) {
				t.Fatalf("Validate() = %v, want an ErrInvalidEvent containing %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "publisher: ") {
				t.Errorf("Validate() = %q, want a publisher: prefix", err)
			}
		})
	}
}

func TestEvent_Subject(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		ev     publisher.Event
		want   string
	}{
		{"bounce", "bounced", publisher.Event{Type: publisher.TypeBounce, Verdict: outcome.Verdict{Category: "user_unknown", Reason: "user_unknown"}}, "bounced.bounce.user_unknown.user_unknown"},
		{"defaultPrefix", "", publisher.Event{Type: publisher.TypeBounce, Verdict: outcome.Verdict{Category: "policy_block", Reason: "spam_detected"}}, "bounced.bounce.policy_block.spam_detected"},
		{"delay", "bounced", publisher.Event{Type: publisher.TypeDelay, Verdict: outcome.Verdict{Category: "transient", Reason: "expired"}}, "bounced.delay.transient.expired"},
		{"complaint", "bounced", publisher.Event{Type: publisher.TypeComplaint, Verdict: outcome.Verdict{Category: "complaint", Reason: "complaint"}}, "bounced.complaint"},
		{"suppressionAdded", "bounced", publisher.Event{Type: publisher.TypeSuppressionAdded, Verdict: outcome.Verdict{Category: "x", Reason: "y"}}, "bounced.suppression.added"},
		{"suppressionRemoved", "bounced", publisher.Event{Type: publisher.TypeSuppressionRemoved}, "bounced.suppression.removed"},
		{"unparseable", "bounced", publisher.Event{Type: publisher.TypeUnparseable}, "bounced.unparseable"},
		{"multiTokenPrefix", "acme.mail.bounced", publisher.Event{Type: publisher.TypeComplaint}, "acme.mail.bounced.complaint"},
		{"prefixSanitised", " Acme..Bounced* ", publisher.Event{Type: publisher.TypeComplaint}, "acme.bounced_.complaint"},
		{"wildcardPrefixOnly", ">", publisher.Event{Type: publisher.TypeComplaint}, "_.complaint"},
		{"emptyReason", "bounced", publisher.Event{Type: publisher.TypeBounce}, "bounced.bounce.undefined.undefined"},
		{"dotsInReason", "bounced", publisher.Event{Type: publisher.TypeBounce, Verdict: outcome.Verdict{Category: "policy.block", Reason: "spam detected"}}, "bounced.bounce.policy_block.spam_detected"},
		{"wildcards", "bounced", publisher.Event{Type: publisher.TypeBounce, Verdict: outcome.Verdict{Category: "*", Reason: ">"}}, "bounced.bounce._._"},
		{"unknownType", "bounced", publisher.Event{Type: "Odd.Type"}, "bounced.odd_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ev.Subject(tc.prefix); got != tc.want {
				t.Errorf("Subject(%q) = %q, want %q", tc.prefix, got, tc.want)
			}
		})
	}
}

func TestSubjectToken(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "mailbox_full", "mailbox_full"},
		{"upper", "MailboxFull", "mailboxfull"},
		{"dash", "not-accept", "not-accept"},
		{"dot", "a.b", "a_b"},
		{"space", "a b", "a_b"},
		{"trimmed", "  a  ", "a"},
		{"star", "a*", "a_"},
		{"gt", "a>", "a_"},
		{"tab", "a\tb", "a_b"},
		{"newline", "a\r\nb", "a__b"},
		{"nul", "a\x00b", "a_b"},
		{"nonASCII", "ユーザー不明", "______"},
		{"dollar", "$JS", "_js"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := publisher.SubjectToken(tc.in); got != tc.want {
				t.Errorf("SubjectToken(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzSubject checks that every subject is a valid literal NATS subject:
// no empty token, no wildcard, no whitespace.
func FuzzSubject(f *testing.F) {
	f.Add("bounced", "bounce", "user_unknown", "user_unknown")
	f.Add("a..b", "delay", "*", "> x")
	f.Fuzz(func(t *testing.T, prefix, typ, category, reason string) {
		ev := publisher.Event{Type: publisher.EventType(typ), Verdict: outcome.Verdict{Category: category, Reason: reason}}
		s := ev.Subject(prefix)
		for _, tok := range strings.Split(s, ".") {
			if tok == "" || tok == "*" || tok == ">" || strings.ContainsAny(tok, " \t\r\n*>") {
				t.Fatalf("Subject(%q) = %q: bad token %q", prefix, s, tok)
			}
		}
	})
}
