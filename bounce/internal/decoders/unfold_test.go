package decoders

import (
	"strings"
	"testing"
)

// TestUnfoldWrapped: a line a relay folded at spaces is read whole, a
// heading and the list under it are not joined.
func TestUnfoldWrapped(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a reply folded in its quote",
			"Remote Server returned '550 5.1.10\n    RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP\n    address lookup'",
			"Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'"},
		{"a colon inside the open quote",
			"Remote server returned '550 5.4.1 Recipient address rejected:\n    Access denied. AS(201806281)",
			"Remote server returned '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"},
		{"a sentence folded",
			"Your mail to the following recipients could not be delivered\n    because they are not accepting mail from a@example.com:\n\tSunny Day42",
			"Your mail to the following recipients could not be delivered because they are not accepting mail from a@example.com:\n\tSunny Day42"},
		{"a long heading and its list",
			"Your mail to the following recipients could not be delivered because of its size:\n\tjdoe",
			"Your mail to the following recipients could not be delivered because of its size:\n\tjdoe"},
		{"a ruler and the list under it",
			"|------------------------- Failed addresses follow: ---------------------|\n <xaver@example.org> ... unknown user",
			"|------------------------- Failed addresses follow: ---------------------|\n <xaver@example.org> ... unknown user"},
		{"a short line and an indented one",
			"The following addresses failed\n    a@example.com",
			"The following addresses failed\n    a@example.com"},
		{"a line at the same indentation",
			"  SMTP error from remote mail server after RCPT TO:<a@example.com>:\n  550 5.1.1 User unknown",
			"  SMTP error from remote mail server after RCPT TO:<a@example.com>:\n  550 5.1.1 User unknown"},
	}
	for _, tc := range tests {
		if got := unfoldWrapped(tc.in); got != tc.want {
			t.Errorf("%s: unfoldWrapped() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDecode_foldedReply: a qmail notice and a plain-text one whose reply
// a relay folded give the whole reply.
func TestDecode_foldedReply(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"qmail", "From: MAILER-DAEMON@mx.example.cz\nTo: shop@shop.example\nSubject: failure notice\n\n" +
			"Hi. This is the qmail-send program at mx.example.cz.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n" +
			"This is a permanent error; I've given up. Sorry it didn't work out.\n\n<jana@example.cz>:\n" +
			"Remote host said: 552 5.1.1 5.2.2 sorry, final recipient mailbox\n    is full (chkuser)\n", "mailbox is full"},
		{"bare names under a folded heading", "From: Mail Delivery Subsystem <MAILER-DAEMON@aol.com>\nTo: shop@shop.example\nSubject: Returned mail: Mail controls\n\n" +
			"Your mail to the following recipients could not be delivered\n    because they are not accepting mail from shop@shop.example:\n\tSunny Day42\n", "not accepting mail from"},
	}
	for _, tc := range tests {
		rep, err := Decode([]byte(tc.raw), testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Recipients) != 1 || !strings.Contains(rep.Recipients[0].Diagnostic, tc.want) {
			t.Errorf("%s: recipients %+v, want one whose diagnostic has %q", tc.name, rep.Recipients, tc.want)
		}
	}
}
