package decoders

import (
	"os"
	"strings"
	"testing"
)

// TestDecode_noticeWhenDSNHasNoDiagnostic: a delivery-status part that
// names one recipient but no Diagnostic-Code leaves the cause to the
// notice (RFC 3464 section 2.3.6: the field is optional; the human-readable
// part of RFC 3462 section 2 explains the failure): its "Reason:" line, or
// its one line with an SMTP reply code, is the diagnostic.
func TestDecode_noticeWhenDSNHasNoDiagnostic(t *testing.T) {
	const dsn = "\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n" +
		"Final-Recipient: rfc822; rcpt@example.net\nAction: failed\nStatus: 5.0.0\n\n--B--\n"
	head := "From: Mail Delivery System <mailer-daemon@mx.example.org>\nTo: sender@example.org\nSubject: Undeliverable\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n\n"
	tests := []struct{ name, notice, diag string }{
		{"reason line", "I was unable to deliver your message to the following addresses:\n\nrcpt@example.net\n\nReason: 550 rcpt@example.net... No such user\n\nThe message subject was: hi\n",
			"550 rcpt@example.net... No such user"},
		{"one reply line", "Your message could not be delivered to the following addresses:\n\nrcpt@example.net\n\nThe server answered:\n\n    550 5.7.1 Relaying denied\n",
			"550 5.7.1 Relaying denied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Decode([]byte(head+tc.notice+dsn), testOptions())
			if err != nil || rep == nil || len(rep.Recipients) != 1 {
				t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
			}
			if r := rep.Recipients[0]; r.Diagnostic != tc.diag {
				t.Errorf("diagnostic %q, want %q (format %s)", r.Diagnostic, tc.diag, rep.Format)
			}
		})
	}
}

// TestEximItems_hostLineAtAddressIndent: Exim 4.00 wrote the remote host
// under the address at the address's own indent ("  a@b" then "  host H
// [IP]" then the indented SMTP error); the host line is the address's
// detail, not another address.
func TestEximItems_hostLineAtAddressIndent(t *testing.T) {
	items := eximItems("\n  rcpt@example.net\n  host 192.0.2.22 [192.0.2.22]\n    SMTP error from remote mail server after MAIL FROM:<s@example.org>:\n    550 Bad SPF records\n")
	if len(items) != 1 || items[0].head != "rcpt@example.net" || len(items[0].detail) != 3 {
		t.Fatalf("eximItems = %+v, want one item with three detail lines", items)
	}
	if _, cmd, diag, _ := eximDetail(items[0].detail); cmd != "MAIL" || diag != "550 Bad SPF records" {
		t.Errorf("eximDetail = %q %q", cmd, diag)
	}
}

// TestDecode_foldedLines: a line of a notice folded onto indented
// continuation lines (as mail software folds long lines, and RFC 5322
// section 2.2.3 folds a header field) reads as the one line it was.
func TestDecode_foldedLines(t *testing.T) {
	tests := []struct{ name, raw, rcpt, diag string }{
		{"zoho",
			"From: mailer-daemon@mail.zoho.com\nTo: s@example.org\nX-ZohoMail: Si\nSubject: Undelivered Mail Returned to Sender\n\n" +
				"This message was created automatically by mail delivery software.\nA message that you sent could not be delivered to one or more of\n    its recipients. This is a permanent error.\n\n" +
				"rcpt@example.net Invalid Address, ERROR_CODE :550,\n    ERROR_CODE :5.1.1 <rcpt@example.net>... User Unknown\n\nReceived: from x\n",
			"rcpt@example.net", "550 5.1.1 <rcpt@example.net>... User Unknown"},
		{"x3",
			"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: s@example.org\nSubject: Delivery status notification\n\n" +
				"      This is an automatically generated Delivery Status Notification.\n\nDelivery to the following recipients failed permanently:\n\n   * rcpt@example.net\n\n" +
				"                             Technical details:\n\nSMTP:RCPT host 192.0.2.8: 553 5.3.0 <rcpt@example.net>... No\n    such user here\n",
			"rcpt@example.net", "553 5.3.0 <rcpt@example.net>... No such user here"},
		{"dragonfly",
			"From: MAILER-DAEMON <MAILER-DAEMON@df.example.org>\nTo: s@example.org\nSubject: Mail delivery failed\nReceived: from df.example.org (DragonFly Mail Agent v0.13); Wed, 01 Jan 2020 00:00:00 +0000\n\n" +
				"This is the DragonFly Mail Agent v0.13 at df.example.org.\n\nThere was an error delivering your mail to\n    <rcpt@example.net>.\n\n" +
				"mx.example.net [192.0.2.25] did not like our RCPT TO:\n550 5.1.1 <rcpt@example.net>: Recipient address rejected: User unknown\n\nOriginal message follows.\n\nFrom: s@example.org\n",
			"rcpt@example.net", "550 5.1.1 <rcpt@example.net>: Recipient address rejected: User unknown"},
		{"opensmtpd",
			"From: Mailer Daemon <MAILER-DAEMON@mx.example.org>\nTo: s@example.org\nSubject: Delivery status notification: error\n\n" +
				"    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n\n    An error has occurred while attempting to deliver a message for\n    the following list of recipients:\n\n" +
				"rcpt@example.net: 552 5.2.2\n    <rcpt@example.net>: Recipient address rejected:\n    Mailbox full\n\n    Below is a copy of the original message:\n\nFrom: s@example.org\n",
			"rcpt@example.net", "552 5.2.2 <rcpt@example.net>: Recipient address rejected: Mailbox full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Decode([]byte(tc.raw), testOptions())
			if err != nil || rep == nil || len(rep.Recipients) != 1 {
				t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
			}
			if r := rep.Recipients[0]; rep.Format != tc.name || r.Address != tc.rcpt || r.Diagnostic != tc.diag {
				t.Errorf("got %s %q %q, want %s %q %q", rep.Format, r.Address, r.Diagnostic, tc.name, tc.rcpt, tc.diag)
			}
		})
	}
}

// TestFillCodes_failureHasNoPositiveReply: a number in a failed
// recipient's text that reads like a 2yz reply ("(reason: 255)", a local
// mailer's exit status) is not the server's reply: RFC 5321 section
// 4.2.1, 2yz is a positive completion, which no failure is.
func TestFillCodes_failureHasNoPositiveReply(t *testing.T) {
	for _, action := range []string{"failed", "delayed"} {
		r := Recipient{Action: action, Diagnostic: "255"}
		fillCodes(&r)
		if r.ReplyCode != "" || r.Status != "" {
			t.Errorf("%s %q: reply %q status %q, want none", action, r.Diagnostic, r.ReplyCode, r.Status)
		}
	}
	r := Recipient{Action: "delivered", Diagnostic: "250 2.0.0 OK"}
	if fillCodes(&r); r.ReplyCode != "250" || r.Status != "2.0.0" {
		t.Errorf("delivered: reply %q status %q", r.ReplyCode, r.Status)
	}
}

// TestDecode_sendmailQueueTimeoutWithoutDSN: Sendmail's "Message could not
// be delivered for N" is its queue return timeout, for which its queue.c
// sets the undelivered recipients' status to 4.4.7: without the
// delivery-status part, the notice's line still says the message expired.
func TestDecode_sendmailQueueTimeoutWithoutDSN(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\nTo: s@example.org\nSubject: Returned mail: see transcript for details\n\n" +
		"The original message was received at Sun, 13 Sep 2015 03:10:06 +0900\nfrom client.example.org [192.0.2.1]\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\n<rcpt@example.net>\n    (reason: )\n\n" +
		"   ----- Transcript of session follows -----\n... while talking to mx.example.net.:\n<<< 421\n<rcpt@example.net>... Deferred: 421\n" +
		"Message could not be delivered for 8 hours\nMessage will be deleted from queue\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil || rep == nil || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
	}
	if r := rep.Recipients[0]; rep.Format != "sendmail" || r.Status != "4.4.7" || r.ReasonHint != "expired" {
		t.Errorf("got %s status %q hint %q (diagnostic %q), want sendmail 4.4.7 expired", rep.Format, r.Status, r.ReasonHint, r.Diagnostic)
	}
}

// TestDecode_bigfootTranscriptWithoutDiagnostic: Bigfoot's text part has
// Sendmail's headings ("----- The following addresses had permanent
// fatal errors -----", "----- Transcript of session follows -----"); its
// transcript, below them, still gives the reply when the delivery-status
// part has no Diagnostic-Code.
func TestDecode_bigfootTranscriptWithoutDiagnostic(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <MAILER-DAEMON@bigfoot.com>\nTo: s@example.org\nSubject: Returned mail: User unknown\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\n\n" +
		"The original message was received at Thu, 29 Apr 2015 23:34:45 -0800\nfrom litemail.example.com [192.0.2.64]\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\n<rcpt@example.net>\n\n" +
		"   ----- Transcript of session follows -----\n>>> RCPT TO:<rcpt@example.net>\n<<< 553 Invalid recipient rcpt@example.net (Mode: normal)\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; litemail.example.com\n\n" +
		"Final-Recipient: RFC822; <rcpt@example.net>\nAction: failed\nStatus: 5.7.1\nRemote-MTA: DNS; mx.example.net\n\n--B--\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil || rep == nil || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
	}
	if r := rep.Recipients[0]; rep.Format != "bigfoot" || r.Diagnostic != "553 Invalid recipient rcpt@example.net (Mode: normal)" || r.Command != "RCPT" {
		t.Errorf("got %s %q %q", rep.Format, r.Diagnostic, r.Command)
	}
}

// TestDecode_sendmailMailerOutputWithoutDSN: without the delivery-status
// part, a local mailer's own output in Sendmail's transcript ("maildrop:
// maildir over quota.") is kept before Sendmail's summary of it, as it is
// when the part is there (the "(reason: ...)" line is Sendmail's summary,
// not a server's diagnostic).
func TestDecode_sendmailMailerOutputWithoutDSN(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\nTo: s@example.org\nSubject: Returned mail: see transcript for details\n\n" +
		"The original message was received at Thu, 29 Apr 2013 23:45:00 +0900 (JST)\nfrom client.example.org [192.0.2.9]\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\n<rcpt@example.net>\n    (reason: Insufficient permission)\n\n" +
		"   ----- Transcript of session follows -----\nmaildrop: maildir over quota.\n550 5.0.0 <rcpt@example.net>... Insufficient permission\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil || rep == nil || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
	}
	if r := rep.Recipients[0]; rep.Format != "sendmail" || !strings.HasPrefix(r.Diagnostic, "maildrop: maildir over quota.") {
		t.Errorf("got %s diagnostic %q", rep.Format, r.Diagnostic)
	}
}

// TestDecode_flattenedReport: a multipart/report flattened into one
// text/plain body (its notice, then its delivery-status fields as lines of
// text, as gateways and forwarders pass reports on) keeps RFC 3464's
// fields: the MTA's decoder reads the recipient's Status and
// Diagnostic-Code from them as from the part.
func TestDecode_flattenedReport(t *testing.T) {
	raw := "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\nTo: s@example.org\nSubject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n" +
		"This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
		"                   The mail system\n\n<rcpt@example.net>: temporary failure\n\n" +
		"Reporting-MTA: dns; mx.example.org\nX-Postfix-Queue-ID: 1234\n\n" +
		"Final-Recipient: rfc822; rcpt@example.net\nOriginal-Recipient: rfc822;rcpt@example.net\nAction: failed\nStatus: 4.2.2\n" +
		"Diagnostic-Code: x-unix; /home/rcpt/Maildir/tmp/1.A.host: Disk quota exceeded\n\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil || rep == nil || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
	}
	if r := rep.Recipients[0]; r.Status != "4.2.2" || !strings.Contains(r.Diagnostic, "Disk quota exceeded") {
		t.Errorf("got %s status %q diagnostic %q", rep.Format, r.Status, r.Diagnostic)
	}
}

// TestDecode_flattenedReportFieldOrder: in a report flattened into its
// text, the fields a group writes before its Final-Recipient (SurfControl
// writes the Action first; RFC 3464 section 2.3 fixes no order) belong to
// it, and a decoder that reads the delivery-status part (dsnWithCommands)
// reads them from the text alike.
func TestDecode_flattenedReportFieldOrder(t *testing.T) {
	raw := "From: postmaster@mx.example.org\nTo: s@example.org\nSubject: Delivery failed\nX-Mailer: SurfControl E-mail Filter\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain\n\n" +
		"Your message could not be sent.\nA transcript of the attempts to send the message follows.\nAddressed To: rcpt@example.net\n\n" +
		"rcpt@example.net: [192.0.2.5], 550 rcpt@example.net... No such user\n--- Message non-deliverable.\n\n" +
		"Action: failed\nFinal-Recipient: rfc822;rcpt@example.net\nDiagnostic-Code: smtp; 550 rcpt@example.net... No such user\nStatus: 5.0.0\n"
	if _, body := inlineDSN(raw); !strings.HasPrefix(body, "Action: failed\n") {
		t.Errorf("inlineDSN starts at %q", body)
	}
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil || rep == nil || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
	}
	if r := rep.Recipients[0]; rep.Format != "surfcontrol" || r.Action != "failed" || r.Status != "5.0.0" {
		t.Errorf("got %s action %q status %q", rep.Format, r.Action, r.Status)
	}
}

// TestDecode_sendmailFoldedSummary: Sendmail's line about a recipient in
// its transcript ("<a@b>... Deferred: 421") folded after its "..." onto an
// indented continuation line reads as one line: the reply is still "421",
// and the delay notice's recipient is still delayed, not refused.
func TestDecode_sendmailFoldedSummary(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\nTo: s@example.org\nSubject: Warning: could not send message for past 4 hours\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\n\n" +
		"    **********************************************\n    **      THIS IS A WARNING MESSAGE ONLY      **\n    **********************************************\n\n" +
		"The original message was received at Sun, 13 Sep 2015 03:10:06 +0900\nfrom client.example.org [192.0.2.1]\n\n" +
		"   ----- Transcript of session follows -----\n... while talking to mx.example.net.:\n<<< 421\n<rcpt@example.net>...\n    Deferred: 421\n" +
		"Warning: message still undelivered after 4 hours\nWill keep trying until message is 8 hours old\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n" +
		"Final-Recipient: RFC822; rcpt@example.net\nAction: delayed\nStatus: 4.5.0\nDiagnostic-Code: SMTP; \n\n--B--\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil || rep == nil || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
	}
	if r := rep.Recipients[0]; rep.Format != "sendmail" || r.Diagnostic != "421" {
		t.Errorf("got %s diagnostic %q action %q", rep.Format, r.Diagnostic, r.Action)
	}
}

// TestDecode_office365ReportedError: Exchange Online's newer
// administrators' section ("Error Details" / "Reported error: 550 5.1.10
// RESOLVER.ADR.RecipientNotFound; ...") gives the recipient's reply when
// the delivery-status part has no Diagnostic-Code, or is gone.
func TestDecode_office365ReportedError(t *testing.T) {
	raw := "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.onmicrosoft.com>\nTo: s@example.org\n" +
		"Subject: Undeliverable: hi\nX-MS-Exchange-Message-Is-Ndr:\nX-MS-Exchange-CrossTenant-Id: 0\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n\n" +
		"Your message to rcpt@example.net couldn't be delivered.\n\nrcpt wasn't found at example.net.\n\n" +
		"Diagnostic information for administrators:\n\nGenerating server: MX.example.prod.outlook.com\n\n" +
		"Original Message Details\nRecipient Address:      rcpt@example.net\n\nError Details\n" +
		"Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n" +
		"DSN generated by:       MX.example.prod.outlook.com\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;MX.example.prod.outlook.com\n\n" +
		"Final-recipient: rfc822;rcpt@example.net\nAction: failed\nStatus: 5.1.10\n\n--B--\n"
	// ... and without the delivery-status part, before the section's
	// "Status code: 550 5.1.10" line, which has only the codes.
	noDSN := raw[:strings.Index(raw, "--B\nContent-Type: message/delivery-status")] + "--B--\n"
	noDSN = strings.Replace(noDSN, "Diagnostic information for administrators:", "More Info for Email Admins\nStatus code: 550 5.1.10\n\nDiagnostic information for administrators:", 1)
	for name, msg := range map[string]string{"dsn without diagnostic": raw, "no dsn": noDSN} {
		t.Run(name, func(t *testing.T) {
			rep, err := Decode([]byte(msg), testOptions())
			if err != nil || rep == nil || len(rep.Recipients) != 1 {
				t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
			}
			if r := rep.Recipients[0]; rep.Format != "office365" || !strings.HasPrefix(r.Diagnostic, "550 5.1.10 RESOLVER.ADR.RecipientNotFound") {
				t.Errorf("got %s diagnostic %q", rep.Format, r.Diagnostic)
			}
		})
	}
}

// TestPostfix_sysExitsReasonIsXUnix: Postfix's pipe(8) gives a command's
// <sysexits.h> exit status the text of its sys_exits table ("temporary
// failure", "permission denied") as the whole reason, with the
// diagnostic-type x-unix (pipe_command.c, dsb_unix). A notice whose
// delivery-status part (or its Diagnostic-Code) is gone still says so:
// the reason alone, no host named, is a local program's failure. A
// remote server's reply with the same words is not.
func TestPostfix_sysExitsReasonIsXUnix(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/postfix-local-nodsn.eml")
	if err != nil {
		t.Fatal(err)
	}
	withDSN := strings.Replace(string(raw), "Content-Type: text/plain; charset=us-ascii\n", "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n", 1) +
		"\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\nX-Postfix-Queue-ID: 4F1A2B3C4D\n\n" +
		"Final-Recipient: rfc822; tickets@example.org\nAction: failed\nStatus: 5.7.0\n\n--B--\n"
	for name, msg := range map[string]string{"no dsn": string(raw), "dsn without diagnostic": withDSN} {
		t.Run(name, func(t *testing.T) {
			rep, err := Decode([]byte(msg), testOptions())
			if err != nil || rep == nil || len(rep.Recipients) == 0 {
				t.Fatalf("Decode = %+v, %v", rep, err)
			}
			for _, r := range rep.Recipients {
				want := ""
				if r.Address == "tickets@example.org" {
					want = "x-unix"
				}
				if !strings.EqualFold(r.DiagnosticType, want) && !(want == "" && strings.EqualFold(r.DiagnosticType, "smtp")) {
					t.Errorf("%s: diagnostic type %q (%q), want %q", r.Address, r.DiagnosticType, r.Diagnostic, want)
				}
			}
		})
	}
}

// TestSendmail_expandedFromIsTheRecipient: Sendmail gives an alias's
// expansions the DSN recipient of the address that expanded to them
// (recipient.c sendtolist: a->q_finalrcpt = ctladdr->q_finalrcpt), so its
// Final-Recipient is the "(expanded from: ...)" address; read from the
// notice alone, the recipient is the same.
func TestSendmail_expandedFromIsTheRecipient(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/sendmail-alias-nodsn.eml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Decode(raw, testOptions())
	if err != nil || rep == nil || len(rep.Recipients) != 1 {
		t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
	}
	if r := rep.Recipients[0]; r.Address != "list@example.org" || r.Command != "RCPT" || r.Status != "5.1.1" {
		t.Errorf("recipient %+v, want list@example.org, RCPT, 5.1.1", r)
	}
}
