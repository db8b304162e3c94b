package classify

import "testing"

// TestClassify_refR15 holds the replies of the fifteenth round of
// bounce/testdata/unseen (a specific cause against a generic code, in both
// directions, see its README): the wordings classify/rules/28-r15.tsv adds
// beside the generic codes the round's messages gave them, and the
// precedence the rules already stated that the first batches held (a
// specific cause's wording, in the text stage, before the status stage's
// generic code), each with the reason its source implies.
func TestClassify_refR15(t *testing.T) {
	checkClear(t, []clearCase{
		// 28-r15.tsv, rule 225: a size wording beside 5.7.1, 5.0.0 or a
		// bare 552 (Email Bounce Error X.2.3, universityofemail.com:
		// "Message Is Too Long", "longer than the recipient's email
		// system allows"; iSheriff: "refused ... it being oversized";
		// Postfix cleanup's "message file too big").
		{"message too long under 5.7.1", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Message too long"), MessageTooBig},
		{"longer than the recipient allows", failedReply("550", "5.0.0", "DATA", "550 5.0.0 The message is longer than the recipient's mail system allows"), MessageTooBig},
		{"larger than the recipient allows under 5.7.1", failedReply("550", "5.7.1", "DATA", "550 5.7.1 The message is larger than the recipient allows"), MessageTooBig},
		{"rejected: oversized under 5.7.1", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Message rejected: oversized"), MessageTooBig},
		{"attachment too big under 5.7.1", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Attachment too big"), MessageTooBig},
		{"attachments too big, no status", failedReply("552", "", "DATA", "552 Attachments too big for this server"), MessageTooBig},
		{"size limit reached under 5.7.1", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Size limit reached for this recipient"), MessageTooBig},
		{"message file too large under 5.0.0, 552", failedReply("552", "5.0.0", "DATA", "552 5.0.0 Message file too large"), MessageTooBig},
		// Stays a full mailbox: the quota is named beside the size.
		{"oversized for the quota", failedReply("552", "5.2.2", "DATA", "552 5.2.2 Message oversized for the recipient's remaining quota"), MailboxFull},
		// 28-r15.tsv, rule 226: a full inbox beside 5.7.1 and "rejected".
		{"inbox full under 5.7.1", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Inbox full, message rejected"), MailboxFull},
		// 28-r15.tsv, the fourth batch's size wordings (rule 225).
		{"message body too big under 5.7.0", failedReply("552", "5.7.0", "DATA", "552 5.7.0 Message body too big"), MessageTooBig},
		{"body too large, no status", failedReply("552", "", "DATA", "552 Body too large for this server"), MessageTooBig},
		{"rejected: message size (n) exceeds the limit (m)", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Rejected: message size (26214912) exceeds the limit (25000000)"), MessageTooBig},
		{"exceeds the maximum allowed size under 5.7.1", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Email exceeds the maximum allowed size"), MessageTooBig},
		{"a notice: refused because it is too big", Input{Action: "failed", Diagnostic: "The recipient's mail server refused it because it is too big (the limit there is 10 MB)."}, MessageTooBig},
		// classify.go, lessPrecise: a relay's X.7.1 Status beside the
		// refusing server's code of another subject (RFC 3464 section
		// 2.3.6, the Diagnostic-Code's own code) takes that code.
		{"status 5.7.1, the diagnostic's 5.2.2 beside vague words", failedReply("552", "5.7.1", "", "552 5.2.2 rejected"), MailboxFull},
		{"status 5.7.1, the diagnostic's 5.1.1 beside vague words", failedReply("550", "5.7.1", "", "550 5.1.1 delivery failed"), UserUnknown},
		// Stays X.7.1: the diagnostic's code is of the same subject.
		{"status 5.7.1, the diagnostic's 5.7.1", failedReply("550", "5.7.1", "", "550 5.7.1 refused"), Blocked},
		// 28-r15.tsv, rule 511: RFC 5321's name of 554 ("Transaction
		// failed") decides only where the status says nothing more.
		{"transaction failed under 5.2.2: the code decides", failedReply("554", "5.2.2", "DATA", "554 5.2.2 Transaction failed"), MailboxFull},
		{"transaction failed under 5.1.1: the code decides", failedReply("554", "5.1.1", "RCPT", "554 5.1.1 Transaction failed"), UserUnknown},
		{"transaction failed under 5.0.0", failedReply("554", "5.0.0", "DATA", "554 5.0.0 Transaction failed"), SystemError},
		{"transaction failed, no status", failedReply("554", "", "DATA", "554 Transaction failed"), SystemError},
		// 28-r15.tsv, the sixth batch: the same causes in other
		// languages, as ASCII SMTP replies, beside 5.7.1 and 5.0.0.
		{"french too large under 5.7.1", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Message refuse : message trop volumineux"), MessageTooBig},
		{"italian too large, 552 under 5.0.0", failedReply("552", "5.0.0", "DATA", "552 Messaggio troppo grande"), MessageTooBig},
		{"dutch too large under 5.7.1", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Bericht is te groot"), MessageTooBig},
		{"spanish full mailbox without accents under 5.7.1", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 El buzon del destinatario esta lleno"), MailboxFull},
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
