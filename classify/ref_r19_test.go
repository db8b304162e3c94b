package classify

import "testing"

// TestClassify_refR19 holds the replies of the nineteenth blind round
// (bounce/testdata/unseen/r19-*: blame, whose fault the failure is) that
// the rules read wrong before classify/rules/28-r19.tsv, each with the
// reason the cited page's explanation implies. Addresses are examples.
func TestClassify_refR19(t *testing.T) {
	tests := []clearCase{
		// Broadcom's page on bounces from messagelabs.com: "The recipient
		// server has an issue with the sending email address: 554 5.1.0
		// Sender denied". The recipient domain's policy is the server's,
		// not the person's own block list.
		// https://knowledge.broadcom.com/external/article/162445/outbound-mail-returned-by-mailerdaemonme.html
		{"sender denied by the recipient domain's policy", toRcpt("user@example.com.au", failedReply("550", "5.1.1", "", "550 5.1.1 Sender denied: example.com is blocked by the recipient domain's policy")), Rejected},
		{"sender denied, blocked by the recipient's domain", toRcpt("user@example.com.au", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Sender denied: blocked by the recipient's domain")), Rejected},
		// The person's own block stays the recipient's filter.
		{"sender blocked by the recipient", toRcpt("user@example.com.au", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Your message was blocked by the recipient")), Filtered},
	}
	checkClear(t, tests)
}
