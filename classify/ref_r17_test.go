package classify

import "testing"

// TestClassify_refR17 holds the replies of the seventeenth blind round
// (bounce/testdata/unseen/r17-*: Japanese mobile carriers and ISPs) that
// the rules read wrong before classify/rules/28-r17.tsv, each with the
// reason the cited page's explanation implies. Addresses are examples.
func TestClassify_refR17(t *testing.T) {
	tests := []clearCase{
		// NTT docomo, メール送受信する際の注意事項: 宛先不明 is mail to an
		// address that does not exist; au 技術仕様 and MyASP's page on
		// error mail: 存在しないメールアドレス. A notice that says so beside
		// docomo's "Unknown user", with no SMTP command, is no filter's.
		// https://www.docomo.ne.jp/service/imode_mail/notice/mass_send/
		// https://www.au.com/mobile/service/attention/specification/
		// https://docs.myasp.jp/?p=7044
		{"docomo unknown user, notice says the address does not exist", toRcpt("user@docomo.ne.jp", failedReply("550", "", "", "理由: 宛先のメールアドレスが存在しないか、変更されています。 サーバの応答: 550 Unknown user user@docomo.ne.jp")), UserUnknown},
		{"docomo unknown user, notice says 宛先不明", toRcpt("user@docomo.ne.jp", failedReply("550", "", "", "宛先不明: 550 Unknown user user@docomo.ne.jp")), UserUnknown},
		{"docomo unknown user, notice names a nonexistent address", toRcpt("user@docomo.ne.jp", failedReply("550", "", "", "存在しないメールアドレスです 550 Unknown user user@docomo.ne.jp")), UserUnknown},
		// Accredit Solutions' help on "550 Rejected by header based
		// Anti-Spoofing policy": spoofing is the forgery of the headers;
		// SoftBank なりすまし拒否 blocks mail forged as a carrier's domain.
		// https://accredit-solutions.zendesk.com/hc/en-gb/articles/360017721797-550-Rejected-by-header-based-Anti-Spoofing-policy
		// http://cdn.softbank.jp/mobile/support/iphone/antispam/email_i/antispoof/
		{"rejected as spoofed sender", toRcpt("user@i.softbank.jp", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Rejected as spoofed sender")), AuthFailure},
		// SoftBank, メールを送受信する際の注意事項: many messages in a short
		// time are limited for a while (the guard "!too many messages
		// in" of 20-text.tsv, unattributed, no longer hides it).
		// https://www.softbank.jp/mobile/support/antispam/wrestle/
		{"too many messages in a short time", toRcpt("user@i.softbank.jp", delayedReply("421", "4.7.0", "RCPT", "421 4.7.0 Temporarily rejected: too many messages in a short time, slow down")), RateLimited},
	}
	checkClear(t, tests)
}
