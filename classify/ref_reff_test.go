package classify

import "testing"

// TestClassify_refProvidersMore holds the reply texts that more providers'
// pages list (Apple iCloud Mail, Cox, Spectrum/Charter and Road Runner,
// CenturyLink, Rackspace Email, IONOS/1&1, GoDaddy, Fastmail, Zoho Mail
// and ZeptoMail), each with the reason that the page's explanation
// implies. Where the page quotes the reply without its addresses, IP
// addresses or URLs, they are examples. None may end as on_hold or
// undefined, or with low confidence.
func TestClassify_refProvidersMore(t *testing.T) {
	tests := []clearCase{
		// iCloud's replies as the SMTP Field Manual quotes and explains
		// them, https://smtp.codes/icloud
		{"icloud deferred due to excessive volume", delayedReply("421", "4.7.1", "RCPT", "421 4.7.1 Messages to user@icloud.com deferred due to excessive volume. Try again later - https://support.apple.com/en-us/HT204137"), RateLimited},
		{"icloud user does not exist", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@icloud.com>: user does not exist"), UserUnknown},
		{"icloud cs01 local policy", failedReply("550", "5.7.1", "DATA", "550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"), Blocked},
		{"icloud dmarc policy", toRcpt("user@icloud.com", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Your message was rejected due to example.com DMARC policy.")), AuthFailure},
		{"icloud domain in spamhaus dbl", toRcpt("user@icloud.com", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see https://www.spamhaus.org/dbl/")), SpamDetected},
		// Apple iCloud Mail's Hide My Email addresses, as a bounce
		// decoder's page explains them (an address its user turned off
		// answers "Relay not permitted for user"),
		// https://tamingdns.com/bounce-decoder/apple
		{"icloud hide my email turned off", toRcpt("abc123@privaterelay.appleid.com", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Relay not permitted for user.")), UserUnknown},
		{"icloud relay not permitted from icloud mx", func() Input {
			in := failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Relay not permitted for user.")
			in.RemoteMTA = "mx01.mail.icloud.com"
			return in
		}(), UserUnknown},
		// Apple's local policy rejections HM07 and HM08, as a
		// deliverability vendor's page quotes them (an internal policy
		// decision, often about the content),
		// https://www.suped.com/learn/email-deliverability/what-does-apples-message-rejected-due-to-local-policy-error-mean-and-how-can-it-be-resolved
		{"icloud hm08 local policy", failedReply("554", "5.7.1", "DATA", "554 5.7.1 [HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"), PolicyViolation},
		{"icloud hm07 local policy", failedReply("554", "5.7.1", "DATA", "554 5.7.1 [HM07] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"), PolicyViolation},

		// Cox Postmaster Error Codes,
		// http://postmaster.cox.net/confluence/display/postmaster/Error+Codes,
		// with the replies as Cox's support forum quotes them
		// (https://forums.cox.com/discussions/internet/emails-to-me-from-rice-edu-being-rejected-aupcxbl-error-554-5-0-0/122275,
		// https://forums.cox.com/discussions/internet/cox-has-marked-my-email-server-as-a-spammer---how-to-resolve/136978)
		{"cox cxbl", failedReply("554", "", "CONN", "554 cmsmtp blocked. Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#CXBL"), Blocked},
		{"cox cdrbl", delayedReply("421", "", "CONN", "421 cmsmtp blocked. Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#CDRBL"), Blocked},
		{"cox ipbl0001 spamhaus", failedReply("554", "", "CONN", "554 cmsmtp blocked. Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#IPBL0001"), Blocked},
		{"cox ipbl1000 cloudmark", failedReply("554", "", "CONN", "554 cmsmtp blocked. Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#IPBL1000"), Blocked},
		{"cox cxcnct", delayedReply("421", "", "CONN", "421 cmsmtp blocked. Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#CXCNCT"), TooManyConnections},
		// Cox writes its code after "AUP#", which joins it to the word
		// before; its forum quotes these replies
		// (https://forums.cox.com/discussions/internet/aupcxsndr----error-trigger-depends-upon-message-content/109845:
		// CXSNDR, the sender's domain does not resolve; suped.com's Cox
		// page: CXMXRT, more messages than allowed).
		{"cox cxsndr", failedReply("550", "", "MAIL", "550 Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#CXSNDR"), Rejected},
		{"cox cxmxrt", delayedReply("452", "", "RCPT", "452 Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#CXMXRT"), RateLimited},
		{"cox cxcnct to cox.net", toRcpt("user@cox.net", delayedReply("421", "", "CONN", "421 cmsmtp blocked. Refer to Error Codes section at http://postmaster.cox.net/confluence/display/postmaster/Error+Codes for more information. AUP#CXCNCT")), TooManyConnections},

		// Spectrum's community forum, where a verified Spectrum employee
		// explains AUP#1020 (a block on the sending address for
		// suspicious activity, most likely recipients' spam reports;
		// not an IP block list),
		// https://community.spectrum.net/discussion/172891/i-manage-a-domain-stovebolt-com-that-is-having-emails-to-spectum-users-blocked
		{"spectrum aup#in-1020", delayedReply("554", "4.0.0", "CONN", "554 impin004.msg.chrl.nc.charter.net cmsmtp 192.0.2.1 blocked. Please see https://www.spectrum.net/support/internet/understanding-email-error-codes for more information. AUP#In-1020"), Rejected},
		// Road Runner Mail Blocks (its IP address block list, made from
		// its customers' spam complaints), http://security.rr.com/mail_blocks.htm
		{"road runner mail refused", failedReply("554", "5.7.1", "CONN", "554 5.7.1 - ERROR: Mail Refused - <192.0.2.1> - See http://security.rr.com/cgi-bin/block-lookup?192.0.2.1"), Blocked},
		// Spectrum Internet, What is the outbound email policy? (1,000
		// recipients a day per IP address; past it the outbound servers
		// refuse mail for 24 hours),
		// http://support.brighthouse.com/Article/Outbound-Email-Policy-Road-Runner-1687
		{"road runner outbound limit", failedReply("550", "5.7.1", "MAIL", "ERROR:5.7.1:550 Outbound Mail Refused - 192.0.2.1 See http://help.rr.com/outboundemail - 20260101"), RateLimited},

		// CenturyLink's internal reputation block, as a deliverability
		// vendor's page quotes it (the sending IP address is on the block
		// list that CenturyLink uses),
		// https://www.suped.com/knowledge/email-deliverability/troubleshooting/how-to-resolve-email-delivery-issues-and-blocks-from-centurylinks-internal-reputation-service
		{"centurylink internal reputation", failedReply("550", "5.7.1", "CONN", "550 5.7.1 [C10] RBL restriction: Blacklisted by Internal Reputation Service"), Blocked},

		// Rackspace's replies as the SMTP Field Manual quotes and
		// explains them, https://smtp.codes/rackspace
		{"rackspace g2 concurrent connections", delayedReply("421", "", "CONN", "421 Too many concurrent connections from this client (G2)"), TooManyConnections},
		{"rackspace g1f no ptr", delayedReply("450", "4.7.1", "RCPT", "450 4.7.1 Client host 192.0.2.1 has no PTR record (G1F)"), RequirePTR},
		{"rackspace g6 recipient server unavailable", delayedReply("450", "4.4.1", "RCPT", "450 4.4.1 <user@example.com>: The recipient's server was temporarily unavailable to accept your message (G6)"), SystemError},
		{"rackspace g30 too much email", delayedReply("450", "4.2.1", "RCPT", "450 4.2.1 <user@example.com>: Mailbox received too much email in a short period of time (G30)"), RateLimited},
		{"rackspace g16 routing loop", delayedReply("450", "4.4.6", "DATA", "450 4.4.6 Routing loop detected (G16)"), NetworkError},
		{"rackspace g28 new or untrusted ip", delayedReply("451", "4.7.1", "MAIL", "451 4.7.1 Received too many messages from a new or untrusted IP (G28)"), RateLimited},
		// Rackspace, Common email bounce messages,
		// https://docs.rackspace.com/docs/common-email-bounces
		{"rackspace sender domain not found", delayedReply("450", "4.1.8", "MAIL", "450 4.1.8 <user@example.com>: Sender address rejected: Domain not found"), Rejected},
		{"rackspace mx host not found", failedReply("", "", "", "Host or domain name not found. MX host not found."), HostUnknown},

		// IONOS, Error messages caused by undeliverable email,
		// https://ionos.ca/help/email/troubleshooting-mail-basicmail-business/error-messages-caused-by-undeliverable-email
		{"ionos unknown user", failedReply("550", "", "RCPT", "550 Unknown User"), UserUnknown},
		{"ionos mailbox unavailable", failedReply("550", "", "RCPT", "550 Requested Action Not Taken: Mailbox Unavailable"), UserUnknown},
		{"ionos quota exceeded", failedReply("550", "", "RCPT", "550 Quota Exceeded"), MailboxFull},
		// SMTP Error Messages for the 1&1 Mail Server,
		// https://help.1and1.com/e-mail-and-office-c37589/1and1-postmaster-c85193/smtp-error-messages-for-the-1and1-mail-server-a793087.html
		{"1and1 421 policy violations", delayedReply("421", "", "CONN", "421 Reject due to policy violations"), Blocked},
		{"1and1 rate limit reached", delayedReply("421", "", "MAIL", "421 Rate limit reached. Please try again later"), RateLimited},
		{"1and1 450 policy violations", delayedReply("450", "", "MAIL", "450 Reject due to policy violations."), Blocked},
		{"1and1 local error in processing", delayedReply("451", "", "DATA", "451 Requested action aborted: local error in processing"), SystemError},
		// United Internet (1&1, IONOS, GMX, web.de) as the SMTP Field
		// Manual quotes and explains it, https://smtp.codes/unitedinternet/
		{"united internet spf policy", failedReply("550", "", "MAIL", "550 <user@example.com>: Reject due to SPF policy. The originating IP of the message is not permitted by the domain owner"), AuthFailure},
		{"united internet mailbox unavailable", failedReply("550", "", "RCPT", "550 <user@example.com>: Requested action not taken: mailbox unavailable"), UserUnknown},

		// GoDaddy, Fix rejected email with a bounce error,
		// https://www.godaddy.com/help/fix-rejected-email-with-a-bounce-error-40685
		{"godaddy looping", failedReply("", "", "", "This message is looping: it already has my Delivered-To line. (#5.4.6)"), NetworkError},
		{"godaddy recipient not found", failedReply("550", "", "RCPT", "550 Recipient not found"), UserUnknown},

		// Fastmail, Why messages bounce back,
		// https://fastmail.help/hc/en-us/articles/7010500320655-Why-messages-bounce-back
		{"fastmail user unknown", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@fastmail.com>: Recipient address rejected: User unknown in virtual mailbox table"), UserUnknown},
		// The sender may not use that From address: the same refusal as
		// SendGrid's "not authorized to send from that email address".
		{"fastmail not authorised header address", failedReply("551", "5.7.1", "MAIL", "551 5.7.1 Not authorised to send from this header address"), SecurityError},
		{"fastmail authentication failed", failedReply("535", "5.7.8", "AUTH", "535 5.7.8 Error: authentication failed: authentication failure"), SecurityError},
		{"fastmail host not found", failedReply("", "", "", "Host or domain name not found"), HostUnknown},
		{"fastmail blocked using spamhaus", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using xbl.spamhaus.org"), Blocked},
		// Fastmail, Undelivered email,
		// https://www.fastmail.com/help/send/undeliverable.html
		{"fastmail connection refused", failedReply("", "", "", "connect to mx.example.com[192.0.2.1]: Connection refused"), NetworkError},
		{"fastmail relay access denied", failedReply("554", "", "RCPT", "554 <user@example.com>: Recipient address rejected: Relay access denied"), NoRelaying},

		// Zoho's replies as the SMTP Field Manual quotes and explains
		// them, https://smtp.codes/zoho
		{"zoho mail rejected by destination domain", failedReply("541", "5.4.1", "RCPT", "541 5.4.1 Mail rejected by destination domain"), Filtered},
		{"zoho delivery restricted by policy", delayedReply("452", "", "RCPT", "452 <user@example.com> Mailbox delivery restricted by policy error"), Filtered},
		{"zoho temporary system error", delayedReply("452", "4.3.1", "RCPT", "452 4.3.1 Temporary System Error"), SystemError},
		{"zoho dmarc", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Email rejected per DMARC policy for example.com"), AuthFailure},
		{"zoho user unknown", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@example.com> User unknown"), UserUnknown},
		{"zoho virus", failedReply("552", "5.7.1", "DATA", "552 5.7.1 virus Win.Test.EICAR_HDB-1 detected by Zoho Mail"), VirusDetected},
		// Zoho ZeptoMail, SMTP Error Codes,
		// https://www.zoho.com/zeptomail/help/api/smtp-error-codes.html
		{"zeptomail starttls first", failedReply("530", "", "MAIL", "530 Must issue a STARTTLS command first."), FailedSTARTTLS},
		{"zeptomail authentication failed", failedReply("535", "", "AUTH", "535 Authentication Failed."), SecurityError},
		{"zeptomail relaying disallowed", failedReply("553", "", "MAIL", "553 Relaying disallowed as user@example.com"), NoRelaying},
		{"zeptomail email size exceeded", failedReply("", "5.2.0", "DATA", "5.2.0 Email size exceeded the policy."), MessageTooBig},
	}
	checkClear(t, tests)
}
