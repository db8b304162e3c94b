package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/publisher"
)

// eximBounce is an Exim bounce for rcpt refused with line, as
// testdata/soft-bounce.eml.
func eximBounce(uid uint32, rcpt, line string) *mailbox.Message {
	raw := fmt.Sprintf(`Return-path: <>
Date: Mon, 23 Nov 2026 01:20:11 +0000
Message-Id: <b%d@relay.shop.example>
X-Failed-Recipients: %s
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@relay.shop.example>
To: bounces@shop.example
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  %s
    host mx.example.org [198.51.100.7]
    SMTP error from remote mail server after RCPT TO:<%s>:
    %s

------ This is a copy of the message, including all the headers. ------

From: Example Shop <orders@shop.example>
To: %s
Subject: Order %d
Message-ID: <order-%d@shop.example>

Thank you.
`, uid, rcpt, rcpt, rcpt, line, rcpt, uid, uid)
	return &mailbox.Message{Worker: "shop", Mailbox: "INBOX", UIDValidity: 1, UID: uid, Raw: []byte(raw),
		InternalDate: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
}

func TestHandle_policyInEvents(t *testing.T) {
	tests := []struct {
		name           string
		msg            *mailbox.Message
		wantTypes      []publisher.EventType
		wantRecipient  string
		wantAsWritten  string
		wantRule       string
		wantScopes     []string
		wantCarrier    string
		wantSuggestion string
		wantFaults     bool
		wantHint       string
		wantAlert      string
	}{
		{
			name:      "user unknown on a carrier with a fault",
			msg:       eximBounce(1, "Taro.@DoCoMo.ne.jp", "550 5.1.1 <Taro.@DoCoMo.ne.jp>: User unknown"),
			wantTypes: []publisher.EventType{publisher.TypeBounce, publisher.TypeSuppressionAdded},
			// The decoder lower-cases the domain; the local part is kept as
			// written for display, and "all" covers every scope.
			wantRecipient: "taro.@docomo.ne.jp", wantAsWritten: "Taro.@docomo.ne.jp", wantRule: "user_unknown",
			wantScopes: []string{"all"}, wantCarrier: "docomo",
			wantSuggestion: "Taro@docomo.ne.jp", wantFaults: true, wantHint: suppress.HintCheckAddress,
		},
		{
			name:          "the sending IP on a blocklist",
			msg:           eximBounce(2, "hanako@example.org", "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org"),
			wantTypes:     []publisher.EventType{publisher.TypeBounce, publisher.TypeSenderAlert},
			wantRecipient: "hanako@example.org", wantRule: suppress.RuleSenderBlocked, wantHint: suppress.HintSenderSide,
			wantAlert: publisher.AlertSenderRefusal,
		},
		{
			name:          "message too big",
			msg:           eximBounce(3, "jiro@example.org", "552 5.3.4 Message size exceeds fixed maximum message size"),
			wantTypes:     []publisher.EventType{publisher.TypeBounce},
			wantRecipient: "jiro@example.org", wantRule: "size_rejected", wantHint: suppress.HintReduceSize,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStack(t)
			if d, err := s.pipe.Handle(context.Background(), tc.msg); err != nil || d != mailbox.Processed {
				t.Fatalf("Handle() = %v, %v", d, err)
			}
			evs := s.events(t)
			var types []publisher.EventType
			for _, ev := range evs {
				types = append(types, ev.Type)
			}
			if !slices.Equal(types, tc.wantTypes) {
				t.Fatalf("event types = %v, want %v", types, tc.wantTypes)
			}
			ev := evs[0]
			if ev.Recipient != tc.wantRecipient || ev.RecipientAsWritten != tc.wantAsWritten || ev.Policy == nil ||
				ev.Policy.Rule != tc.wantRule || !slices.Equal(ev.Scopes, tc.wantScopes) || ev.Carrier != tc.wantCarrier ||
				ev.Suggestion != tc.wantSuggestion || (len(ev.Faults) > 0) != tc.wantFaults || ev.Hint != tc.wantHint {
				t.Errorf("event = recipient %q as written %q policy %+v scopes %v carrier %q suggestion %q faults %v hint %q",
					ev.Recipient, ev.RecipientAsWritten, ev.Policy, ev.Scopes, ev.Carrier, ev.Suggestion, ev.Faults, ev.Hint)
			}
			if tc.wantAlert != "" {
				a := evs[len(evs)-1]
				if a.Alert != tc.wantAlert || a.Recipient != tc.wantRecipient || a.Suppressed {
					t.Errorf("alert = %+v", a)
				}
				if n := s.pipe.Metrics().SenderAlerts.Load(); n != 1 {
					t.Errorf("SenderAlerts = %d, want 1", n)
				}
			}
			rec, err := s.store.Get(context.Background(), tc.wantRecipient)
			if err != nil || rec.Carrier != tc.wantCarrier || rec.Suggestion != tc.wantSuggestion || (len(rec.Faults) > 0) != tc.wantFaults {
				t.Errorf("record = %+v, %v; want what the event carries", rec, err)
			}
			// Events are the subjects senders subscribe to.
			if tc.wantAlert != "" && !strings.HasPrefix(evs[1].Subject("bounced"), "bounced.sender.alert") {
				t.Errorf("alert subject = %s", evs[1].Subject("bounced"))
			}
		})
	}
}

// TestHandle_complaintEventIsNormalised: a complaint about
// Subscriber@Example.NET carries the address the set holds.
func TestHandle_complaintEventIsNormalised(t *testing.T) {
	s := newStack(t)
	m := sample(t, "complaint.eml")
	m.Raw = []byte(strings.ReplaceAll(string(m.Raw), "saburo@isp.example", "Saburo@ISP.example"))
	if _, err := s.pipe.Handle(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	ev := s.events(t)[0]
	inSet, _ := s.store.IsSuppressed(context.Background(), ev.Recipient, "marketing")
	if ev.Type != publisher.TypeComplaint || ev.Recipient != "saburo@isp.example" || ev.RecipientAsWritten != "Saburo@isp.example" || !inSet {
		t.Errorf("complaint event recipient %q as written %q (in the marketing set: %v)", ev.Recipient, ev.RecipientAsWritten, inSet)
	}
}

// TestHandle_allowlisted: an allowlisted recipient's bounce is published
// with allowlisted set and suppresses nobody.
func TestHandle_allowlisted(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	if _, err := s.store.Allow(ctx, "example.org", "test", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pipe.Handle(ctx, eximBounce(4, "vip@example.org", "550 5.1.1 User unknown")); err != nil {
		t.Fatal(err)
	}
	evs := s.events(t)
	if len(evs) != 1 || !evs[0].Allowlisted || evs[0].Suppressed {
		t.Errorf("events = %+v, want one bounce, allowlisted, not suppressed", evs)
	}
	if n := s.pipe.Metrics().Allowlisted.Load(); n != 1 {
		t.Errorf("Allowlisted = %d, want 1", n)
	}
}
