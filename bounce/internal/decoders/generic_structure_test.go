package decoders

import (
	"strconv"
	"strings"
	"testing"
)

// genericRecipient decodes raw with the generic readers only and returns
// its recipient addr, failing t when the report does not name it.
func genericRecipient(t *testing.T, raw, addr string) Recipient {
	t.Helper()
	rep := decodeGenericOnly(t, raw)
	if rep == nil || rep.Kind == KindNotBounce {
		t.Fatalf("generic readers read nothing (%+v)", rep)
	}
	for _, r := range rep.Recipients {
		if strings.EqualFold(r.Address, addr) {
			return r
		}
	}
	t.Fatalf("no recipient %s in %+v", addr, rep.Recipients)
	return Recipient{}
}

// TestNoticeRecipients_mailSystemRecipient: a mail system's address
// (postmaster@) in a notice is taken for the reporting system's own and
// skipped, unless the returned message was sent to it (its To, or the
// notice's X-Original-To): then it is the recipient that failed. A
// notice that only names its own postmaster still names nobody.
func TestNoticeRecipients_mailSystemRecipient(t *testing.T) {
	listed := "From: postmaster@mx.example.net\nTo: s@example.com\nSubject: Returned mail: Service unavailable\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\n" +
		"   ----- The following addresses had delivery problems -----\npostmaster@example.org\n\n" +
		"   ----- Non-delivered information -----\nThe recipient's mailbox is full.\n\n" +
		"--B\nContent-Type: message/rfc822\n\nTo: <postmaster@example.org>\nFrom: <s@example.com>\nSubject: hi\n\nhello\n--B--\n"
	sentence := "X-Original-To: <postmaster@example.org>\nFrom: MAILER-DAEMON <>\nTo: s@example.com\nSubject: Mail delivery failed\n\n" +
		"There was an error delivering your mail to <postmaster@example.org>.\n\n" +
		"DNS lookup failure: host example.org not found\n\nMessage headers follow.\n\n" +
		"Received: from root (uid 0)\n\tby mx.example.com;\n\tTue, 11 Jun 2024 18:15:33 +0900\n" +
		"Subject: hi\nTo: <postmaster@example.org>\nFrom: <s@example.com>\n\n"
	t.Run("listed, the returned message's To", func(t *testing.T) {
		genericRecipient(t, listed, "postmaster@example.org")
	})
	t.Run("in a sentence, the notice's X-Original-To", func(t *testing.T) {
		r := genericRecipient(t, sentence, "postmaster@example.org")
		if !strings.Contains(r.Diagnostic, "not found") {
			t.Errorf("diagnostic %q, want the DNS failure", r.Diagnostic)
		}
	})
	t.Run("the reporting system's own postmaster", func(t *testing.T) {
		own := strings.Replace(listed, "To: <postmaster@example.org>", "To: <rcpt@example.org>", 1)
		own = strings.Replace(own, "postmaster@example.org\n\n", "rcpt@example.org\nPlease write to\npostmaster@mx.example.net\n\n", 1)
		rep := decodeGenericOnly(t, own)
		for _, r := range rep.Recipients {
			if isBounceSender(r.Address) {
				t.Errorf("recipient %s: the notice's own mail system", r.Address)
			}
		}
	})
}

// TestParagraphsAfter_sectionHeading: a notice that heads its sections
// with dashed lines ("----- Non-delivered information -----") gives the
// cause beneath the heading of the section after the recipient's; a
// returned message's marker is no such heading.
func TestParagraphsAfter_sectionHeading(t *testing.T) {
	notice := "   ----- The following addresses had delivery problems -----\nrcpt@example.org\n\n" +
		"   ----- Non-delivered information -----\nThe recipient's mailbox is full.\n"
	if got := paragraphAfter(notice, "rcpt@example.org"); got != "The recipient's mailbox is full." {
		t.Errorf("paragraphAfter = %q, want the section's text", got)
	}
	marker := "rcpt@example.org\n\n----- Original message follows -----\nTo: rcpt@example.org\n"
	if got := paragraphAfter(marker, "rcpt@example.org"); got != "" {
		t.Errorf("paragraphAfter over a returned message's marker = %q, want \"\"", got)
	}
	for line, want := range map[string]bool{
		"   ----- Non-delivered information -----": true,
		"----- Original message follows -----":     false,
		"------------------------------":           false,
		"--- a --- b ---":                          false,
	} {
		if got := sectionHeading(line); got != want {
			t.Errorf("sectionHeading(%q) = %v, want %v", line, got, want)
		}
	}
}

// TestDecodeText_soleReturnedRecipient: a notice that names no address
// but says the message could not be delivered (its words cut by a line
// break), or whose only words are a session transcript under its marker,
// failed for the returned message's one recipient; a notice that says
// neither, or a returned message with two recipients, names nobody.
func TestDecodeText_soleReturnedRecipient(t *testing.T) {
	head := "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\nTo: s@example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
	said := head + "This is the mail system at host mx.example.com.\n\nI'm sorry to have to inform you that your message could not\n" +
		"be delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n" +
		"--- Below this line is a copy of the message.\n\nFrom: <s@example.com>\nTo: rcpt@example.org\nSubject: hi\n\nhello\n"
	transcript := "From: Mail Delivery Subsystem <MAILER-DAEMON@example.com>\nTo: s@example.com\nSubject: Returned mail: Cannot send message for 4 days\n\n" +
		"   ----- Transcript of session follows -----\n421 example.org (smtp)... Deferred: Connection timed out during user open with example.org\n\n" +
		"   ----- Unsent message follows -----\nReceived: by mx.example.com; id 0000000;\n    Thu, 29 Apr 1995 23:34:45 +0900\n" +
		"From: s@example.com\nTo: rcpt@example.org\nSubject: hi\n\nhello\n"
	t.Run("could not be delivered", func(t *testing.T) {
		genericRecipient(t, said, "rcpt@example.org")
	})
	t.Run("a transcript under its marker", func(t *testing.T) {
		r := genericRecipient(t, transcript, "rcpt@example.org")
		if r.ReplyCode != "421" || !strings.Contains(r.Diagnostic, "Connection timed out") {
			t.Errorf("reply %q diagnostic %q, want the transcript's", r.ReplyCode, r.Diagnostic)
		}
	})
	for name, raw := range map[string]string{
		"no failure words":           strings.Replace(said, "could not\nbe delivered to one or more recipients", "was read by its\nrecipients", 1),
		"two returned recipients":    strings.Replace(said, "To: rcpt@example.org", "To: rcpt@example.org, other@example.org", 1),
		"a transcript about another": strings.Replace(transcript, "421 example.org (smtp)... Deferred: Connection timed out during user open with example.org", "550 ghost... User unknown", 1),
		"a marker and no words":      strings.Replace(transcript, "421 example.org (smtp)... Deferred: Connection timed out during user open with example.org", "see below", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if rep := decodeGenericOnly(t, raw); rep != nil && rep.Kind != KindNotBounce && len(rep.Recipients) > 0 {
				t.Errorf("recipients %+v, want none", rep.Recipients)
			}
		})
	}
}

// TestDecodeJSONNotice: a delivery event mailed as JSON is read by RFC
// 3464's fields in JSON's spelling, inside a notification service's
// envelope too; a delivery is reported delivered, and an object without
// those fields (a complaint, a list of addresses) reports no one.
func TestDecodeJSONNotice(t *testing.T) {
	head := "From: Events <no-reply@events.example.net>\nTo: s@example.com\nSubject: Notification Message\nContent-Type: text/plain\n\n"
	bounce := `{"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"a@example.org","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},` +
		`"mail":{"destination":["a@example.org","c@example.org"],"headers":[{"name":"To","value":"a@example.org"}]}}`
	enveloped := "{\n  \"Type\" : \"Notification\",\n  \"Message\" : " + strconv.Quote(bounce) + "\n}\n"
	delivery := `{"notificationType":"Delivery","mail":{"destination":["b@example.org"]},"delivery":{"recipients":["b@example.org"],"smtpResponse":"250 2.6.0 Message received"}}` +
		"\n\n--\nTo stop receiving these notifications, unsubscribe.\n"
	for _, c := range []struct {
		name, body, addr, action, status string
		kind                             Kind
	}{
		{"bounce", bounce, "a@example.org", "failed", "5.1.1", KindBounce},
		{"bounce in an envelope", enveloped, "a@example.org", "failed", "5.1.1", KindBounce},
		{"delivery", delivery, "b@example.org", "delivered", "2.6.0", KindDelivered},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := decodeGenericOnly(t, head+c.body)
			if rep == nil || rep.Kind != c.kind || len(rep.Recipients) != 1 {
				t.Fatalf("report %+v, want one recipient, kind %s", rep, c.kind)
			}
			r := rep.Recipients[0]
			if r.Address != c.addr || r.Action != c.action || r.Status != c.status {
				t.Errorf("recipient %+v, want %s %s %s", r, c.addr, c.action, c.status)
			}
		})
	}
	for name, body := range map[string]string{
		"complaint":       `{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"a@example.org"}],"complaintFeedbackType":"abuse"}}`,
		"addresses alone": `{"recipients":["a@example.org"],"note":"hello"}`,
		"unknown action":  `{"recipient":"a@example.org","action":"opened"}`,
	} {
		t.Run(name, func(t *testing.T) {
			if rep := decodeJSONNotice(newTestMessage(t, head+body)); rep != nil {
				t.Errorf("report %+v, want none", rep)
			}
		})
	}
}

// newTestMessage parses raw as Decode does, failing t on an error.
func newTestMessage(t *testing.T, raw string) *message {
	t.Helper()
	m, err := newMessage([]byte(raw), testOptions(), false)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFailureAfterSuccess: a session transcript that took the recipient
// ("250 2.1.5 Ok") and then refused the message ("451 4.3.0 ..." to
// DATA) gives the refusal's codes as the recipient's, not the
// acceptance's; words whose first reply is a failure, or that have no
// positive reply before it ("Office 365 ... 550"), are read as they were.
func TestFailureAfterSuccess(t *testing.T) {
	for in, want := range map[string]string{
		"RCPT TO:<a@example.org> Out: 250 2.1.5 Ok In: DATA Out: 354 End data Out: 451 4.3.0 Error: queue file write error": "451 4.3.0 Error: queue file write error",
		"550 5.1.1 <a@example.org>: unknown; then 250 ok":                                                                   "",
		"host said: 552 mailbox full":                        "",
		"Office 365 a Status code: 550 5.0.0 mailbox full":   "",
		"accepted for 2013 days, 20 tries, 550 user unknown": "",
	} {
		if got := failureAfterSuccess(in); got != want {
			t.Errorf("failureAfterSuccess(%q) = %q, want %q", in, got, want)
		}
	}
	raw := "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\nTo: postmaster@mx.example.com\n" +
		"Subject: Postfix SMTP server: errors from client.example.net[192.0.2.2]\n\nTranscript of session follows.\n\n" +
		" Out: 220 mx.example.com ESMTP\n In:  EHLO client.example.net\n Out: 250 mx.example.com\n" +
		" In:  MAIL FROM:<s@example.net>\n Out: 250 2.1.0 Ok\n In:  RCPT TO:<rcpt@example.org>\n Out: 250 2.1.5 Ok\n" +
		" In:  DATA\n Out: 354 End data with <CR><LF>.<CR><LF>\n Out: 451 4.3.0 Error: queue file write error\n" +
		" In:  QUIT\n Out: 221 2.0.0 Bye\n\nFor other details, see the local mail logfile\n"
	r := genericRecipient(t, raw, "rcpt@example.org")
	if r.ReplyCode != "451" || r.Status != "4.3.0" {
		t.Errorf("reply %q status %q, want 451 4.3.0 (diagnostic %q)", r.ReplyCode, r.Status, r.Diagnostic)
	}
}

// TestNoticeRecipients_fieldLine: a notice that quotes the returned
// message's header after a marker the readers do not know ("Original
// message follows.") shows "Reply-To: <a>": a field's name before a
// colon is no display name, and the address no recipient; a recipient
// label ("To:") still is, and a name before an address still makes a
// list's line.
func TestNoticeRecipients_fieldLine(t *testing.T) {
	raw := "From: postmaster@mx.example.com\nTo: s@example.org\nSubject: Undeliverable Mail\n\n" +
		"Unknown user: rcpt@example.com\n\n\nOriginal message follows.\n\n" +
		"Received: from example.org by mx.example.com; Thu, 29 Apr 2009 23:45:10 -0600\n" +
		"From: Sam Sender <s@example.org>\nReply-To: replies@example.org\nTo: rcpt@example.com\nSubject: hi\n\nhello\n"
	rep := decodeGenericOnly(t, raw)
	if rep == nil || len(rep.Recipients) != 1 || rep.Recipients[0].Address != "rcpt@example.com" {
		t.Errorf("recipients %+v, want rcpt@example.com alone", rep)
	}
	list := "From: MAILER-DAEMON@mx.example.com\nTo: s@example.org\nSubject: Undeliverable Mail\n\n" +
		"Your message could not be delivered to these recipients (mailbox unavailable):\n\nLars Berger <lars@example.com>\n"
	genericRecipient(t, list, "lars@example.com")
}

// TestDecodeGenericDSN_inlineSections: a DSN pasted into the text after
// a Sendmail notice whose sections stand under marker lines ("-----
// Transcript of session follows -----"), with no Diagnostic-Code: the
// words above the fields are the notice's, the returned message coming
// after them, and the transcript's reply and the local mailer's line that
// names the recipient by its local part say why.
func TestDecodeGenericDSN_inlineSections(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\nTo: s@example.com\nSubject: Returned mail: User unknown\n\n" +
		"The original message was received at Thu, 29 Apr 2000 23:34:45 +0900\nfrom [192.0.2.230]\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\n<rcpt@example.net>\n\n" +
		"   ----- Transcript of session follows -----\nmail.local: unknown user: rcpt\n554 <rcpt@example.net>... Service unavailable\n\n" +
		"Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: RFC822; <rcpt@example.net>\nAction: failed\nStatus: 5.5.0\n\n" +
		"From: s@example.com\nSubject: hi\nTo: rcpt@example.net\n\nhello\n"
	r := genericRecipient(t, raw, "rcpt@example.net")
	if r.ReplyCode != "554" || !strings.Contains(r.Diagnostic, "unknown user") {
		t.Errorf("reply %q diagnostic %q, want the transcript's 554 and the local mailer's cause", r.ReplyCode, r.Diagnostic)
	}
}

// TestAboveQuotedHeader: a notice that names its recipient only in the
// returned message's header, quoted under "Original Message:", says why
// in the paragraph above the header, not in the fields after the To.
func TestAboveQuotedHeader(t *testing.T) {
	raw := "From: NDR Administrator <sysadmin@mms.example.net>\nTo: s@example.com\nSubject: Undeliverable Message\n\n" +
		"Message could not be delivered to mobile.\nError: No valid recipients for this MM\n\n\nOriginal Message:\n" +
		"From: Sam <s@example.com>\nTo: 0000000000@mms.example.net\nSubject: test\nDate:  Wed, 20 Jun 2013 10:29:52 +0000\n"
	r := genericRecipient(t, raw, "0000000000@mms.example.net")
	if want := "Message could not be delivered to mobile. Error: No valid recipients for this MM"; !strings.HasPrefix(r.Diagnostic, want) {
		t.Errorf("diagnostic %q, want it to start %q", r.Diagnostic, want)
	}
	if got := aboveQuotedHeader("Hello there.\n\nTo: a@example.org\nSubject: hi\n", "a@example.org"); got != "" {
		t.Errorf("aboveQuotedHeader over words that say no failure = %q, want \"\"", got)
	}
}

// TestDecodeText_lineAbove: a notice that says nothing else of its one
// recipient gives the line above its address, under a section heading
// ("------- Failure Reasons --------"), as its diagnostic, in whatever
// words; a heading that introduces the list ("...failed permanently:")
// is no such line.
func TestDecodeText_lineAbove(t *testing.T) {
	head := "From: postmaster@n.example.co.jp\nTo: s@example.jp\nSubject: Undeliverable message\n\n------- Failure Reasons  --------\n\n"
	tail := "\n------- Returned Message --------\nFrom: s@example.jp\nTo: rcpt@example.co.jp\nSubject: hi\n\nhello\n"
	r := genericRecipient(t, head+"ディレクトリのリストにありません\nrcpt@example.co.jp\n"+tail, "rcpt@example.co.jp")
	if r.Diagnostic != "ディレクトリのリストにありません" {
		t.Errorf("diagnostic %q, want the line above the address", r.Diagnostic)
	}
	r = genericRecipient(t, head+"Delivery to the following recipients failed permanently:\nrcpt@example.co.jp\n"+tail, "rcpt@example.co.jp")
	if strings.Contains(r.Diagnostic, "following recipients") {
		t.Errorf("diagnostic %q, want no heading", r.Diagnostic)
	}
	plain := "From: postmaster@n.example.co.jp\nTo: s@example.jp\nSubject: Undeliverable message\n\n" +
		"Delivery to the following recipients failed.\n\n       rcpt@example.co.jp\n" + tail
	r = genericRecipient(t, plain, "rcpt@example.co.jp")
	if strings.Contains(r.Diagnostic, "following recipients") {
		t.Errorf("diagnostic %q, want no sentence that introduces the list", r.Diagnostic)
	}
}
