package decoders

import (
	"strings"
	"testing"
)

// TestSendmail_transcriptQuotesRecipient: a recipient whose reply is in
// the transcript only as "<<< 552 5.2.2 <a@b>: ...", without Sendmail's
// own line about it, gets that reply, not the first error reply of the
// session (another recipient's).
func TestSendmail_transcriptQuotesRecipient(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <MAILER-DAEMON@mta.example.com>\nTo: sender@example.com\n" +
		"Subject: Returned mail: see transcript for details\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\n<full2@example.net>\n<policy3@example.net>\n\n" +
		"   ----- Transcript of session follows -----\n... while talking to [127.0.0.1]:\n>>> DATA\n" +
		"<<< 550 5.7.1 <policy3@example.net>: Policy refusal\n550 5.1.1 <policy3@example.net>... User unknown\n" +
		"<<< 552 5.2.2 <full2@example.net>: Recipient address rejected: Mailbox full, quota exceeded\n554 5.0.0 Service unavailable\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Recipients {
		if r.Address == "full2@example.net" && !strings.Contains(r.Diagnostic, "Mailbox full") {
			t.Errorf("full2: diagnostic %q, want its own reply", r.Diagnostic)
		}
	}
	if len(rep.Recipients) != 2 {
		t.Errorf("recipients %+v, want 2", rep.Recipients)
	}
}
