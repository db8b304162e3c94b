package classify

import "testing"

// TestClassify_refUnseen3 holds the wordings that the third round of
// bounce/testdata/unseen showed unread (classify/rules/28-unseen3.tsv),
// each as the page it cites gives it, with the reason the page's
// explanation implies.
func TestClassify_refUnseen3(t *testing.T) {
	checkClear(t, []clearCase{
		// https://www.suped.com/email-deliverability/answers/what-causes-bounces-from-barracuda-based-domains-and-how-to-resolve-them
		{"gateway permanent failure blocked", failedReply("550", "", "DATA", "550 permanent failure for one or more recipients (user@example.com:blocked)"), Blocked},
		{"gateway permanent failure blocked, no command", Input{Diagnostic: "550 permanent failure for one or more recipients (user@example.com:blocked)"}, Blocked},
	})
}
