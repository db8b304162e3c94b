package decoders

import (
	"bytes"
	"github.com/bounced-dev/bounced/bounce/internal/mime"
	"strings"
)

// autoReplySubjects are subject prefixes or words of vacation and
// out-of-office replies, lower-case, in English and Japanese.
var autoReplySubjects = []string{
	"auto:", "autoreply", "auto-reply", "auto reply", "automatic reply", "auto response", "autoresponse",
	"auto-response", "out of office", "out of the office", "out-of-office", "vacation", "away from",
	"on leave", "absence", "abwesenheit", "automatische antwort", "réponse automatique", "respuesta automática",
	"risposta automatica", "自動応答", "自動返信", "不在", "休暇", "お休み", "自動送信",
	"fuera de la oficina", "fuori ufficio", "fuori sede", "absent du bureau", "absence du bureau",
	"nicht im büro", "afwezig", "ausente", "ferias", "férias", "vacances", "urlaub", "休假", "外出",
	"부재", "휴가",
}

// isBounceSender reports whether a From value is a mail system's (a
// mailer-daemon or postmaster), whose messages are never auto-replies.
func isBounceSender(from string) bool {
	var buf [256]byte
	f := buf[:0]
	if len(from) > len(buf) {
		f = make([]byte, 0, len(from))
	}
	for i := 0; i < len(from); i++ {
		f = append(f, mime.LowerASCII(from[i]))
	}
	for _, s := range bounceSenderWords {
		if bytes.Contains(f, s) {
			return true
		}
	}
	return false
}

// fromBounceSender is isBounceSender of the bounce's From, computed once.
func (m *message) fromBounceSender() bool {
	if !m.bounceSenderDone {
		m.bounceSenderVal, m.bounceSenderDone = isBounceSender(m.from), true
	}
	return m.bounceSenderVal
}

// bounceSenderWords mark the senders of mail systems, lower-case.
var bounceSenderWords = [][]byte{
	[]byte("mailer-daemon"), []byte("mailer_daemon"), []byte("mailerdaemon"), []byte("postmaster"),
	[]byte("mail delivery"), []byte("maildelivery"), []byte("mail-daemon"), []byte("mail_daemon"),
	[]byte("maildaemon"), []byte("nobody@"), []byte("noreply-dmarc"), []byte("mail administrator"),
	[]byte("mailadmin"), []byte("bounce"),
	// Exchange's system mailbox, the sender of its NDRs in every
	// language (CN=MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e in
	// the organization's configuration, Exchange's setup documentation),
	// which marks them Auto-Submitted: auto-replied.
	[]byte("microsoftexchange329e71ec88ae4615bbc36ab6ce41109e"),
}

// autoReplyPrefixes start the subjects that vacation programs and
// out-of-office rules write (Exchange "Automatic reply:", Lotus Notes
// "Auto:", Gmail and cPanel "Auto-Reply", ...), lower-case. Outlook and
// Exchange write "Automatic reply:" in the language of the mailbox
// (the localized subject prefix of Outlook's automatic replies): German
// "Automatische Antwort", French "Réponse automatique", Spanish
// "Respuesta automática", Italian "Risposta automatica", Portuguese
// "Resposta automática", Dutch "Automatisch antwoord", Danish and Norwegian "Automatisk svar", Swedish
// "Automatiskt svar", Finnish "Automaattinen vastaus", Polish
// "Odpowiedź automatyczna", Czech "Automatická odpověď", Hungarian
// "Automatikus válasz", Turkish "Otomatik yanıt", Russian
// "Автоматический ответ", Chinese "自动回复" (Simplified) and "自動回覆"
// (Traditional), Korean "자동 회신", Japanese "自動応答"; webmail
// vacation responders use the same words ("Abwesenheitsnotiz", Korean
// "자동 응답", Chinese "自动答复"). Debian's vacation(1) (package vacation
// 3.3) writes no Auto-Submitted or Precedence header of its own: the
// reply is the user's ~/.vacation.msg, and the one its setup writes
// (vacation run without arguments) has the subject "away from my mail";
// its manual's example file has "I am on vacation". The prefixes of
// Outlook's automatic replies in Greek "Αυτόματη απάντηση", Romanian
// "Răspuns automat", Ukrainian "Автоматична відповідь", Vietnamese "Trả
// lời tự động", Indonesian "Balasan otomatis", Thai "ตอบกลับอัตโนมัติ",
// Arabic "رد تلقائي", Hebrew "תשובה אוטומטית" and Hindi "स्वचालित जवाब"
// (or "स्वचालित उत्तर") are written from memory of its localized
// versions, not from a page read (the fourth round of
// testdata/unseen, see its README).
var autoReplyPrefixes = []string{
	"away from my mail", "i am on vacation",
	"auto:", "autoreply", "auto-reply", "auto reply", "[auto-reply]", "[autoreply]", "automatic reply", "auto response",
	"auto-response", "autoresponse", "out of office", "out of the office", "out-of-office", "abwesenheit",
	"automatische antwort", "réponse automatique", "respuesta automática", "risposta automatica",
	"automatisch antwoord", "resposta automática", "自動応答", "自動返信", "不在",
	"automatisk svar", "automatiskt svar", "automaattinen vastaus", "odpowiedź automatyczna",
	"automatyczna odpowiedź", "automatická odpověď", "automatikus válasz", "otomatik yanıt", "otomatik yanit",
	"автоматический ответ", "автоответ", "自动回复", "自動回覆", "自动答复", "自動回复", "자동 회신", "자동 응답",
	"자동응답", "자동회신",
	"αυτόματη απάντηση", "răspuns automat", "raspuns automat", "автоматична відповідь", "trả lời tự động",
	"balasan otomatis", "ตอบกลับอัตโนมัติ", "رد تلقائي", "תשובה אוטומטית",
	"स्वचालित जवाब", "स्वचालित उत्तर",
}

// decodeAutoReply recognises auto-replies (RFC 3834) from a sender that is
// not a mail system: Auto-Submitted: auto-replied (RFC 3834 section 5),
// the headers of vacation programs, or an auto-reply subject backed by a
// mark of machine-written mail.
func decodeAutoReply(m *message) *Report {
	if !matchAutoReply(m) {
		return nil
	}
	if !isAutoReply(m.header(), m.subject) && !challengeNotice(m) {
		return nil
	}
	if m.findPart("message/disposition-notification", "message/global-disposition-notification") != nil {
		// A disposition notification (RFC 8098: a report of the message's
		// disposition after it was delivered) is no reply to its sender,
		// though an automatic one may be marked Auto-Submitted (RFC 3834
		// section 5 allows it of any automatic response): "processed",
		// "displayed" or "dispatched" say nothing failed, and a
		// rejection's "deleted" is read as such elsewhere (rejectionMDN).
		return nil
	}
	if failureNotice(m) {
		// QUIRK: gateways and MTAs mark their rejection notices
		// Auto-Submitted: auto-replied or auto-generated too (RFC 3834
		// section 5 allows it of any automatic response): the notice's
		// failure reply and words decide, not the header.
		if rep := decodeTextNotice(m); rep != nil {
			return rep
		}
	}
	if readReceiptSubject(m.lowerSubject()) {
		// A read receipt written as text (no disposition-notification
		// part): it says the message was delivered and read, which is
		// no reply to its sender either.
		return nil
	}
	if sympaRobot(m) {
		// Sympa's own notices (a post forwarded to the moderators, a
		// command's results) come from its robot address, marked
		// Auto-Submitted: a list's notice, not a person's reply.
		return nil
	}
	from := firstAddress(m.from)
	// An auto-reply by its header whose text is a challenge-response
	// system's needs no confirming subject as well (Boxbe's "Request to
	// join NAME's Guest List").
	if challengeNotice(m) || tmdaRequest(m) || containsAny(m.lowerNotice(), challengeBodyWords) {
		if p := m.challengeProtected(); p != "" {
			from = p
		}
	}
	return &Report{Kind: KindAutoReply, Format: "rfc3834", AutoReplyFrom: from}
}

// readReceiptPrefixes begin the subject of a read receipt (RFC 8098's
// "displayed" disposition, or a mail program's text confirmation of it),
// lower-case: Outlook's "Read:", "Gelesen:", "Lu :", "Leído:", "Letto:",
// "Gelezen:", Thunderbird's "Return Receipt (displayed)", a webmail's
// Polish "Potwierdzenie przeczytania:".
var readReceiptPrefixes = []string{"read:", "gelesen:", "lu :", "lu\u00a0:", "lu:", "leído:", "letto:", "gelezen:",
	"return receipt (displayed)", "read receipt:", "potwierdzenie przeczytania:"}

// readReceiptSubject reports whether a lower-case subject is a read
// receipt's.
func readReceiptSubject(s string) bool {
	return hasPrefixAny(strings.TrimSpace(s), readReceiptPrefixes)
}

// sympaRobot reports whether a message comes from Sympa's robot address:
// its templates write "From: [conf->email]@[conf->host]", conf.email
// being "sympa" unless configured otherwise, and Sympa marks its mail
// with "X-Loop: " that address.
func sympaRobot(m *message) bool {
	from := toLower(firstAddress(m.from))
	return strings.HasPrefix(from, "sympa@") && contains(toLower(m.getField("x-loop")), from)
}

// failureNotice reports whether a message's own text reads as a
// delivery failure notice: words saying that the message was not
// delivered beside an enhanced status code of class 4 or 5 (RFC 3463
// section 3.1: persistent transient or permanent failure) or words
// naming the cause. A vacation message says neither.
func failureNotice(m *message) bool {
	l := m.lowerNotice()
	if !containsAny(l, notDeliveredWords) {
		return false
	}
	if st := findStatus(m.notice()); st != "" && (st[0] == '4' || st[0] == '5') {
		return true
	}
	// Without a code, the words must name the cause ("the recipient
	// does not exist", "mailbox full").
	return containsAny(l, rejectionCauses)
}

// rejectionCauses name why a server refused a recipient, lower-case.
var rejectionCauses = []string{
	"does not exist", "doesn't exist", "no such user", "user unknown", "unknown user", "mailbox is full",
	"mailbox full", "over quota", "not found", "mailbox unavailable",
	// A gateway's notice that it blocked an infected message (hMailServer's
	// VIRUS_NOTIFICATION, a content gateway's notice to the sender).
	"contains a virus", "infected",
	// A content gateway's notice that its policy blocked the message
	// (MailMarshal's templates for blocked messages).
	"was blocked by", "has been blocked by",
}

// notDeliveredWords say that a message was not delivered, lower-case.
var notDeliveredWords = []string{
	"could not be delivered", "couldn't be delivered", "cannot be delivered", "can't be delivered",
	"was not delivered", "not be delivered", "undeliverable", "delivery failed", "delivery has failed",
	"failed permanently", "could not deliver", "unable to deliver", "delivery to the following",
}

// matchAutoReply reports whether the header marks the message as an
// auto-reply and its sender is not a mail system.
func matchAutoReply(m *message) bool {
	return !m.fromBounceSender() && (isAutoReply(m.header(), m.subject) || challengeSubject(m.lowerSubject()))
}

// Challenge-response systems (TMDA, the Tagged Message Delivery Agent;
// the Virus Bulletin glossary's "challenge/response") hold a message and ask
// its sender to confirm by a reply or a link; their requests often carry
// no RFC 3834 header, only a subject asking to confirm or verify and a
// body that says the message is held. Nothing failed: they are
// automatic replies.
var (
	challengeSubjectWords = []string{"confirm", "verif", "challenge"}
	challengeBodyWords    = []string{
		"challenge/response", "challenge-response", "challenge response", "held pending confirmation",
		"held pending verification", "held until you confirm", "being held until you", "confirm that you sent",
		"verify that you sent", "verified their address", "verify your address", "confirm that you are a person",
		"confirm that you are a human", "verify that you are a human", "prove that you are a human",
		"you are a real person", "to have your message delivered", "to have your email delivered",
		"being held until you", "awaiting verification", "awaiting your confirmation", "spamarrest", "spam arrest",
		"boxbe", "mailinblack", "to release your message",
		// The same said in German ("nur Nachrichten von bestätigten
		// Absendern", "bestätigen Sie, dass Sie ein Mensch sind").
		"bestätigten absendern", "dass sie ein mensch sind",
	}
)

// challengeOnlyWords say in a challenge-response system's own words that
// its user accepts mail only from senders approved beforehand (EarthLink
// spamBlocker's "To control spam, I now allow incoming messages only from
// senders I have approved beforehand", "my list of approved senders"),
// lower-case: in the first person, which a newsletter's "add us to your
// approved senders" is not. They mark a request whatever its subject.
var challengeOnlyWords = []string{"senders i have approved", "my list of approved senders"}

// challengeBody reports whether a message's text is a challenge-response
// request by challengeOnlyWords alone.
func challengeBody(m *message) bool {
	return containsAny(m.lowerNotice(), challengeOnlyWords)
}

// challengeSubject reports whether a lower-case subject asks to confirm
// or verify.
func challengeSubject(s string) bool {
	return containsAny(s, challengeSubjectWords)
}

// challengeNotice reports whether a message is a challenge-response
// system's request: a subject asking to confirm and a body saying the
// message is held until its sender does.
func challengeNotice(m *message) bool {
	if challengeBody(m) {
		return true
	}
	if !challengeSubject(m.lowerSubject()) {
		return false
	}
	l := m.lowerNotice()
	return containsAny(l, challengeBodyWords)
}

// isAutoReply reports whether a message's header marks it as an
// auto-reply.
func isAutoReply(h header, subject string) bool {
	as := toLower(h.Get("auto-submitted"))
	if strings.HasPrefix(as, "auto-replied") {
		return true
	}
	// Vacation programs' own marks: X-Autoreply (Postfix vacation, cPanel),
	// X-Autorespond, X-Vacation, X-Apple-Action: vacation (iCloud),
	// X-Autogenerated: Reply (Google Workspace), Precedence: auto_reply.
	for _, k := range []string{"x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply", "x-vacation",
		"x-mail-autoreply", "x-autoreply-from", "x-autoresponse"} {
		if v := toLower(h.Get(k)); h.Has(k) && v != "no" && v != "off" && v != "false" {
			return true
		}
	}
	if strings.EqualFold(h.Get("x-apple-action"), "vacation") || strings.EqualFold(h.Get("x-autogenerated"), "reply") {
		return true
	}
	prec := toLower(h.Get("precedence"))
	if prec == "auto_reply" || prec == "auto-reply" {
		return true
	}
	s := toLower(strings.TrimSpace(subject))
	if s == "" {
		return false
	}
	if hasPrefixAny(s, autoReplyPrefixes) {
		return true
	}
	if !autoReplySubject(s) {
		return false
	}
	// An auto-reply word elsewhere in the subject counts only with a mark
	// of machine-written mail: RFC 3834 headers, Exchange's
	// X-Auto-Response-Suppress or inbox-rule loop guard, a null return path.
	return as != "" && as != "no" || h.Has("x-auto-response-suppress") || h.Has("x-ms-exchange-inbox-rules-loop") ||
		prec == "bulk" || prec == "junk" || strings.TrimSpace(h.Get("return-path")) == "<>"
}

func autoReplySubject(subject string) bool {
	s := toLower(subject)
	return containsAny(s, autoReplySubjects)
}
