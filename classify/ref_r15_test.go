package classify

import "testing"

// TestClassify_refR15 holds the replies of the fifteenth round of
// bounce/testdata/unseen (a specific cause against a generic code, in both
// directions, see its README) quoted from the sources it read, each with
// the reason the source implies. The round needed no new rule: these hold
// the precedence the rules already state (a specific cause's wording, in
// the text stage, before the status stage's generic code).
func TestClassify_refR15(t *testing.T) {
	checkClear(t, []clearCase{
		// The wording of a specific cause beside a generic code: the
		// text stage decides before the status stage (classify/doc.go).
		// Postfix smtpd_check.c's "552 Message size exceeds fixed limit".
		{"size words under 5.7.1", failedReply("552", "5.7.1", "", "552 5.3.4 Message size exceeds fixed limit"), MessageTooBig},
		// Yahoo! Help, "My email is being blocked by Yahoo! Mail": 554
		// with a 5.0.0 status for a mailbox over quota.
		{"yahoo over quota under 5.0.0", failedReply("554", "5.0.0", "DATA", "554 delivery error: dd Sorry, your message to user@yahoo.com cannot be delivered. This account is over quota. - mta1023.mail.bf1.yahoo.com"), MailboxFull},
		// Gmail SMTP errors and codes: "421 4.7.0 TLS required for RCPT
		// domain", "450 4.2.1 ... receiving mail too quickly".
		{"gmail tls required under 4.7.0", delayedReply("421", "4.7.0", "RCPT", "421-4.7.0 TLS required for RCPT domain, closing connection. - gsmtp"), FailedSTARTTLS},
		{"gmail receiving rate under 4.2.1", delayedReply("450", "4.2.1", "RCPT", "450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. - gsmtp"), RateLimited},
	})
}
