package decoders

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// bounceSubjects are words of the subjects of non-delivery reports,
// lower-case.
var bounceSubjects = []string{
	"undeliver", "undelivered", "delivery status notification", "returned mail", "return mail",
	"failure notice", "delivery failure", "mail delivery failed", "nondeliverable", "non-deliverable",
	"non delivery", "non-delivery", "could not be delivered", "returned to sender", "delivery has failed",
	"delivery problem", "mail system error", "delivery notification", "not delivered", "failed delivery",
	"delivery failed", "permanent error", "mail failure", "rejected:", "message rejected", "bounced",
	"warning: could not send", "delayed mail", "delivery delayed", "message delayed", "unable to deliver",
	"couldn't be delivered", "can't be delivered", "delivery report", "error sending message",
	"mail could not be delivered", "delivery notice", "dsn", "returned message", "message not delivered",
	// MMDF: "Failed mail  (msg.ID)".
	"failed mail",
	"nicht zustellbar", "unzustellbar", "non remis", "non recapitabile", "no se puede entregar",
	"配信", "不達", "エラー", "送信できません", "未達", "届きません", "送達",
	// Exchange's and Outlook's "Undeliverable:" in the language of the
	// reporting server: Dutch, Portuguese, Chinese, Korean, Russian.
	"onbestelbaar", "não é possível entregar", "无法传递", "無法傳遞", "배달되지 않음", "не доставлено",
}

// looksLikeBounce reports whether the message has the marks of a
// non-delivery report: a mail-system sender, a bounce subject, an
// X-Failed-Recipients header, or a report part.
func looksLikeBounce(m *message) bool {
	if m.hasField("x-failed-recipients") || m.dsnPart() != nil {
		return true
	}
	if m.fromBounceSender() {
		return true
	}
	s := m.lowerSubject()
	return containsAny(s, bounceSubjects)
}

// decodeText is the last resort for bounces of unknown formats: it looks
// for recipients in the X-Failed-Recipients header and in the notice's
// lines that name an address, and takes the words around each as the
// diagnostic.
func decodeText(m *message) *Report {
	if !m.fromBounceSender() && challengeBody(m) {
		// A challenge-response request that neither its header nor its
		// subject marks (matchAutoReply reads the header only): its
		// own words do, and it is about the person it protects.
		from := firstAddress(m.from)
		if p := m.challengeProtected(); p != "" {
			from = p
		}
		return &Report{Kind: KindAutoReply, Format: "rfc3834", AutoReplyFrom: from}
	}
	if listPost(m) || !looksLikeBounce(m) && !((autoSubmitted(m) || nullReversePath(m)) && failureNotice(m)) {
		return nil
	}
	if onlySubject(m) && !noticeSaysFailure(m) {
		// A person's or a shop's mail whose subject happens to hold a
		// bounce word ("Delivery failed? Track your parcel") and whose
		// text says nothing of an undelivered message.
		return nil
	}
	if personReply(m) {
		return nil
	}
	if listAdministrivia(m) {
		return nil
	}
	if quarantineReport(m) {
		return nil
	}
	return decodeTextNotice(m)
}

// quarantineSubjects are words of the subjects of spam filters' digests
// to a user of the mail they hold for that user, lower-case.
var quarantineSubjects = []string{"spam report", "quarantine summary", "quarantine report", "quarantine notification", "spam quarantine"}

// quarantineReport reports whether a message is a spam filter's digest to
// a user of the mail it holds in quarantine for that user (Proxmox Mail
// Gateway's "Spam Report", mailcow's "Spam Quarantine Notification",
// FortiMail's "Quarantine Summary"): its sender may be a postmaster, but
// it lists messages others sent to its reader, not a message its reader
// sent that failed. It carries no report part, no returned message and
// no X-Failed-Recipients, and its text speaks of the quarantine.
func quarantineReport(m *message) bool {
	if m.header().Has("x-failed-recipients") || m.dsnPart() != nil || m.findPart("message/rfc822", "message/global") != nil {
		return false
	}
	return containsAny(m.lowerSubject(), quarantineSubjects) && strings.Contains(m.lowerNotice(), "quarantine")
}

// listAdministrivia reports whether a message is a mailing list's notice
// to a member about the list itself (Mailman marks such mail
// "X-List-Administrivia: yes": its memberships reminders, its "Your
// membership ... has been disabled due to excessive bounces") that
// carries no report and no returned message: it says what the list did,
// not that a message its reader sent failed.
func listAdministrivia(m *message) bool {
	if !strings.EqualFold(strings.TrimSpace(m.getField("x-list-administrivia")), "yes") {
		return false
	}
	return m.dsnPart() == nil && m.findPart("message/rfc822", "message/global") == nil
}

// personReply reports whether a message is a person's reply ("Re:" and
// In-Reply-To, RFC 5322 section 3.6.4) that only quotes a report: no
// mark of a mail system beyond the subject, and no code outside its
// quoted (">") lines.
func personReply(m *message) bool {
	if !onlySubject(m) || autoSubmitted(m) || !m.hasField("in-reply-to") || !strings.HasPrefix(m.lowerSubject(), "re:") {
		return false
	}
	quoted := false
	var own strings.Builder
	for _, line := range strings.Split(m.notice(), "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, ">") {
			quoted = true
			continue
		}
		own.WriteString(line)
		own.WriteByte('\n')
	}
	return quoted && findStatus(own.String()) == "" && findReplyCode(own.String()) == ""
}

// onlySubject reports whether the subject is a message's only mark of a
// bounce: no report part, no X-Failed-Recipients, no mail-system sender.
func onlySubject(m *message) bool {
	return !m.hasField("x-failed-recipients") && m.dsnPart() == nil && !m.fromBounceSender() && !nullSender(m)
}

// nullReversePath reports whether the message came with the null
// reverse-path, as the delivering server's Return-Path records it ("<>"):
// a mail system's notice (RFC 5321 section 4.5.5: a notification is sent
// with the null reverse-path) or an auto-reply, not a person's mail.
func nullReversePath(m *message) bool {
	return strings.TrimSpace(m.getField("return-path")) == "<>"
}

// nullSender reports whether the message has the null reverse-path and a
// From with no address either (empty, "<>"): no person wrote it, as a
// person's From names its author (RFC 5322 section 3.6.2).
func nullSender(m *message) bool {
	return nullReversePath(m) && len(findAddresses(m.from)) == 0
}

// noticeSaysFailure reports whether a notice's text says that a message
// was not delivered, names a cause, or quotes a failure code.
func noticeSaysFailure(m *message) bool {
	if failureNotice(m) {
		return true
	}
	l := m.lowerNotice()
	if containsAny(l, notDeliveredWords) {
		return true
	}
	if containsAny(l, noticeFailureWords) {
		return true
	}
	st := findStatus(m.notice())
	return st != "" && (st[0] == '4' || st[0] == '5')
}

// noticeFailureWords say in a notice's own words that delivery failed or
// is delayed, lower-case.
var noticeFailureWords = []string{
	"delivery failed", "delivery to the following", "failed", "could not be reached", "did not reach",
	"not delivered", "undeliver", "returned", "delayed", "bounced", "rejected", "nicht zugestellt",
	"n'a pas pu être", "no se pudo entregar", "non è stato possibile", "niet worden afgeleverd",
	// Japanese notices: "could not be delivered (sent)", and "refused to
	// receive" (受信を拒否), the words the carriers' and ISPs' pages use
	// for a recipient's reception refusal (NTT's FAQ on docomo error
	// mail: 受信拒否設定; au: 受信拒否の対象).
	"配信できませんでした", "配送できませんでした", "送信できませんでした", "受信を拒否",
}

// autoSubmitted reports whether a message says it was written by a
// program (RFC 3834 section 5: Auto-Submitted other than "no"); a
// gateway's rejection notice may carry no other mark of a bounce.
func autoSubmitted(m *message) bool {
	v := toLower(strings.TrimSpace(m.getField("auto-submitted")))
	return v != "" && v != "no"
}

// listPost reports whether a message is a post a mailing list
// distributed to its members (RFC 2919 List-Id, RFC 2369 List-Post) from
// a person, not a notice of a mail system or of the list's own
// administrative addresses: its words about a delivery (a member quoting
// a report, "Fwd: Returned mail") are not a report to the sender.
func listPost(m *message) bool {
	if !m.hasField("list-id") && !m.hasField("list-post") {
		return false
	}
	return !m.fromBounceSender() && !listAdminSender(m.lowerFrom())
}

// decodeTextNotice reads a notice as decodeText does, whatever its
// header says: the caller has found the marks of a failure notice.
//
// A plain-text notice has no RFC 3464 Action field, so its recipients
// carry none: the notice proves a failure but not the SMTP stage, and
// classify must not read it as a gateway's delivery report.
func decodeTextNotice(m *message) *Report {
	// A notice's lines are read one by one: a relay's folding is undone
	// first, so that a reply cut over two lines is read whole.
	notice := unfoldWrapped(m.notice())
	rep := &Report{Kind: KindBounce, Format: "text"}
	addrs := m.failedRecipients()
	if len(addrs) == 0 {
		addrs = noticeRecipients(m, notice)
	}
	// sections is the notice with its own sections (below).
	sections := notice
	if len(addrs) == 0 {
		// The notice's own sections, under marker lines that head a
		// list of addresses or a transcript: read when the words
		// before the first marker name no recipient.
		if s := unfoldWrapped(m.noticeWithSections()); len(s) > len(notice) {
			sections = s
			if as := noticeRecipients(m, s); len(as) > 0 {
				notice, addrs = s, as
			}
		}
	}
	if len(addrs) == 0 {
		if rs := bareNoticeRecipients(m); len(rs) > 0 {
			rep.Recipients = rs
			return rep
		}
		if a := rejectionMDN(m); a != "" {
			// The notice's words are all it says of the cause.
			r := Recipient{Address: a}
			if len(notice) <= maxParagraphAfter {
				r.Diagnostic = oneLine(notice)
			}
			fillCodes(&r)
			rep.Recipients = []Recipient{r}
			return rep
		}
		a := soleReturnedRecipient(m)
		if a != "" && !hasFailureWords(notice) && !saysNotDelivered(notice) {
			// Nothing but a marker above a session transcript
			// ("----- Transcript of session follows -----" / "421
			// host (smtp)... Deferred: Connection timed out"): the
			// transcript is what the notice says, when it speaks of
			// the recipient's host; one that names another ("550
			// ghost... User unknown") is about someone else.
			if _, domain, _ := strings.Cut(a, "@"); domain != "" && containsFold(sections, domain) {
				notice = sections
			}
		}
		if a != "" && len(notice) <= maxParagraphAfter && (hasFailureWords(notice) || saysNotDelivered(notice)) {
			// A notice of one sentence that names no address ("Your
			// message could not be delivered because the recipient's
			// mailbox is full.", or only "could not be delivered to
			// one or more recipients"), above the returned message:
			// the message's one recipient is the one it failed for.
			r := Recipient{Address: a, Diagnostic: oneLine(notice)}
			switch {
			case textDelivered(m):
				r.Action = "delivered"
			case textDelayed(m):
				r.Action = "delayed"
			}
			fillCodes(&r)
			rep.Recipients = []Recipient{r}
			return rep
		}
	}
	action := ""
	switch {
	case textDelivered(m):
		action = "delivered"
	case textDelayed(m):
		action = "delayed"
	}
	beneath := repliesBeneath(notice)
	transcript := noticeTranscript(notice)
	// One error for the whole message ("Error message below:" above the
	// list of its recipients): each recipient's that names no cause.
	var common string
	if len(addrs) > 1 {
		if e := soleErrorLine(notice); e != "" && aboveAll(notice, e, addrs) {
			common = e
		}
	}
	for _, a := range addrs {
		r := Recipient{Address: a, Action: action}
		r.Diagnostic = textAround(notice, a)
		if l := replyLineFor(notice, a); l != "" {
			// A server's reply about it on its own line ("554 <a>...
			// Host unknown"): the reply, not the lines after it,
			// which are other recipients' or other hosts'.
			r.Diagnostic = l
		}
		if len(addrs) == 1 && !hasFailureWords(r.Diagnostic) {
			// The address only in the returned message's header,
			// quoted in the notice ("Original Message:" / "From: ..."
			// / "To: <a>" / "Subject: ..."): the fields after it are
			// no cause, the notice's words above the header are.
			if p := aboveQuotedHeader(notice, a); p != "" {
				r.Diagnostic = p
			}
		}
		few := len(addrs) <= maxCrossRead
		if few {
			r.Diagnostic = cutAtOther(notice, r.Diagnostic, a, addrs)
		}
		if t, ok := transcript[toLower(a)]; ok && findReplyCode(r.Diagnostic) == "" && findStatus(r.Diagnostic) == "" {
			// A session transcript ("--> RCPT To:<a>" / "<-- 550 ...",
			// MDaemon's; Sendmail's ">>>" / "<<<"): the reply to the
			// command that named the recipient is its own, and says at
			// which command it was refused. Read before laterMention,
			// which would take the transcript's RCPT line and the
			// replies after it, another recipient's among them.
			r.Diagnostic = strings.TrimSpace(t[1] + " " + r.Diagnostic)
			r.Command = t[0]
		}
		if few && len(addrs) > 1 && (!hasFailureWords(r.Diagnostic) || findReplyCode(r.Diagnostic) == "" && findStatus(r.Diagnostic) == "") {
			// A list of the recipients (or a sentence naming them
			// all), then a section of details that names each again
			// with its own error: the recipient's words are where
			// the notice names it with them, not another
			// recipient's.
			r.Diagnostic = laterMention(notice, r.Diagnostic, a, addrs)
		}
		if few && !hasFailureWords(r.Diagnostic) {
			// QUIRK: a notice that names the recipient by its local
			// part only ('unknown user: "vera"', "walter (user not
			// found)"), the full address being in the returned
			// message's header.
			if l := localPartLine(notice, a); l != "" && !contains(r.Diagnostic, l) {
				r.Diagnostic = strings.TrimSpace(l + " " + r.Diagnostic)
			}
		}
		if few && len(addrs) > 1 && !hasFailureWords(r.Diagnostic) {
			// A list of recipients under a heading that says why ("The
			// following destination addresses were unknown (please
			// check the addresses and re-mail the message):" above
			// "SMTP <a>" lines): the heading is each one's cause.
			if prev := paragraphBefore(notice, a); strings.HasSuffix(prev, ":") && hasFailureWords(prev) {
				r.Diagnostic = strings.TrimSpace(prev + " " + r.Diagnostic)
			} else if oneParagraph(notice, addrs) {
				// The list under the paragraphs that say why ("The
				// user(s) account is temporarily over quota." above
				// "<a>" / "<b>", Post.Office's).
				if causes := causesAbove(notice, a); causes != "" {
					r.Diagnostic = strings.TrimSpace(causes + " " + r.Diagnostic)
				}
			}
		}
		if len(addrs) == 1 && !hasFailureWords(r.Diagnostic) {
			// QUIRK: a notice that names the address in one sentence
			// and says why in the paragraph after it ("Delivery to
			// the following recipient failed permanently: <a>" / "The
			// domain ... could not be found") or before it ("This
			// Message was undeliverable due to the following reason:
			// ... over quota." / "<a>").
			next, prev := paragraphAfter(notice, a), paragraphBefore(notice, a)
			if !hasFailureWords(next) && hasFailureWords(prev) {
				next = prev
			}
			if next != "" {
				r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + next)
			}
			if !hasFailureWords(r.Diagnostic) && strings.HasSuffix(next, ":") {
				// "This error message may give you a hint about what
				// caused the failure:" and the error in the paragraph
				// after it: a paragraph ending in a colon introduces
				// the next.
				if ps := paragraphsAfter(notice, a, 2); len(ps) == 2 {
					r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + ps[1])
				}
			}
			if !hasFailureWords(r.Diagnostic) {
				// The cause stated paragraphs above the recipient's
				// ("Your message was not delivered because the
				// destination computer was not found." / "Host h not
				// found" / "The following recipients did not receive
				// this message:" / "<a>", InterMail's).
				if causes := causesAbove(notice, a); causes != "" {
					r.Diagnostic = strings.TrimSpace(causes + " " + r.Diagnostic)
				}
			}
			if !hasFailureWords(r.Diagnostic) {
				// "The following error was reported by the remote
				// mail server:" and the reply further down.
				r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + oneLine(errorLines(notice)))
			}
		}
		if len(addrs) == 1 && !containsAny(r.Diagnostic, jaSettingWords) {
			// A Japanese notice's own sentence that the recipient's
			// reception setting refused the mail (受信設定, 指定受信,
			// 受信拒否設定), in a paragraph above or after the
			// recipient's: the reply beside the address ("550 Unknown
			// user" after DATA, a generic "5.7.1 Rejected") is one
			// reply for several causes, and the sentence says which.
			// Only these words: hasFailureWords' cause words stay
			// English, for the readers that decide where a
			// recipient's words end.
			if c := jaSettingSentence(notice, a); c != "" {
				r.Diagnostic = strings.TrimSpace(c + " " + r.Diagnostic)
			}
		}
		if len(addrs) == 1 && findReplyCode(r.Diagnostic) == "" && findStatus(r.Diagnostic) == "" {
			// One recipient named alone under a heading, and again
			// further down in the server's reply ("Error during the last
			// delivery attempt:" / "... 552 5.2.2 <a>: Mailbox full",
			// mox's): that reply is its own, beside the words above.
			if w := laterMention(notice, "", a, addrs); w != "" && !contains(r.Diagnostic, w) {
				r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + w)
			}
		}
		if r.Diagnostic == "" || len(r.Diagnostic) < 8 {
			r.Diagnostic = oneLine(errorLines(notice))
			if few && len(addrs) > 1 {
				// The notice's replies, but not those that name
				// another of its recipients: theirs, not this one's.
				r.Diagnostic = strings.TrimSpace(oneLine(errorLinesFor(notice, a, addrs)))
			}
		} else if common != "" && !hasFailureWords(r.Diagnostic) {
			r.Diagnostic = strings.TrimSpace(common + " " + r.Diagnostic)
		}
		if r.Diagnostic == "" && len(addrs) == 1 {
			// Nothing else said: the line above the recipient's in its
			// paragraph, under a section heading ("------- Failure
			// Reasons --------" / "<the reason>" / "<a>", Lotus
			// Notes'), in words no list here knows (another language).
			// Only there: elsewhere the line above is a sentence that
			// introduces a list ("Delivery to the following recipients
			// failed."), no cause.
			if prev := paragraphBefore(notice, a); prev != "" && underSectionHeading(notice, a) && !strings.HasSuffix(prev, ":") {
				r.Diagnostic = prev
			}
		}
		if reply := beneath[toLower(a)]; reply != "" && findReplyCode(r.Diagnostic) == "" && findStatus(r.Diagnostic) == "" {
			// A section of codes below the notice's words: the address
			// alone on its line, the server's reply beneath it.
			r.Diagnostic = strings.TrimSpace(reply + " " + r.Diagnostic)
		}
		if len(addrs) == 1 {
			if rl := reasonLines(notice); rl != "" && !contains(r.Diagnostic, rl) {
				r.Diagnostic = strings.TrimSpace(rl + " " + r.Diagnostic)
			}
			// Exchange Online's text NDR names its codes on the "Status
			// code: 550 5.7.509" line of "More Info for Email Admins",
			// apart from the recipient's paragraph.
			if findStatus(r.Diagnostic) == "" {
				if sc := statusCodeLine(notice); sc != "" {
					r.Diagnostic = strings.TrimSpace(sc + " " + r.Diagnostic)
				}
			}
			if findStatus(r.Diagnostic) == "" && findReplyCode(r.Diagnostic) == "" {
				// The words in one paragraph, the server's reply in
				// another ("The mailbox does not exist." / "Remote
				// server said: 550 5.1.1 ..."): the notice's one line
				// with codes is this recipient's.
				if e := soleErrorLine(notice); e != "" {
					r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + e)
				}
			}
		}
		if r.Action == "" {
			if tail := failureAfterSuccess(r.Diagnostic); tail != "" {
				// The refusal's codes, not the acceptance's that
				// come first in the words.
				r.ReplyCode = leadingReplyCode(tail)
				if st := findStatus(tail); st != "" && st[0] == r.ReplyCode[0] {
					r.Status = st
				} else {
					r.Status = statusFromReplyCode(r.ReplyCode)
				}
			}
		}
		fillCodes(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}

// failureAfterSuccess returns d from its first failure reply (4yz or
// 5yz, RFC 5321 section 4.2.1) when an earlier reply in it is a positive
// completion (2yz): a session's transcript ("RCPT TO:<a>" / "250 2.1.5
// Ok" / "DATA" / "354 End data" / "451 4.3.0 Error: queue file write
// error") took the recipient and then refused the message, and the
// refusal is what became of it. Otherwise "".
func failureAfterSuccess(d string) string {
	positive := false
	for i := 0; i < len(d); {
		for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
			i++
		}
		j := i
		for j < len(d) && d[j] != ' ' && d[j] != '\t' {
			j++
		}
		if c := leadingReplyCode(d[i:j]); c != "" && len(d[i:j]) >= 3 && d[i:i+3] == c {
			switch c[0] {
			case '2':
				positive = true
			case '4', '5':
				if !positive {
					return ""
				}
				return d[i:]
			}
		}
		i = j
	}
	return ""
}

// noticeWithSections returns the notice with the sections that
// original-message markers head inside it: a marker line ("----- ...
// follows -----") may head a list of addresses or a session transcript
// rather than the returned message. The text after a marker is the
// notice's until a marker that a header block follows, the returned
// message's start (inlineOriginal's); when the returned message is a
// MIME part of its own, the text parts hold no part of it. Without
// either, the notice ends at the first marker, as notice's does.
func (m *message) noticeWithSections() string {
	n := m.notice()
	after := m.afterNotice
	if after == "" || m.originalPart() == nil && m.inlineOriginal() == "" {
		return n
	}
	var b strings.Builder
	b.WriteString(n)
	for i := 0; i < 4 && after != ""; i++ {
		t := strings.TrimLeft(after, "\n")
		if c := strings.IndexByte(t, ':'); c > 0 && c <= 40 && headerNameLike(t[:c]) {
			break // the returned message's header
		}
		sec, next := splitAtMarker(after)
		if next == "" && m.originalPart() == nil {
			break // no marker left: what follows may be the returned body
		}
		b.WriteString("\n\n")
		b.WriteString(joinBrokenAddresses(sec))
		after = next
	}
	return b.String()
}

// soleReturnedRecipient returns the one address of the returned
// message's To and Cc, or "" when it has none or several (which of them
// failed, the notice would have to say) or when it is the bounce's own
// addressee (a notice about mail to the sender itself).
func soleReturnedRecipient(m *message) string {
	o := m.original()
	if o.To == "" {
		return ""
	}
	as := append(findAddresses(o.To), findAddresses(strings.Join(o.Header("Cc"), ","))...)
	if len(as) != 1 || isBounceSender(as[0]) {
		return ""
	}
	for _, a := range findAddresses(m.getField("to")) {
		if strings.EqualFold(a, as[0]) {
			return ""
		}
	}
	for _, a := range findAddresses(o.From) {
		if strings.EqualFold(a, as[0]) {
			return ""
		}
	}
	return as[0]
}

// rejectionMDN returns the Final-Recipient of a disposition notification
// (RFC 8098) that reports the message deleted by an automatic action:
// the MDN a Sieve "reject" or a delivery agent's rejection sends
// (RFC 5429 section 2.1.1, "automatic-action/MDN-sent-automatically;
// deleted"); "" for read receipts and a person's own deletions.
func rejectionMDN(m *message) string {
	p := m.findPart("message/disposition-notification", "message/global-disposition-notification")
	if p == nil {
		return ""
	}
	perMessage, blocks := m.dsnFields(p.Text())
	var final, disp string
	for _, h := range append([]header{perMessage}, blocks...) {
		if final == "" {
			final = h.Get("final-recipient")
		}
		if disp == "" {
			disp = h.Get("disposition")
		}
	}
	mode, typ, ok := strings.Cut(toLower(disp), ";")
	if !ok || !strings.HasPrefix(strings.TrimSpace(mode), "automatic-action") {
		return ""
	}
	typ = strings.TrimSpace(typ)
	if i := strings.IndexAny(typ, "/ \t"); i >= 0 {
		typ = typ[:i] // "deleted/error" in RFC 2298's modifiers
	}
	if typ != "deleted" {
		return ""
	}
	return dsnAddress(final)
}

// repliesBeneath returns, by lower-case address, the server replies of a
// notice's section of codes: each address alone on its line and the
// reply beneath it ("#550 5.1.1 ... ##", "Remote Server returned
// '550 ...'"), as Exchange writes for administrators below the words it
// writes for users.
func repliesBeneath(notice string) map[string]string {
	_, diags := parseExchangeDiagnostics(notice)
	out := make(map[string]string, len(diags))
	for _, d := range diags {
		if k := toLower(d.addr); out[k] == "" {
			out[k] = d.reply
		}
	}
	return out
}

// textAround returns what a notice says about addr: the words before it
// on its line when they are a sentence ("User's mailbox is full: <a>"),
// then textAbout's words after it.
func textAround(notice, addr string) string {
	after := textAbout(notice, addr)
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return after
	}
	ls := strings.LastIndexByte(notice[:i], '\n') + 1
	if i-ls > maxBefore {
		// A sentence, not a line of hundreds of addresses.
		ls = i - maxBefore
		if sp := strings.IndexByte(notice[ls:i], ' '); sp >= 0 {
			ls += sp + 1 // at a word, not inside a character
		}
	}
	raw := strings.TrimRight(notice[ls:i], " \t<\"'(")
	before := strings.Trim(raw, " \t<\"'(:")
	if n := len(strings.Fields(before)); (n < 3 || n == 3 && strings.HasSuffix(raw, ":")) && !hasFailureWords(before) {
		// Too short for a sentence, or a label ("Target mail address:")
		// that says nothing of the failure ("Invalid receiver address:"
		// does).
		return after
	}
	return strings.TrimSpace(oneLine(before) + " " + after)
}

// laterMention returns what the notice says about addr where it names
// it again after its first mention with failure words and a reply or
// status code of its own (cut at the next other recipient), or d.
func laterMention(notice, d, addr string, addrs []string) string {
	first := mime.IndexFold(notice, addr)
	if first < 0 || addr == "" {
		// An empty address (a delivery-status part's Final-Recipient
		// that names a pipe, not a mailbox) is found everywhere: there
		// is no later mention to look for.
		return d
	}
	for at := first + len(addr); at < len(notice); {
		i := mime.IndexFold(notice[at:], addr)
		if i < 0 {
			break
		}
		ls := strings.LastIndexByte(notice[:at+i], '\n') + 1
		rest := notice[ls:]
		if w := cutAtOther(rest, textAround(rest, addr), addr, addrs); hasFailureWords(w) && (findReplyCode(w) != "" || findStatus(w) != "") {
			return w
		}
		at += i + len(addr)
	}
	return d
}

// maxBefore bounds the words textAround takes before an address.
const maxBefore = 300

// noticeRecipients picks the addresses a notice reports as failed: those
// that start a line (after white space, quotes or '<'), skipping the
// bounce's own sender and recipient and mail-system addresses. At most
// maxTextRecipients are taken.
func noticeRecipients(m *message, notice string) []string {
	skip := map[string]bool{}
	for _, k := range []string{"from", "to", "return-path", "reply-to", "sender", "delivered-to", "x-original-to", "errors-to"} {
		for _, a := range findAddresses(m.getField(k)) {
			skip[a] = true
		}
	}
	for _, a := range returnedRecipientInOriginalTo(m) {
		// The bounce's X-Original-To names the returned message's
		// recipient, not the bounce's own addressee: the recipient
		// it failed for.
		delete(skip, a)
	}
	// The returned message's sender is never its failed recipient.
	for _, a := range findAddresses(m.original().From) {
		skip[a] = true
	}
	// A mail system's address ("postmaster@", "mailer-daemon@") in a
	// notice is most often the reporting system's own, but not when the
	// returned message was sent to it: then it is the recipient that
	// failed (RFC 5321 section 4.5.1: every domain must accept mail for
	// its postmaster, and mail to it may bounce like any other).
	returned := map[string]bool{}
	for _, a := range append(originalRecipients(m), returnedRecipientInOriginalTo(m)...) {
		if !skip[a] {
			returned[toLower(a)] = true
		}
	}
	var strong, weak, sender []string
	// seen holds the addresses taken as strong; weak holds those of
	// one sentence and once, so an address a later sentence names in
	// passing may still be a recipient line further down ("Lars Berger
	// (lars@...)" in a list, then "lars@..." alone in a section of
	// codes).
	seen, seenWeak := map[string]bool{}, map[string]bool{}
	weakLine, weakLead, weakLeadAddr := -1, "", ""
	var repeated []string // the addresses of a label repeated line after line
	for n, rest := 0, notice; rest != "" && len(strong) < maxTextRecipients; n++ {
		line := rest
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			line, rest = rest[:nl], rest[nl+1:]
		} else {
			rest = ""
		}
		if strings.IndexByte(line, '@') < 0 {
			continue
		}
		t := strings.TrimSpace(line)
		prevEnd, prevStrong := 0, false
		scanAddresses(t, func(a string, at int) bool {
			// A list after a label ("Intended Recipients: <a>, <b>,
			// <c>"): an address that only separators part from a
			// labelled one is labelled too.
			listed := prevStrong && prevEnd <= at && listSeparators(t[prevEnd:at])
			prevEnd, prevStrong = min(at+len(a), len(t)), false
			if skip[a] || seen[a] || isBounceSender(a) && !returned[toLower(a)] {
				return true
			}
			lead := strings.Trim(t[:at], " \t\"'<*-:")
			if msgIDField(lead) {
				// A returned message's header quoted inline after a
				// marker no list names ("--- Mensagem original ---"):
				// a msg-id (RFC 5322 section 3.6.4) is no mailbox.
				return true
			}
			// A field's name before a colon ("Reply-To: <a>", a quoted
			// header's) is a label, not a display name: only the
			// recipient labels make such a line a recipient's.
			fieldLine := strings.HasSuffix(strings.TrimRight(t[:at], " \t<\"'"), ":")
			strongLine := lead == "" || listed || recipientLabel(lead) || replyLead(lead, t[min(at+len(a), len(t)):]) ||
				!senderLead(lead) && !fieldLine && nameLine(lead, t[min(at+len(a), len(t)):])
			if !strongLine && seenWeak[a] {
				return true
			}
			if strongLine {
				seen[a] = true
			} else {
				seenWeak[a] = true
			}
			switch {
			case strongLine:
				strong, prevStrong = append(strong, a), true
			case senderLead(lead):
				// "Your message from <sender> to <a> ...": the sender.
				sender = append(sender, a)
			case weakLine < 0 || weakLine == n && len(weak) < maxCrossRead:
				// The addresses of the first sentence that names
				// one ("Your message to <a> and <b> could not be
				// delivered").
				weak, weakLine = append(weak, a), n
				if lb := strings.TrimRight(t[:at], " \t<\"'"); weakLead == "" && lead != "" && (strings.HasSuffix(lb, ":") || strings.HasSuffix(lb, ";")) {
					weakLead, weakLeadAddr = lead, a
				}
			case weakLead != "" && lead == weakLead && len(weak) < maxCrossRead:
				// The same label again on a later line ("Unable to
				// deliver message to: <a>" ... "Unable to deliver
				// message to: <b>", a paragraph for each; ZMailer's
				// "rfc822;a" under "Final Recipient:"): a list of the
				// recipients, one a paragraph.
				weak = append(weak, a)
				if len(repeated) == 0 {
					repeated = append(repeated, weakLeadAddr)
				}
				repeated = append(repeated, a)
			}
			return len(strong) < maxTextRecipients
		})
	}
	switch {
	case len(strong) > 0:
		// A repeated label's list names them all, where a transcript
		// ("RCPT To:<a>") names only some.
		for _, a := range repeated {
			if !slices.Contains(strong, a) && len(strong) < maxTextRecipients {
				strong = append(strong, a)
			}
		}
		return strong
	case len(weak) > 0:
		return weak
	}
	return sender
}

// returnedRecipientInOriginalTo returns the addresses of the bounce's
// X-Original-To that are recipients of the returned message (its To or
// Cc; any, when no returned header is read) and neither the bounce's To
// nor the returned message's sender. A
// delivery agent writes X-Original-To on the mail it delivers, naming the
// address it was sent to: on a bounce that reached its sender, that is
// the sender, who is the bounce's To; a mail system that writes it on the
// notice it makes names the recipient the returned message was for.
func returnedRecipientInOriginalTo(m *message) []string {
	xs := findAddresses(m.getField("x-original-to"))
	if len(xs) == 0 {
		return nil
	}
	o := m.original()
	rcpts := append(findAddresses(o.To), findAddresses(strings.Join(o.Header("Cc"), ","))...)
	not := append(findAddresses(m.getField("to")), findAddresses(o.From)...)
	var out []string
	for _, x := range xs {
		in, own := false, false
		for _, r := range rcpts {
			in = in || strings.EqualFold(r, x)
		}
		for _, n := range not {
			own = own || strings.EqualFold(n, x)
		}
		if (in || len(rcpts) == 0) && !own {
			out = append(out, x)
		}
	}
	return out
}

// replyLead reports whether an address's line is a server's reply about
// it: the words before it only a reply code and perhaps an enhanced
// status code ("554 <a>... Host unknown", "550 5.1.1 <a>: Recipient
// address rejected", "<<< 550 <a>, User Unknown"), and rest, what follows
// it, starts the reply's text after "...", ":" or ",", as an MTA writes a
// refused recipient in its transcript or list of errors (RFC 5321 section
// 4.2: the reply's text follows its code).
func replyLead(lead, rest string) bool {
	f := strings.Fields(lead)
	if len(f) == 0 || len(f) > 2 || leadingReplyCode(f[0]) != f[0] || f[0][0] != '4' && f[0][0] != '5' {
		return false
	}
	if len(f) == 2 && findStatus(f[1]) != f[1] {
		return false
	}
	rest = strings.TrimLeft(rest, ">")
	return strings.HasPrefix(rest, "...") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, ",")
}

// replyLineFor returns the first line of notice that is a server's reply
// about addr (replyLead), trimmed, or "".
func replyLineFor(notice, addr string) string {
	for rest := notice; rest != ""; {
		line := rest
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			line, rest = rest[:nl], rest[nl+1:]
		} else {
			rest = ""
		}
		i := mime.IndexFold(line, addr)
		if i < 0 {
			continue
		}
		t := strings.TrimSpace(line)
		if j := mime.IndexFold(t, addr); j >= 0 && replyLead(strings.Trim(t[:j], " \t\"'<*-:"), t[j+len(addr):]) {
			return t
		}
	}
	return ""
}

// nameLine reports whether a line is a recipient's display name and its
// address and nothing else ("Lars Berger (lars@example.org)", "Berger,
// Lars <lars@example.org>"), as lists of recipients write them: lead,
// the words before the address, is at most maxNameWords words that each
// begin with a capital (or an uncased letter), and rest, what follows
// it, only closes its brackets. A sentence ("Your message to <a>") has
// words in lower case.
func nameLine(lead, rest string) bool {
	if strings.Trim(rest, " \t>)]\"'") != "" {
		return false
	}
	words := strings.Fields(strings.TrimRight(lead, " \t(<[\"'"))
	if len(words) == 0 || len(words) > maxNameWords {
		return false
	}
	for _, w := range words {
		w = strings.Trim(w, "\"',")
		c, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(c) || unicode.IsLower(c) || strings.ContainsAny(w, ":;!?@()<>[]") {
			return false
		}
	}
	return true
}

// maxNameWords bounds the words of a display name nameLine accepts.
const maxNameWords = 4

// senderLead reports whether the words before an address on its line
// name it as the sender ("Your message from <a>", "Sender: <a>").
func senderLead(lead string) bool {
	if len(lead) > maxLabel {
		lead = lead[len(lead)-maxLabel:]
	}
	l := toLower(strings.TrimRight(lead, " :<(\"'"))
	return strings.HasSuffix(l, " from") || l == "from" || strings.HasSuffix(l, "sender") || strings.HasSuffix(l, "mail from")
}

// maxCrossRead bounds the recipients of a notice whose diagnostics are
// read against each other and searched for their local parts (work
// quadratic in their number): real notices that need it list a handful.
const maxCrossRead = 20

// maxTextRecipients bounds the recipients the text decoder reads from one
// notice (and so its work): real notices list a handful.
const maxTextRecipients = 1000

// errorLines returns the lines of a notice that carry an SMTP code or an
// error word, joined.
func errorLines(notice string) string {
	var out []string
	for _, line := range strings.Split(notice, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if findReplyCode(t) != "" || findStatus(t) != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// soleErrorLine returns the one line of a notice that carries an SMTP
// code, or "" when there is none or more than one.
func soleErrorLine(notice string) string {
	var found string
	for _, line := range strings.Split(notice, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || findReplyCode(t) == "" && findStatus(t) == "" {
			continue
		}
		if found != "" {
			return ""
		}
		found = t
	}
	return found
}

// aboveAll reports whether line comes in notice before every address of
// addrs and names none of them: it heads their list, it is no one's own.
func aboveAll(notice, line string, addrs []string) bool {
	i := strings.Index(notice, line)
	if i < 0 {
		return false
	}
	for _, a := range addrs {
		if j := mime.IndexFold(notice, a); j >= 0 && j < i || mime.IndexFold(line, a) >= 0 {
			return false
		}
	}
	return true
}

// reasonLines returns the "Reason: ..." lines of a notice ("reject
// reason: Mailbox full", "Error reason: ..."), joined, or "".
func reasonLines(notice string) string {
	var out []string
	for _, line := range strings.Split(notice, "\n") {
		t := strings.TrimSpace(line)
		c := strings.IndexByte(t, ':')
		if c <= 0 || c > 24 || c == len(t)-1 {
			continue
		}
		label := toLower(t[:c])
		if label == "reason" || strings.HasSuffix(label, " reason") {
			out = append(out, strings.TrimSpace(t[c+1:]))
		}
	}
	return strings.Join(out, " ")
}

// statusCodeLine returns the codes of a notice's one "Status code:"
// line when they hold an enhanced status code, or "".
func statusCodeLine(notice string) string {
	out := ""
	for _, line := range strings.Split(notice, "\n") {
		t := strings.TrimSpace(line)
		if len(t) <= len("status code:") || !strings.EqualFold(t[:len("status code:")], "status code:") {
			continue
		}
		if out != "" {
			return ""
		}
		out = strings.TrimSpace(t[len("status code:"):])
	}
	if findStatus(out) == "" {
		return ""
	}
	return out
}

// failedRecipients returns the addresses of the X-Failed-Recipients
// headers (Exim, Gmail and others name the failed recipients there), in
// order and without repeats.
func (m *message) failedRecipients() []string {
	var out []string
	for _, v := range m.header().Values("x-failed-recipients") {
		for _, a := range findAddresses(v) {
			out = appendUnique(out, a)
		}
	}
	return out
}

// isFieldLine reports whether line is a header field ("Subject: hi"): a
// field name, a colon.
func isFieldLine(line string) bool {
	c := strings.IndexByte(line, ':')
	return c > 0 && c <= 40 && headerNameLike(line[:c])
}

// aboveQuotedHeader returns, as one line, the paragraph above the
// header block that holds addr's first mention on one of its fields
// (the line and one next to it are fields), when that paragraph says
// the message was not delivered or why; else "". A label line ending in
// a colon ("Original Message:") between them is skipped.
func aboveQuotedHeader(notice, addr string) string {
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return ""
	}
	lines := splitLines(notice)
	at, n := -1, 0
	for k, l := range lines {
		if n+len(l) >= i {
			at = k
			break
		}
		n += len(l) + 1
	}
	if at < 0 || !isFieldLine(lines[at]) {
		return ""
	}
	if !(at > 0 && isFieldLine(lines[at-1]) || at+1 < len(lines) && isFieldLine(lines[at+1])) {
		return ""
	}
	k := at
	for k > 0 && (isFieldLine(lines[k-1]) || strings.HasPrefix(lines[k-1], " ") || strings.HasPrefix(lines[k-1], "\t")) && strings.TrimSpace(lines[k-1]) != "" {
		k--
	}
	if k > 0 && strings.HasSuffix(strings.TrimSpace(lines[k-1]), ":") {
		k-- // "Original Message:"
	}
	for k > 0 && strings.TrimSpace(lines[k-1]) == "" {
		k--
	}
	end := k
	for k > 0 && strings.TrimSpace(lines[k-1]) != "" {
		k--
	}
	if k == end {
		return ""
	}
	p := oneLine(strings.Join(lines[k:end], "\n"))
	if len(p) > maxParagraphAfter || !hasFailureWords(p) && !saysNotDelivered(p) {
		return ""
	}
	return p
}

// saysNotDelivered reports whether a notice's words say that a message
// was not delivered (notDeliveredWords), even where a line break parts
// them ("could not\nbe delivered").
func saysNotDelivered(notice string) bool {
	return containsAny(toLower(oneLine(notice)), notDeliveredWords)
}

// hasFailureWords reports whether a diagnostic says more than that the
// message failed: an SMTP code, or a word naming a cause.
func hasFailureWords(d string) bool {
	if findReplyCode(d) != "" || findStatus(d) != "" {
		return true
	}
	l := toLower(d)
	// "quotation" (a returned message's subject: "Your quotation
	// request") is no "quota".
	return containsAny(strings.ReplaceAll(l, "quotation", ""), causeWords)
}

// causeWords are words that name why a delivery failed, lower-case: with
// one of them the sentence that names the address says enough.
var causeWords = []string{
	"unknown", "not exist", "no such", "not found", "full", "quota", "size", "too large", "too big",
	"blocked", "blacklist", "blocklist", "spam", "virus", "denied", "refused", "rejected", "disabled", "expired", "invalid",
	"loop",
	// A host that takes no connection or no mail ("is not accepting
	// connections"), and Sendmail's EX_PROTOCOL text ("Remote protocol
	// error", sysexits.c).
	"not accepting", "protocol error",
}

// paragraphAfter returns the paragraph that follows the one naming addr
// in notice, as one line, or "" when there is none or it is long (the
// rest of a message, not a sentence).
func paragraphAfter(notice, addr string) string {
	if ps := paragraphsAfter(notice, addr, 1); len(ps) == 1 {
		return ps[0]
	}
	return ""
}

// paragraphsAfter returns, each as one line, up to n paragraphs that
// follow the one naming addr in notice, stopping at an empty or long one
// (maxParagraphAfter) or at a separator line ("---").
func paragraphsAfter(notice, addr string, n int) []string {
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return nil
	}
	rest := notice[i+len(addr):]
	var out []string
	for len(out) < n {
		end := strings.Index(rest, "\n\n")
		if end < 0 {
			break
		}
		rest = strings.TrimLeft(rest[end:], " \t\n")
		p := rest
		if j := strings.Index(rest, "\n\n"); j >= 0 {
			p = rest[:j]
		}
		whole := p
		if h, body, ok := strings.Cut(p, "\n"); ok && sectionHeading(h) {
			// A section's heading line ("----- Non-delivered
			// information -----") and its text beneath: the text.
			p = strings.TrimSpace(body)
		}
		if p == "" || len(p) > maxParagraphAfter || strings.HasPrefix(p, "-") {
			break
		}
		out = append(out, oneLine(p))
		rest = rest[len(whole):]
	}
	return out
}

// sectionHeading reports whether line heads a section of a notice with
// words between runs of dashes ("----- Non-delivered information -----"),
// as Sendmail-style notices head theirs, and is not a marker of the
// returned message ("----- Original message follows -----").
func sectionHeading(line string) bool {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "---") || !strings.HasSuffix(t, "---") {
		return false
	}
	words := strings.Trim(t, "- ")
	if words == "" || strings.Contains(words, "---") {
		return false
	}
	return dashMarkerIndex(toLower(t)) < 0
}

// underSectionHeading reports whether the paragraph that first names
// addr comes right under a section heading line (sectionHeading), blank
// lines apart, and is not the heading's own line.
func underSectionHeading(notice, addr string) bool {
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return false
	}
	start := strings.LastIndex(notice[:i], "\n\n")
	if start < 0 {
		return false
	}
	above := strings.TrimRight(notice[:start], " \t\n")
	line := above[strings.LastIndexByte(above, '\n')+1:]
	return sectionHeading(line)
}

// maxParagraphAfter bounds the paragraph paragraphAfter takes.
const maxParagraphAfter = 600

// recipientLabels end the labels that introduce a failed recipient on
// its line ("To:", "RCPT TO:", "Recipient:", "Recipient address:",
// "Failed address:", "Empfänger:", "Destinataire :"), lower-case.
var recipientLabels = []string{"to", "rcpt to", "recipient", "recipients", "recipient address", "failed address",
	"bad address", "invalid address", "unknown address", "empfänger", "destinataire", "destinatario", "destinatário",
	// CommuniGate Pro starts each recipient's block with "Failed to
	// deliver to '<a>'", the module's report beneath.
	"failed to deliver to"}

// maxLabel bounds the length of the words before an address that may be
// a label.
const maxLabel = 40

// recipientLabel reports whether lead, the words before an address on
// its line, is a label that names it as the failed recipient.
func recipientLabel(lead string) bool {
	if len(lead) > maxLabel {
		return false
	}
	l := toLower(strings.TrimSpace(strings.TrimRight(lead, " :")))
	for _, w := range recipientLabels {
		// "to" only alone: "Your message to <a>" and "Please reply to
		// <a>" are sentences, not labels.
		if l == w || w != "to" && strings.HasSuffix(l, " "+w) {
			return true
		}
	}
	return false
}

// paragraphBefore returns the lines before the one naming addr in its
// paragraph ("The message could not be delivered because the
// recipient's mailbox is full." / "Recipient: <a>"), or when there are
// none, or they name an address, the paragraph before it, as one line;
// "" when that is long or names another address.
func paragraphBefore(notice, addr string) string {
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return ""
	}
	head := notice[:strings.LastIndexByte(notice[:i], '\n')+1]
	if j := strings.LastIndex(head, "\n\n"); j >= 0 {
		// Lines before it that name an address are the returned
		// message's details ("From: <sender>" above "To: <a>"): the
		// cause is in the paragraph before them.
		if same := strings.TrimSpace(head[j+2:]); same != "" && strings.IndexByte(same, '@') < 0 {
			head = same
		} else {
			head = strings.TrimRight(head[:j], " \t\n")
			if k := strings.LastIndex(head, "\n\n"); k >= 0 {
				head = head[k+2:]
			}
		}
	}
	head = strings.TrimSpace(head)
	if head == "" || len(head) > maxParagraphAfter || strings.IndexByte(head, '@') >= 0 {
		return ""
	}
	return oneLine(head)
}

// localPartLine returns the line of notice that names addr's local part
// alone (not as part of an address or a longer word), trimmed, or, when
// every such line is longer than a reply, the sentence of the first that
// names it; or "".
func localPartLine(notice, addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 2 {
		return ""
	}
	local := addr[:at]
	sentence := ""
	for off := 0; off < len(notice); {
		j := mime.IndexFold(notice[off:], local)
		if j < 0 {
			break
		}
		j += off
		k := j + len(local)
		off = k
		if j > 0 && localPartByte(notice[j-1]) || k < len(notice) && (localPartByte(notice[k]) || notice[k] == '@') {
			continue
		}
		ls, le := lineBounds(notice, j, k)
		line := notice[ls:le]
		if strings.IndexByte(line, '@') >= 0 {
			continue
		}
		if t := strings.TrimSpace(line); len(t) <= 200 {
			return t
		}
		if sentence == "" {
			sentence = sentenceAround(line, j-ls, k-ls)
		}
	}
	// A line too long to be a reply (a paragraph on one line, as Google
	// Groups writes its notice: "We're writing to let you know that the
	// group you tried to contact (name) may not exist, or you may not
	// have permission to post messages to the group. A few more details
	// ..."): the sentence that names the local part, when no short line
	// names it.
	return sentence
}

// maxSentence bounds, in characters, the sentence sentenceAround takes:
// one sentence, not a paragraph.
const maxSentence = 240

// sentenceAround returns the sentence of line that holds line[j:k]: from
// the end of the sentence before it to the end of its own (".", "!", "?"
// before a space or the line's end; "。", "！", "？" anywhere), trimmed,
// or "" when it is longer than maxSentence characters.
func sentenceAround(line string, j, k int) string {
	start, end := 0, len(line)
	for i, c := range line {
		stop := false
		switch c {
		case '。', '！', '？':
			stop = true
		case '.', '!', '?':
			n := i + 1
			stop = n == len(line) || line[n] == ' ' || line[n] == '\t'
		}
		if !stop {
			continue
		}
		n := i + utf8.RuneLen(c)
		if n <= j {
			start = n
		} else if i >= k {
			end = n
			break
		}
	}
	s := strings.TrimSpace(line[start:end])
	if utf8.RuneCountInString(s) > maxSentence {
		return ""
	}
	return s
}

// localPartByte reports whether c may continue an address's local part.
func localPartByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+'
}

// cutAtOther cuts a diagnostic read after addr where it names another
// of the notice's recipients: a list of addresses says nothing about
// each other. Addresses of one sentence ("to <a> and <b> could not be
// delivered because ...") share its words: d is not cut there.
func cutAtOther(notice, d, addr string, addrs []string) string {
	for _, o := range addrs {
		if o == addr || sameLine(notice, addr, o) {
			continue
		}
		if i := mime.IndexFold(d, o); i >= 0 {
			d = strings.TrimSpace(strings.TrimRight(d[:i], " \t<\"'("))
		}
	}
	return d
}

// delayWords say that a notice only warns of a delay, lower-case:
// Sendmail's warning ("THIS IS A WARNING MESSAGE ONLY", "Warning: could
// not send message for past 4 hours"), Exchange's and Windows SMTP's
// "Delivery to the following recipients has been delayed", Postfix's
// delay template ("Delayed Mail (still being retried)"), Exim's
// "Warning: message ... delayed", and the same said in sentences.
var delayWords = []string{
	"this is a warning message only", "you do not need to resend", "you do not need to send it again",
	"has been delayed", "have been delayed", "delivery delayed", "still being retried", "will keep trying",
	"will continue trying", "will be retried", "has not been delivered yet", "not yet been delivered",
	"delivery status notification (delay)",
	// Stalwart's delay notice (crates/smtp/src/queue/dsn.rs: "There was a
	// temporary problem delivering your message to the following
	// recipients", subject "Warning: Delay in message delivery").
	"temporary problem delivering", "delay in message delivery",
	// MasqMail's warning (tpl/warnmsg.tpl, whose German, French and
	// Italian forms keep the English lines: "Sorry, but your mail could
	// not yet be delivered to all recipients.", "Delivery will be tried
	// again, until it is either successful or a timeout has been
	// reached.").
	"could not yet be delivered", "will be tried again",
	// Its German: "Die Zustellung wird weiterhin versucht" (warnmsg.tpl.de),
	// as a German delay notice says "wird weiter versucht".
	"weiterhin versucht", "weiter versucht",
	// "not yet delivered" and "tried again" in German and French
	// ("noch nicht zugestellt", "erneut versucht"; Exchange's "n'a pas
	// encore été remis"), as the Ukrainian and Russian below.
	"noch nicht zugestellt", "erneut versucht", "pas encore été remis",
	// "This is a warning only", "has been delayed" and "will keep
	// trying" in German (Windows SMTP's "DIES IST NUR EINE WARNUNG", "Die
	// Übermittlung an folgende Empfänger wurde verzögert") and Spanish.
	"nur eine warnung", "wurde verzögert", "solo una advertencia", "seguirá intentando",
	// "not yet delivered" in Ukrainian and Russian ("ще не доставлено",
	// "ещё/еще не доставлено"), the words of the English "has not been
	// delivered yet" (the fourth round of testdata/unseen).
	"ще не доставлено", "ещё не доставлено", "еще не доставлено",
	// The French with "pu être" and "distribué" ("n'a pas encore pu être
	// distribué": Exim's warn_message_file translated, the thirteenth
	// round of testdata/unseen).
	"pas encore pu être remis", "pas encore été distribué", "pas encore pu être distribué",
}

// finalWords say that a notice reports a failure that is final, which
// no delay wording in it outweighs, lower-case.
var finalWords = []string{"failed permanently", "permanent error", "permanent failure", "given up", "giving up", "will not be retried",
	"will not be tried again", "nicht weiter versucht", "nicht weiterhin versucht", "nicht erneut versucht"}

// textDelayed reports whether a text notice warns of a delay, not a
// failure.
func textDelayed(m *message) bool {
	l, subj := m.lowerNotice(), m.lowerSubject()
	for _, w := range finalWords {
		if contains(l, w) || contains(subj, w) {
			return false
		}
	}
	for _, w := range delayWords {
		if contains(l, w) || contains(subj, w) {
			return true
		}
	}
	return false
}

// deliveredWords say that a message was delivered, lower-case (Exchange's
// and Outlook's "Your message has been delivered to the following
// recipients").
var deliveredWords = []string{"has been delivered to", "have been delivered to", "was delivered to", "were delivered to",
	"successfully delivered to", "has been successfully delivered", "was successfully delivered",
	// Relayed (RFC 3464 section 2.3.3: "relayed" to a system that may
	// send no further notice), as Windows SMTP's relay notice says it.
	"successfully relayed to"}

// textDelivered reports whether a text notice reports delivery, not a
// failure: it says the message was delivered and says nothing of a
// failure, a cause or a failure code.
func textDelivered(m *message) bool {
	l := m.lowerNotice()
	if !containsAny(l, deliveredWords) || containsAny(l, notDeliveredWords) ||
		containsAny(strings.ReplaceAll(l, "successful", ""), causeWords) { // its "full" is no cause
		return false
	}
	st := findStatus(m.notice())
	return st == "" || st[0] == '2'
}

// sameLine reports whether the line of notice that first names addr
// also names o.
func sameLine(notice, addr, o string) bool {
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return false
	}
	ls, le := lineBounds(notice, i, i)
	return mime.IndexFold(notice[ls:le], o) >= 0
}

// listSeparators reports whether s holds only what separates the
// addresses of a list: white space, commas, semicolons, angle brackets,
// quotes and "and".
func listSeparators(s string) bool {
	s = strings.Trim(s, " \t,;<>\"'")
	return s == "" || strings.EqualFold(s, "and")
}

// msgIDField reports whether lead is the name of a header field whose
// value is msg-ids (RFC 5322 section 3.6.4, RFC 2045's Content-ID).
func msgIDField(lead string) bool {
	for _, k := range []string{"message-id", "in-reply-to", "references", "resent-message-id", "content-id", "original-message-id"} {
		if strings.EqualFold(lead, k) {
			return true
		}
	}
	return false
}

// errorLinesFor returns the lines of a notice that carry a failure code
// (not a positive 2xx or 3xx reply of a transcript) and name none of
// addrs but addr, joined: with several recipients, a line that names
// another is that one's.
func errorLinesFor(notice, addr string, addrs []string) string {
	var out []string
	for _, line := range strings.Split(notice, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		rc, st := findReplyCode(t), findStatus(t)
		if rc == "" && st == "" || rc != "" && rc[0] != '4' && rc[0] != '5' && st == "" {
			continue
		}
		other := false
		for _, o := range addrs {
			if o != addr && mime.IndexFold(t, o) >= 0 {
				other = true
				break
			}
		}
		if !other {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// jaSettingWords are the words of a Japanese notice saying that the
// recipient's reception setting refused the mail: 受信拒否 (reception
// refusal, 受信拒否設定), 指定受信 (receiving only from designated
// senders), 受信設定 (the reception setting), 受信を拒否 and 拒否され
// (refused to receive; was refused). The carriers' and ISPs' pages use
// them for the recipient's own filter (NTT docomo 受信/拒否設定 and
// 宛先指定受信; NTT Communications' FAQ on docomo error mail: 受信拒否設定;
// iTSCOM 受信拒否設定), as classify's rules 20-text.tsv read them.
var jaSettingWords = []string{"受信拒否", "指定受信", "受信設定", "受信を拒否", "拒否され"}

// jaSettingSentence returns the short paragraphs above the one naming
// addr in notice that say in Japanese that the recipient's reception
// setting refused the mail (jaSettingWords), or else the paragraph after
// it when that one says so; "" when neither does.
func jaSettingSentence(notice, addr string) string {
	says := func(p string) bool { return containsAny(p, jaSettingWords) }
	if c := causesAboveBy(notice, addr, says); c != "" {
		return c
	}
	if next := paragraphAfter(notice, addr); says(next) {
		return next
	}
	return ""
}

// causesAbove returns, in the notice's order, the short paragraphs above
// the one naming addr (at most maxCausesAbove of them, up to a long one
// or a separator) that name a cause, as one line; "" when none does.
func causesAbove(notice, addr string) string {
	return causesAboveBy(notice, addr, hasFailureWords)
}

// causesAboveBy is causesAbove with the test of a paragraph's cause
// given.
func causesAboveBy(notice, addr string, cause func(string) bool) string {
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return ""
	}
	head := notice[:strings.LastIndexByte(notice[:i], '\n')+1]
	if j := strings.LastIndex(head, "\n\n"); j >= 0 {
		head = head[:j] // the recipient's own paragraph is read elsewhere
	} else {
		return ""
	}
	var found []string
	for n := 0; n < maxCausesAbove && head != ""; n++ {
		head = strings.TrimRight(head, " \t\n")
		p := head
		if j := strings.LastIndex(head, "\n\n"); j >= 0 {
			p, head = head[j+2:], head[:j]
		} else {
			head = ""
		}
		p = strings.TrimSpace(p)
		if len(p) > maxParagraphAfter || strings.HasPrefix(p, "-") || strings.HasPrefix(p, "=") {
			break
		}
		if strings.IndexByte(p, '@') < 0 && cause(p) {
			found = append([]string{oneLine(p)}, found...)
		}
	}
	return strings.Join(found, " ")
}

// maxCausesAbove bounds the paragraphs causesAbove reads.
const maxCausesAbove = 4

// noticeTranscript reads the session transcript a notice quotes, by
// lower-case address: for each command that named an address, the
// command and the reply that followed it. It takes Sendmail's marks
// (">>> RCPT To:<a>", "<<< 550 ...") and MDaemon's ("--> RCPT To:<a>",
// "<-- 550 ...", each after a time stamp and a colon).
func noticeTranscript(notice string) map[string][2]string {
	if !contains(notice, "-->") && !contains(notice, ">>>") {
		return nil
	}
	out := map[string][2]string{}
	lines := splitLines(notice)
	for i := 0; i < len(lines); i++ {
		sent, ok := transcriptMark(lines[i], ">>>", "-->")
		if !ok {
			continue
		}
		var reply []string
		for j := i + 1; j < len(lines); j++ {
			u, ok := transcriptMark(lines[j], "<<<", "<--")
			if !ok {
				break
			}
			reply = append(reply, u)
			i = j
		}
		addr := firstAddress(sent)
		if addr == "" || len(reply) == 0 {
			continue
		}
		if k := toLower(addr); out[k][1] == "" {
			out[k] = [2]string{smtpCommand(toLower(sent)), joinReply(reply)}
		}
	}
	return out
}

// transcriptMark returns what follows one of marks on a transcript line,
// when the mark starts the line or follows a time stamp ending in a
// colon ("Wed 2003-10-15 11:40:00: --> ...").
func transcriptMark(line string, marks ...string) (string, bool) {
	t := strings.TrimSpace(line)
	for _, mk := range marks {
		i := strings.Index(t, mk)
		if i < 0 {
			continue
		}
		if pre := strings.TrimSpace(t[:i]); pre != "" && (!strings.HasSuffix(pre, ":") || len(pre) > 40) {
			continue
		}
		return strings.TrimSpace(t[i+len(mk):]), true
	}
	return "", false
}

// oneParagraph reports whether every address of addrs is named in one
// paragraph of notice: a list, no blank line between its first and its
// last.
func oneParagraph(notice string, addrs []string) bool {
	lo, hi := -1, -1
	for _, a := range addrs {
		i := mime.IndexFold(notice, a)
		if i < 0 {
			return false
		}
		if lo < 0 || i < lo {
			lo = i
		}
		if i > hi {
			hi = i
		}
	}
	return lo >= 0 && !contains(notice[lo:hi], "\n\n")
}
