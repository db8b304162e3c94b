package decoders

import "strings"

// qmail (https://cr.yp.to/qmail.html, and its descendants netqmail,
// notqmail, indimail-mta, s/qmail) bounces follow QSBMF, the qmail-send
// bounce message format (https://cr.yp.to/proto/qsbmf.txt): "Hi. This is
// the qmail-send program at HOST.", then one paragraph per recipient that
// starts with "<address>:", then "--- Below this line is a copy of the
// message." The paragraph is qmail's own account, quoting the server:
//
//	<kijitora@example.jp>:
//	192.0.2.153 does not like recipient.
//	Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
//	Giving up on 192.0.2.153.
//
// qmail's sentences say which step failed ("does not like recipient" at
// RCPT, "sender was rejected" at MAIL, "my name was rejected" at HELO,
// "failed after I sent the message" at DATA); "(#5.1.1)" is qmail's own
// status code.

func matchQmail(m *message) bool {
	s := m.lowerSubject()
	if strings.HasPrefix(s, "failure notice") || contains(s, "delivery failure") {
		return true
	}
	if mailerDaemonFrom(m) && (receivedHas(m, "(qmail ") || receivedHas(m, "qmail-")) {
		return true
	}
	return contains(textPeek(m, 400), "this is the qmail-send program")
}

func decodeQmail(m *message) *Report {
	notice := m.notice()
	lower := m.lowerNotice()
	if !contains(lower, "this is the qmail-send program") &&
		!contains(lower, "i'm afraid i wasn't able to deliver your message") &&
		!contains(lower, "i wasn't able to deliver your message") {
		return nil
	}
	action := "failed"
	if contains(lower, "this is not a permanent error") || contains(lower, "i'm still trying") || contains(lower, "has not been delivered yet") {
		action = "delayed"
	}
	rep := &Report{Kind: KindBounce, Format: "qmail"}
	if i := strings.Index(lower, "this is the qmail-send program at "); i >= 0 {
		h := notice[i+len("this is the qmail-send program at "):]
		if nl := strings.IndexAny(h, "\n "); nl >= 0 {
			h = h[:nl]
		}
		rep.ReportingMTA = strings.TrimRight(h, ".")
	}
	// the server's reply is read from its line: a relay's folding undone
	for _, p := range addressParagraphs(unfoldWrapped(notice), qmailStyle) {
		r := Recipient{Address: p.addr, Action: action}
		qmailDetail(&r, p.lines)
		finishRecipient(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}

// qmailBoilerplate are qmail's sentences that say how it gave up, not
// why delivery failed; they are left out of the diagnostic. Lower-case
// prefixes.
var qmailBoilerplate = []string{
	"giving up on ",
	"i'm not going to try again",
	"/i'm not going to try again",
	"(other mxes tried",
	"this is a permanent error",
	"i'll keep trying",
}

// qmailDetail reads a paragraph's lines into r: the remote host, the
// command qmail's sentence names, and the server's own reply (or qmail's
// sentence when the server said nothing).
func qmailDetail(r *Recipient, ls []string) {
	var own, said []string
	inReply := false
	var lbuf [256]byte
	for _, t := range ls {
		lt := lowerIn(lbuf[:], t) // read in this iteration only
		// QUIRK: indimail-mta prefixes "From: <sender> RCPT: <rcpt> ".
		if strings.HasPrefix(lt, "from: <") {
			if i := strings.Index(lt, "rcpt: <"); i >= 0 {
				if j := strings.IndexByte(lt[i:], '>'); j >= 0 {
					t = strings.TrimSpace(t[i+j+1:])
					lt = lowerIn(lbuf[:], t)
				}
			}
		}
		if hasPrefixAny(lt, qmailBoilerplate) {
			// qmail gave up by time: the failure below is the last
			// one it met before the message expired in its queue.
			if contains(lt, "in the queue too long") && r.ReasonHint == "" {
				r.ReasonHint = "expired"
			}
			inReply = false
			continue
		}
		if i := strings.Index(lt, "remote host said:"); i >= 0 {
			// "Remote host said[Response Message]:" is a variant.
			said = append(said, strings.TrimSpace(t[i+len("remote host said:"):]))
			inReply = true
			if i > 0 {
				own = append(own, strings.TrimSpace(t[:i]))
			}
			continue
		}
		if i := strings.Index(lt, "remote host said[response message]:"); i >= 0 {
			said = append(said, strings.TrimSpace(t[i+len("remote host said[response message]:"):]))
			inReply = true
			continue
		}
		if inReply && (leadingReplyCode(t) != "" || strings.HasPrefix(t, ". (#") || strings.HasPrefix(t, "(#")) {
			said = append(said, t)
			continue
		}
		inReply = false
		own = append(own, t)
	}
	sentence := strings.Join(own, " ")
	ls2 := toLower(sentence)
	switch {
	case contains(ls2, "does not like recipient"):
		r.Command = "RCPT"
		r.RemoteMTA = mtaFirstWord(sentence[:strings.Index(ls2, "does not like recipient")])
	case contains(ls2, "failed after i sent the message"):
		r.Command = "DATA"
		r.RemoteMTA = mtaFirstWord(sentence[:strings.Index(ls2, "failed after i sent the message")])
	case contains(ls2, "but sender was rejected"):
		r.Command = "MAIL"
	case contains(ls2, "but my name was rejected"):
		r.Command = "HELO"
	case contains(ls2, "but greeting failed"):
		r.Command = "CONN"
	case contains(ls2, "most progress was "):
		c := sentence[strings.Index(ls2, "most progress was ")+len("most progress was "):]
		r.Command = smtpCommand(c)
	}
	if i := strings.Index(ls2, "connected to "); i >= 0 && r.RemoteMTA == "" {
		r.RemoteMTA = mtaFirstWord(sentence[i+len("connected to "):])
	}
	if i := strings.Index(ls2, "remote host "); i >= 0 && r.RemoteMTA == "" {
		r.RemoteMTA = mtaFirstWord(sentence[i+len("remote host "):])
	}
	if i := strings.Index(ls2, " said: "); i >= 0 && len(said) == 0 {
		// "...; remote host 192.0.2.32 said: 550 Unknown user"
		said = append(said, strings.TrimSpace(sentence[i+len(" said: "):]))
		sentence = strings.TrimSpace(sentence[:i])
	}
	if len(said) > 0 {
		r.Diagnostic = joinReply(said)
	} else {
		r.Diagnostic = oneLine(sentence)
	}
	r.RemoteMTA = strings.Trim(r.RemoteMTA, "[]().,;:")
	if r.RemoteMTA != "" && !strings.ContainsAny(r.RemoteMTA, ".:") {
		r.RemoteMTA = ""
	}
}

// firstWord returns the first white-space separated word of s.
func mtaFirstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
