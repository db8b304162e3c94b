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
	}
	checkClear(t, tests)
}
