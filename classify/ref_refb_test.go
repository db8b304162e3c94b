package classify

import "testing"

// TestClassify_refRefb holds reply texts that Japanese carriers' own
// help pages show, each with the reason the page's explanation implies:
// an address that does not exist is user_unknown; a refusal by the
// recipient's reception settings (受信拒否設定) is filtered.
func TestClassify_refRefb(t *testing.T) {
	tests := []clearCase{
		// NTT FAQ on docomo error mail: the failed address follows
		// "Unknown user"; it does not exist, or the recipient refuses the
		// sender by its anti-spam reception settings,
		// https://support.ntt.com/mail/faq/detail/pid2300000e64
		{"docomo unknown user at rcpt", Input{Action: "failed", ReplyCode: "550", Command: "RCPT", Recipient: "user2@docomo.ne.jp",
			Diagnostic: "550 Unknown user user2@docomo.ne.jp"}, UserUnknown},
		{"docomo unknown user 5.1.1", Input{Action: "failed", ReplyCode: "550", Status: "5.1.1", Recipient: "user2@docomo.ne.jp",
			Diagnostic: "550 Unknown user user2@docomo.ne.jp"}, UserUnknown},
		{"docomo unknown user under a mailbox status", Input{Action: "failed", ReplyCode: "550", Status: "5.2.0", Recipient: "user2@docomo.ne.jp",
			Diagnostic: "550 Unknown user user2@docomo.ne.jp"}, Filtered},
		{"docomo unknown user no command", Input{Action: "failed", ReplyCode: "550", Recipient: "user2@docomo.ne.jp",
			Diagnostic: "550 Unknown user user2@docomo.ne.jp"}, Filtered},
		// au technical specification for senders: 550 at RCPT for an
		// address that does not exist; an existing address that cannot
		// receive (the recipient's filter) is refused after DATA,
		// https://www.au.com/mobile/service/attention/specification/
		{"au user unknown at rcpt", Input{Action: "failed", ReplyCode: "550", Command: "RCPT", Recipient: "taro@ezweb.ne.jp",
			Diagnostic: "550 <taro@ezweb.ne.jp>: User unknown"}, UserUnknown},
		{"au user unknown after data", Input{Action: "failed", ReplyCode: "550", Command: "DATA", Recipient: "taro@au.com",
			Diagnostic: "550 <taro@au.com>: User unknown"}, Filtered},
		// QQ Mail's help on reading a bounce lists these keywords with
		// their causes: the recipient does not exist, has not opened a QQ
		// Mail box, has not enough storage (help text as reproduced at
		// https://qqmailbox.com/transceivers/169.html).
		{"qq mailbox not found", Input{Action: "failed", ReplyCode: "550", Command: "RCPT", Recipient: "a@qq.com",
			Diagnostic: "550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728"}, UserUnknown},
		{"qq no such user", Input{Action: "failed", ReplyCode: "550", Command: "RCPT", Recipient: "a@qq.com",
			Diagnostic: "550 该用户不存在"}, UserUnknown},
		{"qq box not opened", Input{Action: "failed", ReplyCode: "550", Command: "RCPT", Recipient: "a@qq.com",
			Diagnostic: "550 该用户未开通QQ邮箱"}, UserUnknown},
		{"qq storage not enough", Input{Action: "failed", Recipient: "a@qq.com",
			Diagnostic: "收件人空间不足"}, MailboxFull},
	}
	checkClear(t, tests)
}
