package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/publisher"
	"github.com/bounced-dev/bounced/verp"
)

// verpBounce is a Postfix DSN for rcpt, delivered to returnPath as a
// local delivery agent does (Delivered-To, X-Original-To) and addressed to
// it.
func verpBounce(returnPath, rcpt string, i int) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf(`Return-Path: <>
Delivered-To: %[1]s
X-Original-To: %[1]s
Date: Mon, 23 Nov 2026 09:12:01 +0900
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: %[1]s
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BB"
Message-Id: <verp-%[3]d@mail.shop.example>

--BB
Content-Type: text/plain

<%[2]s>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)

--BB
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example

Final-Recipient: rfc822; %[2]s
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <%[2]s>: User unknown

--BB
Content-Type: text/rfc822-headers

From: orders@shop.example
To: %[2]s
Subject: Order %[3]d
Message-ID: <verp-order-%[3]d@shop.example>

--BB--
`, returnPath, rcpt, i), "\n", "\r\n"))
}

// TestRun_verpForgedBouncesSuppressNobody runs the daemon with
// verp.require_signed against Dovecot, Redis and NATS: a bounce to a signed
// return path suppresses its recipient; bounces to a forged, a tampered, a
// foreign-signed and an unsigned return path suppress nobody, and each
// shows up as unverified in the address's record and in its event.
func TestRun_verpForgedBouncesSuppressNobody(t *testing.T) {
	s := newStack(t)
	const secret = "9f86d081884c7d659a2feaa0c55ad015"
	s.cfg.VERP = config.VERP{
		ReturnPath:    "bounces+{token}+{local}={domain}@shop.example",
		Secrets:       []config.Secret{secret},
		RequireSigned: true,
	}
	if err := s.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	signer, err := s.cfg.VERP.Signer()
	if err != nil {
		t.Fatal(err)
	}
	sign := func(rcpt string) string {
		rp, err := signer.Sign(rcpt, verp.Options{SendID: "order-7"})
		if err != nil {
			t.Fatal(err)
		}
		return rp
	}
	const (
		good     = "customer@example.net"
		forged   = "victim1@example.net"
		tampered = "victim2@example.net"
		foreign  = "victim3@example.net"
		unsigned = "victim4@example.net"
	)
	cases := []struct {
		rcpt, returnPath, state string
	}{
		{good, sign(good), "verified"},
		{forged, "bounces+aaaaaaaaaaaaaaaa.order-7+victim1=example.net@shop.example", "bad_signature"},
		{tampered, strings.Replace(sign("attacker@evil.example"), "attacker=evil.example", "victim2=example.net", 1), "bad_signature"},
		{foreign, sign("attacker@evil.example"), "mismatch"},
		{unsigned, "bounces+victim4=example.net@shop.example", "unsigned"},
	}
	a := s.run(t)
	for i, c := range cases {
		s.dovecot.Append(t, "INBOX", verpBounce(c.returnPath, c.rcpt, i))
	}
	waitFor(t, 30*time.Second, "every bounce handled", func() bool { return s.dovecot.Count(t, "Processed") == len(cases) })

	ctx := context.Background()
	st := s.store(t)
	evs := map[string][]publisher.Event{}
	for _, ev := range s.events(t) {
		evs[ev.Recipient] = append(evs[ev.Recipient], ev)
	}
	for _, c := range cases {
		wantSuppressed := c.state == "verified"
		if ok, err := st.IsSuppressed(ctx, c.rcpt, "all"); err != nil || ok != wantSuppressed {
			t.Errorf("IsSuppressed(%s) = %v, %v; want %v (%s)", c.rcpt, ok, err, wantSuppressed, c.state)
		}
		rec, err := st.Get(ctx, c.rcpt)
		if err != nil || rec.Verification != c.state || rec.Suppressed != wantSuppressed || rec.Reason != "user_unknown" {
			t.Errorf("Get(%s) = %+v, %v; want the bounce on record with verification %s", c.rcpt, rec, err, c.state)
		}
		var types []publisher.EventType
		for _, ev := range evs[c.rcpt] {
			types = append(types, ev.Type)
			if ev.Type == publisher.TypeBounce && (ev.Verification != c.state || ev.Unverified == wantSuppressed || ev.Suppressed != wantSuppressed) {
				t.Errorf("bounce event for %s = verification %q unverified %v suppressed %v; want %s, %v, %v",
					c.rcpt, ev.Verification, ev.Unverified, ev.Suppressed, c.state, !wantSuppressed, wantSuppressed)
			}
		}
		want := []publisher.EventType{publisher.TypeBounce}
		if wantSuppressed {
			want = append(want, publisher.TypeSuppressionAdded)
		}
		if fmt.Sprint(types) != fmt.Sprint(want) {
			t.Errorf("events for %s = %v, want %v", c.rcpt, types, want)
		}
	}
	if n, err := st.Count(ctx); err != nil || n != 1 {
		t.Errorf("Count() = %d, %v; want 1 (only the signed one)", n, err)
	}
	if !strings.Contains(s.logs.String(), "not suppressing") {
		t.Error("the daemon's log says nothing of the unverified bounces")
	}
	resp, err := http.Get("http://" + a.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := fmt.Sprintf("bounced_recipients_unverified_total %d\n", len(cases)-1); !strings.Contains(string(body), want) {
		t.Errorf("/metrics lacks %q:\n%s", want, body)
	}
	if strings.Contains(s.logs.String(), secret) {
		t.Error("the daemon's log shows the VERP secret")
	}
}
