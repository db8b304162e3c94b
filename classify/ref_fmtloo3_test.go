package classify

import "testing"

// TestClassify_refFmtloo3 holds wordings the generic readers bring when a
// format's own decoder is left out (TestFormatLeaveOneOut in
// bounce/internal/decoders), each with the reason its source gives: the
// MTA's source that writes it, or RFC 3463's class whose words it says.
// The addresses are examples; each input is what the text fallback gives
// (notice below).
func TestClassify_refFmtloo3(t *testing.T) {
	tests := []clearCase{
		// dma (DragonFly Mail Agent) dma.c deliver(): bounced once the
		// message stayed queued longer than MAX_TIMEOUT.
		{"dma gave up after the queue timeout", notice("There was an error delivering your mail to Could not deliver for the last 432000 seconds. Giving up."), Expired},
		// RFC 3463 X.4.7: retried until it gave up.
		{"delivery failed after n attempts", notice("Delivery failed 20 attempts"), Expired},
		// RFC 3463 X.1.1: the mobile number is no valid recipient.
		{"no valid recipients for this mm", notice("Message could not be delivered to mobile. Error: No valid recipients for this MM"), UserUnknown},
		// RFC 3463 X.1.1 in Japanese: not in the directory's list.
		{"not in the directory list (ja)", notice("ディレクトリのリストにありません"), UserUnknown},
		// RFC 3463 X.7.1 in Chinese: no permission to post to the group.
		{"no permission to post to the group (zh)", notice("我們謹此通知，您試圖聯絡的「team」群組可能不存在，或者您沒有在此群組張貼留言的權限。"), Rejected},
	}
	checkClear(t, tests)
}

// notice is a plain-text notice's recipient as the text fallback reads
// it: the words and no Action field (a notice proves a failure but not
// the SMTP stage, decodeTextNotice in bounce/internal/decoders).
func notice(text string) Input {
	return Input{Diagnostic: text}
}
