package classify

import "testing"

// TestClassify_refRobust holds replies whose meaning must not depend on
// where they were found: a provider's own signature in its words selects
// the provider, whatever the recipient's domain (one Orange hosts under
// another name, or a renamed one: cmd/bounced's TestRobust, transform
// rename). The addresses are examples.
func TestClassify_refRobust(t *testing.T) {
	tests := []clearCase{
		// Bento, Orange SMTP Error Codes, https://bentonow.com/smtp-errors/orange
		// ("Orange uses OFR error codes with syntax OFR_XXX or
		// OFRXXX_XXX"); doc.gadz.org's filtering examples list
		// "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]" as
		// Orange / Wanadoo refusing spam or a virus.
		{"orange ofr_506 for a domain not orange's", toRcpt("user@example.net", failedReply("550", "5.2.0", "DATA", "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]")), SpamDetected},
		{"orange OFR_506 no recipient", failedReply("550", "5.2.0", "DATA", "550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]"), SpamDetected},
		// ColdRelay, 550 5.1.10 Microsoft 365: RESOLVER.ADR.RecipientNotFound,
		// https://www.coldrelay.com/smtp-errors/550-5-1-10-recipient-not-found-microsoft
		// ("550 5.1.10 ... is Exchange Online's specific code for 'this
		// recipient doesn't exist in our directory.'"): from Microsoft, the
		// code says it when the notice keeps the words from the report.
		{"microsoft 5.1.10 without its words", Input{Action: "failed", ReplyCode: "550", Status: "5.1.10", RemoteMTA: "example-com.mail.protection.outlook.com", Diagnostic: "couldn't be delivered."}, UserUnknown},
		{"microsoft 5.1.10 to an outlook.com address", toRcpt("user@outlook.com", failedReply("550", "5.1.10", "RCPT", "")), UserUnknown},
	}
	checkClear(t, tests)
}
