package decoders

import (
	"strings"
	"testing"
)

// TestNullmailer_withoutNotice: nullmailer-dsn's delay template for a
// message moved into the failed queue is a bounce however the report is
// passed on: without its text part, or flattened into one text body.
func TestNullmailer_withoutNotice(t *testing.T) {
	head := "Received: (nullmailer pid 29348 invoked by uid 8);\n\tWed, 02 Dec 2026 21:47:54 -0000\n" +
		"From: Message Delivery Subsystem <MAILER-DAEMON@mta.example.com>\nTo: <sender@example.com>\n" +
		"Subject: Returned mail: Could not send message\nMIME-Version: 1.0\n"
	notice := "This is the nullmailer delivery system.  The message attached below\n" +
		"has not been delivered to one or more of the intended recipients:\n\n\t<grey@example.net>\n\n" +
		"A final delivery status notification will be generated if delivery\nproves to be impossible within the configured time limit.\n\n"
	fields := "Reporting-MTA: x-local-hostname; mta.example.com\n\nFinal-Recipient: rfc822; grey@example.net\n" +
		"Action: delayed\nStatus: 4.7.1\nRemote-MTA: dns; 127.0.0.1\n" +
		"Diagnostic-Code: SMTP; 450 4.7.1 <grey@example.net>: Recipient address rejected: Greylisted, please try again later\n"
	tests := map[string]string{
		"whole": head + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
			"--b\nContent-Type: text/plain\n\n" + notice + "--b\nContent-Type: message/delivery-status\n\n" + fields + "\n--b--\n",
		"dsn-only": head + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
			"--b\nContent-Type: message/delivery-status\n\n" + fields + "\n--b--\n",
		"flat": head + "Content-Type: text/plain\n\n" + notice + fields,
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			rep, err := Decode([]byte(raw), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Format != "nullmailer" || len(rep.Recipients) != 1 || !strings.EqualFold(rep.Recipients[0].Action, "failed") {
				t.Errorf("Decode() = format %q, recipients %+v; want nullmailer, one failed recipient", rep.Format, rep.Recipients)
			}
		})
	}
}
