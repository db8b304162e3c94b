package classify

import "testing"

// TestClassify_refProvidersAmericas holds the reply texts that the
// providers' own pages list (Gmail/Google Workspace, Microsoft Exchange
// Online and Outlook.com, Yahoo, AOL, AT&T; Mimecast's are in
// ref_refd_test.go), each with the reason that the page's explanation implies. The addresses and IP
// addresses are examples. None may end as on_hold or undefined, or with
// low confidence.
func TestClassify_refProvidersAmericas(t *testing.T) {
	tests := []clearCase{
		// Gmail SMTP errors and codes,
		// https://support.google.com/a/answer/3726730
		{"gmail unusual rate of unsolicited mail", delayedReply("421", "4.7.0", "", "421-4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily blocked. - gsmtp"), RateLimited},
		{"gmail tls required", delayedReply("421", "4.7.0", "RCPT", "421 4.7.0 TLS required for RCPT domain, closing connection. - gsmtp"), FailedSTARTTLS},
		{"gmail ip not in whitelist", delayedReply("421", "4.7.0", "RCPT", "421 4.7.0 IP not in whitelist for RCPT domain, closing connection. - gsmtp"), Blocked},
		{"gmail receiving too quickly", delayedReply("450", "4.2.1", "RCPT", "450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. If the user is able to receive mail at that time, your message will be delivered. - gsmtp"), RateLimited},
		{"gmail receiving at a rate", delayedReply("450", "4.2.1", "RCPT", "450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. Please resend your message at a later time. If the user is able to receive mail at that time, your message will be delivered. - gsmtp"), RateLimited},
		{"gmail peak relay limit", delayedReply("450", "4.2.1", "MAIL", "450 4.2.1 Peak SMTP relay limit exceeded for customer. This is a temporary error. - gsmtp"), RateLimited},
		{"gmail over quota", delayedReply("452", "4.2.2", "RCPT", "452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp"), MailboxFull},
		{"gmail inbox out of storage", delayedReply("452", "4.2.2", "RCPT", "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to Manage files in your Google Drive storage. - gsmtp"), MailboxFull},
		{"gmail over quota permanent", failedReply("552", "5.2.2", "RCPT", "552-5.2.2 The email account that you tried to reach is over quota. - gsmtp"), MailboxFull},
		{"gmail does not exist", failedReply("550", "5.1.1", "RCPT", "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. - gsmtp"), UserUnknown},
		{"gmail disabled", failedReply("550", "5.2.1", "RCPT", "550-5.2.1 The email account that you tried to reach is disabled. - gsmtp"), Suspended},
		{"gmail unauthenticated dmarc", failedReply("550", "5.7.26", "DATA", "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. Please contact the administrator of example.com domain. - gsmtp"), AuthFailure},
		{"gmail no authentication information", delayedReply("421", "4.7.0", "DATA", "421-4.7.0 This message does not have authentication information or fails to pass authentication checks. To best protect our users from spam, the message has been blocked. - gsmtp"), AuthFailure},
		{"gmail no ptr", failedReply("550", "5.7.25", "DATA", "550-5.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail does not accept messages from IPs with missing PTR records. - gsmtp"), RequirePTR},
		{"gmail likely unsolicited", failedReply("550", "5.7.1", "DATA", "550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp"), SpamDetected},
		{"gmail very low reputation", delayedReply("421", "4.7.0", "DATA", "421-4.7.0 Our system has detected that this message is suspicious due to the very low reputation of the sending domain. To best protect our users from spam, the message has been blocked. - gsmtp"), BadReputation},
		{"gmail custom domain policy", failedReply("550", "5.7.1", "DATA", "550 5.7.1 This message violates example.com email policy. - gcdp <sessionid> - gsmtp"), PolicyViolation},
		{"gmail size limit", failedReply("552", "5.3.4", "DATA", "552-5.3.4 Your message exceeded Google's message size limits. - gsmtp"), MessageTooBig},
		{"gmail multiple from", failedReply("550", "5.7.1", "DATA", "550-5.7.1 Messages with multiple addresses in From: header are not accepted. - gsmtp"), NotCompliantRFC},
		{"gmail daily relay limit", failedReply("550", "5.4.5", "MAIL", "550 5.4.5 Daily SMTP relay limit exceeded for user. - gsmtp"), RateLimited},
		{"gmail relay denied", failedReply("550", "5.7.0", "RCPT", "550 5.7.0 Mail relay denied 192.0.2.1. Invalid credentials for relay for one of the domains in: example.com. - gsmtp"), NoRelaying},
		{"gmail ip not authorized to send directly", failedReply("550", "5.7.1", "MAIL", "550-5.7.1 [192.0.2.1] The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. - gsmtp"), Blocked},
		{"gmail recipient policy prohibits", failedReply("550", "5.7.1", "DATA", "550 5.7.1 The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent. - gsmtp"), PolicyViolation},
		{"gmail rate limited 4.7.28", delayedReply("421", "4.7.28", "DATA", "421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp"), RateLimited},

		// Email non-delivery reports and SMTP errors in Exchange Online,
		// https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/non-delivery-reports-in-exchange-online
		{"exo recipient thread limit", delayedReply("432", "4.3.2", "", "432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded"), RateLimited},
		{"exo message expired", failedReply("", "4.4.7", "", "4.4.7 Message expired"), Expired},
		{"exo connection refused", delayedReply("", "4.4.316", "", "4.4.316 Connection refused [Message=Socket error code 10061]"), NetworkError},
		{"exo recipient not found", failedReply("550", "5.1.10", "RCPT", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"), UserUnknown},
		{"exo recip not found", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"), UserUnknown},
		{"exo bad outbound sender", failedReply("550", "5.1.8", "MAIL", "550 5.1.8 Access denied, bad outbound sender"), Rejected},
		{"exo dbeb access denied", failedReply("550", "5.4.1", "RCPT", "550 5.4.1 [user@example.com]: Recipient address rejected: Access denied"), UserUnknown},
		{"exo banned sending ip", failedReply("550", "5.7.606", "MAIL", "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions."), Blocked},
		{"exo submission quota", failedReply("554", "5.2.2", "", "554 5.2.2 Submission quota exceeded"), RateLimited},
		{"exo per hour receive limit sender", failedReply("550", "5.2.121", "", "550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded"), RateLimited},
		{"exo per hour receive limit", failedReply("550", "5.2.122", "", "550 5.2.122 Recipient's per hour message receive limit exceeded"), RateLimited},
		{"exo spam abuse", failedReply("550", "5.7.501", "", "550 5.7.501 Access denied, spam abuse detected"), Rejected},
		{"exo dmarc reject", failedReply("550", "5.7.509", "", "550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject."), AuthFailure},
		// Fix email delivery issues for error codes 5.7.700 through
		// 5.7.750 in Exchange Online,
		// https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-7-700-through-5-7-750
		{"exo tenant exceeded threshold", failedReply("550", "5.7.705", "", "550 5.7.705 Access denied, tenant has exceeded threshold"), Rejected},
		{"exo traffic not accepted from ip", failedReply("550", "5.7.708", "", "550 5.7.708 Access denied, traffic not accepted from this IP"), Blocked},
		{"exo unregistered domain", failedReply("550", "5.7.750", "", "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains"), Rejected},

		// Outlook.com's block list reply, as a hosting provider's help
		// page quotes it with its meaning (the sending IP address is on
		// Microsoft's block list),
		// https://support.binarylane.com.au/support/solutions/articles/11000047583-emails-to-hotmail-and-outlook-are-blocked
		{"outlook.com s3150", failedReply("550", "5.7.1", "MAIL", "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors."), Blocked},
		{"outlook.com sc-001", failedReply("550", "", "MAIL", "550 SC-001 (BAY004-MC4F49) Unfortunately, messages from 192.0.2.1 weren't sent. Please contact your Internet service provider since part of their network is on our block list."), Blocked},

		// Yahoo's help article on "421 4.7.1 [TS03] ... permanently
		// deferred" (a high volume of unsolicited bulk mail from the
		// sending IP address),
		// http://help.yahoo.com/kb/index?page=content&y=PROD_MAIL_MOBILE&locale=en_US&id=SLN3436
		{"yahoo ts03", delayedReply("421", "4.7.1", "", "421 4.7.1 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes"), Blocked},
		// Yahoo's error codes page, as a mail hosting provider's help
		// page quotes the TSS04 reply and its meaning (volume or user
		// complaints against the sending IP address),
		// https://secuserve.zammad.com/help/en-us/5-f-a-q/397-deferred-yahoo-said-421-4-7-0-tss04
		{"yahoo tss04", delayedReply("421", "4.7.0", "MAIL", "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"), BadReputation},

		// AOL's SMTP error messages (postmaster.aol.com/Postmaster.Errors.php),
		// as quoted by a hosting provider's community page,
		// http://community.hostcheetah.com/topic/267/aol-postmaster/
		{"aol rtr:bb dynamic ip", failedReply("554", "", "CONN", "554 RTR:BB http://postmaster.info.aol.com/errors/554rtrbb.html"), Blocked},
		{"aol rtr:ch compromised", failedReply("554", "", "CONN", "554 RTR:CH http://postmaster.info.aol.com/errors/554rtrch.html"), Blocked},
		{"aol rtr:bg not allocated", failedReply("554", "", "CONN", "554 RTR:BG http://postmaster.info.aol.com/errors/554rtrbg.html"), Blocked},
		{"aol rtr:rd dynamic rdns", failedReply("554", "", "CONN", "554 RTR:RD http://postmaster.info.aol.com/errors/554rtrrd.html"), Blocked},

		// AT&T (Worldnet, BellSouth) Mailblock error message summary,
		// http://rbl.att.net/block_enduser.html and
		// http://worldnet.att.net/general-info/mail_info/block_enduser.html
		{"att is blocked", failedReply("521", "", "CONN", "521 <192.0.2.1> is blocked"), Blocked},
		{"att mailbox suspended", failedReply("550", "", "RCPT", "550 [suspend] Mailbox currently suspended--Please contact correspondent directly."), Suspended},
		{"att requires valid sender domain", failedReply("550", "", "MAIL", "550 [permfail] bellsouth.net requires valid sender domain"), Rejected},
		{"att unauthorized interface", failedReply("550", "", "CONN", "550 unauthorized interface for <192.0.2.1>"), Blocked},
		{"att blocked by ldap rblmx", failedReply("550", "", "CONN", "550 <192.0.2.1> blocked by ldap:ou=rblmx,dc=bellsouth,dc=net"), Blocked},
		{"att blocked for abuse", failedReply("550", "", "CONN", "550 Error. Blocked for abuse"), Blocked},
		{"att dns look-up", delayedReply("421", "", "CONN", "421-failure in DNS look-up."), RequirePTR},
		{"att busy", delayedReply("450", "", "CONN", "450 busy--Please try again later"), TooManyConnections},
		{"att unknown sender status", failedReply("550", "", "CONN", "550 Error. Blocked for status: <unknown sender>"), RequirePTR},
	}
	checkClear(t, tests)
}
