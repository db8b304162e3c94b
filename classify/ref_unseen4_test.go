package classify

import "testing"

// TestClassify_refUnseen4 holds the wordings that the fourth round of
// bounce/testdata/unseen showed unread (classify/rules/28-unseen4.tsv),
// each as the page it cites gives it, with the reason the page's
// explanation implies.
func TestClassify_refUnseen4(t *testing.T) {
	checkClear(t, []clearCase{
		// https://www.icoremail.vip/support/index.php?cate_id=84&page=8&start=225
		{"coremail temporarily suspended", failedReply("550", "", "RCPT", "550 This account has been temporarily suspended"), Suspended},
	})
}
