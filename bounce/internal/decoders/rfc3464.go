package decoders

import (
	"github.com/bounced-dev/bounced/bounce/internal/mime"
	"slices"
	"strings"
	"unicode/utf8"
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
//
// It keeps at most max per-recipient blocks (0: no limit); over says
// that the body holds more, and the parse stopped at the first block past
// max (a report naming 100,000 recipients is not read whole to be
// refused).
func parseDSNFields(body string, max int) (perMessage header, blocks []header, over bool) {
	var cur header
	inRecipient := false
	paraStart := 0 // index in perMessage where the current paragraph starts
	// Continuation lines are gathered and joined once (a value folded over
	// many lines must not cost quadratic time).
	var cont []string
	var contTarget *header
	contIdx := -1
	flushCont := func() {
		if contTarget != nil && len(cont) > 0 {
			(*contTarget)[contIdx].Value += strings.Join(cont, "")
		}
		cont, contTarget = cont[:0], nil
	}
	addCont := func(t *header, s string) {
		if contTarget != t || contIdx != len(*t)-1 {
			flushCont()
			contTarget, contIdx = t, len(*t)-1
		}
		cont = append(cont, s)
	}
	flush := func() {
		flushCont()
		if len(cur) > 0 {
			if max > 0 && len(blocks) >= max {
				over = true
			} else {
				blocks = append(blocks, cur)
			}
		}
		cur = nil
	}
	for rest := body; rest != "" && !over; {
		line := rest
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			line, rest = rest[:nl], rest[nl+1:]
		} else {
			rest = ""
		}
		if strings.TrimSpace(line) == "" {
			flushCont()
			if inRecipient {
				flush()
				inRecipient = false
			}
			paraStart = len(perMessage)
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && (len(cur) > 0 || (!inRecipient && len(perMessage) > 0)) {
			// A folded continuation, unless it is an indented field.
			if c := strings.IndexByte(line, ':'); c < 0 || !mime.IsFieldName([]byte(strings.TrimSpace(line[:c]))) || !knownDSNField(toLower(strings.TrimSpace(line[:c]))) {
				if inRecipient {
					addCont(&cur, "\n"+line)
				} else {
					addCont(&perMessage, "\n"+line)
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
			if n := len(*target); n > 0 && (*target)[n-1].Key == "diagnostic-code" {
				addCont(target, "\n "+line)
				continue
			}
		}
		flushCont()
		c := strings.IndexByte(line, ':')
		if c <= 0 {
			continue
		}
		key := mime.FieldKey(line[:c])
		if !mime.IsFieldName([]byte(key)) {
			continue
		}
		f := field{Key: key, Value: line[c+1:]}
		if recipientFields[key] {
			if inRecipient && (cur.Has(key) || key == "original-recipient" && fieldBefore(cur, "final-recipient", "action")) {
				flush()
			}
			if !inRecipient {
				// QUIRK: some reports (Symantec MessageLabs, Facebook,
				// Mimecast, SurfControl) write a recipient's Action, Status
				// or Diagnostic-Code before its Final-Recipient: the
				// fields of this paragraph from the first per-recipient one
				// on belong to the recipient, not to the message.
				for j := paraStart; j < len(perMessage); j++ {
					if perRecipientOnly(perMessage[j].Key) {
						cur = append(cur, perMessage[j:]...)
						perMessage = perMessage[:j]
						break
					}
				}
			}
			inRecipient = true
		}
		if inRecipient {
			if cur == nil {
				cur = make(header, 0, 8) // a recipient's block has a few fields
			}
			cur = append(cur, f)
		} else {
			if perMessage == nil {
				perMessage = make(header, 0, 8) // so are the message's fields
			}
			perMessage = append(perMessage, f)
		}
	}
	flush()
	// QUIRK: a per-message block holding recipient fields after all (no
	// Final-Recipient anywhere, only Action/Status) is one recipient.
	if len(blocks) == 0 && perMessage.Has("action") {
		blocks = append(blocks, perMessage)
	}
	return perMessage, blocks, over
}

// fieldBefore reports whether h has both fields and a before b.
func fieldBefore(h header, a, b string) bool {
	ia, ib := -1, -1
	for i := range h {
		if h[i].Key == a && ia < 0 {
			ia = i
		}
		if h[i].Key == b && ib < 0 {
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
	// dsnOf reads the delivery-status part, or the fields of a report
	// flattened into its text
	rep := &Report{Kind: KindBounce, Format: "rfc3464"}
	rep.ReportingMTA, rep.Recipients = dsnOf(m)
	if len(rep.Recipients) == 0 || !namesMailbox(rep.Recipients) {
		// No Final-Recipient names a mailbox (a pipe, "@host"): the
		// report says nothing the stages after this one cannot read
		// better from the notice or X-Failed-Recipients.
		return nil
	}
	notice := m.notice()
	enrichFromText(rep.Recipients, notice)
	replyCommands(rep.Recipients, notice)
	rep.Recipients = append(rep.Recipients, noticeRejections(notice, m.lowerNotice(), rep.ReportingMTA, rep.Recipients)...)
	return rep
}

// namesMailbox reports whether one of rs has an address that is a
// mailbox, as finish keeps it.
func namesMailbox(rs []Recipient) bool {
	for _, r := range rs {
		if normalizeAddress(r.Address) != "" {
			return true
		}
	}
	return false
}

// replyCommands completes each recipient that names no SMTP command with
// the one its paragraph of the notice names in Postfix's reply footer
// ("(in reply to RCPT TO command)", smtp_reply_footer): a DSN whose
// Diagnostic-Code holds only the reply, under a notice that no format
// above claimed (a Postfix whose bounce_template_file translated the
// notice's first lines, and whose bounce has no Received line of its own).
func replyCommands(rs []Recipient, notice string) {
	for i := range rs {
		r := &rs[i]
		if r.Command != "" {
			continue
		}
		if t := textAbout(notice, r.Address); t != "" {
			_, cmd, _ := postfixDetail(t)
			r.Command = cmd
		}
	}
}

// noticeRejections reads recipients that a notice reports rejected in
// words only, beside its delivery-status part: "Your message to <user>
// was automatically rejected: <reason>". QUIRK: the address may be a bare
// local part, which names a user of the reporting MTA (RFC 5321 section
// 4.1.1.3: an unqualified address is local to the host that wrote it).
// lower is the notice lower-cased.
func noticeRejections(notice, lower, reporting string, known []Recipient) []Recipient {
	var out []Recipient
	const lead = "your message to <"
	for i := strings.Index(lower, lead); i >= 0; {
		start := i + len(lead)
		end := strings.IndexByte(lower[start:], '>')
		if end < 0 {
			break
		}
		addr := strings.TrimSpace(notice[start : start+end])
		rest := lower[start+end+1:]
		if j := strings.IndexByte(rest, ':'); j >= 0 && contains(rest[:j], "rejected") {
			if !contains(addr, "@") && reporting != "" && addr != "" && !strings.ContainsAny(addr, " \t") {
				addr += "@" + reporting
			}
			if a := normalizeAddress(addr); a != "" && !knownRecipient(known, a) {
				reason := notice[start+end+1+j+1:]
				if k := strings.Index(reason, "\n\n"); k >= 0 {
					reason = reason[:k]
				}
				out = append(out, Recipient{Address: a, Action: "failed", Diagnostic: oneLine(reason), ReportingMTA: reporting})
			}
		}
		next := strings.Index(lower[start:], lead)
		if next < 0 {
			break
		}
		i = start + next
	}
	return out
}

func knownRecipient(rs []Recipient, a string) bool {
	for _, r := range rs {
		if strings.EqualFold(r.Address, a) {
			return true
		}
	}
	return false
}

// decodeGenericDSN is the generic RFC 3464 reader of the registry: a
// delivery-status part, else (QUIRK: reports whose MIME structure was
// lost or never written, and DSNs pasted into a text notice) the
// delivery-status fields found in the text itself.
func decodeGenericDSN(m *message) *Report {
	if m.dsnPart() != nil {
		return decodeRFC3464(m)
	}
	text := m.text()
	start, body := inlineDSN(text)
	if body == "" {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "rfc3464"}
	rep.ReportingMTA, rep.Recipients = dsnRecipients(m, body)
	if len(rep.Recipients) == 0 || !namesMailbox(rep.Recipients) {
		return nil
	}
	notice, _ := splitAtMarker(text[:start])
	enrichFromText(rep.Recipients, notice)
	if whole := text[:start]; len(whole) > len(notice) && slices.ContainsFunc(rep.Recipients, func(r Recipient) bool { return r.Diagnostic == "" }) {
		// The notice's sections under its marker lines ("----- The
		// following addresses had permanent fatal errors -----",
		// "----- Transcript of session follows -----"), above the
		// fields: the returned message comes after them, so the words
		// before the fields are all the notice's.
		enrichFromText(rep.Recipients, whole)
		notice = whole
		for i := range rep.Recipients {
			r := &rep.Recipients[i]
			if d := toLower(r.Diagnostic); d != "" && !containsAny(d, causeWords) {
				// A local mailer's line that names the recipient by its
				// local part above the server's reply ("mail.local:
				// unknown user: a" / "554 <a@b>... Service
				// unavailable"): the cause the reply does not say.
				if l := localPartLine(whole, r.Address); l != "" && containsAny(toLower(l), causeWords) {
					r.Diagnostic = l + " " + r.Diagnostic
				}
			}
		}
	}
	replyCommands(rep.Recipients, notice)
	if after := strings.TrimLeft(text[start+len(body):], "\n"); after != "" && m.originalPart() == nil {
		// The returned message's header often follows the fields.
		if h := headerOf(after); h.Has("from") || h.Has("message-id") {
			rep.Original = originalFromHeader(h)
		}
	}
	return rep
}

// inlineDSN finds RFC 3464 section 2.2 and 2.3 fields written in a text
// body: from the Reporting-MTA (or first Final-Recipient) line at the
// start of a line, over the paragraphs that start with a delivery-status
// field. It returns where they start and the fields, or "" when there are
// none with an Action or Status.
func inlineDSN(text string) (int, string) {
	if !containsLower(text, "final-recipient:") {
		return 0, "" // lineStartIndex below would not find it: no copy
	}
	lower := toLower(text)
	fr := lineStartIndex(lower, "final-recipient:")
	if fr < 0 {
		return 0, ""
	}
	start := fr
	// the per-recipient fields written before the Final-Recipient in its
	// group (SurfControl writes the Action first; RFC 3464 section 2.3
	// fixes no order)
	for start > 0 {
		ls := strings.LastIndexByte(lower[:start-1], '\n') + 1
		line := lower[ls : start-1]
		c := strings.IndexByte(line, ':')
		if c <= 0 || !knownDSNField(strings.TrimSpace(line[:c])) {
			break
		}
		start = ls
	}
	if rm := lineStartIndex(lower[:start], "reporting-mta:"); rm >= 0 && start-rm < 4096 {
		start = rm
	}
	end := start
	for end < len(text) {
		para := end
		for para < len(text) && text[para] == '\n' {
			para++
		}
		if para >= len(text) {
			break
		}
		c := strings.IndexByte(lower[para:], ':')
		if c <= 0 || !knownDSNField(strings.TrimSpace(lower[para:para+c])) {
			break
		}
		next := strings.Index(text[para:], "\n\n")
		if next < 0 {
			end = len(text)
			break
		}
		end = para + next + 1
	}
	body := text[start:end]
	lb := lower[start:end]
	if lineStartIndex(lb, "action:") < 0 && lineStartIndex(lb, "status:") < 0 {
		return 0, ""
	}
	return start, body
}

// lineStartIndex returns the index of the first s in text that starts a
// line (after optional white space), or -1.
func lineStartIndex(text, s string) int {
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], s)
		if i < 0 {
			return -1
		}
		i += off
		j := i
		for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
			j--
		}
		if j == 0 || text[j-1] == '\n' {
			return j
		}
		off = i + len(s)
	}
	return -1
}

// dsnRecipients reads the recipients of a delivery-status body of m,
// at most m's limit of them (Options.MaxRecipients; more, and m's
// decode fails with ErrTooManyRecipients).
func dsnRecipients(m *message, body string) (string, []Recipient) {
	perMessage, blocks := m.dsnFields(body)
	reporting := hostOf(perMessage.Get("reporting-mta"))
	out := make([]Recipient, 0, len(blocks))
	for _, b := range blocks {
		r := Recipient{ReportingMTA: reporting}
		final := b.Get("final-recipient")
		orig := b.Get("original-recipient")
		actual := b.Get("x-actual-recipient")
		r.Address = dsnAddress(final)
		if o := dsnAddress(orig); r.Address == "" || o != "" && unqualified(r.Address) && !unqualified(o) {
			// RFC 3464 section 2.3.1: the Original-Recipient is the
			// address as the sender wrote it. A Final-Recipient that is
			// an internal name ("jsmith@mailhub") is the reporting
			// site's own rewriting, which the sender cannot match.
			r.Address = o
		}
		if r.Address == "" {
			r.Address = dsnAddress(actual)
		}
		if r.Address == "" {
			// A local mailer's recipient without a domain ("rfc822;
			// jsmith"): kept bare for resolveBare, which places it by
			// the rest of the message or drops it.
			r.Address = dsnBareName(final)
		}
		if o := dsnAddress(orig); o != "" && o != r.Address {
			r.OriginalRecipient = o
		}
		r.Action = b.Get("action")
		r.Status = findStatus(b.Get("status"))
		r.RemoteMTA = hostOf(b.Get("remote-mta"))
		if rm := b.Get("reporting-mta"); rm != "" {
			r.ReportingMTA = hostOf(rm)
		}
		r.LastAttempt = dateOf(b.Get("last-attempt-date"))
		diag := b.Get("diagnostic-code")
		// QUIRK: long vendor types ("X-Outbound-Mail-Relay; ...") occur.
		if i := strings.IndexByte(diag, ';'); i >= 0 && i < 32 && !strings.ContainsAny(diag[:i], " \t") || i >= 0 && i < 20 && strings.HasPrefix(toLower(diag), "smtp") {
			r.DiagnosticType = toLower(strings.TrimSpace(diag[:i]))
			diag = diag[i+1:]
		}
		// Exim writes a reply's non-ASCII bytes in its Diagnostic-Code as
		// \ooo escapes (eximUnescape), read whichever decoder reads it.
		r.Diagnostic = oneLine(eximUnescape(diag))
		if r.Diagnostic == "" {
			r.Diagnostic = oneLine(b.Get("x-supplementary-info"))
		}
		// QUIRK: Sendmail, PowerMTA and others explain the status in a
		// comment ("Status: 5.2.1 (mailbox disabled, not accepting
		// messages)"): the reporting MTA's own words, kept beside the
		// remote server's.
		if c := statusComment(b.Get("status")); c != "" && !contains(toLower(r.Diagnostic), toLower(c)) {
			if r.Diagnostic == "" {
				r.Diagnostic = c
			} else {
				r.Diagnostic += " (" + c + ")"
			}
		}
		fillCodes(&r)
		if r.Address == "" && r.Action == "" && r.Status == "" {
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return reporting, nil
	}
	return reporting, out
}

// statusComment returns the comment of a Status field ("5.0.0 (permanent
// failure)" gives "permanent failure"), or "" when it only repeats the
// class of the code.
func statusComment(v string) string {
	i := strings.IndexByte(v, '(')
	if i < 0 {
		return ""
	}
	c := strings.TrimSpace(strings.TrimRight(v[i+1:], ") \t"))
	lc := toLower(c)
	if strings.HasPrefix(lc, "other or undefined") {
		return "" // RFC 3463's own name of an x.y.0 code
	}
	switch lc {
	case "", "permanent failure", "permanent error", "transient failure", "temporary failure", "persistent transient failure", "success", "delivered", "delayed", "failed", "undefined status", "unknown":
		return ""
	}
	return oneLine(c)
}

// unqualified reports whether addr's domain is a bare host name (no dot,
// not an address literal): a name only the reporting site resolves.
func unqualified(addr string) bool {
	d := addr[strings.LastIndexByte(addr, '@')+1:]
	return !contains(d, ".") && !strings.HasPrefix(d, "[")
}

// dsnAddress reads an RFC 3464 address field ("rfc822; a@b", RFC 6533
// "utf-8; a@b"), decoding xtext (RFC 3461 section 4).
func dsnAddress(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if contains(v, "+") && contains(toLower(v[:min(len(v), 8)]), "rfc822") {
		v = decodeXtext(v)
	}
	if contains(v, `\x{`) && contains(toLower(v[:min(len(v), 8)]), "utf-8") {
		v = decodeUnitext(v)
	}
	return normalizeAddress(v)
}

// maxHexpoint is the most hex digits of an RFC 6533 hexpoint ("\x{E9}",
// "\x{10FFFF}").
const maxHexpoint = 6

// decodeUnitext decodes the embedded-unicode-char escapes ("\x{E9}" for
// "é") of RFC 6533 section 3's utf-8-addr-xtext and utf-8-addr-unitext,
// the forms a utf-8 address takes in a downgraded report. An escape that
// is not well formed (no closing brace within maxHexpoint digits, a
// surrogate or a value beyond U+10FFFF) is kept as written.
func decodeUnitext(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && strings.HasPrefix(s[i:], `\x{`) {
			j := i + 3
			var cp rune
			for j < len(s) && j-i-3 < maxHexpoint && mime.IsHex(s[j]) {
				cp = cp<<4 | rune(mime.Unhex(s[j]))
				j++
			}
			if j > i+3 && j < len(s) && s[j] == '}' && utf8.ValidRune(cp) {
				b.WriteRune(cp)
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// dsnBareName returns the bare local name of an RFC 3464 address field
// of type rfc822 that has no domain ("rfc822; jsmith"), or "".
func dsnBareName(v string) string {
	t, name, ok := strings.Cut(strings.TrimSpace(v), ";")
	if !ok || !strings.EqualFold(strings.TrimSpace(t), "rfc822") {
		return ""
	}
	return bareName(name)
}

func decodeXtext(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '+' && i+2 < len(s) && mime.IsHex(s[i+1]) && mime.IsHex(s[i+2]) {
			b.WriteByte(mime.Unhex(s[i+1])<<4 | mime.Unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
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
		// A failure is never a positive reply (RFC 5321 section 4.2.1):
		// a "255" in its text is an exit status, not a 2yz.
		if (r.Action == "failed" || r.Action == "delayed") && r.ReplyCode != "" && (r.ReplyCode[0] == '2' || r.ReplyCode[0] == '3') {
			r.ReplyCode = ""
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
	addrs := addressesOf(rs)
	for i := range rs {
		r := &rs[i]
		if r.Diagnostic != "" && len(r.Diagnostic) > 12 {
			continue
		}
		t := textAbout(notice, r.Address)
		if len(rs) > 1 && len(rs) <= maxCrossRead {
			// the paragraph after the address, not the next recipient's
			// line in it ("<a>   (550 ...)" / "<b>   (552 ...)", McAfee's)
			t = cutAtOther(notice, t, r.Address, addrs)
		}
		if findReplyCode(t) == "" && findStatus(t) == "" {
			// The first mention says it in words for people (Exchange's
			// "Your message wasn't delivered..."), lists the recipients
			// ("- a", "Intended Recipients: <a>, <b>", chasquid's and
			// Haraka's) or sums them up ("Failure Reason: ... <a>"); a
			// later one may hold the server's reply ("Remote Server
			// returned '550 ...'", "<a>: 550 5.1.1 ...").
			t = laterMentionOrReason(notice, t, r.Address, addrs)
		}
		if t != "" && !startsWithDSNField(t) {
			if r.Diagnostic == "" || len(t) > len(r.Diagnostic) {
				r.Diagnostic = t
				fillCodes(r)
			}
		}
	}
	// A report of one recipient whose notice lists the address alone on
	// its line: the notice's "Reason:" line, else its one line with an
	// SMTP code, is about that recipient.
	if len(rs) == 1 && rs[0].Diagnostic == "" {
		t := reasonLines(notice)
		if t == "" {
			t = soleErrorLine(notice)
		}
		if t != "" && !startsWithDSNField(t) {
			rs[0].Diagnostic = oneLine(t)
			fillCodes(&rs[0])
		}
	}
}

// startsWithDSNField reports whether t starts with an RFC 3464 field
// ("Action: delayed"), which is not a diagnostic.
func startsWithDSNField(t string) bool {
	c := strings.IndexByte(t, ':')
	return c > 0 && c < 32 && knownDSNField(toLower(t[:c]))
}

// textAbout returns the words a notice says about addr: the rest of the
// line that names it and the following lines up to a blank line.
func textAbout(notice, addr string) string {
	if addr == "" {
		return ""
	}
	i := mime.IndexFold(notice, addr)
	if i < 0 {
		return ""
	}
	start := i + len(addr)
	rest := notice[start:]
	end := strings.Index(rest, "\n\n")
	if end < 0 {
		end = len(rest)
	}
	if end > maxAboutLen {
		// A notice with no paragraph breaks: keep the words near the
		// address, not the rest of the message.
		end = maxAboutLen
		if nl := strings.LastIndexByte(rest[:end], '\n'); nl > 0 {
			end = nl
		}
	}
	t := strings.TrimLeft(rest[:end], ">:);,.\"'”’»」』）〉》 \t")
	t = oneLine(t)
	return t
}

// maxAboutLen bounds the text textAbout takes after an address.
const maxAboutLen = 2048
