package classify

import "testing"

// TestClassify_refR14 holds the replies that the fourteenth round of
// bounce/testdata/unseen (mail servers, gateways and providers absent from
// the shared corpus and the earlier rounds, see its README) quotes from
// the sources it read, each as the source gives it (addresses and hosts
// replaced by examples), with the reason the source's explanation implies
// (classify/rules/28-r14.tsv).
func TestClassify_refR14(t *testing.T) {
	checkClear(t, []clearCase{
		// Sophos Central Email, "SMTP error codes"
		// (docs.sophos.com/central/customer/help/en-us/ManageYourProducts/
		// EmailSecurity/SMTPErrorCodes): the page lists each code with
		// its meaning; the words around the code are as the round's
		// messages write them (from memory).
		{"sophos XGEMAIL_0001 dkim", failedReply("550", "", "DATA", "550 XGEMAIL_0001 Command rejected"), AuthFailure},
		{"sophos XGEMAIL_0002 spf", failedReply("550", "", "RCPT", "550 XGEMAIL_0002 Command rejected"), AuthFailure},
		{"sophos XGEMAIL_0003 dmarc", failedReply("550", "", "DATA", "550 XGEMAIL_0003 Command rejected"), AuthFailure},
		{"sophos XGEMAIL_0004 rbl", failedReply("554", "", "RCPT", "554 XGEMAIL_0004 Command rejected"), Blocked},
		{"sophos XGEMAIL_0005 dbl", failedReply("554", "", "RCPT", "554 XGEMAIL_0005 Command rejected"), Blocked},
		{"sophos XGEMAIL_0009 user block list", failedReply("550", "", "RCPT", "550 XGEMAIL_0009 Command rejected"), Filtered},
		{"sophos XGEMAIL_0010 domain not protected", failedReply("550", "", "RCPT", "550 XGEMAIL_0010 Command rejected"), NoRelaying},
		{"sophos XGEMAIL_0011 no such recipient", failedReply("550", "", "RCPT", "550 XGEMAIL_0011 Command rejected"), UserUnknown},
		// The DSN alone: no SMTP command known, a generic 5.0.0.
		{"sophos XGEMAIL_0011 no command", failedReply("550", "5.0.0", "", "550 XGEMAIL_0011 Command rejected"), UserUnknown},
		{"sophos XGEMAIL_0012 size", failedReply("552", "", "DATA", "552 XGEMAIL_0012 Command rejected"), MessageTooBig},
		{"sophos XGEMAIL_0014 sender rate", delayedReply("452", "", "RCPT", "452 XGEMAIL_0014 Command rejected"), RateLimited},
		// Cisco IronPort: an ESA notice's "5.x.0 - Message bounced by
		// administrator" (https://pastebin.com/qq0DkJ3y); AsyncOS's User
		// Guide, "Using Message Filters to Enforce Email Policies":
		// bounce is a final action of a message filter.
		{"esa bounced by administrator", Input{Diagnostic: "5.x.0 - Message bounced by administrator"}, PolicyViolation},
		// AsyncOS Daily Management Guide's bounce log examples.
		{"esa bad destination host", Input{Diagnostic: "5.1.2 - Bad destination host ('000', [])"}, HostUnknown},
		{"esa automated block", delayedReply("451", "4.1.0", "RCPT", "4.1.0 - Unknown address error ('451', ['<user@example.net> Automated block triggered by suspicious activity from your IP address (10.1.1.1). Have your system administrator send e-mail to postmaster@example.net if you believe this block is in error'])"), Blocked},
		// Broadcom, "Outbound Mail returned by MAILER-DAEMON@messagelabs.com"
		// (knowledge.broadcom.com article 162445).
		{"messagelabs content filtering", failedReply("550", "5.7.1", "", "550 5.7.1 Message rejected as spam by Content Filtering."), SpamDetected},
		{"messagelabs storage allocation", failedReply("552", "", "", "552 Requested mail action aborted: exceeded storage allocation"), MailboxFull},
		{"messagelabs relay denied", failedReply("554", "5.7.1", "", "554 5.7.1 Relay access denied"), NoRelaying},
		{"messagelabs no such user", failedReply("554", "5.7.1", "", "554 5.7.1 Recipient address rejected: No such user"), UserUnknown},
		{"messagelabs content restrictions", failedReply("550", "5.7.1", "", "550 5.7.1 Message rejected due to content restrictions"), ContentError},
		// Broadcom article 152083: retried up to 5 days, then returned.
		{"smg exceeded max time", failedReply("554", "5.4.7", "", "554 5.4.7 [internal] exceeded max time without delivery"), Expired},
		// Zimbra/zm-mailbox LmtpReply.java.
		{"zimbra over quota", failedReply("552", "5.2.2", "DATA", "552 5.2.2 Over quota"), MailboxFull},
		{"zimbra over quota temporary", delayedReply("452", "4.2.2", "RCPT", "452 4.2.2 Over quota"), MailboxFull},
		{"zimbra no such user", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 No such user here"), UserUnknown},
		{"zimbra mailbox disabled", delayedReply("450", "4.2.1", "RCPT", "450 4.2.1 Mailbox disabled, not accepting messages"), Suspended},
		// Exim relaying to Dovecot's LMTP, https://pastebin.com/sgxwMt2v;
		// Dovecot's quota_status_overquota, https://pastebin.com/WMBN15Tp;
		// Dovecot's lmtp ERRSTR_TEMP_MAILBOX_FAIL (code index).
		{"dovecot lmtp quota exceeded", failedReply("552", "5.2.2", "DATA", "LMTP error after DATA: 552 5.2.2 <ivana.horvat@example.hr> Quota exceeded (mailbox for user is full)"), MailboxFull},
		{"dovecot quota status", failedReply("552", "5.2.2", "RCPT", "552 5.2.2 Mailbox is full / Blocks limit exceeded / Inode limit exceeded"), MailboxFull},
		{"dovecot temporary internal error", delayedReply("451", "4.3.0", "DATA", "451 4.3.0 <petr.dvorak@example.cz> Temporary internal error"), SystemError},
		// GNU Mailutils, "Mailbox Quotas" (gnu.org): returned as 550.
		{"mailutils quota exceeded", failedReply("550", "", "", "user: mailbox quota exceeded for this recipient"), MailboxFull},
		{"mailutils would exceed", failedReply("550", "", "", "user: message would exceed maximum mailbox size for this recipient"), MailboxFull},
		// Virgilio's and Libero's "Messaggi di errore più frequenti dopo
		// invio email" (aiuto.virgilio.it, aiuto.libero.it).
		{"virgilio bad destination mailbox", Input{Diagnostic: "BAD DESTINATION MAILBOX ADDRESS"}, UserUnknown},
		{"virgilio routing server failure", Input{Diagnostic: "ROUTING SERVER FAILURE"}, HostUnknown},
		{"virgilio delivery time expired", Input{Diagnostic: "DELIVERY TIME EXPIRED"}, Expired},
		{"virgilio mailbox full", Input{Diagnostic: "MAILBOX FULL (User quota exceeded)"}, MailboxFull},
		// Suped, "Why are emails to Bigpond bouncing" (558 5.7.1 ... IB704x).
		{"bigpond suspected spam", failedReply("558", "5.7.1", "DATA", "558 5.7.1 Message content rejected due to suspected spam. IB704"), SpamDetected},
		// A qmail-send notice from bigpond.com (themssforum.com).
		{"bigpond defined spam source", Input{Diagnostic: "Connected to 192.0.2.45 but sender was rejected. Remote host said: 192.0.2.45 Defined SPAM source: bl.spamcop.net"}, Blocked},
		// Shaw's Cloudmark filter (support.shaw.ca community thread:
		// AUP#CNCT too many concurrent connections).
		{"shaw aup mxrt", delayedReply("421", "4.7.0", "CONN", "421 4.7.0 shw-central.mx.a.cloudfilter.net cmsmtp 192.0.2.60 AUP#MXRT"), RateLimited},
		{"shaw aup cnct", delayedReply("421", "4.7.0", "CONN", "421 4.7.0 shw-central.mx.a.cloudfilter.net cmsmtp 192.0.2.60 AUP#CNCT"), TooManyConnections},
		// Comcast's mail delivery error codes (security.comcast.net).
		{"comcast too many sessions", delayedReply("421", "", "CONN", "421 imta09.westchester.pa.mail.comcast.net comcast Too many sessions opened"), TooManyConnections},
		// Suped's OFR_999 page: the sending IP temporarily blocklisted.
		{"orange ofr_999", delayedReply("421", "", "", "421 mwinf5c12 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]"), Blocked},
		// RU-CENTER, "Mail — diagnostics and troubleshooting" (nic.ru):
		// the disk space allocated for the domain has been exhausted.
		{"nic.ru domain disk quota", delayedReply("451", "", "RCPT", "451 example.ru prohibited. Disk quota exceeded"), MailboxFull},
		// qmail's qmail.c, qmail_close(): qmail-queue's own trouble
		// (exit codes 61, 62 to 66), which qmail-smtpd answers with 451
		// (notqmail/notqmail, code index).
		{"qmail qq trouble home", delayedReply("451", "4.3.0", "DATA", "451 qq trouble in home directory (#4.3.0)"), SystemError},
		{"qmail qq trouble queue", delayedReply("451", "4.3.0", "DATA", "451 4.3.0 qq trouble creating files in queue"), SystemError},
		// The second batch's other sources: T-Online (timmehosting.de,
		// bllmnn.de), T-Online and Web.de (sitepackage.de), bytecamp.net's
		// FAQ, comservice-ffo.de's list.
		{"t-online nowl", failedReply("554", "", "CONN", "554 IP=192.0.2.209 - None/bad reputation. Ask your postmaster for help or to contact tobr@rx.t-online.de for reset. (NOWL)"), BadReputation},
		{"t-online storage quota", failedReply("552", "5.2.2", "RCPT", "552 5.2.2 Over STORAGE quota"), MailboxFull},
		{"web.de too many messages", failedReply("550", "", "RCPT", "550 Benutzer hat zuviele Mails auf dem Server. / User has too many messages on the server."), MailboxFull},
		{"bytecamp quota", delayedReply("422", "4.2.2", "RCPT", "422 4.2.2 Quota limit exceeded (Speicherplatz des Kontos ueberschritten)"), MailboxFull},
		{"bytecamp spam", failedReply("571", "5.7.1", "DATA", "571 5.7.1 message classified as spam (Nachricht als Spam eingestuft)"), SpamDetected},
		{"comservice rate limit", delayedReply("421", "", "CONN", "421 Rate limit reached. Please try again later"), RateLimited},
		// MailEnable, https://pastebin.com/a3CnB5k5.
		{"mailenable domain disk quota", failedReply("522", "5.7.1", "", "522 5.7.1 MailDomain example.ae Disk quota has been exceeded"), MailboxFull},
		// Proofpoint Essentials' SPF refusal (404andmore.com).
		{"proofpoint spf rejected", failedReply("550", "5.7.1", "", "550 5.7.1 Message rejected per sender's SPF policy - OXSUS001_514"), AuthFailure},
	})
}
