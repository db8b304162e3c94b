package decoders

import "strings"

// Yahoo! Mail (and AOL Mail, which Yahoo runs) bounces.
//
// Yahoo's outbound servers write a plain-text notice, not RFC 3464:
//
//	Sorry, we were unable to deliver your message to the following address.
//
//	<kijitora@example.org>:
//	Remote host said: 550 5.1.1 <kijitora@example.org>... User Unknown [RCPT_TO]
//
//	--- Below this line is a copy of the message.
//
// The reply ends with the SMTP command in brackets. Newer notices drop
// "Remote host said:" and write the reply code followed by a colon:
// "550: 5.1.1 <...>... User Unknown", or "550: : User unknown" for a
// server that replied "550 : User unknown". Recognised by the X-YMailISG
// header Yahoo adds, or a Yahoo mailer-daemon sender with that notice.

func matchYahoo(m *message) bool {
	if m.hasField("x-ymailisg") || m.hasField("x-ymail-osg") {
		return true
	}
	d := domainOf(fromAddress(m))
	return hostIs(d, "yahoo.com") || hostIs(d, "yahoo.co.jp") || hostIs(d, "aol.com")
}

func decodeYahoo(m *message) *Report {
	section, ok := sectionFrom(m.notice(), "unable to deliver your message to the following address")
	if !ok {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "yahoo"}
	for _, p := range addressParagraphs(section, qmailStyle) {
		r := Recipient{Address: p.addr, Action: "failed"}
		yahooReply(&r, strings.Join(p.lines, " "))
		rep.Recipients = append(rep.Recipients, r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}

// yahooReply reads the reply Yahoo quotes about one recipient into r.
func yahooReply(r *Recipient, s string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(toLower(s), "remote host said:") {
		s = strings.TrimSpace(s[len("remote host said:"):])
	}
	// "... User Unknown [RCPT_TO]": the command the server refused.
	if strings.HasSuffix(s, "]") {
		if j := strings.LastIndexByte(s, '['); j >= 0 {
			if c := smtpCommand(s[j+1 : len(s)-1]); c != "" {
				r.Command = c
				s = strings.TrimSpace(s[:j])
			}
		}
	}
	// QUIRK: "550: 5.1.1 ..." and "550: : User unknown": Yahoo puts a
	// colon after the reply code it took off the server's reply.
	if rc := leadingReplyCode(s); rc != "" && strings.HasPrefix(s[3:], ":") {
		s = rc + " " + strings.TrimSpace(s[4:])
	}
	setReply(r, s)
}
