package decoders

import (
	"fmt"
	"strings"
	"testing"
)

// TestText_htmlNoticeWithTextAttachment: an HTML notice whose only plain
// text part is an attachment (the original's headers as a file) is read
// as the notice, then the attachment; an inline plain part is read alone.
func TestText_htmlNoticeWithTextAttachment(t *testing.T) {
	const msg = "From: mailer-daemon\nTo: rosa@example.es\nSubject: There was an error sending your mail\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" +
		"--b\nContent-Type: %s; charset=us-ascii\n\n%s\n" +
		"--b\nContent-Type: text/plain; name=\"mailheaders.txt\"\nContent-Disposition: attachment; filename=\"mailheaders.txt\"\n\n" +
		"To: javier@example.com, lucia@example.com\nSubject: Presupuesto\n\n--b--\n"
	html := "<p>We had trouble delivering your message. Full details follow:</p>\n<p>The following recipients returned permanent errors: javier@example.com. " +
		"Reason: SMTP Server &lt;192.0.2.223&gt; refused to accept your message (RCPT TO), with the following error message: [550 5.1.1 User unknown]</p>"
	for _, c := range []struct{ ctype, body string }{
		{"text/html", html},
		{"text/plain", "We had trouble delivering your message. Full details follow:\n\nThe following recipients returned permanent errors: javier@example.com. " +
			"Reason: SMTP Server <192.0.2.223> refused to accept your message (RCPT TO), with the following error message: [550 5.1.1 User unknown]"},
	} {
		rep, err := Decode([]byte(fmt.Sprintf(msg, c.ctype, c.body)), testOptions())
		if err != nil || len(rep.Recipients) != 1 || rep.Recipients[0].Address != "javier@example.com" || rep.Recipients[0].Status != "5.1.1" {
			t.Errorf("%s notice: got %+v, %v; want javier@example.com 5.1.1 alone", c.ctype, rep, err)
		}
	}

	// An inline plain part beside an HTML one: the plain text alone.
	m, err := newMessage([]byte("MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"+
		"--b\nContent-Type: text/plain\n\nplain words\n--b\nContent-Type: text/html\n\n<p>html words</p>\n--b--\n"), testOptions(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.text(); strings.Contains(got, "html") || !strings.Contains(got, "plain words") {
		t.Errorf("text() = %q, want the plain part's", got)
	}
}

// TestEnrichFromText_laterMention: a delivery-status part without
// Diagnostic-Codes whose notice first lists the recipients and then gives
// each one's reply on a later line (chasquid's, Haraka's notices): each
// recipient takes its own reply, not the list.
func TestEnrichFromText_laterMention(t *testing.T) {
	for _, notice := range []string{
		"Delivery of your message to the following recipient(s) failed permanently:\n\n  - a@example.net\n  - b@example.net\n\n\n" +
			"Technical details:\n- \"b@example.net\" (EMAIL) failed permanently with error:\n    MAIL+RCPT 552 5.2.2 <b@example.net>: Mailbox full, quota exceeded\n" +
			"- \"a@example.net\" (EMAIL) failed permanently with error:\n    MAIL+RCPT 550 5.1.1 <a@example.net>: User unknown in local recipient table\n",
		"I'm afraid I wasn't able to deliver your message to the following addresses.\n\n" +
			"Intended Recipients: <a@example.net>, <b@example.net>\nFailure Reason: Error: Some recipients failed: <a@example.net>, <b@example.net>\n\n" +
			"<a@example.net>: 550 5.1.1 <a@example.net>: User unknown in local recipient table\n<b@example.net>: 552 5.2.2 <b@example.net>: Mailbox full, quota exceeded\n",
	} {
		rs := []Recipient{{Address: "a@example.net", Action: "failed", Status: "5.0.0"}, {Address: "b@example.net", Action: "failed", Status: "5.0.0"}}
		enrichFromText(rs, notice)
		if rs[0].Status != "5.1.1" || !strings.Contains(rs[0].Diagnostic, "User unknown") || strings.Contains(rs[0].Diagnostic, "Mailbox full") ||
			rs[1].Status != "5.2.2" || !strings.Contains(rs[1].Diagnostic, "Mailbox full") || strings.Contains(rs[1].Diagnostic, "User unknown") {
			t.Errorf("enrichFromText: %+v", rs)
		}
	}
	// Each recipient on its line in one paragraph (McAfee's): its own line.
	rs := []Recipient{{Address: "a@example.net", Action: "failed"}, {Address: "b@example.net", Action: "failed"}}
	enrichFromText(rs, "--- The following addresses had delivery problems ---\n\n"+
		"<a@example.net>   (550 5.1.1 <a@example.net>... User unknown)\n<b@example.net>   (552 5.2.2 <b@example.net>... Mailbox full)\n")
	if strings.Contains(rs[0].Diagnostic, "Mailbox full") || rs[0].Status != "5.1.1" || rs[1].Status != "5.2.2" {
		t.Errorf("enrichFromText, one line each: %+v", rs)
	}
	// One recipient: the summary naming it has no code, its later line has.
	rs = []Recipient{{Address: "grey@example.net", Action: "failed", Status: "5.0.0"}}
	enrichFromText(rs, "Intended Recipients: <grey@example.net>\nFailure Reason: Error: Too many failures (Some recipients temp failed: <grey@example.net>)\n\n"+
		"<grey@example.net>: 450 4.7.1 <grey@example.net>: Recipient address rejected: Greylisted, please try again later\n")
	if rs[0].ReplyCode != "450" || !strings.Contains(rs[0].Diagnostic, "Greylisted") {
		t.Errorf("enrichFromText, one recipient: %+v", rs)
	}
}

// TestFallback_oneRecipientLaterReply: a text notice naming its one
// recipient alone under a heading and again in the server's reply
// further down (mox's) takes that reply.
func TestFallback_oneRecipientLaterReply(t *testing.T) {
	msg := "From: <postmaster@mox.example.com>\nTo: <sender@example.com>\nSubject: mail delivery failed\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\n\n" +
		"Delivery has failed permanently for your email to:\n\n\tfull@example.net\n\nNo further deliveries will be attempted.\n\n" +
		"Error during the last delivery attempt:\n\n\tdelivering message to mx.example.net:25: transient: 552 5.2.2 <full@example.net>: Recipient address rejected: Mailbox full, quota exceeded\n\n" +
		"Full SMTP response:\n\n\t552 5.2.2 <full@example.net>: Recipient address rejected: Mailbox full, quota exceeded\n\n--b--\n"
	rep, err := Decode([]byte(msg), testOptions())
	if err != nil || len(rep.Recipients) != 1 || rep.Recipients[0].Status != "5.2.2" || !strings.Contains(rep.Recipients[0].Diagnostic, "Mailbox full") {
		t.Errorf("Decode = %+v, %v; want full@example.net 5.2.2 Mailbox full", rep, err)
	}
}

// TestDSN_eximEscapes: Exim's \ooo escapes of a reply's UTF-8 bytes in a
// Diagnostic-Code are read back whichever decoder reads the part (a
// report without Exim's notice, as dsn-only leaves it).
func TestDSN_eximEscapes(t *testing.T) {
	msg := "From: Mail Delivery System <Mailer-Daemon@mta.example.com>\nTo: sender@example.com\n" +
		"Subject: Mail delivery failed: returning message to sender\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mta.example.com\n\nAction: failed\nFinal-Recipient: rfc822;policy@example.net\nStatus: 5.0.0\n" +
		"Diagnostic-Code: smtp; 550 5.7.1 <policy@example.net>: \\345\\217\\227\\344\\277\\241\\346\\213\\222\\345\\220\\246\n\n--b--\n"
	rep, err := Decode([]byte(msg), testOptions())
	if err != nil || len(rep.Recipients) != 1 || !strings.Contains(rep.Recipients[0].Diagnostic, "受信拒否") {
		t.Errorf("Decode = %+v, %v; want the diagnostic unescaped", rep, err)
	}
}

// TestX6_foldedError: an X6 error paragraph folded by a relay (the list
// of addresses cut after "errors:", the reply on its own line) is read as
// the one line it was.
func TestX6_foldedError(t *testing.T) {
	msg := "From: mailer-daemon\nTo: rosa@example.es\nSubject: There was an error sending your mail\n\n" +
		"We had trouble delivering your message. Full details follow:\n\n1 error(s):\n\n" +
		"The following recipients returned temporary errors:\n    javier@example.com. Reason: SMTP Server <192.0.2.223> refused\n" +
		"    to accept your message (RCPT TO), with the following error\n    message: [452 4.2.2 Mailbox temporarily over quota]\n\nThe attachment contains the original mail headers.\n"
	rep, err := Decode([]byte(msg), testOptions())
	if err != nil || rep.Format != "x6" || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one x6 recipient", rep, err)
	}
	if r := rep.Recipients[0]; r.Address != "javier@example.com" || r.Action != "delayed" || r.Status != "4.2.2" || r.Command != "RCPT" {
		t.Errorf("recipient %+v, want javier@example.com delayed 4.2.2 at RCPT", r)
	}
}

// TestFoldedReplies: the server's reply quoted on one line, folded by a
// relay, is read whole by Exchange's and X2's decoders.
func TestFoldedReplies(t *testing.T) {
	for _, c := range []struct{ name, msg, want string }{
		{"exchange", "From: Microsoft Outlook <postmaster@corp.example.com>\nTo: shop@shop.example\nSubject: Undeliverable: Quarterly report\n\n" +
			"Delivery has failed to these recipients or groups:\n\nSara Voss (sara.voss@example.net)\nYour message wasn't delivered.\n\n" +
			"Diagnostic information for administrators:\n\nGenerating server: EX2.corp.example.com\n\nsara.voss@example.net\nmx.example.net\n" +
			"Remote Server returned '550 5.7.1 Service unavailable; Client\n    host [203.0.113.9] blocked using zen.spamhaus.org'\n\nOriginal message headers:\n\nTo: <sara.voss@example.net>\n",
			"blocked using zen.spamhaus.org"},
		{"x2", "From: MAILER-DAEMON@example.co.jp\nTo: riku.kondo@example.net\nSubject: failure delivery\n\n" +
			"Message from example.co.jp.\nUnable to deliver message to the following address(es).\n\n<shun.ota@example.ne.jp>:\n" +
			"Remote host said: 550 5.7.1 <shun.ota@example.ne.jp>... Message\n    rejected as spam [END_OF_MESSAGE]\n\n--- Original message follows.\n",
			"rejected as spam"},
	} {
		rep, err := Decode([]byte(c.msg), testOptions())
		if err != nil || len(rep.Recipients) != 1 || !strings.Contains(rep.Recipients[0].Diagnostic, c.want) {
			t.Errorf("%s: Decode = %+v, %v; want the diagnostic to hold %q", c.name, rep, err, c.want)
		}
	}
}

// TestNoticeRecipients_repeatedLabel: the same label before an address on
// several lines ("Unable to deliver message to: <a>", a paragraph for
// each recipient) lists them all, not only the first sentence's.
func TestNoticeRecipients_repeatedLabel(t *testing.T) {
	msg := "From: MAILER-DAEMON@example.org\nTo: nina@example.net\nSubject: Message delivery has failed\n\n" +
		"Unable to deliver message to: <oscar@example.org>\nDelivery failed for the following reason:\n" +
		"Server mx2.example.org[192.0.2.222] failed with: 550 5.1.1 <oscar@example.org>: User unknown\n\n" +
		"Unable to deliver message to: <petra@example.org>\nDelivery failed for the following reason:\n" +
		"Server mx2.example.org[192.0.2.222] failed with: 552 5.2.2 <petra@example.org>: Mailbox full\n"
	m, err := newMessage([]byte(msg), testOptions(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := noticeRecipients(m, m.notice()); len(got) != 2 || got[0] != "oscar@example.org" || got[1] != "petra@example.org" {
		t.Errorf("noticeRecipients = %q, want oscar and petra", got)
	}
	// ZMailer's text report: "rfc822;a" under each "Final Recipient:",
	// a transcript ("RCPT To:<a>") for one of them only.
	msg = "From: The Post Office <postmaster@mail.example.fi>\nTo: shop@shop.example\nSubject: Delivery reports about your email [FAILED(2)]\n\n" +
		"FAILED:\n  Final Recipient:\n      RFC822;dora@example.fi\n  Status:\n      5.1.1\n  Diagnostic texts:\n      <<- RCPT To:<dora@example.fi>\n      ->> 550 5.1.1 User unknown\n\n" +
		"FAILED:\n  Final Recipient:\n      RFC822;eero@example.net\n  Status:\n      5.7.1\n  Diagnostic Code:\n      smtp; 550 refused by blackhole site\n"
	if m, err = newMessage([]byte(msg), testOptions(), false); err != nil {
		t.Fatal(err)
	}
	if got := noticeRecipients(m, m.notice()); len(got) != 2 || got[0] != "dora@example.fi" || got[1] != "eero@example.net" {
		t.Errorf("noticeRecipients(zmailer) = %q, want dora and eero", got)
	}
}

// TestMimecast_warningText: Mimecast's warning read from its text alone
// (no delivery-status part) is a delay, as its words say.
func TestMimecast_warningText(t *testing.T) {
	msg := "Subject: [Postmaster] Email Delivery Warning\nMessage-Id: <1223399999-77881111@uk-mta-113.uk.mimecast.lan>\n" +
		"From: Postmaster <postmaster@example.co.uk>\nTo: <harriet.cole@example.co.uk>\n\n" +
		"This is a delivery status notification message indicating that\nan email you addressed to email address :\n-- ian.ford@example.net\n\n" +
		"has not yet been delivered. The problem appears to be :\n-- Recipient mailbox is full\n\nAdditional information follows :\n" +
		"-- 452 4.2.2 Mailbox full, try again later\n\nDelivery will continue to be attempted. You do not need to resend\n" +
		"the message; you will be notified if delivery fails permanently.\n"
	rep, err := Decode([]byte(msg), testOptions())
	if err != nil || rep.Format != "mimecast" || len(rep.Recipients) != 1 || rep.Recipients[0].Action != "delayed" {
		t.Errorf("Decode = %+v, %v; want one delayed mimecast recipient", rep, err)
	}
}
