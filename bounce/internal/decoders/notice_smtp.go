package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// The helpers below read the pieces of SMTP dialogue that notices quote:
// the command a phrase names, a relayed remote error, reply codes and
// statuses, multi-line replies, "host X said:" and session transcripts.

// smtpCommand maps a command as MTAs name it in their notices ("RCPT
// TO:<a@b>", "MAIL FROM", "end of data", "final DATA", "initial
// connection", "EHLO") to the name Recipient.Command uses (RFC 5321
// section 4.1), or "": smtp.ParseCommand, the one mapper.
func smtpCommand(s string) string { return string(smtp.ParseCommand(s)) }

// commandIn returns the SMTP command (RCPT, MAIL, DATA, HELO, CONN) that
// a phrase of a bounce names ("in reply to RCPT TO command", "after end of
// data", ">>> MAIL FROM:<...>", "for TEXT command"), or "".
func commandIn(s string) string {
	l := toLower(s)
	for _, lead := range []string{"in reply to ", "after ", "for ", ">>> ", "sent <<< ", "while sending ", "smtp command\n"} {
		i := strings.Index(l, lead)
		if i < 0 {
			continue
		}
		if c := smtpCommand(strings.TrimLeft(l[i+len(lead):], " \t\n")); c != "" {
			return c
		}
	}
	return ""
}

// remoteError reads the Exim-style sentence in which a gateway relays a
// remote server's reply ("SMTP error from remote mail server after RCPT
// TO:<a@b>: host mx.example.jp [192.0.2.1]: 550 5.1.1 ...", GMX's "host:
// mx.example.jp 550 ...", 1&1's "for TEXT command, host: h (ip) reason: 550
// ..."). It returns the command, the remote host and the reply itself; ok is
// false when s holds no such sentence. s is one line.
func remoteError(s string) (cmd, host, reply string, ok bool) {
	l := toLower(s)
	i := strings.Index(l, "smtp error from remote")
	if i < 0 {
		if !strings.HasPrefix(l, "host ") {
			return "", "", s, false
		}
		// Exim without the first line: "host mx.example.jp [192.0.2.1]: 550 ..."
		s, l, i = " "+s, " "+l, 0
	}
	rest := l[i:]
	if i > 0 || strings.HasPrefix(rest, "smtp error") {
		for _, lead := range []string{" after ", " for "} {
			if j := strings.Index(rest, lead); j >= 0 {
				cmd = smtpCommand(strings.TrimSpace(rest[j+len(lead):]))
				break
			}
		}
	}
	j := strings.Index(rest, " host")
	if j < 0 {
		return cmd, "", strings.TrimSpace(s[i+len("smtp error from remote"):]), true
	}
	pos := i + j + len(" host")
	for pos < len(s) && (s[pos] == ':' || s[pos] == ' ') {
		pos++
	}
	end := pos
	for end < len(s) && s[end] != ' ' && s[end] != '[' && s[end] != '(' {
		end++
	}
	host = strings.TrimRight(s[pos:end], ":,")
	pos = end
	for pos < len(s) {
		switch {
		case s[pos] == ' ' || s[pos] == ':' || s[pos] == ',':
			pos++
		case s[pos] == '[' || s[pos] == '(':
			closer := byte(']')
			if s[pos] == '(' {
				closer = ')'
			}
			k := strings.IndexByte(s[pos:], closer)
			if k < 0 {
				pos = len(s)
			} else {
				pos += k + 1
			}
		case strings.HasPrefix(toLower(s[pos:]), "reason:"):
			pos += len("reason:")
		default:
			return cmd, host, strings.TrimSpace(s[pos:]), true
		}
	}
	return cmd, host, "", true
}

// replyStatus returns the enhanced status code that an SMTP reply
// carries right after its reply code ("550 5.1.1 ...", "550-5.7.26 ...",
// "5.2.2 ..."), or "". A code deeper in the text (a provider's own
// numbering, a version) is not the reply's.
func replyStatus(d string) string {
	d = strings.TrimLeft(d, " \t\"'(")
	if rc := leadingReplyCode(d); rc != "" {
		d = strings.TrimLeft(d[3:], " -\t")
	}
	if len(d) >= 5 && (d[0] == '2' || d[0] == '4' || d[0] == '5') && d[1] == '.' {
		end := strings.IndexAny(d, " \t;,")
		if end < 0 {
			end = len(d)
		}
		if st := findStatus(d[:end]); st != "" && strings.HasPrefix(d, st) {
			return st
		}
	}
	return ""
}

// preferReplyStatus replaces a recipient's status with the one the remote
// server's reply carries when both are of the same class and the reply's
// is specific. QUIRK: MTAs overwrite the remote code with their own
// summary (Sendmail's 4.4.7 "delivery time expired", 5.1.1 for any
// rejected RCPT), which loses the server's reason.
func preferReplyStatus(r *Recipient) {
	st := replyStatus(r.Diagnostic)
	if st == "" || st == r.Status || genericStatus(st) {
		return
	}
	if r.Status == "" || st[0] == r.Status[0] {
		r.Status = st
	}
}

// joinReply turns a multi-line SMTP reply ("550-5.7.26 text" lines ending
// with "550 5.7.26 end", RFC 5321 section 4.2.1) into one line with the
// code and status written once. Lines that do not repeat the code are kept
// as they are.
func joinReply(lines []string) string {
	var b strings.Builder
	prefix := ""
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if rc := leadingReplyCode(l); rc != "" && len(l) > 3 && (l[3] == '-' || l[3] == ' ') {
			rest := strings.TrimLeft(l[4:], " ")
			st := replyStatus(l)
			if i == 0 || prefix == "" {
				prefix = rc
				b.WriteString(rc)
				b.WriteByte(' ')
				b.WriteString(rest)
				continue
			}
			if rc == prefix {
				if st != "" && strings.HasPrefix(rest, st) {
					rest = strings.TrimLeft(rest[len(st):], " ")
				}
				l = rest
			}
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return oneLine(b.String())
}

// hostAndRest reads "host NAME[IP] said: REST", "host NAME [IP]: REST",
// "NAME [IP] REST" and returns the host name and the rest; ok is false
// when s does not start with a host.
func hostAndRest(s string) (host, rest string, ok bool) {
	t := strings.TrimSpace(s)
	if len(t) > 5 && strings.EqualFold(t[:5], "host ") {
		t = strings.TrimSpace(t[5:])
	}
	end := strings.IndexAny(t, " [:")
	if end <= 0 {
		return "", s, false
	}
	host = t[:end]
	if !contains(host, ".") && !strings.HasPrefix(t[end:], "[") {
		return "", s, false
	}
	t = t[end:]
	t = strings.TrimLeft(t, " ")
	if strings.HasPrefix(t, "[") {
		if c := strings.IndexByte(t, ']'); c > 0 {
			if host == "" {
				host = t[1:c]
			}
			t = t[c+1:]
		}
	}
	if strings.HasPrefix(t, ":") && len(t) > 1 && isDigit(t[1]) {
		// a port: "[192.0.2.1]:25"
		i := 1
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		t = t[i:]
	}
	t = strings.TrimLeft(t, " ")
	if len(t) >= 5 && strings.EqualFold(t[:5], "said:") {
		t = t[5:]
	}
	t = strings.TrimLeft(t, ": ")
	return strings.Trim(host, "[]"), t, true
}

// tidyReply removes the reply code and status that a multi-line SMTP
// reply repeats on each line, once the lines are joined ("550-5.7.1 A
// 550-5.7.1 B 550 5.7.1 C" becomes "550 5.7.1 A B C"), as DSN
// Diagnostic-Code fields and notices often copy them.
func tidyReply(d string) string {
	rc := leadingReplyCode(d)
	if rc == "" || len(d) < 5 {
		return d
	}
	lead := len(d) - len(strings.TrimLeft(d, " \t\"'("))
	multi := d[lead+3] == '-'
	if !multi && !contains(d[lead+4:], rc) {
		return d // a one-line reply: its code is not repeated
	}
	st := replyStatus(d)
	type pat struct {
		s        string
		boundary bool // must end the text or be followed by a space
	}
	var pats []pat
	if st != "" {
		pats = append(pats, pat{" " + rc + "-" + st + " ", false}, pat{" " + rc + " " + st + " ", false},
			pat{" " + rc + "-" + st, true}, pat{" " + rc + " " + st, true})
	}
	pats = append(pats, pat{" " + rc + "-", false})
	if multi {
		pats = append(pats, pat{" " + rc + " ", false})
	}
	out := d
	changed := false
	for _, p := range pats {
		from := lead + 4
		for from < len(out) {
			i := strings.Index(out[from:], p.s)
			if i < 0 {
				break
			}
			i += from
			end := i + len(p.s)
			if p.boundary && end < len(out) && out[end] != ' ' {
				from = end
				continue
			}
			out = out[:i] + " " + out[end:]
			from = i
			changed = true
		}
	}
	if multi {
		out = out[:lead+3] + " " + out[lead+4:]
		changed = true
	}
	if !changed {
		return d
	}
	return oneLine(out)
}

// finishRecipients finishes every recipient of rs (finishRecipient), then
// applies a decoder's own quirks to each, and returns rs.
func finishRecipients(rs []Recipient, quirks ...func(*Recipient)) []Recipient {
	for i := range rs {
		finishRecipient(&rs[i])
		for _, q := range quirks {
			q(&rs[i])
		}
	}
	return rs
}

// finishRecipient completes a recipient an MTA decoder built: the
// diagnostic tidied, the codes read from it, and the server's own status
// preferred to the MTA's summary.
func finishRecipient(r *Recipient) {
	r.Diagnostic = tidyReply(oneLine(r.Diagnostic))
	fillCodes(r)
	preferReplyStatus(r)
}

// replyOf splits a server reply such as "550 5.1.1 <a@b>... User Unknown"
// into a recipient's ReplyCode, Status and Diagnostic, keeping codes the
// recipient already has unless they are generic.
func setReply(r *Recipient, reply string) {
	reply = oneLine(reply)
	if reply == "" {
		return
	}
	r.Diagnostic = reply
	if rc := leadingReplyCode(reply); rc != "" {
		r.ReplyCode = rc
	}
	fillCodes(r)
}

// sessionTranscript reads a Sendmail-style session transcript (">>> RCPT
// TO:<a@b>" then "<<< 550 ..." lines) and returns, for each address named
// by a sent command, the command and the reply that followed it.
func sessionTranscript(text string) map[string][2]string {
	out := map[string][2]string{}
	lines := splitLines(text)
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(t, ">>>") {
			continue
		}
		sent := strings.TrimSpace(t[3:])
		cmd := smtpCommand(toLower(sent))
		var reply []string
		for j := i + 1; j < len(lines); j++ {
			u := strings.TrimSpace(lines[j])
			if !strings.HasPrefix(u, "<<<") {
				break
			}
			reply = append(reply, strings.TrimSpace(u[3:]))
			i = j
		}
		addr := firstAddress(sent)
		if addr == "" || len(reply) == 0 {
			continue
		}
		out[addr] = [2]string{cmd, strings.Join(reply, " ")}
	}
	return out
}
