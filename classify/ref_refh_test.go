package classify

import "testing"

// TestClassify_refThinProviders holds the reply texts that providers our
// rules cited thinly or not at all list on their own help pages, or that a
// hosting provider's help page quotes with its meaning: Yandex Mail,
// Mail.ru, RU-CENTER (nic.ru), Alibaba Mail (Aliyun), a Chinese mail
// hosting provider and a list of a Chinese server's replies, IONOS,
// STRATO, goneo, Comservice, OneSystems, konto.pl, Spambrella, Megaegg
// (Energia Communications) and BBIQ (QTnet). Each has the reason that the
// page's explanation implies. The addresses, IP addresses and host names
// are examples. The rules that the shared tables lacked are in
// classify/rules/28-refh.tsv. None may end as on_hold or undefined, or
// with low confidence.
func TestClassify_refThinProviders(t *testing.T) {
	tests := []clearCase{
		// Yandex Mail help, Report on non-delivery to another (non-Yandex)
		// address, https://yandex.com/support/mail/bounces/other.html
		{"yandex other bad destination mailbox", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@example.com>: Bad destination mailbox address"), UserUnknown},
		{"yandex other bad destination system", failedReply("550", "5.1.2", "RCPT", "550 5.1.2 <user@example.com>: Bad destination system address"), HostUnknown},
		{"yandex other bad destination syntax", failedReply("553", "5.1.3", "RCPT", "553 5.1.3 <user@example.com>: Bad destination mailbox address syntax"), UserUnknown},
		{"yandex other dns no such domain", failedReply("550", "", "RCPT", "550 DNS: no such domain"), HostUnknown},
		{"yandex other invalid mailbox", failedReply("550", "", "RCPT", "550 <user@example.com>: Invalid mailbox"), UserUnknown},
		{"yandex other invalid recipient", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 Invalid recipient <user@example.com>"), UserUnknown},
		{"yandex other host not found", failedReply("", "5.4.4", "", "Host or domain name not found. Name service error for name=example.com type=A: Host not found"), HostUnknown},
		{"yandex other mailbox unavailable", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 Mailbox unavailable"), UserUnknown},
		{"yandex other no such user here", failedReply("550", "", "RCPT", "550 No such user here"), UserUnknown},
		{"yandex other account does not exist", failedReply("550", "5.1.1", "RCPT", "550-5.1.1 The email account that you tried to reach does not exist."), UserUnknown},
		// The page gives the domain failures ("DNS: no such domain", "Host
		// or domain name not found", "Unrouteable address") with the unknown
		// mailboxes, as a non-existing address; they are host_unknown.
		{"yandex other unrouteable address", failedReply("550", "", "RCPT", "550 Unrouteable address"), HostUnknown},
		{"yandex other user not found", failedReply("550", "", "RCPT", "550 User not found: user@example.com"), UserUnknown},
		{"yandex other user unknown", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@example.com>... User unknown"), UserUnknown},
		{"yandex other content filtering spam", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Message rejected as spam by Content Filtering."), SpamDetected},
		{"yandex other suspicion of spam", failedReply("550", "", "DATA", "550 Message rejected under suspicion of SPAM"), SpamDetected},
		{"yandex other looks like spam", failedReply("550", "", "DATA", "550 Sorry, message looks like SPAM to me"), SpamDetected},
		{"yandex other spf check failed", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 SPF check failed: 192.0.2.1 is not authorized to send in the name of example.com."), AuthFailure},
		{"yandex other account is full", failedReply("552", "", "RCPT", "552 Account is full"), MailboxFull},
		{"yandex other disk quota exceeded", failedReply("", "", "", "Error writing message: Disk quota exceeded"), MailboxFull},

		// Yandex Mail help, Report on non-delivery to Yandex,
		// https://yandex.com/support/mail/bounces/yandex.html
		{"yandex bad recipient address syntax", toRcpt("user@yandex.ru", failedReply("501", "5.1.3", "RCPT", "501 5.1.3 Bad recipient address syntax")), UserUnknown},
		{"yandex bad address mailbox syntax", toRcpt("user@yandex.ru", failedReply("553", "5.1.3", "RCPT", "553 5.1.3 Bad address mailbox syntax")), UserUnknown},
		{"yandex no such user", toRcpt("user@yandex.ru", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 No such user!")), UserUnknown},
		{"yandex need fully-qualified address", toRcpt("user@yandex.ru", failedReply("504", "5.5.2", "RCPT", "504 5.5.2 <user>: Recipient address rejected: need fully-qualified address")), UserUnknown},
		{"yandex suspicion of spam", toRcpt("user@yandex.ru", failedReply("554", "5.7.1", "DATA", "554 5.7.1 [2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1234567890-abcdef")), SpamDetected},
		{"yandex client host blocked using", toRcpt("user@yandex.ru", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.example.org; see http://example.org/lookup?ip=192.0.2.1")), Blocked},
		{"yandex blocked by spam statistics", toRcpt("user@yandex.ru", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Blocked by spam statistics - see https://ya.cc/1IrBc")), Blocked},
		{"yandex mailbox size exceeded", toRcpt("user@yandex.ru", failedReply("552", "5.2.2", "RCPT", "552 5.2.2 Mailbox size exceeded")), MailboxFull},
		{"yandex mailbox size limit exceeded", toRcpt("user@yandex.ru", failedReply("552", "5.2.2", "RCPT", "552 5.2.2 Mailbox size limit exceeded")), MailboxFull},
		{"yandex infected by virus", toRcpt("user@yandex.ru", failedReply("554", "5.7.1", "DATA", "554 5.7.1 Message infected by virus")), VirusDetected},

		// Popular errors when sending mail, as Mail.ru's service returns
		// them, https://mailout.ru/2015/09
		{"mailru sending disabled", failedReply("550", "", "MAIL", "550 message sending for this account is disabled"), Rejected},
		{"mailru mailbox full", toRcpt("user@mail.ru", failedReply("552", "", "RCPT", "552 Mailbox Full")), MailboxFull},
		{"mailru user quota exceeded", toRcpt("user@mail.ru", failedReply("552", "", "RCPT", "552 user@mail.ru User quota exceeded")), MailboxFull},
		{"mailru user not found", toRcpt("user@mail.ru", failedReply("550", "", "RCPT", "550 Message was not accepted -- invalid mailbox. Local mailbox user@mail.ru is unavailable: user not found")), UserUnknown},
		// Lost email messages, mail system errors (Mail.ru's DMARC
		// policy), https://viws.ru/en/poterya-pochtovyh-soobshchenii-oshibki-pochtovoi-sistemy.html
		{"mailru dmarc not accepted", toRcpt("user@mail.ru", failedReply("550", "5.7.1", "DATA", "550 5.7.1 This message was not accepted due to domain owner DMARC policy (RFC 7489) https://help.mail.ru/mail-help/postmaster/dmarc")), AuthFailure},
		{"mailru dmarc rejected per policy", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Email rejected per DMARC policy for example.com"), AuthFailure},

		// RU-CENTER, Mail: diagnostics and troubleshooting,
		// https://nic.ru/help/mail-diagnostics-and-troubleshooting_14426.html
		{"nicru domain disk quota exceeded", delayedReply("451", "", "RCPT", "451 example.ru prohibited. Disk quota exceeded"), MailboxFull},

		// Alibaba Mail SMTP/MTA bounce errors, as a reseller lists them,
		// http://sh-aliyun.com/index.php/Products/detail/cid/0/pid/87.html
		{"aliyun rcpt does not exist", failedReply("554", "", "RCPT", "554 RCPT (user@example.com) dosn't exist"), UserUnknown},
		{"aliyun rcpt to mailbox unavailable", failedReply("553", "", "RCPT", "553 \"RCPT TO\" mailbox unavailable"), UserUnknown},
		{"aliyun rcpt attempts threshold", failedReply("504", "", "RCPT", "504 the number of RCPT attempts is achieved the maximum threshold"), RateLimited},
		{"aliyun total rcpts threshold", failedReply("505", "", "RCPT", "505 the total of RCPTs is achieved the maximum threshold"), RateLimited},
		{"aliyun mailbox is full", failedReply("552", "", "RCPT", "552 mailbox is full"), MailboxFull},
		{"aliyun data length threshold", failedReply("510", "", "DATA", "510 The length of DATA content is achieved the maximum threshold"), MessageTooBig},
		{"aliyun attach length threshold", failedReply("510", "", "DATA", "510 The length of Attach is achieved the maximum threshold"), MessageTooBig},
		{"aliyun virus infected", failedReply("551", "", "DATA", "551 virus infected mail rejected"), VirusDetected},
		{"aliyun account not allowed to receive", failedReply("542", "", "RCPT", "542 This account isn't allowed to receive email"), Suspended},
		{"aliyun account not allowed to send", failedReply("541", "", "MAIL", "541 This account isn't allowed to send email"), Rejected},
		{"aliyun behaviour spam", failedReply("554", "", "DATA", "554 Reject by behaviour spam"), Blocked},
		{"aliyun transient behaviour spam", delayedReply("454", "", "DATA", "454 Transient reject by behaviour spam"), Blocked},
		{"aliyun content spam", failedReply("554", "", "DATA", "554 Reject by content spam"), SpamDetected},
		// Alibaba Mail, sending fails with ESO_LOCAL_SPAM (the anti-spam
		// system judged the message spam),
		// http://bestwisewords.com/document_detail/36620.html
		{"aliyun eso local spam", failedReply("554", "", "DATA", "554 (13)ESO_LOCAL_SPAM: spamed by local spam engine"), SpamDetected},

		// Chinese mail hosting provider's bounce help articles,
		// https://www.emailhost.com.cn/service.html?article_category=25&brd=1
		{"emailhost content reject", failedReply("550", "", "DATA", "550 Content reject"), SpamDetected},
		{"emailhost spam denied", failedReply("554", "", "DATA", "554 Spam denied"), SpamDetected},
		{"emailhost sending quota exceeded", failedReply("550", "", "MAIL", "550 sending quota exceeded"), RateLimited},
		{"emailhost rcpt handle timeout", delayedReply("451", "", "RCPT", "451 rcpt handle timeout"), NetworkError},
		{"emailhost exceeded mailsize limit", failedReply("552", "", "DATA", "552 exceeded mailsize limit"), MessageTooBig},
		{"emailhost dns query error", failedReply("550", "", "RCPT", "550 DNS query error"), HostUnknown},
		{"emailhost user not exist", failedReply("550", "", "RCPT", "550 user not exist"), UserUnknown},
		{"emailhost quota exceeded", failedReply("552", "", "RCPT", "552 Quota exceeded"), MailboxFull},

		// A Chinese mail server's SMTP replies with their meanings, as
		// posted on Sina Blog, https://blog.sina.com.cn/s/blog_8dc13ec50101fxxr.html
		{"sinablog user is locked", failedReply("550", "", "RCPT", "550 user is locked."), Suspended},
		{"sinablog black ip", failedReply("550", "", "", "550 black ip."), Blocked},
		{"sinablog anti-spam engine", failedReply("552", "", "DATA", "552 message rejected by anti-spam engine."), SpamDetected},
		{"sinablog message is too long", failedReply("552", "", "DATA", "552 message is too long."), MessageTooBig},
		{"sinablog virus found", failedReply("552", "", "DATA", "552 Virus found."), VirusDetected},
		{"sinablog host denies relay", failedReply("553", "", "RCPT", "553 host denies relay."), NoRelaying},
		{"sinablog attachment is too long", failedReply("554", "", "DATA", "554 attachment is too long."), MessageTooBig},
		{"sinablog rbl deny", failedReply("554", "", "", "554 rbl deny."), Blocked},

		// IONOS, SMTP error messages of the IONOS mail servers,
		// https://ionos.de/hilfe/e-mail/postmaster/smtp-fehlermeldungen-der-11-ionos-mailserver
		{"ionos 421 policy violations", delayedReply("421", "", "", "421 Reject due to policy violations"), Blocked},
		{"ionos rate limit reached", delayedReply("421", "", "", "421 Rate limit reached. Please try again later"), RateLimited},
		{"ionos 450 policy violations", delayedReply("450", "", "", "450 Reject due to policy violations."), Blocked},
		// IONOS, error messages for undeliverable email,
		// https://www.ionos.de/hilfe/e-mail/problemloesungen-mail-basicmail-business/fehlermeldungen-bei-unzustellbarer-e-mail/
		{"ionos unknown user", failedReply("550", "", "RCPT", "550 Unknown User"), UserUnknown},
		{"ionos mailbox unavailable", failedReply("550", "", "RCPT", "550 Requested action not taken: mailbox unavailable"), UserUnknown},
		{"ionos quota exceeded", failedReply("550", "", "RCPT", "550 Quota Exceeded"), MailboxFull},
		{"ionos rbl black listed", failedReply("554", "", "", "554 Service unavailable; Client host [192.0.2.1] blocked using rbl.orbitrbl.com - IP Black Listed"), Blocked},
		// Comservice FAQ, SMTP error messages,
		// https://new-faq.comservice-ffo.de/smtp-fehlermeldungen-e-mail-fehler/
		{"comservice local error in processing", delayedReply("451", "", "", "451 Requested action aborted: local error in processing"), SystemError},

		// STRATO FAQ, error messages for emails,
		// https://www.strato.de/faq/mail/fehlermeldungen-bei-e-mails/
		{"strato no spam please", failedReply("550", "5.7.1", "DATA", "550 5.7.1 Refused by local policy. No SPAM please!"), SpamDetected},
		{"strato no mailbox by that name", failedReply("550", "", "RCPT", "550 sorry, no mailbox here by that name"), UserUnknown},
		{"strato recipient adress unknown", failedReply("550", "", "RCPT", "550 recipient e-mail adress unknown"), UserUnknown},
		{"strato mailbox full", failedReply("552", "", "RCPT", "552 mailbox full"), MailboxFull},

		// goneo, email error messages and their meaning,
		// https://goneo.de/hilfe/email/fehlermeldungen
		{"goneo user unknown", failedReply("550", "", "RCPT", "550 mail@example.com: Recipient address rejected: User unknown (in reply to RCPT TO command)"), UserUnknown},
		{"goneo sender not owned by user", failedReply("553", "", "MAIL", "553 mail@example.com: Sender address rejected: not owned by user other@example.net"), Rejected},

		// OneSystems, overview of frequent error messages,
		// https://support.onesystems.ch/722126-%C3%9Cbersicht-h%C3%A4ufig-vorkommender-Fehlermeldungen
		{"onesystems relay access denied", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 <user@example.com>: Relay access denied"), NoRelaying},
		{"onesystems user unknown 5.7.1", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 <user@example.com>: Recipient address rejected: User unknown"), UserUnknown},
		{"onesystems sender domain not found", failedReply("550", "5.1.8", "MAIL", "550 5.1.8 <sender@example.com>: Sender address rejected: Domain not found"), Rejected},
		{"onesystems manitu blocked", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using ix.dnsbl.manitu.net"), Blocked},
		{"onesystems cannot find your hostname", delayedReply("450", "4.7.1", "RCPT", "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]"), RequirePTR},

		// konto.pl, error 5.1.0,
		// https://support.konto.pl/kb/a2164/blad-5_1_0.aspx
		{"kontopl sender rejected", failedReply("550", "5.1.0", "MAIL", "5.1.0 <john.smith@example.com> sender rejected"), Rejected},
		{"kontopl spam detected", failedReply("550", "5.1.0", "DATA", "5.1.0 piWs1j0010jifNx01iWsdh spam detected"), SpamDetected},

		// Spambrella, common email delivery error codes,
		// https://www.spambrella.com/faq/email-delivery-error-codes/
		{"spambrella insufficient system resources", delayedReply("452", "4.3.1", "", "452 4.3.1 Insufficient system resources"), SystemFull},
		{"spambrella marked as invalid", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 <user@example.com>: Recipient address rejected: User email address is marked as invalid"), UserUnknown},
		{"spambrella sender rejected", failedReply("550", "5.1.0", "MAIL", "550 5.1.0 <sender@example.com> sender rejected"), Rejected},
		{"spambrella relay access denied", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Relay Access denied"), NoRelaying},

		// Megaegg FAQ, English error mail messages,
		// https://faq.megaegg.jp/faq_detail.html?id=296
		{"megaegg no mailbox by that name", failedReply("550", "5.1.1", "RCPT", "Sorry, no mailbox here by that name. (#5.1.1)"), UserUnknown},
		{"megaegg host unknown", failedReply("550", "", "", "550 Host unknown"), HostUnknown},
		{"megaegg message is too large", failedReply("552", "", "DATA", "552 Message is too large"), MessageTooBig},
		{"megaegg exceeds maximum message size", failedReply("552", "5.3.4", "DATA", "552 5.3.4 message size exceeds maximum message size"), MessageTooBig},
		{"megaegg recipient's mailbox is full", failedReply("", "5.2.2", "", "Recipient's mailbox is full, message returned to sender. (#5.2.2)"), MailboxFull},

		// BBIQ FAQ, error messages when an error mail comes back,
		// https://faq.bbiq.jp/hikari/faq_detail.html?category=5524&id=7552&page=2000
		{"bbiq exceeds remaining quota", failedReply("552", "", "RCPT", "552 Message size exceeds remaining quota"), MailboxFull},
		{"bbiq exceeds maximum fixed size", failedReply("552", "", "DATA", "552 Message exceeds maximum fixed size"), MessageTooBig},
		{"bbiq host not found", failedReply("", "", "", "Host unknown (host not found)"), HostUnknown},
	}
	checkClear(t, tests)
}

// TestClassify_refThinProvidersMore holds more replies that ISPs' and
// gateways' pages list (Comcast, Yahoo, AT&T and Barracuda as a
// deliverability reference quotes them, Exchange Online's and Symantec
// Email Security.cloud's deferrals, InfoSphere, and hosting providers'
// and universities' help pages that quote replies with their meaning),
// with the reason the page's explanation implies. The rules that the
// shared tables lacked are in classify/rules/28-refh.tsv. None may end
// as on_hold or undefined, or with low confidence.
func TestClassify_refThinProvidersMore(t *testing.T) {
	tests := []clearCase{
		// Comcast Business, Email bounce back messages (BL006: the
		// sender's mail provider is on the Spamhaus SBL/XBL; BL007: on
		// Cloudmark CSI),
		// https://business.comcast.com/help-and-support/internet/email-bounce-back-messages/
		{"comcast bl006 spamhaus", toRcpt("user@comcast.net", failedReply("554", "", "CONN", "554 IMTA11.westchester.pa.mail.comcast.net comcast 192.0.2.1 Comcast BL006 Blocked. Please see http://www.comcast.net/help/faq/index.jsp?faq=SecurityMail_Policy18850")), Blocked},
		{"comcast bl007 cloudmark", toRcpt("user@comcast.net", failedReply("554", "", "CONN", "554 IMTA11.westchester.pa.mail.comcast.net comcast 192.0.2.1 Comcast BL007 Blocked. Please see http://www.comcast.net/help/faq/index.jsp?faq=SecurityMail_Policy19051")), Blocked},
		// Comcast, What are Comcast's Mail Delivery Error Codes (421 Too
		// many sessions opened: more than the simultaneous connections
		// Comcast allows),
		// http://security.comcast.net/get-help/Mail-Delivery-Error-Messages.aspx
		{"comcast too many sessions opened", toRcpt("user@comcast.net", delayedReply("421", "", "CONN", "421 Too many sessions opened")), TooManyConnections},
		// Microsoft Q&A, Comcast undeliverable email errors (RL000010:
		// "Throttled", a temporary rate limit telling the sender to slow
		// down), https://learn.microsoft.com/en-us/answers/questions/5911696/comcast-undeliverable-email-errors
		{"comcast rl000010 throttled", toRcpt("user@comcast.net", delayedReply("451", "4.2.0", "RCPT", "451 4.2.0 Throttled - https://postmaster.comcast.net/smtp-error-codes.php#RL000010")), RateLimited},

		// Yahoo Help, Error: 421 Message from (x.x.x.x) temporarily
		// deferred - [numeric code] (the IP address is deferred for a poor
		// sending reputation and complaints),
		// https://help.yahoo.com/kb/postmaster/SLN3437.html
		{"yahoo temporarily deferred 4.16.50", toRcpt("user@yahoo.com", delayedReply("421", "", "", "421 Message from (192.0.2.1) temporarily deferred - 4.16.50. Please refer to http://postmaster.yahoo.com/errors/postmaster-21.html")), BadReputation},

		// SMTP Field Manual, SMTP Error Code 550 (AT&T, Barracuda),
		// https://smtp.codes/550
		{"att addressee unknown", toRcpt("user@prodigy.net", failedReply("550", "5.2.1", "RCPT", "550 5.2.1 <EXAMPLE@PRODIGY.NET>... Addressee unknown, relay=[192.0.2.1]")), UserUnknown},
		{"att blank mailhost invalid address", toRcpt("user@prodigy.net", failedReply("550", "5.2.1", "RCPT", "550 5.2.1 <example@prodigy.net>... blank mailhost - invalid address, relay=[192.0.2.1]")), UserUnknown},
		{"att no valid sender domain reverse dns", toRcpt("user@att.net", failedReply("550", "5.7.1", "CONN", "550 5.7.1 Connections not accepted from servers without a valid sender domain. ## Fix reverse DNS for 192.0.2.1")), RequirePTR},
		{"barracuda cuda_nsu user unknown", failedReply("550", "5.1.1", "RCPT", "550 cuda_nsu 5.1.1 <email@example.com> Recipient address rejected: User unknown"), UserUnknown},
		{"barracuda no such user", failedReply("550", "", "RCPT", "550 No such user (email@example.com)"), UserUnknown},
		// SMTP Field Manual, SMTP Error Code 421 (Exchange Online, Email
		// Security.cloud), https://smtp.codes/421
		{"exo concurrent connections per forest", delayedReply("421", "4.3.2", "", "421 4.3.2 The maximum number of concurrent connections per resource forest has exceeded a limit, closing transmission channel. example.com. PRX8 [example.com]"), TooManyConnections},
		{"email security cloud temporarily unavailable", delayedReply("421", "", "", "421 Service Temporarily Unavailable"), SystemError},

		// Hardware Secrets, Understanding Email Bounce Messages: problems
		// with your email server,
		// https://hardwaresecrets.com/understanding-email-bounce-messages/4/
		{"hardwaresecrets bad reverse dns", delayedReply("451", "", "", "451 Bad reverse DNS."), RequirePTR},
		{"hardwaresecrets trend micro ers deferred", delayedReply("450", "", "", "Mail from 192.0.2.1 deferred using Trend Micro Email Reputation database. Please see https://www.mail-abuse.com/cgi-bin/lookup?192.0.2.1"), Blocked},
		{"hardwaresecrets user defined policy matched", failedReply("553", "", "", "553 User defined policy matched for 192.0.2.1"), Blocked},
		{"hardwaresecrets barracuda blocked using", failedReply("554", "", "", "blocked using b.barracudacentral.org; https://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.1"), Blocked},

		// InfoSphere (NTT PC Communications), notes on sending email (a
		// recipient address that does not exist or was cancelled),
		// http://www.sphere.ne.jp/support/news/2006/07/000027.html
		{"infosphere cannot accept user", toRcpt("user@example.sphere.ne.jp", failedReply("550", "5.7.1", "RCPT", "550 can't accept user... (#5.7.1)")), UserUnknown},

		// The Access Group, reasons for client emails not being delivered,
		// https://help-atosmartdocs.theaccessgroup.com/en/articles/13791357-reasons-for-client-emails-not-being-delivered
		{"accessgroup recipient does not exist", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 recipient rejected. Recipient does not exist"), UserUnknown},
		{"accessgroup mailbox suspended", failedReply("550", "5.2.1", "RCPT", "550 5.2.1 recipient rejected. Mailbox suspended"), Suspended},
		{"accessgroup message size violation", failedReply("550", "5.7.0", "DATA", "550 5.7.0 Message Size Violation"), MessageTooBig},
		// "Your email or domain is being flagged as suspicious": the
		// sender's address or domain, rejected.
		{"accessgroup ddns says spammer", failedReply("550", "5.7.1", "DATA", "550 5.7.1 DDNS says spammer, 20191030-1 dodgyfrom"), Rejected},

		// McGill IT, Bounced / undelivered email messages,
		// https://mcgill.service-now.com/itportal?id=kb_article_view&sysparm_article=KB0010642
		{"mcgill domain look up failed", failedReply("550", "", "", "Domain look up failed"), HostUnknown},
		{"mcgill mailbox not found", failedReply("550", "", "RCPT", "550 Mailbox not found"), UserUnknown},

		// CleverReach, Meaning of Bounce Messages,
		// https://support.cleverreach.de/hc/en-us/articles/202372881-Meaning-of-Bounce-Messages
		{"cleverreach host is unknown", failedReply("", "", "", "host is unknown"), HostUnknown},
		{"cleverreach identified as spam", failedReply("550", "", "DATA", "550 mail was identified as spam"), SpamDetected},
		{"cleverreach mailbox deactivated", failedReply("550", "", "RCPT", "550 mailbox has been deactivated"), Suspended},
		{"cleverreach exhausted storage space", failedReply("550", "", "RCPT", "550 user has exhausted allowed storage space"), MailboxFull},

		// AGNX helpdesk, SMTP error codes,
		// https://agnx.com/helpdesk/doku.php?id=faq:email:smtp_error_codes
		{"agnx maximum allowed size", failedReply("552", "", "RCPT", "552 The recipient's mailbox has reached its maximum allowed size"), MailboxFull},
		{"agnx ip listed in spam filter", failedReply("554", "", "", "554 Your IP address is listed in spam filter"), Blocked},

		// DreamHost, Blocked email (1&1's rejection of a sender its spam
		// policy blocks),
		// https://help.dreamhost.com/hc/en-us/articles/115005095667-Blocked-email
		{"dreamhost reject due to policy restrictions", failedReply("550", "", "MAIL", "550-Requested action not taken: mailbox unavailable 550-Reject due to policy restrictions. 550 For explanation visit http://postmaster.1and1.com/en/error-messages?ip=192.0.2.1&c=poli"), Blocked},

		// Rackspace, Common email bounce messages,
		// https://docs.rackspace.com/docs/common-email-bounces
		{"rackspace mx host not found", failedReply("", "5.4.4", "", "Host or domain name not found. MX host not found."), HostUnknown},
		{"rackspace sender domain not found", delayedReply("450", "4.1.8", "RCPT", "450 4.1.8 <sender@example.com>: Sender address rejected: Domain not found"), Rejected},
	}
	checkClear(t, tests)
}

// TestClassify_refThinProvidersWorld holds replies from more providers'
// and hosting providers' pages (Zoho Mail as a deliverability reference
// quotes it, Daum/Kakao Mail, Korean portals' return mail lists,
// Virgilio/Libero, Aruba, Gandi, the University of Roma Tre, Cisco's
// Email Security Appliance notes), with the reason the page's
// explanation implies. The rules that the shared tables lacked are in
// classify/rules/28-refh.tsv. None may end as on_hold or undefined, or
// with low confidence.
func TestClassify_refThinProvidersWorld(t *testing.T) {
	tests := []clearCase{
		// SMTP Field Manual, Zoho, https://smtp.codes/zoho
		{"zoho rejected by destination domain", toRcpt("user@zoho.com", failedReply("541", "5.4.1", "RCPT", "541 5.4.1 Mail rejected by destination domain")), Filtered},
		{"zoho delivery restricted by policy", toRcpt("user@zoho.com", delayedReply("452", "", "RCPT", "452 <example@zoho.com> Mailbox delivery restricted by policy error")), Filtered},
		{"zoho temporary system error", toRcpt("user@zoho.com", delayedReply("452", "4.3.1", "RCPT", "452 4.3.1 Temporary System Error")), SystemError},
		{"zoho user unknown", toRcpt("user@zoho.com", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <example@zoho.com> User unknown")), UserUnknown},
		{"zoho virus detected", toRcpt("user@zoho.com", failedReply("552", "5.7.1", "DATA", "552 5.7.1 virus Win.Test.EICAR_HDB-1 detected by Zoho Mail")), VirusDetected},

		// Return mail types, as a Korean operator lists Daum's and other
		// receivers' replies with their meanings, https://oliveit.tistory.com/39
		{"daum network is busy", toRcpt("user@hanmail.net", delayedReply("421", "4.4.1", "CONN", "421 4.4.1 CHIC 192.0.2.1: Network is busy.")), SystemError},
		{"daum connection refused server is busy rt", toRcpt("user@hanmail.net", delayedReply("421", "4.4.5", "CONN", "421 4.4.5 CCRT 192.0.2.1: Connection refused. Server is busy(RT)")), Blocked},
		{"daum rusr no such user", toRcpt("user@hanmail.net", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 RUSR 192.0.2.1: No such user: <user@hanmail.net>")), UserUnknown},
		// Auctionpro notes on Daum's anti-spam block (the sending account
		// was abused to send spam and is blacklisted),
		// https://auctionpro.co.kr/?p=2544
		{"daum das51 blocked by anti-spam system", toRcpt("user@hanmail.net", failedReply("554", "5.7.1", "DATA", "554 5.7.1 DAS51 192.0.2.1: Your mail is blocked automatically by anti-spam system. (E06)")), Blocked},

		// How to read return mail messages, a Korean operator's list,
		// http://blog.jinbo.net/007/archive/20051107
		{"korea server too busy", delayedReply("421", "", "CONN", "421 Server too busy."), SystemError},
		{"korea no answer from host", delayedReply("441", "4.4.1", "", "441 4.4.1 No answer from host"), NetworkError},
		{"korea temporary system failure", delayedReply("451", "4.3.0", "", "451 4.3.0 Temporary system failure. Please try again later."), SystemError},
		{"korea bad connection io timeout", delayedReply("451", "4.4.2", "", "451 4.4.2 Bad connection (io timeout)"), NetworkError},
		{"korea insufficient disk space", delayedReply("452", "4.4.5", "", "452 4.4.5 Insufficient disk space; try again later"), SystemFull},
		{"korea hanafos ip filtered", delayedReply("421", "4.3.2", "CONN", "421 4.3.2 Your IP(192.0.2.1) is filtered and this connection will be closed. You must register your IP to spammaster@example.com"), Blocked},

		// Virgilio help, Messaggi di errore più frequenti dopo invio email,
		// https://aiuto.virgilio.it/articolo/mail/messaggi-di-errore-piu-frequenti-dopo-invio-email/
		{"virgilio user quota exceeded", toRcpt("user@virgilio.it", failedReply("552", "", "RCPT", "552 MAILBOX FULL (User quota exceeded)")), MailboxFull},
		{"virgilio routing server failure", failedReply("", "5.4.3", "", "Routing server failure"), HostUnknown},
		{"virgilio relay disabled", failedReply("550", "", "RCPT", "550 Relay Disabled"), NoRelaying},
		{"virgilio delivery time expired", failedReply("", "4.4.7", "", "Delivery time expired"), Expired},

		// Aruba hosting guide, risoluzione errori comuni (the mailbox is
		// over quota, new mail is refused),
		// https://guide.hosting.aruba.it/email/risoluzione-errori-comuni-e-consigli/risoluzione-errori-comuni.aspx
		{"aruba user is over quota", failedReply("552", "", "RCPT", "552 user is over quota"), MailboxFull},

		// Università Roma Tre, guida ai messaggi di errore,
		// https://www.uniroma3.it/servizi/servizi-al-personale/servizi-informatici-e-telematici/posta-elettronica-di-ateneo/guida-ai-messaggi-di-errore/
		{"roma3 disallowed attach type", failedReply("554", "", "DATA", "554 Disallowed Attach Type"), PolicyViolation},

		// Gandi documentation, 554 5.7.1 Service unavailable (the sending
		// IP address is on a Spamhaus list),
		// https://docs.gandi.net/de/gandimail/faq/error_types/554_5_7_1_service_unavailable.html
		{"gandi blocked you may be infected", failedReply("554", "5.7.1", "RCPT", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked you may be infected"), Blocked},

		// Cisco technote 117875, Email Security Appliance round-robins
		// to the next SMTP route (4.3.1: the destination cannot accept
		// mail for insufficient system resources),
		// http://www.cisco.com/c/en/us/support/docs/security/email-security-appliance/117875-technote-esa-00.html
		{"cisco esa insufficent system resources", delayedReply("452", "4.3.1", "", "452 4.3.1 Insufficent system resources"), SystemFull},
	}
	checkClear(t, tests)
}

// TestClassify_refThinProvidersCentral holds replies from Czech hosting
// providers' pages and more ISPs' notes (GRhosting/ASPone, C4,
// MyDreams, Fastmail's blog, Smooooth), with the reason the page's
// explanation implies. The rules that the shared tables lacked are in
// classify/rules/28-refh.tsv. None may end as on_hold or undefined, or
// with low confidence.
func TestClassify_refThinProvidersCentral(t *testing.T) {
	tests := []clearCase{
		// GRhosting, Email se vrátil odesílateli jako nedoručitelný,
		// https://support.grhosting.cz/kb/a290/email-se-vratil-odesilateli-jako-nedorucitelny.aspx
		{"grhosting chkuser mailbox is full", failedReply("552", "5.1.1", "RCPT", "552 5.1.1 5.2.2 sorry, final recipient mailbox is full (chkuser)"), MailboxFull},
		{"grhosting sender is blacklisted", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <sender@example.com> sender is blacklisted"), Rejected},
		{"grhosting spam detected", failedReply("552", "5.2.0", "DATA", "552 5.2.0 0biL1i00V1cmcpM01biL4w spam detected"), SpamDetected},
		{"grhosting blocked by spf", failedReply("550", "5.1.0", "MAIL", "550 5.1.0 0bcW1i00G0jifNx01bcmHa blocked by SPF"), AuthFailure},

		// C4, Odeslaný e-mail se vrací zpět s chybou,
		// https://faq.c4.cz/odeslany-e-mail-se-vraci-zpet-s-chybou
		{"c4 no mailbox by that name", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 Sorry, no mailbox here by that name."), UserUnknown},
		{"c4 spf not allowed", failedReply("550", "5.7.1", "MAIL", "[SPF] 192.0.2.1 is not allowed to send mail from example.cz."), AuthFailure},

		// MyDreams, Seznam chybových hlášek z nedodaných emailů a jejich
		// vysvětlení,
		// https://www.mydreams.cz/cz/wiki/9924-seznam-chybovych-hlasek-z-nedodanych-emailu-a-jejich-vysvetleni.html
		{"mydreams temporary local problem", delayedReply("451", "", "", "451 Temporary local problem - please try later"), SystemError},
		{"mydreams unable to relay", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Unable to relay"), NoRelaying},

		// FastMail blog, Change in over quota handling (a mail to an
		// account over its quota is deferred),
		// https://fastmail.blog/historical/change-in-over-quota-handling/
		{"fastmail user is over quota", toRcpt("user@fastmail.com", delayedReply("451", "", "RCPT", "451 User is over quota, try again later")), MailboxFull},

		// Smooooth user manual, the error message when sending fails,
		// https://user-manual2.smooooth.jp/archives/3770
		{"smooooth message is too long", failedReply("554", "", "DATA", "554 The message is too long"), MessageTooBig},
	}
	checkClear(t, tests)
}
