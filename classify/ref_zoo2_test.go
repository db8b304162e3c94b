package classify

import "testing"

// TestClassify_refZoo2 holds what the five big Debian MTAs of the zoo
// (scripts/zoo, bounce/testdata/zoo) wrote for the refusals and local
// failures added on 3 December 2026 (the remote side's replies are the
// zoo sink's own, in the style of Postfix's), each with the reason the
// MTA's words and the RFC 3463 class imply. The addresses are examples.
func TestClassify_refZoo2(t *testing.T) {
	tests := []clearCase{
		// the sink's replies as the MTAs quote them
		{"zoo disabled mailbox", failedReply("550", "5.2.1", "RCPT", "550 5.2.1 <disabled@example.net>: Recipient address rejected: Mailbox disabled, not accepting messages"), Suspended},
		{"zoo relay access denied", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 <relay@example.net>: Relay access denied"), NoRelaying},
		{"zoo bad recipient syntax", failedReply("501", "5.1.3", "RCPT", "501 5.1.3 <syntax@example.net>: Bad recipient address syntax"), UserUnknown},
		{"zoo rate limit", delayedReply("450", "4.2.1", "RCPT", "450 4.2.1 <rate@example.net>: Recipient is receiving mail too fast, rate limit exceeded, try again later"), RateLimited},
		{"zoo spam at end of data", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Message rejected as spam by content filter"), SpamDetected},
		{"zoo sender refused at mail", failedReply("553", "5.1.8", "MAIL", "553 5.1.8 <refused@example.com>: Sender address rejected: Domain not found"), Rejected},
		{"zoo starttls required at mail", failedReply("530", "5.7.0", "MAIL", "530 5.7.0 Must issue a STARTTLS command first"), FailedSTARTTLS},
		{"zoo blocklist at connection", failedReply("554", "5.7.1", "CONN", "554 5.7.1 mx.example.net: Service unavailable; Client host [192.0.2.1] blocked using a DNS blocklist"), Blocked},
		// the MTAs' own words
		{"sendmail too many hops", failedReply("554", "5.4.6", "", "554 5.4.6 Too many hops 111 (25 max): from <sender@example.com> via localhost, to <hops@example.net>"), NetworkError},
		{"postfix too many hops", failedReply("", "5.4.0", "", "too many hops"), NetworkError},
		{"sendmail over MaxMessageSize", failedReply("552", "5.2.3", "", "552 5.2.3 Message exceeds maximum fixed size (102400)"), ExceedLimit},
		{"sendmail prog mailer tempfail", delayedReply("", "4.2.0", "", "prog mailer (/bin/sh) exited with EX_TEMPFAIL"), MailerError},
		// OpenSMTPD 6.8's parent, for an mda child that exited with an
		// error status (strings of Debian opensmtpd 6.8.0p2 /usr/sbin/smtpd:
		// "exited abnormally", beside "exited okay")
		{"opensmtpd mda exited abnormally", delayedReply("", "4.3.0", "", "exited abnormally"), MailerError},
	}
	checkClear(t, tests)
}
