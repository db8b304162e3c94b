package classify

import "testing"

// TestClassify_refServers holds the texts that mail servers which are not
// Debian packages write in their bounces and SMTP replies, as their own
// source code (hMailServer, qmail) or documentation (Microsoft Exchange,
// Oracle/Sun Java System Messaging Server, Postini, IceWarp) gives them,
// each with the reason that the source implies. The addresses, hosts and
// sizes are examples. None may end as on_hold or undefined, or with low
// confidence.
func TestClassify_refServers(t *testing.T) {
	tests := []clearCase{
		// hMailServer source, hmailserver/source/Server/SMTP/RecipientParser.cpp
		// (the RCPT replies of its recipient check)
		{"hmailserver unknown user", failedReply("550", "", "RCPT", "550 Unknown user"), UserUnknown},
		{"hmailserver account not active", failedReply("550", "", "RCPT", "550 Account is not active."), Suspended},
		{"hmailserver domain disabled", failedReply("550", "", "RCPT", "550 Domain has been disabled."), Suspended},
		{"hmailserver not in route list", failedReply("550", "", "RCPT", "550 Recipient not in route list."), UserUnknown},
		{"hmailserver list not authorized sender", failedReply("550", "", "RCPT", "550 Not authorized sender."), Rejected},
		{"hmailserver list not authorized owner", failedReply("550", "", "RCPT", "550 Not authorized owner."), Rejected},
		{"hmailserver recursive forwards", failedReply("550", "", "RCPT", "550 Mail server configuration error. Too many recursive forwards."), SystemError},
		// hMailServer source, hmailserver/source/Server/SMTP/SMTPConnection.cpp
		{"hmailserver delivery not allowed", failedReply("550", "", "RCPT", "550 Delivery is not allowed to this address."), NoRelaying},
		{"hmailserver smtp auth required", failedReply("530", "", "RCPT", "530 SMTP authentication is required."), SecurityError},
		{"hmailserver size at mail", failedReply("552", "", "MAIL", "552 Message size exceeds fixed maximum message size. Size: 20480 KB, Max size: 10240 KB"), MessageTooBig},
		{"hmailserver size after data", failedReply("554", "", "DATA", "554 Rejected - Message size exceeds fixed maximum message size. Size: 20480 KB, Max size: 10240 KB"), MessageTooBig},
		{"hmailserver bare lf", failedReply("554", "", "DATA", "554 Rejected - Message containing bare LF's."), NotCompliantRFC},
		{"hmailserver could not be saved", failedReply("554", "", "DATA", "554 Your message was received but it could not be saved. Please retry later."), SystemError},
		// hMailServer source, hmailserver/source/Server/SMTP/LocalDelivery.cpp
		// (its own delivery failure report for a local account over quota)
		{"hmailserver inbox is full", failedReply("", "", "", "user@example.com Error Type: SMTP Error Description: Inbox is full Additional information: The recipients inbox is full."), MailboxFull},

		// qmail (notqmail source, qmail-remote.c)
		{"qmail no host named", failedReply("", "5.1.2", "", "Sorry, I couldn't find any host named example.com. (#5.1.2)"), HostUnknown},
		{"qmail no host by that name", delayedReply("", "4.1.2", "", "Sorry, I couldn't find any host by that name. (#4.1.2)"), HostUnknown},
		{"qmail no mail exchanger", failedReply("", "5.4.4", "", "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)"), NotAccept},
		{"qmail no smtp connection", delayedReply("", "4.4.1", "", "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)"), NetworkError},
		{"qmail connection died", delayedReply("", "4.4.2", "", "Connected to 192.0.2.1 but connection died. (#4.4.2)"), NetworkError},
		{"qmail sender rejected", failedReply("", "", "MAIL", "Connected to 192.0.2.1 but sender was rejected."), Rejected},
		// qmail (notqmail source, qmail-local.c)
		{"qmail no mailbox", failedReply("", "5.1.1", "", "Sorry, no mailbox here by that name. (#5.1.1)"), UserUnknown},
		{"qmail locked 30 seconds", delayedReply("", "4.3.0", "", "File has been locked for 30 seconds straight. (#4.3.0)"), SystemError},
		{"qmail writable dot qmail", delayedReply("", "4.7.0", "", "Uh-oh: .qmail file is writable. (#4.7.0)"), SystemError},
		// qmail (notqmail source, qmail-smtpd.c)
		{"qmail-smtpd badmailfrom", failedReply("553", "5.7.1", "RCPT", "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)"), Rejected},
		{"qmail-smtpd rcpthosts", failedReply("553", "5.7.1", "RCPT", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"), NoRelaying},
		{"qmail-smtpd databytes", failedReply("552", "5.3.4", "DATA", "552 sorry, that message size exceeds my databytes limit (#5.3.4)"), MessageTooBig},

		// hMailServer documentation, Error messages,
		// https://www.hmailserver.com/documentation/v4.4/?page=reference_error_messages
		// (the receiving server could not verify that the sender exists)
		{"hmailserver sender verification failed", failedReply("550", "", "MAIL", "550 Sender verification failed"), Rejected},

		// Zimbra source, Zimbra/zm-mailbox store/src/java/com/zimbra/cs/lmtpserver/LmtpReply.java
		{"zimbra lmtp no such user", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 No such user here"), UserUnknown},
		{"zimbra lmtp over quota permanent", failedReply("552", "5.2.2", "RCPT", "552 5.2.2 Over quota"), MailboxFull},
		{"zimbra lmtp over quota temporary", delayedReply("452", "4.2.2", "RCPT", "452 4.2.2 Over quota"), MailboxFull},
		{"zimbra lmtp mailbox disabled", delayedReply("450", "4.2.1", "RCPT", "450 4.2.1 Mailbox disabled, not accepting messages"), Suspended},
		{"zimbra lmtp tls only", delayedReply("451", "4.2.2", "MAIL", "451 4.2.2 Server accepts messages only on TLS connection"), FailedSTARTTLS},

		// SmarterMail's delivery failures, as hosting providers' help pages
		// quote and explain them, http://kb.indsoft.net/kb/a70/common-email-delivery-errors.aspx
		// and http://support.rackteam.com/kb/a136/common-email-delivery-errors-you-may-receive.aspx
		{"smartermail no mx records", failedReply("", "", "", "Failed to connect to the recipients mail server. No MX records were found for the 'example.com' domain."), NotAccept},
		{"smartermail failed four attempts", failedReply("", "", "", "Failed four Attempts to connect to recipients mail server"), NetworkError},
		{"smartermail mailbox is full", failedReply("", "", "", "Reason: The mailbox is full"), MailboxFull},
		{"smartermail domain size limit", failedReply("", "", "", "Reason: The domain size limit has been exceeded"), MailboxFull},

		// Kerio Connect: Outbound Email Delivery Troubleshooting,
		// https://support.kerioconnect.gfi.com/hc/en-us/articles/4416310418706-Outbound-Email-Delivery-Troubleshooting-Article
		{"kerio cannot connect to host", delayedReply("", "4.4.1", "", "Result: delayed, Status: 4.4.1 Cannot connect to host"), NetworkError},
		{"kerio relaying is denied", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Relaying is denied"), NoRelaying},

		// MDaemon, Servers ("sends 552 when account is over quota"),
		// https://unifiedpeople.ru/mdaemon.en/default_domain_and_servers_servers.htm
		{"mdaemon over quota 552", failedReply("552", "", "RCPT", "552 Requested mail action aborted: exceeded storage allocation"), MailboxFull},

		// Exchange 2007's per-recipient size limit (KB 960775),
		// https://mskb.pkisolutions.com/kb/960775
		{"exchange 2007 recipsizelimit", failedReply("550", "5.2.3", "", "#550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient ##"), ExceedLimit},

		// a qmail-style failure notice for a full mailbox, as a help page
		// quotes and explains it, https://help.carerix.com/en/articles/1857659-mailbox-quota-exceeded
		{"qmail recipient's mailbox is full", failedReply("", "", "", "Recipient's mailbox is full, message returned to sender."), MailboxFull},

		// Delivery status notifications in Exchange Server and in Small
		// Business Server (KB 284204),
		// https://support.microsoft.com/en-us/help/284204/delivery-status-notifications-in-exchange-server-and-in-small-business
		{"exchange 2003 account does not exist", failedReply("", "5.1.1", "", "The e-mail account does not exist at the organization this message was sent to. Check the e-mail address, or contact the recipient directly to find out the correct address. <mx.example.com #5.1.1>"), UserUnknown},
		// Exchange 2007's full-mailbox NDR, as Oxford University's help page
		// quotes it, http://www.oucs.ox.ac.uk/email/failed/index.xml?ID=Quota
		{"exchange 2007 mailbox full", failedReply("", "5.2.2", "", "The recipient's mailbox is full and can't accept messages now. Microsoft Exchange will not try to redeliver this message for you. Please try resending this message later, or contact the recipient directly."), MailboxFull},
		{"exchange 2007 mailbox full no status", failedReply("", "", "", "The recipient's mailbox is full and can't accept messages now. Microsoft Exchange will not try to redeliver this message for you."), MailboxFull},
		// Exchange NDRs as a hosting provider's help pages quote them,
		// https://snmail.co.uk/support/failure-sizelimit.htm and
		// https://snmail.co.uk/support/failure-dns.htm
		{"exchange larger than system limit", failedReply("", "5.2.3", "", "This message is larger than the current system limit or the recipient's mailbox is full. Create a shorter message body or remove attachments and try sending it again. <mx.example.com #5.2.3 smtp;450 5.2.3 Msg Size greater than allowed by Remote Host>"), ExceedLimit},
		{"exchange destination server not in dns", failedReply("", "5.4.0", "", "The destination server for this recipient could not be found in Domain Name Service (DNS). Please verify the email address and retry. If that fails, contact your administrator. <mx.example.com #5.4.0>"), HostUnknown},
		// Exchange 2007's unknown X.500 recipient, as Ben Lye's article
		// explains it, https://e-com-net.com/article/1297468934030696448.htm
		{"exchange 2007 exrecipnotfound", failedReply("550", "5.1.1", "", "#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##"), UserUnknown},
		// Exchange 5.5 (KB 258678, KB 201058: an X.400-style NDR, its text
		// only) and Microsoft Mail Gateway to SMTP (KB 100705)
		{"exchange 5.5 name not recognized", Input{Diagnostic: "The recipient name is not recognized"}, UserUnknown},
		{"ms mail gateway addressee unknown", failedReply("550", "", "RCPT", "550 Addressee Unknown"), UserUnknown},

		// Sun Java System Messaging Server 6 2005Q4 Administration Guide,
		// Illegal Host/Domain Errors, https://docs.oracle.com/cd/E19636-01/819-2650/bgbid/index.html
		{"sun messaging illegal host", failedReply("", "", "", "Illegal host/domain name found"), HostUnknown},

		// Sun Java System Messaging Server's bounces as Tufts University's
		// help page quotes and explains them ("ims-ms-daemon" is its message
		// store channel), http://uit.tufts.edu/?pid=548
		{"sun messaging unknown or illegal alias", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 unknown or illegal alias: user@example.com"), UserUnknown},
		{"sun messaging over quota", failedReply("", "", "", "Recipient address: user@ims-ms-daemon Original address: user@example.com Reason: Over quota"), MailboxFull},
		{"tufts unrouteable address", failedReply("", "", "", "Unrouteable address"), HostUnknown},
		{"tufts illegal attachment", failedReply("552", "", "DATA", "552 Illegal Attachment"), PolicyViolation},
		// Exchange 5.5's Internet Mail Connector (KB 193924: the address
		// lacks its "@"), https://library.thedatadungeon.com/msdn-2000-04/kbexchg/source/exchange/q193924.content.htm
		{"exchange 5.5 unknown or illegal user", failedReply("553", "5.1.1", "RCPT", "553 5.1.1 unknown or illegal user: my.user.example.com"), UserUnknown},
		// qmail (notqmail source, qmail-send.c): a temporary failure that
		// outlived the queue lifetime
		{"qmail queue too long", failedReply("", "4.4.1", "", "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1) I'm not going to try again; this message has been in the queue too long."), Expired},

		// Postini: Why are my outbound messages being bounced?,
		// https://support.google.com/postini/answer/140349
		{"postini cannot connect", delayedReply("451", "", "", "451 Cannot connect to domain:example.com - psmtp"), NetworkError},
		{"postini mx inaccessible too long", failedReply("550", "", "", "550 MX records inaccessible for too long for domain:example.com - psmtp"), Expired},
		{"postini mta inaccessible too long", failedReply("550", "", "", "550 MTA inaccessible for too long for domain:example.com - psmtp"), Expired},

		// IceWarp: Interpretation of 5xx Errors in Icewarp SMTP,
		// https://docs.icewarp.com/Content/IceWarp-Server/Administration-Nodes/Status/Logs/Interpretation%20of%205xx%20Errors%20in%20Icewarp%20SMTP.htm
		{"icewarp message is too long", failedReply("501", "5.7.1", "DATA", "501 5.7.1 Message is too long"), MessageTooBig},
	}
	checkClear(t, tests)
}
