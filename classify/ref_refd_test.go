package classify

import "testing"

// TestClassify_refGateways holds the reply texts that the published
// references of mail security gateways and hosted filters list (Mimecast,
// Broadcom/Symantec Email Security.cloud and Messaging Gateway, Cisco
// Secure Email (IronPort), Trend Micro, Proofpoint (as its partners quote
// it), Barracuda, Sophos Central Email), each with the reason that the
// page's explanation implies. Some of these replies are the gateway's own,
// others are what the gateway's page says a receiving server answers it.
// The addresses and IP addresses are examples. None may end as on_hold or
// undefined, or with low confidence.
func TestClassify_refGateways(t *testing.T) {
	tests := []clearCase{
		// Mimecast SMTP Error Codes (4xx table), as copied at
		// https://electronicaportatil.com/smtp-error-codes/ and
		// https://www.tecism.com/2018/01/
		{"mimecast sender address blocked", delayedReply("421", "", "RCPT", "421 Sender address blocked - https://community.mimecast.com/docs/DOC-1369#421 [AbCdEfGhIjKlMnOpQrStUv.uk1]"), Blocked},
		{"mimecast unable to process connection", delayedReply("421", "", "CONN", "421 Unable to process connection at this time - https://community.mimecast.com/docs/DOC-1369#421"), SystemError},
		// Emails Not Sending to Mimecast Recipients (a list host's help
		// page: the 451 is Mimecast's greylisting),
		// https://dwlistore.dwli.org/knowledgebase/444/Emails-Not-Sending-to-Mimecast-Recipients-.html
		{"mimecast internal resource temporarily unavailable", delayedReply("451", "", "RCPT", "451 Internal resource is temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [Aj3QXapeMpqZYaeFwWhjzw.us32]"), Expired},
		// Who are Mimecast? (Word to the Wise, rejections from bounce logs:
		// blocks by Mimecast, by the recipient's administrator or by the
		// user), https://wordtothewise.com/2018/07/who-are-mimecast
		{"mimecast administrative prohibition envelope blocked", failedReply("550", "", "RCPT", "550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550"), Rejected},
		{"mimecast envelope blocked user entry", failedReply("550", "", "RCPT", "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550"), Rejected},
		{"mimecast header based blocked senders", failedReply("550", "", "DATA", "550 Rejected by header based Blocked Senders: sender@example.com - https://community.mimecast.com/docs/DOC-1369#550"), Rejected},
		{"mimecast header based manually blocked senders", failedReply("550", "", "DATA", "550 Rejected by header based manually Blocked Senders: sender@example.com - https://community.mimecast.com/docs/DOC-1369#550"), Rejected},
		{"mimecast spamcop blocked", failedReply("550", "", "RCPT", "550 spamcop.mimecast.org Blocked - see http://www.spamcop.net/bl.shtml?192.0.2.1 - https://community.mimecast.com/docs/DOC-1369#550"), Blocked},
		{"mimecast invalid recipient", failedReply("550", "", "RCPT", "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550"), UserUnknown},
		{"mimecast email rejected due to security policies", failedReply("554", "", "DATA", "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554"), PolicyViolation},
		// Policies - Configuring Blocked Sender Policies (the default
		// External to External Block Sender policy "prevents senders from
		// using your mail server as an open relay"),
		// https://mimecastsupport.zendesk.com/hc/en-us/articles/34000417548819
		{"mimecast open relay not allowed", delayedReply("451", "", "RCPT", "451 Open relay not allowed - https://community.mimecast.com/docs/DOC-1369#451"), NoRelaying},
		// Policies - Managing Blocked Senders and Email Rejections ("Policy
		// level block list in force": blocked by a Blocked Senders policy),
		// https://mimecastsupport.zendesk.com/hc/en-us/articles/42979092709907-Policies-Managing-Blocked-Senders-and-Email-Rejections
		{"mimecast policy level block list", failedReply("550", "", "RCPT", "550 Envelope rejected due to policy level block list in force - https://community.mimecast.com/docs/DOC-1369#550"), Rejected},
		// 550 Rejected by header based Anti-Spoofing policy (a sending
		// platform's help page: external mail that claims an internal
		// domain is refused by the recipient's policy),
		// https://accredit-solutions.zendesk.com/hc/en-gb/articles/360017721797-550-Rejected-by-header-based-Anti-Spoofing-policy
		{"mimecast anti-spoofing policy", failedReply("550", "", "DATA", "550 Rejected by header based Anti-Spoofing policy: sender@example.com - https://community.mimecast.com/docs/DOC-1369#550 [VUJUo2t1Pr-x_8v9fCw5Og.uk90]"), PolicyViolation},

		// Outbound Mail returned by MAILER-DAEMON@messagelabs.com
		// (Broadcom, Email Security.cloud: the refusals of recipients'
		// servers, grouped by cause),
		// https://knowledge.broadcom.com/external/article/162445/outbound-mail-returned-by-mailerdaemonme.html
		{"symcloud size exceeds fixed maximum", failedReply("552", "5.3.4", "DATA", "552 5.3.4 Message size exceeds fixed maximum message size"), MessageTooBig},
		{"symcloud size exceeds fixed limit", failedReply("552", "", "MAIL", "552 Message size exceeds fixed limit"), MessageTooBig},
		{"symcloud mailbox is full", failedReply("552", "", "RCPT", "552 Mailbox is full"), MailboxFull},
		{"symcloud exceeded storage allocation", failedReply("552", "", "DATA", "552 Requested mail action aborted: exceeded storage allocation"), MailboxFull},
		{"symcloud user unknown", failedReply("550", "", "RCPT", "550 User unknown"), UserUnknown},
		{"symcloud no such user", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 <user@example.com>: Recipient address rejected: No such user"), UserUnknown},
		{"symcloud unable to relay", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Unable to Relay"), NoRelaying},
		{"symcloud relay access denied", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 <user@example.com>: Relay access denied"), NoRelaying},
		{"symcloud rejected as spam by content filtering", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Message rejected as spam by Content Filtering."), SpamDetected},
		{"symcloud denied mode normal", failedReply("554", "", "DATA", "554 Denied (Mode: normal)"), SpamDetected},
		{"symcloud denied by policy", failedReply("550", "", "DATA", "550 Denied by policy"), PolicyViolation},
		{"symcloud vba macros", failedReply("552", "", "DATA", "552 MS-Office file containing VBA macros found inside of the email"), ContentError},
		{"symcloud content restrictions", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Message rejected due to content restrictions"), ContentError},
		{"symcloud sender denied", failedReply("554", "5.1.0", "MAIL", "554 5.1.0 Sender denied"), Rejected},
		{"symcloud envelope sender rejected", failedReply("553", "", "MAIL", "553 Envelope sender rejected"), Rejected},
		{"symcloud spf check failed", failedReply("550", "", "MAIL", "550 SPF check failed. Sender not authorized"), AuthFailure},
		{"symcloud sender verify failed", failedReply("550", "", "MAIL", "550 Sender verify failed"), Rejected},
		{"symcloud spf unauthorized mail", failedReply("550", "5.7.1", "MAIL", "550 5.7.1 SPF unauthorized mail is prohibited."), AuthFailure},
		{"symcloud exceeded max time", failedReply("554", "5.4.7", "", "554 5.4.7 [internal] exceeded max time without delivery"), Expired},
		// Common external Spam Filtering Error Codes (Broadcom, Email
		// Security.cloud: refusals by recipients' filters),
		// https://knowledge.broadcom.com/external/article/169925/common-external-spam-filtering-error-cod.html
		{"symcloud mail relay denied", failedReply("550", "5.7.0", "RCPT", "550 \"5.7.0\" Mail relay denied"), NoRelaying},
		{"symcloud unsafe content phishing", failedReply("550", "", "DATA", "550 Message contained unsafe content (Heuristics.Phishing.Email.SpoofedDomain)"), VirusDetected},
		{"symcloud sender on domain blacklist", failedReply("551", "", "MAIL", "551 Sender is on domain's blacklist"), Rejected},
		{"symcloud ip found on a block list", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Recipient not authorized, your IP has been found on a block list"), Blocked},
		{"symcloud banned content", failedReply("554", "", "DATA", "554 Rejected due to banned content"), ContentError},
		{"symcloud spam content", failedReply("554", "", "DATA", "554 Rejected due to spam content"), SpamDetected},

		// Cisco ESA domain exception (Cisco Community: a Cisco employee
		// explains the reply as a poor SenderBase reputation score that
		// matches the HAT BLACKLIST sender group),
		// https://community.cisco.com/t5/email-security/cisco-esa-domain-exception/m-p/4268260/highlight/true
		{"cisco esa poor reputation", failedReply("554", "", "CONN", "554 mx.example.com Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means."), BadReputation},
		// Cisco IronPort AsyncOS 7.1 for Email Advanced Configuration
		// Guide, Email Authentication (the SPF reject and defer texts),
		// https://manualsbrain.com/it/manuals/1649627/?page=293
		{"cisco esa spf unauthorized", failedReply("550", "5.7.1", "MAIL", "550 #5.7.1 SPF unauthorized mail is prohibited."), AuthFailure},

		// FAQs about messages blocked by Email Reputation Services (ERS)
		// (Trend Micro), https://success.trendmicro.com/solution/1097055-frequently-asked-questions-faqs-about-messages-blocked-by-email-reputation-services-ers
		{"trend rbl-plus refused", failedReply("550", "", "CONN", "550 Mail from 192.0.2.1 refused by rbl-plus.mail-abuse.org. Please refer to http://mail-abuse.org/rbl+ for an explanation"), Blocked},
		{"trend blocked using rbl+", failedReply("550", "", "RCPT", "550 Service unavailable; Client host [192.0.2.1] blocked using Trend Micro RBL+. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=192.0.2.1"), Blocked},
		// Valid emails are blocked by the Email Reputation feature of WFBS
		// (Trend Micro), https://success.trendmicro.com/solution/1056643-valid-emails-are-blocked-by-the-email-reputation-feature-of-worry-free-business-security-wfbs
		{"trend blocked by email reputation service", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Your email messages have been blocked by the recipient OR by Trend Micro Email Reputation Service. Contact the recipient or his/her administrator using alternate means to resolve the issue."), Blocked},
		// Understanding Email Bounce Messages, Problems with Your Email
		// Server (the IP is listed as a source of spam),
		// https://hardwaresecrets.com/understanding-email-bounce-messages/4/
		{"trend deferred using email reputation database", delayedReply("450", "", "RCPT", "450 Mail from 192.0.2.1 deferred using Trend Micro Email Reputation database. Please see https://www.mail-abuse.com/cgi-bin/lookup?192.0.2.1"), Blocked},
		{"barracuda blocked using barracudacentral", failedReply("554", "", "RCPT", "554 Service unavailable; Client host [192.0.2.1] blocked using b.barracudacentral.org; https://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.1"), Blocked},
		// A Japanese hosting blog on Trend Micro's ERS lists (ERS-QIL,
		// ERS-DUL, ERS-RBL: the sending IP is listed),
		// https://server-recipe.com/3851/
		{"trend ers-qil", delayedReply("450", "4.7.1", "RCPT", "450 4.7.1 <user@example.com>: Recipient address rejected: ERS-QIL"), Blocked},
		// Outbound IP address blocked by Hosted Email Security (Trend
		// Micro, Japanese edition: HES refuses the customer's server for
		// spamming activity), https://success.trendmicro.com/jp/solution/1097373
		{"trend hes possible spamming activity", failedReply("550", "5.7.1", "", "550 5.7.1 <sender@example.com>: Mail blocked due to possible spamming activity"), Blocked},
		// Outbound email from sender domains not registered with HES is not
		// accepted (Trend Micro), https://success.trendmicro.com/solution/1053852-outbound-email-from-sender-domains-not-registered-as-valid-hosted-email-security-hes-domains-are-n
		{"trend hes sender address rejected", failedReply("554", "5.7.1", "MAIL", "554 5.7.1 <sender@example.com>: Sender address rejected: Access denied"), Rejected},
		// "550 Domain of forward-path is not allowed" error message appears
		// when sending mails in InterScan Messaging Security (the recipient's
		// domain is not a relay domain), https://success.trendmicro.com/dcx/s/solution/1106332
		{"trend imss forward-path not allowed", failedReply("550", "", "RCPT", "550 Domain of forward-path is not allowed"), NoRelaying},

		// How to deal with "host blocked using Barracuda reputation" (MIT
		// CSAIL), http://tig.csail.mit.edu/wiki/TIG/EmailBlockedByBarracuda,
		// and Why does my email server appear to be blacklisted by
		// Barracuda? (LuxSci: the IP address is blocked for its
		// reputation), https://luxsci.com/blog/?p=16857
		{"barracuda blocked using barracuda reputation", failedReply("554", "", "DATA", "554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://bbl.barracudacentral.com/q.cgi?ip=192.0.2.1"), Blocked},

		// Common Email Delivery Error Codes (Spambrella, a hosted filter on
		// Proofpoint Essentials: SMTP Discovery, closed relay),
		// https://www.spambrella.com/faq/email-delivery-error-codes/
		{"spambrella marked as invalid", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 <user@example.com>: Recipient address rejected: User email address is marked as invalid."), UserUnknown},
		{"spambrella relay access denied", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Relay Access denied"), NoRelaying},
		{"spambrella insufficient system resources", delayedReply("452", "4.3.1", "RCPT", "452 4.3.1 Insufficient system resources"), SystemFull},
		// Proofpoint Essentials: Fixing the 550 5.7.1 SPF Rejected Error,
		// https://www.404andmore.com/proofpoint-essentials-fixing-the-550-5-7-1-spf-rejected-error/
		{"proofpoint spf policy", failedReply("550", "5.7.1", "MAIL", "550 5.7.1 Message rejected per sender's SPF policy"), AuthFailure},

		// Workspace classification codes and Workspace reason codes
		// (EveryCloud, a reseller of Hornetsecurity's spam filter, formerly
		// antispameurope: the SMTP rejections and what each means),
		// https://support.everycloud.com/support/solutions/articles/4000007755-workspace-classification-codes
		// and http://support.everycloudtech.com/support/solutions/articles/4000039509-workspace-reason-codes
		{"hornet sender domain not found", delayedReply("450", "4.1.8", "MAIL", "450 4.1.8 <sender@example.com>: Sender address rejected: Domain not found"), Rejected},
		{"hornet header checks defer", delayedReply("450", "4.5.5", "DATA", "450 4.5.5 Header Checks Defer"), SpamDetected},
		{"hornet sender not fully-qualified", failedReply("504", "5.5.2", "MAIL", "504 5.5.2 <sender>: Sender address rejected: need fully-qualified address"), Rejected},
		{"hornet undeliverable address", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@example.com>: Recipient address rejected: undeliverable address"), UserUnknown},
		{"hornet sender/recipient rejected", failedReply("552", "5.2.2", "RCPT", "552 5.2.2 Sender/Recipient rejected"), Rejected},
		{"hornet message size content filter", failedReply("552", "5.5.2", "DATA", "552 5.5.2 Message size (content filter)"), MessageTooBig},
		{"hornet content filter size", failedReply("554", "5.5.3", "DATA", "554 5.5.3 e-mail Rejected Content Filter Size"), MessageTooBig},
		{"hornet spam ip rejected", failedReply("554", "5.5.4", "RCPT", "554 5.5.4 Spam IP rejected"), BadReputation},
		{"hornet rejected spam", failedReply("554", "5.5.5", "DATA", "554 5.5.5 e-mail Rejected Spam"), SpamDetected},
		{"hornet rejected content attachment", failedReply("554", "5.5.7", "DATA", "554 5.5.7 e-mail Rejected Content Attachment"), ContentError},
		{"hornet spam header", failedReply("554", "5.6.1", "DATA", "554 5.6.1 Spam Header rejected"), SpamDetected},
		{"hornet spam link", failedReply("554", "5.6.2", "DATA", "554 5.6.2 Spam Link rejected"), SpamDetected},
		{"hornet spam body", failedReply("554", "5.6.3", "DATA", "554 5.6.3 Spam Body rejected"), SpamDetected},
		{"hornet virus e-mail blocked", failedReply("554", "5.6.4", "DATA", "554 5.6.4 Virus E-Mail Blocked"), VirusDetected},
		{"hornet tls required by customer rule", failedReply("554", "5.6.5", "MAIL", "554 5.6.5 TLS encryption required by customer rule"), FailedSTARTTLS},
		{"hornet ldap check", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 unknown domain or unknown recipient (LDAP check)"), UserUnknown},

		// Common Email Bouncebacks (Mailprotector, a hosted filter: replies
		// of the servers it delivers to),
		// https://support.mailprotector.com/hc/en-us/articles/360048244891-Common-Email-Bouncebacks
		{"mailprotector submission rate exceeded", delayedReply("421", "4.4.2", "MAIL", "421 4.4.2 Message submission rate for this client has exceeded the configured limit"), RateLimited},
		{"mailprotector greylisted", delayedReply("450", "4.2.0", "RCPT", "450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, see http://postgrey.example.com/"), Expired},

		// The rejection reference of a Baruwa hosted filter (each reply,
		// what it means, what to do), https://bastion.umanix.net/info
		{"baruwa sender ip banned", failedReply("554", "", "RCPT", "554 The sender 192.0.2.1 is banned"), Blocked},
		{"baruwa sender domain banned", failedReply("554", "", "RCPT", "554 The domain example.com is banned"), Rejected},
		{"baruwa sender verification failed", failedReply("550", "", "MAIL", "550 Sender verification failed"), Rejected},
		{"baruwa recipient verification failed", failedReply("550", "", "RCPT", "550 Recipient verification failed"), UserUnknown},
		{"baruwa relay not permitted", failedReply("550", "", "RCPT", "550 Relay not permitted"), NoRelaying},
		{"baruwa email address does not exist", failedReply("550", "", "RCPT", "550 The email address does not exist"), UserUnknown},
		{"baruwa sender in a black list", failedReply("554", "", "RCPT", "554 The sender is in a black list rbl.baruwa.net"), Blocked},

		// Email Security Appliance Round-Robins to the Next SMTP Route If a
		// Destination Mail Server is Still Responsive (Cisco TAC document
		// 117875: a destination's 4.3.1 means its system resources are
		// short), https://manualsbrain.com/en/manuals/1647726/
		{"cisco esa insufficent system resources", delayedReply("452", "4.3.1", "RCPT", "452 4.3.1 Insufficent system resources"), SystemFull},

		// PDR IP Lookup Frequently Asked Questions (Proofpoint: an IP is
		// delayed or blocked because spam is received from it),
		// https://www.proofpoint.com/us/support-services/ip-blocked-faq
		{"proofpoint pdr blocked", failedReply("550", "5.7.0", "MAIL", "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1"), Blocked},
	}
	checkClear(t, tests)
}
