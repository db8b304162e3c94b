package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/publisher"
	"github.com/bounced-dev/bounced/verp"
)

const verpPattern = "bounces+{token}+{local}={domain}@shop.example"

var (
	verpKey    = []byte("9f86d081884c7d659a2feaa0c55ad015")
	verpOldKey = []byte("2c26b46b68ffc68ff99b453c1d304134")
	verpNow    = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
)

func testSigner(t testing.TB, keys ...[]byte) *verp.Signer {
	t.Helper()
	s, err := verp.New(verp.Config{Pattern: verpPattern, Secrets: keys, MaxAge: 30 * 24 * time.Hour, Now: func() time.Time { return verpNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func signFor(t testing.TB, s *verp.Signer, rcpt string, day time.Time) string {
	t.Helper()
	rp, err := s.Sign(rcpt, verp.Options{SendID: "n42", Day: day})
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

// dsn is a Postfix-style DSN delivered to returnPath (its Delivered-To and
// To) about finalRcpt, with origRcpt as Original-Recipient when set.
func dsn(returnPath, finalRcpt, origRcpt string) []byte {
	orcpt := ""
	if origRcpt != "" {
		orcpt = "Original-Recipient: rfc822; " + origRcpt + "\n"
	}
	return []byte(fmt.Sprintf(`Return-Path: <>
Delivered-To: %[1]s
Date: Mon, 23 Nov 2026 09:12:01 +0900
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: %[1]s
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BB"
Message-Id: <%[2]s.dsn@mail.shop.example>

--BB
Content-Type: text/plain

<%[2]s>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown

--BB
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example

Final-Recipient: rfc822; %[2]s
%[3]sAction: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <%[2]s>: User unknown

--BB--
`, returnPath, finalRcpt, orcpt))
}

// textBounce names no recipient: only its signed return path does.
func textBounce(returnPath string) []byte {
	return []byte(`From: MAILER-DAEMON@mx.example.net
To: <` + returnPath + `>
Subject: Delivery failure
Date: Mon, 23 Nov 2026 09:12:01 +0900
Message-ID: <text-1@mx.example.net>

Your message could not be delivered. Remote host said: 550 5.1.1 User unknown
`)
}

// complaint is an ARF report whose Original-Mail-From is returnPath.
func complaint(returnPath, rcpt string) []byte {
	return []byte(`From: Feedback Loop <fbl@isp.example>
To: abuse@shop.example
Subject: Abuse report
Date: Mon, 23 Nov 2026 03:00:00 +0000
Message-ID: <fbl-2@isp.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain; charset=us-ascii

This is an email abuse report.

--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <` + returnPath + `>
Original-Rcpt-To: <` + rcpt + `>

--arf
Content-Type: message/rfc822

From: Example Shop <news@shop.example>
To: ` + rcpt + `
Subject: Weekend sale!
Message-ID: <promo-78@shop.example>

Sale.
--arf--
`)
}

func verpStack(t *testing.T, v VERP) *stack {
	t.Helper()
	s := newStack(t)
	pub, err := publisher.New(context.Background(), s.js, publisher.StreamConfig{Name: "BOUNCED", SubjectPrefix: "bounced"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.pipe = New(s.store, pub, Options{VERP: v})
	return s
}

func handleRaw(t *testing.T, s *stack, raw []byte) {
	t.Helper()
	m := &mailbox.Message{Worker: "shop", Mailbox: "INBOX", UIDValidity: 1, UID: 9, Raw: raw, InternalDate: verpNow}
	if d, err := s.pipe.Handle(context.Background(), m); err != nil || d != mailbox.Processed {
		t.Fatalf("Handle() = %v, %v; want processed", d, err)
	}
}

func TestHandle_verpRequireSigned(t *testing.T) {
	signer := testSigner(t, verpKey, verpOldKey)
	old := testSigner(t, verpOldKey)
	const victim, attacker = "victim@example.com", "attacker@evil.example"
	tests := []struct {
		name       string
		raw        []byte
		rcpt       string
		scope      string // the scope the recipient must be suppressed in, "" for none
		wantState  string
		unverified bool
	}{
		{"signed", dsn(signFor(t, signer, victim, verpNow), victim, ""), victim, "all", Verified, false},
		{"signed by the old key", dsn(signFor(t, old, victim, verpNow), victim, ""), victim, "all", Verified, false},
		{"signed, upper-cased by a relay", dsn(strings.ToUpper(signFor(t, signer, victim, verpNow)), victim, ""), victim, "all", Verified, false},
		// Original-Recipient is the report writer's word too: a forger with
		// a token for himself must not name himself there and the victim
		// as the final recipient.
		{"signed for the Original-Recipient only", dsn(signFor(t, signer, attacker, verpNow), victim, attacker), victim, "", Mismatch, true},
		// A bounce text without a DSN is soft (classify's rule for the verp
		// format): verified and counted, not yet suppressed.
		{"text bounce, recipient only in the return path", textBounce(signFor(t, signer, victim, verpNow)), victim, "", Verified, false},
		{"complaint signed in Original-Mail-From", complaint(signFor(t, signer, victim, verpNow), victim), victim, "marketing", Verified, false},
		{"unsigned return path", dsn("bounces@shop.example", victim, ""), victim, "", Unsigned, true},
		{"plain VERP of before", dsn("bounces+victim=example.com@shop.example", victim, ""), victim, "", Unsigned, true},
		{"forged token", dsn("bounces+aaaaaaaaaaaaaaaa+victim=example.com@shop.example", victim, ""), victim, "", BadSignature, true},
		{"tampered recipient", dsn(strings.Replace(signFor(t, signer, attacker, verpNow), "attacker=evil.example", "victim=example.com", 1), victim, ""), victim, "", BadSignature, true},
		{"signed for another recipient", dsn(signFor(t, signer, attacker, verpNow), victim, ""), victim, "", Mismatch, true},
		{"expired", dsn(signFor(t, signer, victim, verpNow.AddDate(0, 0, -60)), victim, ""), victim, "", Expired, true},
		{"forged complaint", complaint("bounces+aaaaaaaaaaaaaaaa+victim=example.com@shop.example", victim), victim, "", BadSignature, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := verpStack(t, VERP{Signer: signer, Require: true})
			handleRaw(t, s, tc.raw)
			ctx := context.Background()
			for _, scope := range []string{"all", "marketing"} {
				want := tc.scope == "all" || tc.scope == scope
				if ok, err := s.store.IsSuppressed(ctx, tc.rcpt, scope); err != nil || ok != want {
					t.Errorf("IsSuppressed(%s, %s) = %v, %v; want %v", tc.rcpt, scope, ok, err, want)
				}
			}
			rec, err := s.store.Get(ctx, tc.rcpt)
			if err != nil || rec.Verification != tc.wantState {
				t.Errorf("Get(%s) = %+v, %v; want verification %s", tc.rcpt, rec, err, tc.wantState)
			}
			evs := s.events(t)
			if len(evs) == 0 {
				t.Fatal("no event published")
			}
			ev := evs[0]
			if ev.Recipient != tc.rcpt || ev.Verification != tc.wantState || ev.Unverified != tc.unverified || ev.Suppressed != (tc.scope != "") {
				t.Errorf("event = %+v; want recipient %s, verification %s, unverified %v", ev, tc.rcpt, tc.wantState, tc.unverified)
			}
			if got, want := s.pipe.Metrics().Unverified.Load(), map[bool]int64{true: 1, false: 0}[tc.unverified]; got != want {
				t.Errorf("Metrics().Unverified = %d, want %d", got, want)
			}
			added := 0
			for _, ev := range evs {
				if ev.Type == publisher.TypeSuppressionAdded {
					added++
				}
			}
			if added != map[bool]int{true: 1, false: 0}[tc.scope != ""] {
				t.Errorf("%d suppression.added events, want one only when suppressed: %+v", added, evs)
			}
		})
	}
}

// TestHandle_verpOptional: without require_signed unsigned and forged
// bounces suppress as before, marked with what the check found; without a
// signer nothing changes at all.
func TestHandle_verpOptional(t *testing.T) {
	signer := testSigner(t, verpKey)
	const victim = "victim@example.com"
	for _, tc := range []struct {
		name      string
		v         VERP
		raw       []byte
		wantState string
	}{
		{"unsigned", VERP{Signer: signer}, dsn("bounces@shop.example", victim, ""), Unsigned},
		{"forged", VERP{Signer: signer}, dsn("bounces+aaaaaaaaaaaaaaaa+victim=example.com@shop.example", victim, ""), BadSignature},
		{"signed", VERP{Signer: signer}, dsn(signFor(t, signer, victim, verpNow), victim, ""), Verified},
		{"no signer", VERP{}, dsn("bounces@shop.example", victim, ""), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := verpStack(t, tc.v)
			handleRaw(t, s, tc.raw)
			if ok, err := s.store.IsSuppressed(context.Background(), victim, "all"); err != nil || !ok {
				t.Errorf("IsSuppressed() = %v, %v; want true", ok, err)
			}
			ev := s.events(t)[0]
			if ev.Verification != tc.wantState || ev.Unverified {
				t.Errorf("event verification = %q, unverified %v; want %q, false", ev.Verification, ev.Unverified, tc.wantState)
			}
		})
	}
}

func TestHeaderValues(t *testing.T) {
	raw := []byte("Delivered-To: a@x.example\r\nTo: \"Shop\"\r\n <b@x.example>,\r\n\tc@x.example\r\nSubject: x\r\n\r\nTo: body@x.example\r\n")
	got := headerValues(raw, []string{"to", "delivered-to"})
	if len(got) != 2 || got[0] != "a@x.example" {
		t.Fatalf("headerValues() = %q", got)
	}
	if w := addressWords(got[1]); len(w) != 2 || w[0] != "b@x.example" || w[1] != "c@x.example" {
		t.Errorf("addressWords(%q) = %q, want b@x.example and c@x.example", got[1], w)
	}
}
