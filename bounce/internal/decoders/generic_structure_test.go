package decoders

import (
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
