package classify

import "testing"

// TestClassify_refWorld holds the reply texts that mail providers outside
// the Americas and Japan (Orange/Wanadoo, La Poste, Free, SFR in France;
// BT and Virgin Media in the United Kingdom; Proximus in Belgium;
// Telstra BigPond in Australia; Alibaba Mail, QQ Mail and Tencent Exmail
// in China; Daum, Naver and other Korean portals) publish on
// their own help and postmaster pages, or that a deliverability vendor's
// or a hosting provider's help page quotes from them with their meaning,
// each with the reason the page's explanation implies. The addresses, IP
// addresses and host names are examples. The rules that the shared tables
// lacked are in classify/rules/21-refg.tsv. None may end as on_hold or
// undefined, or with low confidence.
func TestClassify_refWorld(t *testing.T) {
	tests := []clearCase{
		// Bento, Orange SMTP Error Codes (OFR004_104: too many concurrent
		// connections from the sending IP address),
		// https://bentonow.com/smtp-errors/orange
		{"orange ofr004_104 too many connections", toRcpt("user@orange.fr", delayedReply("421", "", "", "421 mwinf5c10 ME Trop de connexions, veuillez verifier votre configuration / Too many connections, slow down. OFR004_104 [104]")), TooManyConnections},
		// Suped, What causes email delays and OFR_999 errors when sending
		// to Orange.fr (a temporary block of the sending IP address),
		// https://www.suped.com/knowledge/email-deliverability/troubleshooting/why-are-emails-delayed-to-orangefr-and-wanadoo-and-how-to-resolve-ofr_999-errors
		{"orange ofr_999 temporary ip block", toRcpt("user@wanadoo.fr", delayedReply("421", "", "", "421 mwinf5c10 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]")), Blocked},
		// Gadz.org documentation of the providers' filtering replies
		// (Orange's ofr_506 and La Poste's LPN007_510 are "SPAM ou VIRUS";
		// Free's "550 spam detected" is spam),
		// https://doc.gadz.org/pages/diffpages.action?originalId=21791317&pageId=21792015
		{"orange ofr_506 mail rejected", toRcpt("user@orange.fr", failedReply("550", "5.2.0", "DATA", "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]")), SpamDetected},
		{"laposte lpn007_510 service refused after data", toRcpt("user@laposte.net", failedReply("550", "5.5.0", "DATA", "550 5.5.0 Service refuse. Veuillez essayer plus tard. service refused, please try later. LPN007_510")), SpamDetected},

		// Bento, Laposte.net SMTP Error Codes (LPN027_503: the sending IP
		// address or host is temporarily blocked; LPN007_405: the sender
		// address cannot receive mail),
		// https://bentonow.com/smtp-errors/laposte
		{"laposte lpn027_503 client host rejected", toRcpt("user@laposte.net", delayedReply("450", "4.7.1", "RCPT", "450 4.7.1 <mail.example.org[192.0.2.1]>: Client host rejected: Service refuse / service refused. Veuillez essayer plus tard / please try later. LPN027_503")), Blocked},
		{"laposte lpn007_405 invalid sender", toRcpt("user@laposte.net", delayedReply("450", "4.1.8", "MAIL", "450 4.1.8 <sender@example.org>: Emetteur invalide / Invalid Sender. LPN007_405")), Rejected},

		// Free, postmaster.free.fr ("550 spam detected": the message was
		// found to be spam by Free's filter and refused),
		// http://postmaster.free.fr/
		{"free spam detected", toRcpt("user@free.fr", failedReply("550", "", "DATA", "550 spam detected")), SpamDetected},

		// Bento, SFR SMTP Error Codes (SFR_IN_101: the sending IP address
		// is blocked for two hours after too many spam messages; "Error: too many errors": the
		// connection made too many SMTP errors and SFR temporarily blocks
		// the sending host; "550 5.1.1 User Unknown": the recipient does
		// not exist), https://bentonow.com/smtp-errors/sfr and
		// https://bentonow.com/smtp-errors/sfr/user-unknown
		{"sfr_in_101 too many spam messages", toRcpt("user@neuf.fr", delayedReply("450", "4.7.1", "", "450 4.7.1 Service refused due to bad behavior - Too many spam messages SFR_IN_101")), Blocked},
		{"sfr too many errors", toRcpt("user@sfr.fr", delayedReply("421", "4.7.0", "", "421 4.7.0 msfrf2604.sfr.fr Error: too many errors")), Blocked},
		{"sfr user unknown", toRcpt("user@sfr.fr", failedReply("550", "5.1.1", "RCPT", "550 5.1.1 <user@sfr.fr>: User Unknown")), UserUnknown},

		// BT Business, My emails are being rejected - I'm getting
		// messages with the error code 550 (the sending IP address's
		// reputation), https://btbusiness.custhelp.com/app/answers/detail/a_id/15074/
		{"bt sender ip reputation", toRcpt("user@btinternet.com", failedReply("550", "", "MAIL", "550 Message rejected due to sender IP reputation ([192.0.2.1])")), BadReputation},

		// Virgin Media Community, Email Spam Content Found error 550 - 554
		// (Virgin Media Mail's spam filter refused the message),
		// https://community.virginmedia.com/t5/Email/Email-Spam-Content-Found-error-550-554/td-p/3229831
		{"virgin media 554 spam content found", toRcpt("user@virginmedia.com", failedReply("554", "5.2.0", "DATA", "554 5.2.0 Spam content found")), SpamDetected},
		{"virgin media 550 spam content found", toRcpt("user@ntlworld.com", failedReply("550", "5.2.0", "DATA", "550 5.2.0 Spam content found")), SpamDetected},

		// Telstra CrowdSupport, Why is my email being blacklisted? (BigPond
		// refuses a sending IP address listed on Spamhaus's XBL),
		// https://crowdsupport.telstra.com.au/t5/broadband-nbn/why-is-my-email-being-blacklisted/ta-p/76234
		{"bigpond xbl listed", toRcpt("user@bigpond.com", failedReply("554", "", "CONN", "554 nschwcmgw08p BigPond Outbound [OB105. Connection refused. 192.0.2.1 is listed on the Exploits Block List (XBL). Please visit for more information.")), Blocked},
		// Suped, Why are emails to Bigpond bouncing or being marked as spam
		// (the message content was refused as suspected spam),
		// https://www.suped.com/knowledge/email-deliverability/troubleshooting/why-are-emails-to-bigpond-bouncing-or-being-marked-as-spam
		{"bigpond suspected spam", toRcpt("user@bigpond.com", failedReply("558", "5.7.1", "DATA", "558 5.7.1 Message content rejected due to suspected spam. IB704x")), SpamDetected},

		// Alibaba Mail (阿里邮箱) help, common bounce errors (阿里邮箱报错信息),
		// as mirrored at http://bestwisewords.com/document_detail/36612.html
		{"aliyun local spam engine", toRcpt("user@aliyun.com", failedReply("554", "", "DATA", "554 spamed by local spam engine")), SpamDetected},
		{"aliyun rcpt attempts threshold", toRcpt("user@aliyun.com", failedReply("504", "", "RCPT", "504 the number of RCPT attempts is achieved the maximum threshold")), RateLimited},
		{"aliyun total rcpts threshold", toRcpt("user@aliyun.com", failedReply("505", "", "RCPT", "505 the total of RCPTs is achieved the maximum threshold")), RateLimited},
		{"aliyun data length threshold", toRcpt("user@aliyun.com", failedReply("510", "", "DATA", "510 The length of DATA content is achieved the maximum threshold")), MessageTooBig},
		{"aliyun attachment length threshold", toRcpt("user@aliyun.com", failedReply("510", "", "DATA", "510 The length of Attach is achieved the maximum threshold")), MessageTooBig},
		{"aliyun rcptto not local", toRcpt("user@aliyun.com", failedReply("503", "", "RCPT", "503 Rcptto account isn't a local account")), UserUnknown},

		// QQ Mail and Tencent Exmail bounce replies with their meaning, as
		// listed at https://smtp.codes/qq
		{"qq mailbox unavailable or access denied", toRcpt("user@qq.com", failedReply("550", "", "RCPT", "550 Mailbox unavailable or access denied")), RateLimited},
		{"qq rejected by recipients", toRcpt("user@qq.com", failedReply("550", "", "DATA", "550 Mail is rejected by recipients")), Filtered},
		{"qq mailbox not found", toRcpt("user@qq.com", failedReply("550", "", "RCPT", "550 Mailbox not found. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728")), UserUnknown},
		{"qq mail content denied", toRcpt("user@qq.com", failedReply("550", "", "DATA", "550 Mail content denied. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726")), SpamDetected},
		{"qq sender frequency limited", toRcpt("user@qq.com", failedReply("550", "", "MAIL", "550 Sender frequency limited. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000723")), RateLimited},
		{"qq suspected spam sender", toRcpt("user@qq.com", failedReply("550", "", "MAIL", "550 Suspected spam sender.")), Rejected},
		{"qq dmarc check failed", toRcpt("user@qq.com", failedReply("550", "", "DATA", "550 DMARC check failed http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.")), AuthFailure},

		// 云吞铺子, 阿里云企业邮箱退信报错原因和解决方法 (Quota exceeded: the
		// recipient's mailbox has too little space left),
		// https://www.yuntunpuzi.com/aliyun/745/
		{"aliyun quota hard limit", toRcpt("user@aliyun.com", failedReply("552", "", "DATA", "552 Quota exceed the hard limit for user")), MailboxFull},
		{"aliyun mail box space not enough", toRcpt("user@aliyun.com", failedReply("552", "", "DATA", "552 mail box space not enough")), MailboxFull},

		// A Korean hosting company's notes on a Daum (hanmail.net) bounce
		// (the sending host was put on the anti-spam system's block list),
		// https://auctionpro.co.kr/?p=2544
		{"daum das51 anti-spam block", toRcpt("user@hanmail.net", failedReply("554", "5.7.1", "", "554 5.7.1 DAS51 192.0.2.1: Your mail is blocked automatically by anti-spam system. (E06)")), Blocked},
		// Return mail types quoted on a Korean page (Naver filters a
		// sending IP address that sent bulk mail; the recipient's own spam
		// settings refuse the sender),
		// https://puffinknight.tistory.com/102
		{"korean portal user's reject list", toRcpt("", failedReply("550", "", "RCPT", "550 You are registered as spammer (by user's reject list)")), Filtered},
		{"korean portal denied by spam filter", toRcpt("", failedReply("554", "5.0.0", "DATA", "554 5.0.0 Service unavailable (userid: mail is denied, by spam filter)")), Filtered},
		{"naver ip filtered", toRcpt("user@naver.com", delayedReply("421", "4.3.2", "", "421 4.3.2 Your IP(192.0.2.1) is filtered and this connection will be closed. You must register your IP to http://realip.naver.com")), Blocked},

		// Proximus (Belgium), Your IP address is in our blacklist (the
		// sending IP address was put on Proximus's blacklist for spam),
		// https://www.proximus.be/support/en/id_sfaqs_mail_blacklist/self-employed-and-small-companies/support/internet/e-mails/problems-with-your-mailbox/your-ip-address-is-in-our-blacklist.html
		{"proximus under investigation for spam abuse", toRcpt("", failedReply("554", "", "MAIL", "554 Access denied - Under investigation for spam abuse. Contact your email provider for more info")), Blocked},
	}
	checkClear(t, tests)
}
