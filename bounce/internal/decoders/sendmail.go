package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Sendmail (https://www.proofpoint.com/us/products/email-protection/open-source-email-solution)
// bounces come from "Mail Delivery Subsystem <MAILER-DAEMON@host>" with
// subjects "Returned mail: ...", "Warning: could not send message for
// past ...", "Postmaster notify: ...", and a notice (savemail.c errbody)
// made of sections:
//
//	   ----- The following addresses had permanent fatal errors -----
//	<kijitora@example.com>
//	    (reason: 550 5.1.1 <kijitora@example.com>... User unknown)
//
//	   ----- Transcript of session follows -----
//	... while talking to mx.example.com.:
//	>>> RCPT To:<kijitora@example.com>
//	<<< 550 5.1.1 <kijitora@example.com>... User unknown
//	550 5.1.1 <kijitora@example.com>... User unknown
//
// followed by a message/delivery-status part (RFC 3464, Sendmail 8.8 and
// later). The DSN gives the recipients and their status; the transcript
// gives the remote host, the command (">>>") and the server's own reply
// ("<<<"). Sendmail 5 and early 8 notices without a DSN are read by the
// v5sendmail decoder.

var sendmailSubjects = []string{
	"returned mail:", "warning: could not send message for past", "postmaster notify:", "postmaster warning:",
	"return receipt", "fwd: returned mail:",
}

func matchSendmail(m *message) bool {
	s := m.lowerSubject()
	for _, p := range sendmailSubjects {
		if strings.HasPrefix(s, p) {
			return m.dsnPart() != nil || m.fromHas("mail delivery subsystem") || sendmailMarked(m)
		}
	}
	return m.fromHas("mail delivery subsystem") && m.dsnPart() != nil
}

// sendmailMarked reports whether the text has Sendmail's section lines.
func sendmailMarked(m *message) bool {
	t := m.text()
	return containsLower(t, "----- transcript of session follows -----") || containsLower(t, "----- the following addresses had")
}

// smListed is one address of a "The following addresses had ..." section.
type smListed struct {
	addr     string // as written: an address, a local part, or a "|program"
	reason   string // the "(reason: ...)" line
	expanded string // the "(expanded from: ...)" address
	action   string
}

// smReply is what the transcript says about one recipient, or about a
// whole session (addr == "").
type smReply struct {
	host    string
	cmd     string
	reply   []string // the "<<<" lines of the server's reply
	summary string   // Sendmail's own line about the recipient
	codes   string   // the reply code and status that line starts with
	last    bool     // the reply was the last one to its command
	// output is a local mailer's own lines written just before
	// Sendmail's line about this recipient (mail.local's or a
	// program's words for it, when a notice lists several).
	output []string
}

// smTranscript is a parsed "Transcript of session follows" section.
type smTranscript struct {
	per     map[string]*smReply // by lower-case address or local part
	session []*smReply          // replies that name no recipient
	other   []string            // lines that are neither (program output)
	expiry  string              // "Message could not be delivered for N days"
	// own is Sendmail's own refusal of the whole message, a coded line
	// naming no recipient, with no session and no program output before
	// it: "552 5.2.3 Message exceeds maximum fixed size (102400)" for a
	// message over MaxMessageSize given on its command line (the zoo's
	// own-size).
	own string
}

func decodeSendmail(m *message) *Report {
	reparsed := false
	if mm := reparseMultipart(m); mm != nil {
		m, reparsed = mm, true
	}
	text := m.text()
	if q := unquoteForwarded(m); q != "" {
		// QUIRK: a bounce forwarded inline, quoted with "> ".
		text = q
	}
	notice, _ := splitAtMarkerFrom(text, sendmailEndMarkers)
	if !containsLower(notice, "----- transcript of session follows -----") && !containsLower(notice, "----- the following addresses had") {
		return nil
	}
	listed := sendmailListed(notice)
	tr := sendmailTranscriptOf(notice)
	reporting, rs := dsnOf(m)
	if len(rs) == 0 {
		reporting, rs = dsnRecipients(m, dsnBlockIn(notice))
	}
	rep := &Report{Kind: KindBounce, Format: "sendmail", ReportingMTA: reporting}
	switch {
	case m.originalPart() == nil:
		rep.Original = originalAfter(text, sendmailEndMarkers)
	case reparsed:
		rep.Original = m.original()
	}
	if len(rs) == 0 {
		for _, l := range listed {
			a := sendmailListedAddress(m, l)
			if a == "" {
				continue
			}
			// The "(reason: ...)" line is Sendmail's summary, read
			// below after the transcript (li.reason), not a diagnostic.
			rs = append(rs, Recipient{Address: a, Action: l.action})
		}
	}
	for i := range rs {
		r := &rs[i]
		var li *smListed
		for j := range listed {
			if sendmailSame(listed[j].addr, r.Address) || sendmailSame(listed[j].expanded, r.Address) || r.OriginalRecipient != "" && sendmailSame(listed[j].addr, r.OriginalRecipient) {
				li = &listed[j]
				break
			}
		}
		if r.Address == "" && i < len(listed) {
			// QUIRK: a Final-Recipient Sendmail could not write
			// ("RFC822; @mx.example.org"): the notice's list names it.
			li = &listed[i]
			r.Address = sendmailListedAddress(m, *li)
		}
		if li != nil && hostQualified(r.Address, li.addr, reporting) {
			// Sendmail 8 qualifies a local user's Final-Recipient with
			// its own host name ($j: "RFC822; jsmith@mail.example.org"
			// for the listed "JSmith"); the returned message's To or
			// Cc has the address the shop mailed.
			if a := m.bareFromOriginal(li.addr); a != "" {
				r.Address = a
			}
		}
		if r.Address != "" && strings.IndexByte(r.Address, '@') < 0 && li != nil {
			// A Final-Recipient without a domain ("RFC822; kwong"):
			// placed as the notice's list places it.
			if a := sendmailListedAddress(m, *li); a != "" {
				r.Address = a
			}
		}
		if r.Action == "" && li != nil {
			r.Action = li.action
		}
		sr := tr.about(r.Address)
		if sr == nil && li != nil {
			sr = tr.about(li.addr)
		}
		if sr == nil {
			// a reply that quotes the recipient ("<<< 552 5.2.2
			// <a@b>: ...") with no line of Sendmail's own about it
			sr = tr.quoting(r.Address)
		}
		if sr == nil {
			sr = tr.sessionReply()
			if sr != nil && sr.quotesOther(r.Address, rs) {
				// another recipient's refusal, not the session's
				sr = nil
			}
		}
		diagType := toLower(r.DiagnosticType)
		dsnDiag := r.Diagnostic
		if sr != nil {
			if r.RemoteMTA == "" {
				r.RemoteMTA = sr.host
			}
			if r.Command == "" {
				r.Command = sr.commandFor()
			}
			if r.Command == "" && sr.cmd == "" && len(sr.reply) == 0 && strings.HasPrefix(sr.codes, "5") &&
				strings.EqualFold(strings.TrimSpace(sr.summary), "user unknown") {
				// QUIRK: a transcript without ">>>" lines whose only
				// account is Sendmail's own "550 name... User unknown":
				// Sendmail 8's recipient.c writes it while resolving a
				// recipient (no such local user), the RCPT stage.
				r.Command = "RCPT"
			}
			if len(sr.reply) > 0 {
				if dsnDiag == "" || diagType != "" && diagType != "smtp" || len(sr.reply) > 1 {
					r.Diagnostic = joinReply(sr.reply)
				}
			} else if sr.summary != "" && (dsnDiag == "" || diagType == "x-unix" && len(dsnDiag) < 8) {
				r.Diagnostic = sr.summary
				if r.Status == "" && sr.codes != "" {
					// No DSN: the line's own reply ("550 5.1.1
					// jsmith... User unknown") is the only code.
					r.Diagnostic = sr.codes + " " + sr.summary
				}
			}
		}
		if r.Diagnostic == "" && li != nil {
			r.Diagnostic = li.reason
		}
		if r.Diagnostic == "" && sr == nil && tr.own != "" {
			r.Diagnostic = tr.own
		}
		if r.Diagnostic == "" && tr.expiry != "" {
			// Sendmail gave up after its queue timeout (Timeout.queuereturn).
			r.Diagnostic = tr.expiry
		}
		if tr.expiry != "" && (r.Status == "" || r.Status == "4.0.0") {
			// ... for which its queue.c sets the status 4.4.7: the
			// notice's line says so without the delivery-status part.
			r.Status, r.ReasonHint = "4.4.7", "expired"
		}
		other := tr.other
		if len(rs) > 1 && sr != nil && len(sr.output) > 0 {
			// Several recipients, each with the local mailer's lines
			// above Sendmail's own line about it: those are its own,
			// the others' are not.
			other = sr.output
		}
		if diagType == "x-unix" && len(other) > 0 {
			// A local mailer (a program, a mailbox) failed: its own
			// output is the only account of why.
			r.Diagnostic = oneLine(strings.Join(other, " "))
		} else if dsnDiag == "" && len(other) > 0 {
			// QUIRK: with no Diagnostic-Code, the local mailer's words in
			// the transcript ("mail.local: unknown user: x") say more than
			// Sendmail's own "Service unavailable" after them.
			if other := oneLine(strings.Join(other, " ")); !contains(r.Diagnostic, other) {
				r.Diagnostic = strings.TrimSpace(other + " " + r.Diagnostic)
			}
		}
		if r.Diagnostic != dsnDiag {
			r.ReplyCode = ""
		}
		finishRecipient(r)
	}
	rep.Recipients = rs
	return rep
}

// sendmailEndMarkers end the notice of a Sendmail bounce (the returned
// message follows them).
var sendmailEndMarkers = []string{
	"----- original message follows -----",
	"----- unsent message follows -----",
	"----- message header follows -----",
	"----- unsent message headers follow -----",
	"------- returned message --------",
	"----- returned message -----",
}

// splitAtMarkerFrom splits text at the first line holding one of the
// lower-case markers, matched ignoring ASCII case.
func splitAtMarkerFrom(text string, markers []string) (string, string) {
	best := markerIndex(text, markers)
	if best < 0 {
		return text, ""
	}
	start := strings.LastIndexByte(text[:best], '\n') + 1
	rest := text[best:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[nl+1:]
	} else {
		rest = ""
	}
	return text[:start], rest
}

// markerIndex returns the first place in text of one of the lower-case
// markers, matched ignoring ASCII case, or -1. When every marker starts
// with three dashes or more and words (Sendmail's), text is not lowered nor
// searched once per marker: a marker of k dashes and words can start
// only k bytes before the end of a run of at least k dashes, so each run
// is tried once (dashMarkerIndex's way).
func markerIndex(text string, markers []string) int {
	for _, mk := range markers {
		if k := dashRun(mk); k < 3 || k == len(mk) {
			return markerIndexLowered(text, markers)
		}
	}
	return dashRunMarker(text, markers, true)
}

// markerIndexLowered is markerIndex for any markers: text lowered
// (asciiLower: its indexes are text's), each marker searched in it.
func markerIndexLowered(text string, markers []string) int {
	lower := asciiLower(text)
	best := -1
	for _, mk := range markers {
		if i := strings.Index(lower, mk); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// hasPrefixFoldASCII reports whether s starts with prefix, lower-case,
// when s's ASCII capitals are lowered (asciiLower(s) has the prefix).
func hasPrefixFoldASCII(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if mime.LowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// hostQualified reports whether addr is the bare listed name qualified
// with the reporting host (name@reporting, case ignored).
func hostQualified(addr, listed, reporting string) bool {
	name := bareName(listed)
	at := strings.LastIndexByte(addr, '@')
	return name != "" && at > 0 && reporting != "" && strings.EqualFold(addr[:at], name) && strings.EqualFold(addr[at+1:], hostOf(reporting))
}

// sendmailListedAddress returns the address a "The following addresses
// had ..." entry names: the "(expanded from: ...)" address when it is
// one (the Final-Recipient of its DSN), else the address itself; for a bare local name (the
// local mailer's user) the address of the returned message's headers
// with that local part, else the "(expanded from: ...)" address the
// shop mailed (an alias or a virtual address Sendmail rewrote to the
// local user), else the name at the reporting host's domain
// (bareFromHost); "" when none applies.
func sendmailListedAddress(m *message, l smListed) string {
	if a := normalizeAddress(l.expanded); a != "" {
		// An alias's expansion keeps the DSN recipient of the address
		// that expanded to it (recipient.c sendtolist: "a->q_finalrcpt
		// = ctladdr->q_finalrcpt"): the address it was "expanded from"
		// is the one Final-Recipient names, the one the shop mailed.
		return a
	}
	if a := normalizeAddress(l.addr); a != "" {
		return a
	}
	name := bareName(l.addr)
	if name != "" {
		if a := m.bareFromOriginal(name); a != "" {
			return a
		}
	}
	if a := normalizeAddress(l.expanded); a != "" {
		return a
	}
	if name != "" {
		return m.bareFromHost(name)
	}
	return ""
}

// sendmailSame reports whether a listed address (an address, a local part
// or "<addr>") names the recipient a.
func sendmailSame(listed, a string) bool {
	if listed == "" || a == "" {
		return false
	}
	if n := normalizeAddress(listed); n != "" {
		return strings.EqualFold(n, normalizeAddress(a))
	}
	l := strings.Trim(listed, "<> \t\"")
	if at := strings.IndexByte(a, '@'); at > 0 {
		return strings.EqualFold(l, a[:at])
	}
	return strings.EqualFold(l, a)
}

// sendmailListed reads the "The following addresses had ..." sections.
func sendmailListed(notice string) []smListed {
	var out []smListed
	action := ""
	var lbuf [256]byte
	for l := range lineSeq(notice) {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "-----") {
			lt := lowerLine(&lbuf, t) // read in this iteration only
			// Sendmail's savemail.c: "The following addresses had
			// permanent fatal errors" / "... transient non-fatal
			// errors" (which holds "fatal error" too: tried first).
			switch {
			case contains(lt, "transient non-fatal"), contains(lt, "transient"):
				action = "delayed"
			case contains(lt, "permanent fatal error"), contains(lt, "permanent delivery error"), contains(lt, "fatal error"):
				action = "failed"
			case contains(lt, "successful delivery"):
				action = "delivered"
			default:
				action = ""
			}
			continue
		}
		if action == "" || t == "" {
			continue
		}
		if strings.HasPrefix(t, "(") {
			if len(out) == 0 {
				continue
			}
			last := &out[len(out)-1]
			body := strings.TrimSuffix(t[1:], ")")
			switch {
			case strings.HasPrefix(toLower(body), "reason:"):
				last.reason = strings.TrimSpace(body[len("reason:"):])
			case strings.HasPrefix(toLower(body), "expanded from:"):
				last.expanded = strings.TrimSpace(body[len("expanded from:"):])
			}
			continue
		}
		if indentOf(l) > 2 && len(out) > 0 {
			continue
		}
		out = append(out, smListed{addr: strings.Trim(t, "\""), action: action})
	}
	return out
}

// transcriptSection returns the text after Sendmail's "----- Transcript
// of session follows -----" line, and whether there is one.
func transcriptSection(notice string) (string, bool) {
	i := mime.IndexFold(notice, "----- transcript of session follows -----")
	if i < 0 {
		return "", false
	}
	body := notice[i:]
	if nl := strings.IndexByte(body, '\n'); nl >= 0 {
		return body[nl+1:], true
	}
	return "", true
}

// transcriptLines are the transcript's non-blank lines, trimmed, where a
// recipient's line ("<a@b>... Deferred: 421", one line as Sendmail writes
// it) folded after its "..." onto an indented continuation line reads as
// the one line it was.
func transcriptLines(body string) []string {
	var out []string
	for l := range lineSeq(body) {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if n := len(out); n > 0 && (l[0] == ' ' || l[0] == '\t') && strings.HasSuffix(out[n-1], "...") &&
			!strings.HasPrefix(t, "<<<") && !strings.HasPrefix(t, ">>>") {
			out[n-1] += " " + t
			continue
		}
		out = append(out, t)
	}
	return out
}

// sendmailTranscriptOf reads the "Transcript of session follows" section.
func sendmailTranscriptOf(notice string) *smTranscript {
	tr := &smTranscript{} // per made at its first recipient (most notices have none)
	body, ok := transcriptSection(notice)
	if !ok {
		return tr
	}
	host, cmd := "", ""
	var group []*smReply // replies since the last command
	var cur *smReply     // the reply being read
	outFrom := 0         // tr.other's first line since Sendmail's last own line
	var lbuf [256]byte
	for _, t := range transcriptLines(body) {
		lt := lowerLine(&lbuf, t) // read in this iteration only
		switch {
		case strings.HasPrefix(t, "-----") || strings.HasPrefix(t, "--") && !contains(t, " "):
			// the next section, or a MIME boundary
			return tr
		case strings.IndexByte(lt, ':') > 0 && knownDSNField(lt[:strings.IndexByte(lt, ':')]):
			// QUIRK: a delivery-status block inline in the text ends the transcript.
			return tr
		case strings.HasPrefix(lt, "... while talking to ") || strings.HasPrefix(lt, "while talking to "):
			h := t[strings.Index(lt, "talking to ")+len("talking to "):]
			host = strings.TrimRight(strings.TrimSpace(h), ".:")
			cmd, group, cur = "", nil, nil
		case strings.HasPrefix(t, ">>>"):
			cmd = strings.TrimSpace(t[3:])
			group, cur = nil, nil
		case strings.HasPrefix(t, "<<<"):
			r := strings.TrimSpace(t[3:])
			if cur != nil && len(cur.reply) > 0 && strings.HasPrefix(cur.reply[len(cur.reply)-1], leadingReplyCode(r)+"-") && leadingReplyCode(r) != "" {
				cur.reply = append(cur.reply, r)
				continue
			}
			for _, g := range group {
				g.last = false
			}
			cur = &smReply{host: host, cmd: cmd, reply: []string{r}, last: true}
			group = append(group, cur)
			tr.session = append(tr.session, cur)
		default:
			addr, rest, codes := sendmailSummary(t)
			if addr == "" && strings.HasPrefix(lt, "message could not be delivered for") {
				tr.expiry = t
				continue
			}
			if addr == "" {
				if leadingReplyCode(t) == "" && !strings.HasPrefix(lt, "message could not be delivered") &&
					!strings.HasPrefix(lt, "message will be deleted") &&
					!strings.HasPrefix(lt, "warning: message still undelivered") && !strings.HasPrefix(lt, "will keep trying") {
					tr.other = append(tr.other, t)
				} else if leadingReplyCode(t) != "" && len(tr.other) > 0 {
					// "554 5.3.0 unknown mailer error 255" closes a
					// program's output.
					tr.other = append(tr.other, t)
				} else if leadingReplyCode(t) != "" && len(tr.session) == 0 && tr.own == "" {
					tr.own = t
				}
				continue
			}
			key := toLower(addr)
			out := tr.other[outFrom:]
			outFrom = len(tr.other)
			if _, seen := tr.per[key]; seen {
				continue
			}
			sr := &smReply{host: host, cmd: cmd, summary: rest, codes: codes}
			if cur != nil && cur.summary == "" {
				// Sendmail writes its line right after the reply it read.
				cur.summary, cur.codes = rest, codes
				sr = cur
			}
			sr.output = out
			if tr.per == nil {
				tr.per = map[string]*smReply{}
			}
			tr.per[key] = sr
		}
	}
	return tr
}

// sendmailSummary reads Sendmail's own line about a recipient: "550 5.1.1
// <a@b>... User unknown", "<a@b>... Deferred: Connection refused by
// mx.", "kijitora... Deferred: ...". It returns the address (or local
// part), the text after "... " and the reply code and status the line
// starts with.
func sendmailSummary(t string) (string, string, string) {
	s, codes := t, ""
	if rc := leadingReplyCode(s); rc != "" {
		s, codes = strings.TrimSpace(s[3:]), rc
		if st := replyStatus(s); st != "" {
			s, codes = strings.TrimSpace(s[len(st):]), rc+" "+st
		}
	}
	dots := strings.Index(s, "... ")
	if dots <= 0 {
		return "", "", ""
	}
	a := strings.Trim(s[:dots], "<> \t\"")
	if a == "" || strings.ContainsAny(a, " \t") {
		return "", "", ""
	}
	rest := strings.TrimSpace(s[dots+4:])
	if strings.HasPrefix(toLower(rest), "deferred: ") {
		rest = strings.TrimSpace(rest[len("deferred: "):])
	}
	return a, rest, codes
}

// about returns what the transcript says about the recipient a (an
// address or a local part), or nil.
func (tr *smTranscript) about(a string) *smReply {
	if a == "" {
		return nil
	}
	if r := tr.per[toLower(strings.Trim(a, "<> \t\""))]; r != nil {
		return r
	}
	if n := normalizeAddress(a); n != "" {
		if r := tr.per[toLower(n)]; r != nil {
			return r
		}
		if at := strings.IndexByte(n, '@'); at > 0 {
			return tr.per[toLower(n[:at])]
		}
	}
	return nil
}

// quoting returns the first reply of the transcript that quotes a in
// angle brackets, or nil.
func (tr *smTranscript) quoting(a string) *smReply {
	n := toLower(normalizeAddress(a))
	if n == "" {
		return nil
	}
	for _, r := range tr.session {
		for _, l := range r.reply {
			if contains(toLower(l), "<"+n+">") {
				return r
			}
		}
	}
	return nil
}

// quotesOther reports whether the reply quotes in angle brackets another
// recipient of rs, and not a (a refused sender's address is the
// session's).
func (r *smReply) quotesOther(a string, rs []Recipient) bool {
	n := toLower(normalizeAddress(a))
	other := false
	for _, l := range r.reply {
		ll := toLower(l)
		if n != "" && contains(ll, "<"+n+">") {
			return false
		}
		for _, o := range rs {
			if on := toLower(normalizeAddress(o.Address)); on != "" && on != n && contains(ll, "<"+on+">") {
				other = true
			}
		}
	}
	return other
}

// sessionReply returns the error reply of a session that names no
// recipient (a refused MAIL FROM, DATA or connection), or nil.
func (tr *smTranscript) sessionReply() *smReply {
	for _, r := range tr.session {
		if len(r.reply) == 0 {
			continue
		}
		rc := leadingReplyCode(r.reply[0])
		if rc != "" && rc[0] == '2' {
			continue
		}
		if strings.HasPrefix(strings.ToUpper(r.cmd), "QUIT") {
			continue
		}
		return r
	}
	return nil
}

// commandFor returns the command a reply answered. QUIRK: with
// PIPELINING Sendmail shows only ">>> DATA" but prints the replies to the
// RCPT commands sent with it first; a reply followed by another one to the
// same command answered an earlier RCPT.
func (r *smReply) commandFor() string {
	c := smtpCommand(r.cmd)
	if c == "DATA" && len(r.reply) > 0 && !r.last {
		return "RCPT"
	}
	if c == "" && r.cmd == "" && len(r.reply) > 0 {
		// A reply before any command is the server's greeting.
		return "CONN"
	}
	return c
}

// dsnBlockIn returns the delivery-status fields a bounce carries as plain
// text (a message/delivery-status part flattened by a relay or a
// forward), from the first "Reporting-MTA:" or "Final-Recipient:" line.
func dsnBlockIn(text string) string {
	if !containsLower(text, "\nreporting-mta:") && !containsLower(text, "\nfinal-recipient:") {
		return ""
	}
	lower := toLower(text)
	i := strings.Index(lower, "\nreporting-mta:")
	if i < 0 {
		i = strings.Index(lower, "\nfinal-recipient:")
	}
	if i < 0 {
		return ""
	}
	return text[i+1:]
}

// unquoteForwarded returns the text of a bounce that was forwarded inline
// with "> " quoting ("Begin forwarded message:"), unquoted, or "" when the
// text is not one.
func unquoteForwarded(m *message) string {
	text := m.text()
	if !quotedLine(text) {
		return ""
	}
	if !containsLower(text, "forwarded message") && !containsLower(text, "fwd:") {
		return ""
	}
	var b strings.Builder
	quoted := 0
	for l := range lineSeq(text) {
		if strings.HasPrefix(l, ">") {
			quoted++
			l = strings.TrimPrefix(l[1:], " ")
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	if quoted < 5 {
		return ""
	}
	return b.String()
}

// reparseMultipart re-reads a message whose top-level Content-Type lost
// its multipart type (QUIRK: "Content-Type: message/delivery-status" over
// a multipart/report body, written by broken relays): when the body has a
// MIME boundary, it is parsed as multipart/report. It returns nil when
// there is nothing to repair.
func reparseMultipart(m *message) *message {
	root := m.root
	if strings.HasPrefix(root.MediaType, "multipart/") || len(root.Children) > 0 && !mime.IsMessageType(root.MediaType) {
		return nil
	}
	if root.MediaType != "message/delivery-status" && root.MediaType != "text/plain" {
		return nil
	}
	b := mime.GuessBoundary(root.Raw)
	if b == "" || len(mime.SplitMultipart(root.Raw, b, 2)) < 2 {
		return nil
	}
	if root.MediaType == "text/plain" && !contains(string(root.Raw), "\n--"+b+"--") {
		return nil
	}
	raw := make([]byte, 0, len(root.Raw)+100)
	raw = append(raw, "Content-Type: multipart/report; boundary=\""...)
	raw = append(raw, b...)
	raw = append(raw, "\"\n\n"...)
	raw = append(raw, root.Raw...)
	mp := &mime.Parser{MaxDepth: m.opts.MaxDepth, MaxParts: m.opts.MaxParts}
	nr := mp.Parse(raw, 0, nil, "text/plain")
	if mp.Err != nil {
		return nil
	}
	return &message{opts: m.opts, raw: raw, root: nr, from: m.from, subject: m.subject}
}

// quotedLine reports whether text holds "\n> " or "\n>>": one scan of
// its "\n>" for both.
func quotedLine(text string) bool {
	for i := 0; ; {
		k := strings.Index(text[i:], "\n>")
		if k < 0 {
			return false
		}
		i += k + 2
		if i < len(text) && (text[i] == ' ' || text[i] == '>') {
			return true
		}
	}
}
