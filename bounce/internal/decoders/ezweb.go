package decoders

import (
	"encoding/binary"
	"strings"
	"unsafe"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// au by KDDI's mobile mail (EZweb, ezweb.ne.jp; au.com and biz.ezweb.ne.jp
// since 2017) writes its own reports from Postmaster@ezweb.ne.jp, subject
// "Mail System Error - Returned Mail", relayed by hosts whose Received
// lines say "(EZweb Mail)". Recognised by that sender domain or Received
// stamp. The body is a fixed Japanese notice in ISO-2022-JP (QUIRK: at
// times EUC-JP under an ISO-2022-JP label) followed by an English one,
// either plain text (older), multipart/mixed, or multipart/report with an
// RFC 3464 part:
//
//	Each of the following recipients was rejected by a remote
//	mail server.
//
//	    Recipient: <kijitora@ezweb.ne.jp>
//	    >>> RCPT TO:<kijitora@ezweb.ne.jp>
//	    <<< 550 <kijitora@ezweb.ne.jp>: User unknown
//
// or a sentence naming the cause ("The user(s) account is disabled.",
// "Your message was not delivered within 0 days and 1 hours.") and the
// recipients as "<address>" lines. The oldest form puts the address first
// and the returned message after a line of dashes.

// ezwebCauses are the English sentences of au's notices, lower-case, and
// the reason each states.
var ezwebCauses = []phraseHint{
	{"the user(s) account is temporarily over quota", "mailbox_full"},
	{"the user(s) account is disabled", "suspended"},
	{"the user(s) account is temporarily limited", "suspended"},
	{"your message was not delivered within ", "expired"},
	{"remote host is not responding", "expired"},
}

func matchEZweb(m *message) bool {
	f := m.lowerFrom()
	if (contains(f, "@ezweb.ne.jp") || contains(f, "@au.com") || contains(f, ".ezweb.ne.jp")) && isBounceSender(f) {
		return true
	}
	// The marker has no line break: in a Received value if in their
	// lines (received).
	if receivedHas(m, "(EZweb Mail)") {
		return isBounceSender(f) || strings.HasPrefix(m.lowerSubject(), "mail system error")
	}
	return false
}

func decodeEZweb(m *message) *Report {
	rep := &Report{Kind: KindBounce, Format: "ezweb"}
	var listed []Recipient // in the notice
	var causes []string    // the English sentences
	hint := ""
	cur := -1
	inReply := false
	for _, line := range strings.Split(m.notice(), "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			inReply = false
			continue
		}
		if len(t) >= 20 && strings.Trim(t, "-") == "" || strings.HasPrefix(toLower(t), "content-type: message/rfc822") {
			break // QUIRK: the oldest form returns the message after dashes.
		}
		lt := toLower(t)
		switch {
		case strings.HasPrefix(t, ">>>"):
			if cur >= 0 {
				listed[cur].Command = ezwebCommand(strings.TrimSpace(t[3:]))
			}
			inReply = false
		case strings.HasPrefix(t, "<<<"):
			if cur >= 0 {
				listed[cur].Diagnostic = strings.TrimSpace(listed[cur].Diagnostic + " " + strings.TrimSpace(t[3:]))
				inReply = true
			}
		case strings.HasPrefix(lt, "recipient:") || strings.HasPrefix(t, "<") && contains(t, "@") && contains(t, ">"):
			// "Recipient: <a>", "<a>", or Postfix's "<a>: reply (in reply to ...)".
			v, reply := strings.TrimPrefix(strings.TrimPrefix(t, "Recipient:"), "recipient:"), ""
			if gt := strings.Index(v, "@"); gt >= 0 {
				if e := strings.IndexByte(v[gt:], '>'); e >= 0 {
					v, reply = v[:gt+e+1], strings.TrimLeft(v[gt+e+1:], ": ")
				}
			}
			a := normalizeAddress(v)
			if a == "" {
				continue
			}
			cur = -1
			for i := range listed {
				if listed[i].Address == a {
					cur = i
				}
			}
			if cur < 0 {
				listed = append(listed, Recipient{Address: a, Action: "failed"})
				cur = len(listed) - 1
			}
			inReply = false
			if reply != "" {
				listed[cur].Diagnostic = reply
				listed[cur].Command = ezwebCommand(reply)
				inReply = true
			}
		case inReply && cur >= 0:
			listed[cur].Diagnostic += " " + t
		case isASCIIString(t) && !contains(t, "@"):
			causes = append(causes, t)
			if hint == "" {
				hint = hintOf(lt, ezwebCauses)
			}
		}
	}
	cause := strings.Join(causes, " ")
	// QUIRK: au's content filter marks what it refused with X-SPASIGN: NG;
	// the notice then says only that the recipient was rejected.
	if hint == "" && strings.EqualFold(m.getField("x-spasign"), "NG") {
		hint = "filtered"
	}
	if p := m.dsnPart(); p != nil {
		rep.ReportingMTA, rep.Recipients = dsnOf(m)
	}
	if len(rep.Recipients) == 0 {
		rep.Recipients = listed
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		for _, l := range listed {
			if l.Address == r.Address {
				if r.Command == "" {
					r.Command = l.Command
				}
				if l.Diagnostic != "" && r.Diagnostic == "" {
					r.Diagnostic = l.Diagnostic
				}
			}
		}
		switch {
		case r.Diagnostic == "":
			r.Diagnostic = cause
		case hint != "" && !contains(r.Diagnostic, cause):
			// The carrier's own sentence ("The user(s) account is
			// disabled.") says more than the generic reply after it.
			r.Diagnostic = cause + " " + r.Diagnostic
		}
		if r.Command == "" {
			r.Command = ezwebCommand(r.Diagnostic)
		}
		r.ReasonHint = hint
		fillCodes(r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}

// ezwebCommand returns the SMTP command a ">>> " line or a Postfix-style
// "(in reply to RCPT TO command)" names, or "".
func ezwebCommand(s string) string {
	u := strings.ToUpper(s)
	if i := strings.Index(u, "IN REPLY TO "); i >= 0 {
		u = u[i+len("IN REPLY TO "):]
	} else if contains(u, " ") && !strings.HasPrefix(u, "RCPT") && !strings.HasPrefix(u, "MAIL") {
		if !strings.HasPrefix(u, "DATA") && !strings.HasPrefix(u, "HELO") && !strings.HasPrefix(u, "EHLO") {
			return ""
		}
	}
	switch c := smtp.ParseCommand(u); c {
	case smtp.Rcpt, smtp.Mail, smtp.Data, smtp.Helo:
		return string(c)
	}
	return ""
}

// isASCIIString reports whether s holds only 7-bit characters.
func isASCIIString(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		// Eight bytes at a time.
		if binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
