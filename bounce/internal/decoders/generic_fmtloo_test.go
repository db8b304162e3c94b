package decoders

import (
	"testing"
	"time"
)

// decodeGenericOnly decodes raw with the generic readers only (the
// stages TestFormatLeaveOneOut's "generic" figures use), failing t when
// decoding takes more than a few seconds.
func decodeGenericOnly(t *testing.T, raw string) *Report {
	t.Helper()
	var rep *Report
	withRegistry(genericStage, func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			rep, _ = Decode([]byte(raw), testOptions())
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Decode still running after 10s")
		}
	})
	return rep
}

// TestLaterMention_emptyAddress: a delivery-status part whose
// Final-Recipient names a pipe holds no address; looking for its "later
// mention" must not search for the empty string for ever.
func TestLaterMention_emptyAddress(t *testing.T) {
	if got := laterMention("550 5.1.1 user unknown\nagain 550 user unknown\n", "d", "", nil); got != "d" {
		t.Errorf("laterMention with no address = %q, want d", got)
	}
	raw := "From: Mail Delivery System <mailer-daemon@mx.example.org>\nTo: s@example.com\nSubject: failed\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n" +
		"--B\nContent-Type: text/plain\n\nThe following address failed:\n\n  pipe to |/usr/bin/prog\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n" +
		"Action: failed\nFinal-Recipient: rfc822;|/usr/bin/prog\nStatus: 5.0.0\n\n--B--\n"
	decodeGenericOnly(t, raw)
}

// TestNoticeRecipients_xOriginalTo: a mail system that writes
// X-Original-To on the notice it makes names there the recipient the
// returned message was for, not the bounce's own addressee (the To), so
// the plain-text reader must not skip it; one that names the bounce's
// To stays skipped.
func TestNoticeRecipients_xOriginalTo(t *testing.T) {
	notice := "There was an error delivering your mail to <rcpt@example.net>.\n\n" +
		"mx.example.net [192.0.2.1] did not like our RCPT TO:\n550 5.1.1 <rcpt@example.net>: Recipient address rejected: User unknown\n\n" +
		"Message headers follow.\n\nSubject: hello\nTo: <rcpt@example.net>\nFrom: <s@example.com>\n"
	for _, c := range []struct{ name, xto, want string }{
		{"the returned message's recipient", "<rcpt@example.net>", "rcpt@example.net"},
		{"the bounce's own addressee", "s@example.com", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := "X-Original-To: " + c.xto + "\nFrom: MAILER-DAEMON <>\nTo: s@example.com\nSubject: Mail delivery failed\n\n" + notice
			rep := decodeGenericOnly(t, raw)
			var got []string
			for _, r := range rep.Recipients {
				got = append(got, r.Address)
			}
			if c.want == "" {
				for _, a := range got {
					if a == "s@example.com" {
						t.Errorf("recipients %v: the bounce's own addressee taken", got)
					}
				}
				return
			}
			if len(got) != 1 || got[0] != c.want || rep.Recipients[0].Status != "5.1.1" {
				t.Errorf("recipients %+v, want %s with 5.1.1", rep.Recipients, c.want)
			}
		})
	}
}

// TestDecodeText_sectionsAndReplyLines: a notice whose marker lines head
// its own sections (a list of addresses, a session transcript) before
// the one that heads the returned message, with the refused recipients
// written as a server's reply lines ("554 <a>... reply"): the plain-text
// reader reads the sections, takes every recipient a reply line names,
// each with its own line as the diagnostic, and not the sender a reply
// line names.
func TestDecodeText_sectionsAndReplyLines(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>\nTo: s@example.com\n" +
		"Subject: Returned mail: Host unknown\n\n" +
		"   ----- Transcript of session follows -----\n" +
		"While talking to mx.example.net:\n>>> MAIL From:<s@example.com>\n<<< 501 <s@example.com>... refused\n" +
		"554 <a@example.net>... Remote protocol error\n" +
		"550 example.org (smtp)... 550 Host unknown\n" +
		"554 <b@example.org>... 550 Host unknown (Authoritative answer from name server)\n" +
		"550 5.1.1 <c@example.edu>: User unknown\n\n" +
		"   ----- Unsent message follows -----\n" +
		"From: s@example.com\nTo: a@example.net\nSubject: hi\n\nhello\n"
	rep := decodeGenericOnly(t, raw)
	want := map[string]string{
		"a@example.net": "554 <a@example.net>... Remote protocol error",
		"b@example.org": "554 <b@example.org>... 550 Host unknown (Authoritative answer from name server)",
		"c@example.edu": "550 5.1.1 <c@example.edu>: User unknown",
	}
	if len(rep.Recipients) != len(want) {
		t.Fatalf("recipients %+v, want %d", rep.Recipients, len(want))
	}
	for _, r := range rep.Recipients {
		if d, ok := want[r.Address]; !ok || r.Diagnostic != d {
			t.Errorf("%s: diagnostic %q, want %q", r.Address, r.Diagnostic, d)
		}
	}
	if !replyLead("550 5.1.1", ": no such user") || replyLead("550 Your mail from", ") was refused") || replyLead("250", "... ok") {
		t.Error("replyLead: a 4xx/5xx code and status before the address, then its reply's text")
	}
}

// TestDecodeText_nullReversePath: a notice that came with the null
// reverse-path (Return-Path: <>) and says in words that a message could
// not be delivered and why is a mail system's, whatever its From and
// Subject; one whose From is "<>" too has a mark beyond its subject. A
// person's mail with a bounce word in its subject and a From of its own
// is still not read as a bounce.
func TestDecodeText_nullReversePath(t *testing.T) {
	for _, c := range []struct{ name, raw, want string }{
		{"null path, words of failure", "Return-Path: <>\nFrom: no-reply@notice.example.net\nTo: s@example.com\nSubject: Mail\n\n" +
			"Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900\n     Could not be delivered to: <a@example.net>\n     As their mailbox is full.\n", "a@example.net"},
		{"null path and null From, bounce subject", "Return-Path: <>\nFrom: <>\nTo: s@example.com\nSubject: failure notice\n\n" +
			"The message could not be sent to this address:\nb@example.org\n\n-------server message\n550 b@example.org... No such user\n", "b@example.org"},
		{"a person's mail", "From: Pat <pat@example.com>\nTo: s@example.com\nSubject: failure notice\n\n" +
			"Hi, the 550 you asked about: b@example.org is fine now.\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := decodeGenericOnly(t, c.raw)
			if c.want == "" {
				if rep.Kind == KindBounce {
					t.Errorf("read as a bounce: %+v", rep.Recipients)
				}
				return
			}
			if len(rep.Recipients) != 1 || rep.Recipients[0].Address != c.want {
				t.Errorf("recipients %+v (kind %s), want %s", rep.Recipients, rep.Kind, c.want)
			}
		})
	}
}

// TestDecodeGenericDSN_noMailbox: a delivery-status part whose
// Final-Recipient names no mailbox (a pipe, "@host") is left to the
// readers after the DSN reader, which find the recipient in
// X-Failed-Recipients or in the notice's words.
func TestDecodeGenericDSN_noMailbox(t *testing.T) {
	dsn := func(head, text, final string) string {
		return "From: Mail Delivery System <mailer-daemon@mx.example.org>\nTo: s@example.com\nSubject: Mail delivery failed\n" + head +
			"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n" +
			"--B\nContent-Type: text/plain\n\n" + text + "\n--B\nContent-Type: message/delivery-status\n\n" +
			"Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822;" + final + "\nAction: failed\nStatus: 5.1.2\n\n--B--\n"
	}
	for _, c := range []struct{ name, raw, want string }{
		{"a pipe, X-Failed-Recipients", dsn("X-Failed-Recipients: a@example.com\n",
			"The following address failed:\n\n  pipe to |/usr/bin/prog a@example.com\n", "|/usr/bin/prog a@example.com"), "a@example.com"},
		{"@host, the notice's list", dsn("",
			"The following addresses had permanent fatal errors:\n<b@example.org>\n    (reason: 550 Host unknown)\n", "@mx.example.org"), "b@example.org"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := decodeGenericOnly(t, c.raw)
			if len(rep.Recipients) != 1 || rep.Recipients[0].Address != c.want || rep.Kind != KindBounce {
				t.Errorf("recipients %+v (kind %s), want %s", rep.Recipients, rep.Kind, c.want)
			}
		})
	}
}
