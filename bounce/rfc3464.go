package bounce

import (
	"strings"
)

// RFC 3464 section 2.3: per-recipient fields. A field of this list opens a
// new recipient block when the current block already has it.
var recipientFields = map[string]bool{
	"final-recipient": true, "original-recipient": true, "x-actual-recipient": true,
}

// parseDSNFields splits the body of a message/delivery-status part (RFC
// 3464 section 2.1) into the per-message fields and one header per
// recipient. QUIRK: real reports omit the blank lines between blocks, put
// several recipients in one block, indent fields, and fold values; all of
// that is accepted.
func parseDSNFields(body string) (header, []header) {
	var perMessage header
	var blocks []header
	var cur header
	inRecipient := false
	paraStart := 0 // index in perMessage where the current paragraph starts
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, cur)
		}
		cur = nil
	}
	lines := strings.Split(body, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.TrimSpace(line) == "" {
			if inRecipient {
				flush()
				inRecipient = false
			}
			paraStart = len(perMessage)
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && (len(cur) > 0 || (!inRecipient && len(perMessage) > 0)) {
			// A folded continuation, unless it is an indented field.
			if c := strings.IndexByte(line, ':'); c < 0 || !isFieldName([]byte(strings.TrimSpace(line[:c]))) || !knownDSNField(strings.ToLower(strings.TrimSpace(line[:c]))) {
				if inRecipient {
					cur[len(cur)-1].value += "\n" + line
				} else {
					perMessage[len(perMessage)-1].value += "\n" + line
				}
				continue
			}
		}
		// QUIRK: the further lines of a multi-line SMTP reply ("550-...",
		// "550 ...") are often not folded; they continue the
		// Diagnostic-Code right above them.
		if len(line) > 3 && (line[3] == '-' || line[3] == ' ') && leadingReplyCode(line) != "" {
			target := &perMessage
			if inRecipient {
				target = &cur
			}
			if n := len(*target); n > 0 && (*target)[n-1].key == "diagnostic-code" {
				(*target)[n-1].value += "\n " + line
				continue
			}
		}
		c := strings.IndexByte(line, ':')
		if c <= 0 {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(line[:c]))
		if !isFieldName([]byte(key)) {
			continue
		}
		f := field{key: key, value: line[c+1:]}
		if recipientFields[key] {
			if inRecipient && (cur.has(key) || key == "original-recipient" && fieldBefore(cur, "final-recipient", "action")) {
				flush()
			}
			if !inRecipient {
				// QUIRK: some reports (Symantec MessageLabs, Facebook,
				// Mimecast, SurfControl) write a recipient's Action, Status
				// or Diagnostic-Code before its Final-Recipient: the
				// fields of this paragraph from the first per-recipient one
				// on belong to the recipient, not to the message.
				for j := paraStart; j < len(perMessage); j++ {
					if perRecipientOnly(perMessage[j].key) {
						cur = append(cur, perMessage[j:]...)
						perMessage = perMessage[:j]
						break
					}
				}
			}
			inRecipient = true
		}
		if inRecipient {
			cur = append(cur, f)
		} else {
			perMessage = append(perMessage, f)
		}
	}
	flush()
	// QUIRK: a per-message block holding recipient fields after all (no
	// Final-Recipient anywhere, only Action/Status) is one recipient.
	if len(blocks) == 0 && perMessage.has("action") {
		blocks = append(blocks, perMessage)
	}
	return perMessage, blocks
}

// fieldBefore reports whether h has both fields and a before b.
func fieldBefore(h header, a, b string) bool {
	ia, ib := -1, -1
	for i := range h {
		if h[i].key == a && ia < 0 {
			ia = i
		}
		if h[i].key == b && ib < 0 {
			ib = i
		}
	}
	return ia >= 0 && ib > ia
}

// perRecipientOnly reports whether k is a field RFC 3464 section 2.3
// allows only in a per-recipient block.
func perRecipientOnly(k string) bool {
	switch k {
	case "action", "status", "diagnostic-code", "remote-mta", "last-attempt-date", "will-retry-until":
		return true
	}
	return false
}

func knownDSNField(k string) bool {
	switch k {
	case "reporting-mta", "dsn-gateway", "received-from-mta", "arrival-date", "original-envelope-id",
		"final-recipient", "original-recipient", "action", "status", "remote-mta", "diagnostic-code",
		"last-attempt-date", "final-log-id", "will-retry-until", "x-actual-recipient", "x-supplementary-info",
		"x-postfix-queue-id", "x-postfix-sender", "x-display-name", "x-original-message-id":
		return true
	}
	return false
}

// decodeRFC3464 reads a multipart/report with a delivery-status part.
func decodeRFC3464(m *message) *Report {
	p := m.dsnPart()
	if p == nil {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "rfc3464"}
	rep.ReportingMTA, rep.Recipients = dsnRecipients(p.text())
	if len(rep.Recipients) == 0 {
		return nil
	}
	enrichFromText(rep.Recipients, m.notice())
	return rep
}

// dsnRecipients reads the recipients of a delivery-status body.
func dsnRecipients(body string) (string, []Recipient) {
	perMessage, blocks := parseDSNFields(body)
	reporting := hostOf(perMessage.get("reporting-mta"))
	var out []Recipient
	for _, b := range blocks {
		r := Recipient{ReportingMTA: reporting}
		final := b.get("final-recipient")
		orig := b.get("original-recipient")
		actual := b.get("x-actual-recipient")
		r.Address = dsnAddress(final)
		if r.Address == "" {
			r.Address = dsnAddress(orig)
		}
		if r.Address == "" {
			r.Address = dsnAddress(actual)
		}
		if o := dsnAddress(orig); o != "" && o != r.Address {
			r.OriginalRecipient = o
		}
		r.Action = b.get("action")
		r.Status = findStatus(b.get("status"))
		r.RemoteMTA = hostOf(b.get("remote-mta"))
		if rm := b.get("reporting-mta"); rm != "" {
			r.ReportingMTA = hostOf(rm)
		}
		r.LastAttempt = dateOf(b.get("last-attempt-date"))
		diag := b.get("diagnostic-code")
		// QUIRK: long vendor types ("X-Outbound-Mail-Relay; ...") occur.
		if i := strings.IndexByte(diag, ';'); i >= 0 && i < 32 && !strings.ContainsAny(diag[:i], " \t") || i >= 0 && i < 20 && strings.HasPrefix(strings.ToLower(diag), "smtp") {
			r.DiagnosticType = strings.ToLower(strings.TrimSpace(diag[:i]))
			diag = diag[i+1:]
		}
		r.Diagnostic = oneLine(diag)
		if r.Diagnostic == "" {
			r.Diagnostic = oneLine(b.get("x-supplementary-info"))
		}
		fillCodes(&r)
		if r.Address == "" && r.Action == "" && r.Status == "" {
			continue
		}
		out = append(out, r)
	}
	return reporting, out
}

// dsnAddress reads an RFC 3464 address field ("rfc822; a@b", RFC 6533
// "utf-8; a@b"), decoding xtext (RFC 3461 section 4).
func dsnAddress(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if strings.Contains(v, "+") && strings.Contains(strings.ToLower(v[:min(len(v), 8)]), "rfc822") {
		v = decodeXtext(v)
	}
	return normalizeAddress(v)
}

func decodeXtext(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '+' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool { return isDigit(c) || ('A' <= c && c <= 'F') || ('a' <= c && c <= 'f') }
func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// fillCodes completes a recipient's reply code and status from its
// diagnostic text, and prefers the text's specific status to a generic one.
func fillCodes(r *Recipient) {
	d := r.Diagnostic
	if r.ReplyCode == "" {
		r.ReplyCode = leadingReplyCode(d)
		if r.ReplyCode == "" {
			r.ReplyCode = findReplyCode(d)
		}
	}
	if st := findStatus(d); st != "" {
		if r.Status == "" || (genericStatus(r.Status) && !genericStatus(st) && st[0] == r.Status[0]) {
			r.Status = st
		}
	}
	if r.Status == "" && r.ReplyCode != "" {
		r.Status = statusFromReplyCode(r.ReplyCode)
	}
}

// statusFromReplyCode gives the class-only enhanced status of a reply code.
func statusFromReplyCode(rc string) string {
	switch rc[0] {
	case '5':
		return "5.0.0"
	case '4':
		return "4.0.0"
	case '2':
		return "2.0.0"
	}
	return ""
}

// enrichFromText fills diagnostics missing from a delivery-status part from
// the human-readable notice, where MTAs often write the remote server's
// reply beside the recipient's address.
func enrichFromText(rs []Recipient, notice string) {
	for i := range rs {
		r := &rs[i]
		if r.Diagnostic != "" && len(r.Diagnostic) > 12 {
			continue
		}
		if t := textAbout(notice, r.Address); t != "" {
			if r.Diagnostic == "" || len(t) > len(r.Diagnostic) {
				r.Diagnostic = t
				fillCodes(r)
			}
		}
	}
}

// textAbout returns the words a notice says about addr: the rest of the
// line that names it and the following lines up to a blank line.
func textAbout(notice, addr string) string {
	if addr == "" {
		return ""
	}
	lower := strings.ToLower(notice)
	i := strings.Index(lower, strings.ToLower(addr))
	if i < 0 {
		return ""
	}
	start := i + len(addr)
	rest := notice[start:]
	end := strings.Index(rest, "\n\n")
	if end < 0 {
		end = len(rest)
	}
	t := strings.TrimLeft(rest[:end], ">:) \t")
	t = oneLine(t)
	return t
}
