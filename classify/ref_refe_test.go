package classify

import "testing"

// TestClassify_refJapan holds reply texts that Japanese mobile carriers'
// and ISPs' help pages (or a Japanese sending service's or hosting
// provider's page that quotes the carrier's reply) show, each with the
// reason the page's explanation implies. TestClassify_refRefb covers
// docomo's and au's "Unknown user" by stage already; these are the
// other replies. Addresses and domains are examples.
func TestClassify_refJapan(t *testing.T) {
	tests := []clearCase{
		// SendMagic, SMTP応答コードについて【ドコモ編】: docomo refuses a
		// line over 1000 bytes; 552 when the recipient's mailbox is full,
		// https://note.com/sendmagic/n/neb6bbe7e51cf
		{"docomo line too long", toRcpt("user@docomo.ne.jp", failedReply("500", "", "DATA", "500 Line Too Long")), NotCompliantRFC},
		{"docomo too much mail data", toRcpt("user@docomo.ne.jp", failedReply("552", "", "DATA", "552 Too much mail data user@docomo.ne.jp")), MailboxFull},
		// SendMagic, SMTP応答コードについて【au編】: 554 Relay access
		// denied for a malformed address or a domain au does not handle,
		// https://note.com/sendmagic/n/n875d8dcb6cb8
		{"au relay access denied", toRcpt("user@docomo.ne.jp", failedReply("554", "", "RCPT", "554 <user@docomo.ne.jp>: Relay access denied")), NoRelaying},
		// SendMagic, SMTP応答コードについて【SoftBank編】: 550 Invalid
		// recipient for an address that does not exist; 553 when the
		// envelope sender's domain has no DNS record at all,
		// https://note.com/sendmagic/n/n5afbf98aeb25
		{"softbank invalid recipient i.softbank", toRcpt("user@i.softbank.jp", failedReply("550", "", "RCPT", "550 Invalid recipient: <user@i.softbank.jp>")), UserUnknown},
		{"softbank invalid recipient no command", toRcpt("user@softbank.ne.jp", failedReply("550", "", "", "550 Invalid recipient: <user@softbank.ne.jp>")), UserUnknown},
		{"softbank sender domain does not exist", toRcpt("user@softbank.ne.jp", failedReply("553", "", "MAIL", "553 example.com does not exist")), Rejected},

		// OCN's own bounce (defer*.ocn.ad.jp) for a mistyped domain, as an
		// IT support company's page quotes and explains it (the address
		// was wrong), https://www.intx.co.jp/14091204/
		{"ocn host or domain name not found", toRcpt("user@example.ocn.ne.j", failedReply("", "", "", "Host or domain name not found. Name service error for name=example.ocn.ne.j type=A: Host not found")), HostUnknown},
		// FUJIFILM Business Innovation FAQ on mail refused because the
		// sending server's IP address is on a DNS block list (Spamhaus),
		// https://faq01-fb.fujifilm.com/faq/show/101516?category_id=579&site_domain=oars
		{"fujifilm spamhaus listed", toRcpt("user@example.co.jp", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/192.0.2.1 AS(1440)")), Blocked},

		// InfoSphere (NTT PC Communications) notice: its server answers
		// "550 can't accept user... (#5.7.1)" when an InfoSphere address
		// in the recipients does not exist,
		// http://www.sphere.ne.jp/support/news/2006/07/000027.html
		{"infosphere cannot accept user", toRcpt("user@abc.sphere.ne.jp", failedReply("550", "5.7.1", "RCPT", "550 can't accept user... (#5.7.1)")), UserUnknown},
		// DTI (dream.jp) technical information, error mail for an address
		// not found: "...User unknown" and its Japanese translation; the
		// report says each recipient "was rejected by a remote mail
		// server" (at RCPT),
		// http://dream.jp/support/techinfo/mail/error/error05.html
		{"dti user unknown", toRcpt("user@m1.point.ne.jp", failedReply("", "", "RCPT", "<user@m1.point.ne.jp> ...User unknown")), UserUnknown},
		{"dti user not registered ja", toRcpt("user@m1.point.ne.jp", failedReply("", "", "RCPT", "<user@m1.point.ne.jp> のユーザーは登録されていません")), UserUnknown},
		// Asahi Net FAQ on "Returned mail:": User unknown, User not found,
		// Invalid User: the destination host has no such user,
		// http://asahi-net.jp/support/qa/item.html?sheetName=d01&questionNo=d01601
		{"asahi-net user not found", toRcpt("user@example.jp", failedReply("550", "", "RCPT", "550 5.1.1 <user@example.jp>: User not found")), UserUnknown},
		{"asahi-net invalid user", toRcpt("user@example.jp", failedReply("550", "", "RCPT", "550 <user@example.jp>: Invalid User")), UserUnknown},
		// Sakura Internet help on error mail: User unknown, and the same
		// cause as Unknown user, Invalid recipient, Invalid Address,
		// https://help.sakura.ad.jp/rs/2265
		{"sakura invalid address", toRcpt("user@example.jp", failedReply("550", "", "RCPT", "550 <user@example.jp>: Invalid Address")), UserUnknown},
		// megaegg (Energia Communications) FAQ on error mail,
		// https://faq.megaegg.jp/faq_detail.html?id=296
		{"megaegg no mailbox by that name", toRcpt("user@example.jp", failedReply("", "", "", "Sorry, no mailbox here by that name. (#5.1.1)")), UserUnknown},
		{"megaegg recipient's mailbox is full", toRcpt("user@example.jp", failedReply("", "", "", "Recipient's mailbox is full, message returned to sender. (#5.2.2)")), MailboxFull},
		{"megaegg message size exceeds maximum", toRcpt("user@example.jp", failedReply("552", "", "DATA", "552 message size exceeds maximum message size")), MessageTooBig},
		// BBIQ (QTnet) FAQ on error mail: no room left in the recipient's
		// box; the message sent is too big,
		// https://faq.bbiq.jp/hikari/faq_detail.html?category=5524&id=7552&page=2000
		{"bbiq exceeds remaining quota", toRcpt("user@example.jp", failedReply("552", "", "DATA", "552 Message size exceeds remaining quota")), MailboxFull},
		{"bbiq exceeds maximum fixed size", toRcpt("user@example.jp", failedReply("552", "", "DATA", "552 Message exceeds maximum fixed size")), MessageTooBig},
		// Chupicom (cable ISP) FAQ on returned mail: temporarily over quota
		// is a full mailbox,
		// https://www.pa-solution.net/as/scope3/chupicom/web/detail.aspx?id=921&a=102&isCrawler=1
		{"chupicom temporarily over quota", toRcpt("user@example.jp", failedReply("", "", "", "The user(s) account is temporarily over quota.")), MailboxFull},
		// hocoroco (ISP) life guide on error mail,
		// https://www.hocoroco.net/internet_lifeguide/errormail.html
		{"hocoroco user name is unknown", toRcpt("user@example.jp", failedReply("550", "", "RCPT", "550 <user@example.jp>... user name is unknown")), UserUnknown},
		{"hocoroco host name is unknown", toRcpt("user@example.jp", failedReply("550", "", "", "550 <user@example.jp>... host name is unknown")), HostUnknown},
		{"hocoroco mail box is full", toRcpt("user@example.jp", failedReply("552", "", "", "552 <user@example.jp>... mail box is full")), MailboxFull},
		{"hocoroco message is too large", toRcpt("user@example.jp", failedReply("552", "", "DATA", "552 message is too large")), MessageTooBig},
		// おまかせサーバサービス (hosting) FAQ: a mailbox over its disk
		// allowance answers "Can't create output"; NTT Biz hosting FAQ
		// quotes the same refusal with "procmail: Quota exceeded",
		// https://member.omakase.jp/support/faq/tech.html,
		// https://www.nttbiz.jp/hosting_user/faq_op/node/193
		{"omakase cannot create output", toRcpt("user@example.jp", failedReply("550", "5.0.0", "", "550 5.0.0 <user@example.jp>... Can't create output")), MailboxFull},
		{"nttbiz procmail quota exceeded", toRcpt("user@example.jp", failedReply("550", "5.0.0", "", "can't create (user) output file procmail: Quota exceeded while writing \"/var/mail/user\"")), MailboxFull},
		// goope (GMO Pepabo) notice: a box over its 5GB limit refuses with
		// this reply, https://goope.jp/info/information/?id=712
		{"goope mailbox is full", toRcpt("user@example.jp", failedReply("552", "5.2.2", "RCPT", "552 5.2.2: Recipient address rejected: Mailbox is full")), MailboxFull},
		// Rakko Server (hosting) knowledge base: the hourly sending limit
		// applies to forwarding too, https://rakkoserver.com/knowledge/3168/
		{"rakko max emails per hour", toRcpt("user@example.jp", failedReply("550", "", "", "Domain example.jp has exceeded the max emails per hour (2/1 (200%)) allowed. Message discarded.")), RateLimited},
		// iClusta (hosting) FAQ: "Relay operation rejected" when POP
		// before SMTP was not done first,
		// https://www.ics.ne.jp/iclusta2019/support/faq/index.htm;
		// E-Post FAQ: the unauthorized relaying reply,
		// https://www.e-postinc.jp/faq/faq01-79.html
		{"iclusta relay operation rejected", toRcpt("user@example.com", failedReply("550", "", "RCPT", "550 <user@example.com>: Relay operation rejected")), NoRelaying},
		{"epost unauthorized relaying", toRcpt("user@example.com", failedReply("550", "5.7.1", "RCPT", "550 5.7.1 Sorry [user@example.com] , I don't allow unauthorized relaying .")), NoRelaying},
		// Help Forest (Outlook help) on English error mail: "This user
		// doesn't have a ... account" is an address that does not exist,
		// https://helpforest.com/office/ol_err/ol020002.htm
		{"yahoo.co.jp no account", toRcpt("user@yahoo.co.jp", failedReply("554", "", "", "554 delivery error: dd This user doesn't have a yahoo.co.jp account (user@yahoo.co.jp) [0] - mta1.mail.yahoo.co.jp")), UserUnknown},
	}
	checkClear(t, tests)
}
