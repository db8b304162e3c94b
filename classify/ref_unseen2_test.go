package classify

import "testing"

// TestClassify_refUnseen2 holds the wordings that the second round of
// bounce/testdata/unseen showed unread (classify/rules/28-unseen2.tsv),
// each as the page it cites gives it or as a notice of that meaning says
// it, with the reason the page's explanation implies.
func TestClassify_refUnseen2(t *testing.T) {
	checkClear(t, []clearCase{
		// Не приходит письмо на почту, https://vhod.ru/raznoe/ne-prihodit-pismo
		{"ru mailbox full", failedReply("", "", "", "Ваше письмо не доставлено: почтовый ящик получателя переполнен."), MailboxFull},
		{"ru full mailbox, other order", failedReply("", "", "", "Письмо не доставлено, так как переполнен почтовый ящик получателя."), MailboxFull},
		// RFC 3463 X.1.1's meaning.
		// A text notice: no Action, no code.
		{"no account with that address", Input{Diagnostic: "There is no account with that address on our system."}, UserUnknown},
		// https://puffinknight.tistory.com/102
		{"daum inactive mbox", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@hanmail.net> Inactive mbox"), Suspended},
	})
}
