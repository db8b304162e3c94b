package decoders

import "testing"

// TestPostfix_writeErrorMailboxFull: a mailbox local(8) or virtual(8)
// could not write for EFBIG or EDQUOT is full, under the X.2.2 Postfix
// gives it or under a generic status.
func TestPostfix_writeErrorMailboxFull(t *testing.T) {
	raw := func(status, errno string) string {
		return "From: Mail Delivery System <MAILER-DAEMON@example.com>\nSubject: Undelivered Mail Returned to Sender\n" +
			"To: sender@example.com\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
			"--b\nContent-Type: text/plain\n\nThis is the mail system at host mta.example.com.\n\n" +
			"<full@virt.example.com>: delivery failed to mailbox\n    /var/vmail/full: error writing message: " + errno + "\n\n" +
			"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mta.example.com\n\n" +
			"Final-Recipient: rfc822; full@virt.example.com\nAction: failed\nStatus: " + status + "\n" +
			"Diagnostic-Code: x-unix; input/output error\n\n--b--\n"
	}
	tests := []struct{ status, errno, want string }{
		{"5.2.2", "File too large", "mailbox_full"},
		{"5.0.0", "File too large", "mailbox_full"},
		{"5.0.0", "Disk quota exceeded", "mailbox_full"},
		{"5.0.0", "Permission denied", ""},
	}
	for _, tc := range tests {
		rep, err := Decode([]byte(raw(tc.status, tc.errno)), testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Recipients) != 1 || rep.Recipients[0].ReasonHint != tc.want {
			t.Errorf("%s %s: recipients %+v, want one with hint %q", tc.status, tc.errno, rep.Recipients, tc.want)
		}
	}
}
