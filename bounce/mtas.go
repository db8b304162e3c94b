package bounce

import (
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// mtaDecoders lists the decoders of general-purpose MTAs (Postfix, Sendmail, Exim, qmail, ...), in the order they are tried.
//
// The order matters only where two formats share marks: Sendmail before
// its DSN-less V5 ancestor, qmail before the qmail-derived X2 and X4
// notices, the nested-bounce reader X5 last.
var mtaDecoders = []decoder{
	{name: "postfix", match: matchPostfix, decode: decodePostfix},
	{name: "sendmail", match: matchSendmail, decode: decodeSendmail},
	{name: "v5sendmail", match: matchV5Sendmail, decode: decodeV5Sendmail},
	{name: "exim", match: matchExim, decode: decodeExim},
	{name: "qmail", match: matchQmail, decode: decodeQmail},
	{name: "courier", match: matchCourier, decode: decodeCourier},
	{name: "opensmtpd", match: matchOpenSMTPD, decode: decodeOpenSMTPD},
	{name: "dragonfly", match: matchDragonFly, decode: decodeDragonFly},
	{name: "fml", match: matchFML, decode: decodeFML},
	{name: "x1", match: matchX1, decode: decodeX1},
	{name: "x2", match: matchX2, decode: decodeX2},
	{name: "x3", match: matchX3, decode: decodeX3},
	{name: "x4", match: matchX4, decode: decodeX4},
	{name: "x6", match: matchX6, decode: decodeX6},
	{name: "x5", match: matchX5, decode: decodeX5},
}

// The helpers below are shared by the MTA decoders: they read the pieces
// of SMTP dialogue that MTAs quote in their notices.

// smtpCommand maps a command as MTAs name it in their notices ("RCPT
// TO:<a@b>", "MAIL FROM", "end of data", "final DATA", "initial
// connection", "EHLO") to the name Recipient.Command uses (RFC 5321
// section 4.1), or "": smtp.ParseCommand, the one mapper.
func smtpCommand(s string) string { return string(smtp.ParseCommand(s)) }

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
	if !strings.Contains(host, ".") && !strings.HasPrefix(t[end:], "[") {
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

// mailerDaemonFrom reports whether the From header names a mail system
// (MAILER-DAEMON, postmaster, Mail Delivery System, ...).
func mailerDaemonFrom(m *message) bool {
	return isBounceSender(m.from)
}

// receivedHas reports whether any Received header contains sub
// (compared as written).
func mtaReceivedHas(m *message, sub string) bool {
	for _, v := range m.header().values("received") {
		if strings.Contains(v, sub) {
			return true
		}
	}
	return false
}

// headPeek returns the first n bytes of the bounce's own text,
// lower-cased, for cheap tests of marker lines.
func mtaPeek(m *message, n int) string {
	t := m.text()
	if len(t) > n {
		t = t[:n]
	}
	return strings.ToLower(t)
}

// originalRecipients returns the addresses of the To header of the
// returned message, for notices that do not name the failed recipient.
func originalRecipients(m *message) []string {
	return toAddresses(m.original())
}

// lines splits text into lines without the trailing CR.
func mtaLines(s string) []string {
	return strings.Split(s, "\n")
}

// indentOf returns how many spaces or tabs a line starts with.
func mtaIndent(l string) int {
	n := 0
	for n < len(l) && (l[n] == ' ' || l[n] == '\t') {
		n++
	}
	return n
}

// dsnOf returns the recipients of the message's delivery-status part,
// with the reporting MTA, or nil.
func dsnOf(m *message) (string, []Recipient) {
	p := m.dsnPart()
	if p == nil {
		return "", nil
	}
	return dsnRecipients(p.text())
}

// findRecipient returns the index of the recipient in rs with address a
// (or original recipient a), or -1.
func findRecipient(rs []Recipient, a string) int {
	a = strings.ToLower(normalizeAddress(a))
	if a == "" {
		return -1
	}
	for i := range rs {
		if strings.ToLower(normalizeAddress(rs[i].Address)) == a || rs[i].OriginalRecipient != "" && strings.ToLower(normalizeAddress(rs[i].OriginalRecipient)) == a {
			return i
		}
	}
	return -1
}

// originalAfter reads the returned message that a plain-text notice
// carries after one of the lower-case marker lines, or the zero Original.
func originalAfter(text string, markers []string) Original {
	_, rest := splitAtMarkerFrom(text, markers)
	rest = strings.TrimLeft(rest, "\n")
	if i := strings.IndexByte(rest, ':'); i <= 0 || i > 40 {
		return Original{}
	}
	h, _ := parseHeader([]byte(rest))
	return originalFromHeader(h)
}

// toAddresses returns the addresses of an Original's To header.
func toAddresses(o Original) []string {
	var out []string
	if o.Headers == nil {
		return nil
	}
	for _, v := range o.Headers["To"] {
		for _, a := range findAddresses(v) {
			out = appendUnique(out, a)
		}
	}
	return out
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

// finishRecipient completes a recipient an MTA decoder built: the
// diagnostic tidied, the codes read from it, and the server's own status
// preferred to the MTA's summary.
func finishRecipient(r *Recipient) {
	r.Diagnostic = tidyReply(oneLine(r.Diagnostic))
	fillCodes(r)
	preferReplyStatus(r)
}
