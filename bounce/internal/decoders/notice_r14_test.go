package decoders

import (
	"strings"
	"testing"
)

// TestDecode_r14 has cases for what the fourteenth round of
// testdata/unseen added: a local mailer's lines for each of several
// recipients in a Sendmail transcript, a DSN without Diagnostic-Code whose
// notice gives the reply at a later mention of the address, and a content
// gateway's notice that it blocked a message.
func TestDecode_r14(t *testing.T) {
	sendmail := "From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>\nTo: s@example.com\n" +
		"Subject: Returned mail: see transcript for details\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\n<a@example.org>\n<b@example.org>\n\n" +
		"   ----- Transcript of session follows -----\n" +
		"a: mailbox quota exceeded for this recipient\n550 5.0.0 <a@example.org>... Service unavailable\n" +
		"b: no such user here\n550 5.0.0 <b@example.org>... Service unavailable\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n\n" +
		"Final-Recipient: RFC822; a@example.org\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: X-Unix; a: mailbox quota exceeded for this recipient\n\n" +
		"Final-Recipient: RFC822; b@example.org\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: X-Unix; b: no such user here\n\n--B--\n"
	exchange := "From: postmaster@example.com\nTo: s@example.com\nSubject: Undeliverable: x\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n\n" +
		"Delivery has failed to these recipients or groups:\n\nc@example.net\nYour message wasn't delivered.\n\n" +
		"Diagnostic information for administrators:\n\nc@example.net\nRemote Server returned '550 5.7.1 Message rejected per sender's SPF policy'\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;ex.example.com\n\n" +
		"Final-Recipient: rfc822;c@example.net\nAction: failed\nStatus: 5.7.1\n\n--B--\n"
	gateway := "From: Gateway <gateway@mm.example.net>\nTo: s@example.com\nSubject: Message blocked: x\n" +
		"Auto-Submitted: auto-generated\n\nYour message could not be delivered.\n\n  Recipient: d@example.net\n\n" +
		"The message was blocked by the gateway because it contains an attachment type that is not permitted.\n"
	for _, c := range []struct{ name, raw, rcpt, diag string }{
		{"sendmail x-unix, first", sendmail, "a@example.org", "a: mailbox quota exceeded for this recipient"},
		{"sendmail x-unix, second", sendmail, "b@example.org", "b: no such user here"},
		{"dsn without diagnostic, later mention", exchange, "c@example.net", "Remote Server returned '550 5.7.1 Message rejected per sender's SPF policy'"},
		{"gateway blocked notice", gateway, "d@example.net", "attachment type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Decode([]byte(c.raw), testOptions())
			if err != nil || rep == nil {
				t.Fatalf("Decode = %v, %v", rep, err)
			}
			for _, r := range rep.Recipients {
				if r.Address == c.rcpt {
					if !strings.Contains(r.Diagnostic, c.diag) || strings.Contains(c.name, "sendmail") && r.Diagnostic != c.diag {
						t.Errorf("diagnostic %q, want %q", r.Diagnostic, c.diag)
					}
					return
				}
			}
			t.Errorf("no recipient %s in %+v (kind %s)", c.rcpt, rep.Recipients, rep.Kind)
		})
	}
}
