package bounce

import (
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// applianceDecoders lists the decoders of mail appliances, gateways and smaller providers, in the order they are tried.
//
// Decoders whose match reads a header peculiar to the product come first;
// those that need a look at the text come last, so that a cheap header test
// rejects most messages before any body is decoded.
var applianceDecoders = []decoder{
	{name: "mcafee", match: matchMcAfee, decode: decodeMcAfee},
	{name: "activehunter", match: matchActiveHunter, decode: decodeActiveHunter},
	{name: "mfilter", match: matchMFilter, decode: decodeMFilter},
	{name: "imailserver", match: matchIMailServer, decode: decodeIMailServer},
	{name: "surfcontrol", match: matchSurfControl, decode: decodeSurfControl},
	{name: "mxlogic", match: matchMXLogic, decode: decodeMXLogic},
	{name: "mailfoundry", match: matchMailFoundry, decode: decodeMailFoundry},
	{name: "zoho", match: matchZoho, decode: decodeZoho},
	{name: "yandex", match: matchYandex, decode: decodeYandex},
	{name: "mailru", match: matchMailRu, decode: decodeMailRu},
	{name: "gmx", match: matchGMX, decode: decodeGMX},
	{name: "einsundeins", match: matchEinsUndEins, decode: decodeEinsUndEins},
	{name: "biglobe", match: matchBiglobe, decode: decodeBiglobe},
	{name: "verizon", match: matchVerizon, decode: decodeVerizon},
	{name: "bigfoot", match: matchBigfoot, decode: decodeBigfoot},
	{name: "messagingserver", match: matchMessagingServer, decode: decodeMessagingServer},
	{name: "powermta", match: matchPowerMTA, decode: decodePowerMTA},
	{name: "mimecast", match: matchMimecast, decode: decodeMimecast},
	{name: "barracuda", match: matchBarracuda, decode: decodeBarracuda},
	{name: "amavis", match: matchAmavis, decode: decodeAmavis},
	{name: "trendmicro", match: matchTrendMicro, decode: decodeTrendMicro},
	{name: "domino", match: matchDomino, decode: decodeDomino},
	{name: "notes", match: matchNotes, decode: decodeNotes},
}

// The helpers below are shared by the decoders of this list; their names
// start with appl so that they do not collide with other families'.

// applHeaderHas reports whether any value of the top-level header key
// (lower-case) contains sub (lower-case), case-insensitively.
func applHeaderHas(m *message, key, sub string) bool {
	h := m.header()
	for i := range h {
		if h[i].key == key && applContainsFold(h[i].value, sub) {
			return true
		}
	}
	return false
}

// applContainsFold reports whether s contains sub (lower-case ASCII),
// ignoring ASCII case, without allocating.
func applContainsFold(s, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// applLines splits text into lines.
func applLines(text string) []string { return strings.Split(text, "\n") }

// applCommand returns the SMTP command (RCPT, MAIL, DATA, HELO, CONN) that
// a phrase of a bounce names ("in reply to RCPT TO command", "after end of
// data", ">>> MAIL FROM:<...>", "for TEXT command"), or "".
func applCommand(s string) string {
	l := strings.ToLower(s)
	for _, lead := range []string{"in reply to ", "after ", "for ", ">>> ", "sent <<< ", "while sending ", "smtp command\n"} {
		i := strings.Index(l, lead)
		if i < 0 {
			continue
		}
		if c := applCommandWord(strings.TrimLeft(l[i+len(lead):], " \t\n")); c != "" {
			return c
		}
	}
	return ""
}

// applCommandWord maps the start of a lower-case phrase to an SMTP command.
func applCommandWord(w string) string { return string(smtp.ParseCommand(w)) }

// applRemoteError reads the Exim-style sentence in which a gateway relays a
// remote server's reply ("SMTP error from remote mail server after RCPT
// TO:<a@b>: host mx.example.jp [192.0.2.1]: 550 5.1.1 ...", GMX's "host:
// mx.example.jp 550 ...", 1&1's "for TEXT command, host: h (ip) reason: 550
// ..."). It returns the command, the remote host and the reply itself; ok is
// false when s holds no such sentence. s is one line.
func applRemoteError(s string) (cmd, host, reply string, ok bool) {
	l := strings.ToLower(s)
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
				cmd = applCommandWord(strings.TrimSpace(rest[j+len(lead):]))
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
		case strings.HasPrefix(strings.ToLower(s[pos:]), "reason:"):
			pos += len("reason:")
		default:
			return cmd, host, strings.TrimSpace(s[pos:]), true
		}
	}
	return cmd, host, "", true
}

// applOriginalAfter returns the description of the returned message that
// follows the first line of text containing marker (lower-case), or the
// zero Original.
func applOriginalAfter(text, marker string) Original {
	i := strings.Index(strings.ToLower(text), marker)
	if i < 0 {
		return Original{}
	}
	rest := text[i:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		return Original{}
	}
	rest = strings.TrimLeft(rest[nl+1:], "\n")
	// QUIRK: a ruler of dashes or equals signs often follows the marker.
	if strings.HasPrefix(rest, "---") || strings.HasPrefix(rest, "===") {
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = strings.TrimLeft(rest[nl+1:], "\n")
		}
	}
	h, _ := parseHeader([]byte(rest))
	return originalFromHeader(h)
}

// applRecipient builds a failed recipient from an address and the remote
// server's words, reading the codes from the words.
func applRecipient(addr, diag string) Recipient {
	r := Recipient{Address: addr, Action: "failed", Diagnostic: oneLine(diag)}
	fillCodes(&r)
	return r
}

// applReport returns a bounce report in format with one recipient per
// address of addrs (applRecipient with diag, then set, when not nil), and
// original; nil when addrs is empty.
func applReport(format string, addrs []string, diag string, set func(*Recipient), original Original) *Report {
	if len(addrs) == 0 {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: format, Original: original}
	for _, a := range addrs {
		r := applRecipient(a, diag)
		if set != nil {
			set(&r)
		}
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}

// applSections reads the Sendmail-like notices made of sections that open
// at a line containing a marker (lower case) and close at a "-----" line:
// it returns the addresses found in the addrMarker section (lines may
// start with ">>>"), and the non-empty lines of the textMarker section
// joined with spaces.
func applSections(text, addrMarker, textMarker string) (addrs []string, diag string) {
	var lines []string
	state := 0 // 1: addresses, 2: text
	for _, line := range applLines(text) {
		t := strings.TrimSpace(line)
		lt := strings.ToLower(t)
		switch {
		case strings.Contains(lt, addrMarker):
			state = 1
			continue
		case strings.Contains(lt, textMarker):
			state = 2
			continue
		case strings.HasPrefix(t, "-----"):
			state = 0
			continue
		}
		switch {
		case state == 1:
			if a := firstAddress(strings.TrimLeft(t, ">")); a != "" {
				addrs = appendUnique(addrs, a)
			}
		case state == 2 && t != "":
			lines = append(lines, t)
		}
	}
	return addrs, strings.Join(lines, " ")
}

// applDSN decodes the message/delivery-status part of a product that
// writes one, and completes each recipient with what the notice says
// about it: the command from a transcript or Postfix-style "in reply to"
// phrase. It returns nil when there is no usable delivery-status part.
func applDSN(m *message, format string) *Report {
	rep := decodeRFC3464(m)
	if rep == nil {
		return nil
	}
	rep.Format = format
	notice := m.notice()
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if r.Command == "" {
			if t := textAbout(notice, r.Address); t != "" {
				r.Command = applCommand(t)
			}
		}
	}
	return rep
}

// applTranscript reads a Sendmail-style session transcript (">>> RCPT
// TO:<a@b>" then "<<< 550 ..." lines) and returns, for each address named
// by a sent command, the command and the reply that followed it.
func applTranscript(text string) map[string][2]string {
	out := map[string][2]string{}
	lines := applLines(text)
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(t, ">>>") {
			continue
		}
		sent := strings.TrimSpace(t[3:])
		cmd := applCommandWord(strings.ToLower(sent))
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

// applExim reads an Exim-style list of failed addresses ("The following
// address(es) failed:" then, per recipient, an address line indented by at
// most two spaces and the reasons on the lines below it, more indented),
// as Exim and the gateways built on it (MX Logic, Mail.Ru) write it. Each
// recipient's command, remote host and reply are read from the reasons. A
// delay warning ("The address to which the message has not yet been
// delivered is:") gives delayed recipients.
func applExim(text string) []Recipient {
	lines := applLines(text)
	action := "failed"
	for i, l := range lines {
		ll := strings.ToLower(l)
		if strings.Contains(ll, "following address") || strings.Contains(ll, "not yet been delivered is:") || strings.Contains(ll, "not yet been delivered are:") {
			if strings.Contains(ll, "not yet been delivered") {
				action = "delayed"
			}
			lines = lines[i+1:]
			break
		}
	}
	var out []Recipient
	var addr string
	var words []string
	flush := func() {
		if addr != "" {
			r := applEximRecipient(addr, strings.Join(words, " "))
			r.Action = action
			out = append(out, r)
		}
		addr, words = "", nil
	}
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" {
			if len(words) > 0 {
				flush()
			}
			continue
		}
		lt := strings.ToLower(t)
		if strings.HasPrefix(t, "------") || strings.HasPrefix(lt, "included is a copy") || strings.HasPrefix(lt, "this message was created automatically") {
			break
		}
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if a, rest, ok := applAddressLead(t); ok && indent <= 2 && a != addr {
			flush()
			addr = a
			if rest != "" {
				words = append(words, rest)
			}
			continue
		}
		if addr != "" {
			words = append(words, t)
		}
	}
	flush()
	return out
}

// applEximRecipient builds a recipient from an address and Exim's reasons.
func applEximRecipient(addr, words string) Recipient {
	words = oneLine(words)
	words = strings.TrimSpace(strings.TrimPrefix(words, "Delay reason:"))
	// "(generated from alias@example.com)" names the address it expanded from.
	if strings.HasPrefix(words, "(generated from") {
		if end := strings.IndexByte(words, ')'); end > 0 {
			words = strings.TrimSpace(words[end+1:])
		}
	}
	r := Recipient{Address: addr, Action: "failed", Diagnostic: words}
	if cmd, host, reply, ok := applRemoteError(words); ok {
		r.Command, r.RemoteMTA = cmd, host
		if reply != "" {
			r.Diagnostic = reply
		}
	}
	fillCodes(&r)
	return r
}

// applAddressLead reads a line that starts with an address ("a@b",
// "<a@b>: reply", "\"a@b\":") and returns the address and the rest of the
// line after it.
func applAddressLead(t string) (addr, rest string, ok bool) {
	s := strings.TrimLeft(t, "<\"'")
	end := strings.IndexAny(s, ">\"' \t")
	if end < 0 {
		end = len(s)
	}
	cand := strings.TrimRight(s[:end], ":,;")
	if strings.Count(cand, "@") != 1 {
		return "", "", false
	}
	a := normalizeAddress(cand)
	if a == "" {
		return "", "", false
	}
	rest = strings.TrimLeft(s[end:], ">\"' \t")
	rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
	return a, rest, true
}
