package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Postfix (https://www.postfix.org) bounces are recognised by their
// subjects ("Undelivered Mail Returned to Sender", "Delayed Mail (still
// being retried)", "Successful Mail Delivery Report", "Mail Delivery
// Status Report", "Postfix SMTP server: errors from ...") or by the
// notice's own first lines ("This is the mail system at host X.", "This is
// the Postfix program at host X."). The notice (bounce_template(5)) lists
// one paragraph per recipient:
//
//	<kijitora@example.jp>: host mx.example.jp[192.0.2.22] said: 550 5.1.1
//	    <kijitora@example.jp>... User Unknown (in reply to RCPT TO command)
//
// and, since Postfix 2.0, a message/delivery-status part (RFC 3464) follows.
// The DSN gives the recipients, their status and the server's reply; the
// paragraph gives the remote host and the SMTP command the reply answered.
// Without a DSN (older versions, bounces rewritten by relays) the
// paragraphs alone are decoded.

var postfixSubjects = []string{
	"undelivered mail returned to sender",
	"delayed mail (still being retried)",
	"successful mail delivery report",
	"mail delivery status report",
	"postfix smtp server: errors from",
}

func matchPostfix(m *message) bool {
	s := m.lowerSubject()
	if hasPrefixAny(s, postfixSubjects) {
		return true
	}
	return mailerDaemonFrom(m) && receivedPostfix(m)
}

// postfixMarkers are the first lines of Postfix notices, lower-case.
var postfixMarkers = []string{
	"this is the mail system at host",
	"this is the postfix program at host",
	"the mail system",
	"transcript of session follows.",
}

// postfixPara is one recipient's paragraph of a Postfix notice.
type postfixPara struct {
	addr     string // the failed recipient
	expanded string // the alias it was expanded from, when said
	text     string // the rest of the paragraph, unfolded
}

func decodePostfix(m *message) *Report {
	notice := m.notice()
	lower := m.lowerNotice()
	reporting, rs := dsnOf(m)
	known := len(rs) > 0 && m.dsnPart() != nil && containsLower(m.dsnPart().Text(), "x-postfix")
	known = known || containsAny(lower, postfixMarkers) || hasPrefixAny(m.lowerSubject(), postfixSubjects)
	if !known {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "postfix", ReportingMTA: reporting}
	if strings.HasPrefix(m.lowerSubject(), "postfix smtp server: errors from") {
		rep.Recipients = postfixServerErrors(notice)
		return rep
	}
	paras := postfixParagraphs(notice)
	action := "failed"
	subj := m.lowerSubject()
	switch {
	case contains(lower, "this is a warning only") || strings.HasPrefix(subj, "delayed mail"):
		action = "delayed"
	case strings.HasPrefix(subj, "successful mail delivery report"):
		action = "delivered"
	}
	if len(rs) == 0 {
		for _, p := range paras {
			r := Recipient{Address: p.addr, Action: action}
			if p.expanded != "" {
				r.OriginalRecipient = p.expanded
			}
			applyPostfixDetail(&r, p.text, true)
			postfixWriteError(&r, p.text)
			if action == "failed" && strings.HasPrefix(toLower(p.text), "delivery via") {
				r.Action = "delivered"
			}
			rs = append(rs, r)
		}
	} else {
		for i := range rs {
			r := &rs[i]
			for _, p := range paras {
				if strings.EqualFold(p.addr, r.Address) || r.OriginalRecipient != "" && strings.EqualFold(p.addr, r.OriginalRecipient) {
					applyPostfixDetail(r, p.text, r.Diagnostic == "")
					postfixWriteError(r, p.text)
					break
				}
			}
			cleanPostfixDiagnostic(r)
		}
	}
	if len(rs) == 0 && contains(lower, "delivery report unavailable") {
		// QUIRK: Postfix writes "--- Delivery report unavailable ---" when it
		// lost the recipient's record; the returned message still says
		// whom it was for.
		for _, a := range originalRecipients(m) {
			rs = append(rs, Recipient{Address: a, Action: "failed"})
		}
	}
	rep.Recipients = finishRecipients(rs, postfixMailboxFull)
	return rep
}

// postfixMailboxFull reads the status Postfix's own delivery agents
// (local(8), virtual(8)) give a mailbox they could not write: they map
// the write's errno to the status (src/global/mbox_open.h, mbox_dsn():
// EDQUOT and EFBIG, a quota or a mailbox size limit such as
// virtual_mailbox_limit, are X.2.2, "mailbox full" in RFC 3463 section
// 3.3), and report it with the diagnostic-type x-unix, which alone would
// read as a failing local program. From the zoo's local-full case
// (testdata/zoo/postfix):
//
//	<full@virt.example.com>: delivery failed to mailbox
//	    /tmp/zoo2/postfix/vmail/full: error writing message: File too large
//
//	Action: failed
//	Status: 5.2.2
//	Diagnostic-Code: x-unix; input/output error
func postfixMailboxFull(r *Recipient) {
	if r.ReasonHint == "" && strings.EqualFold(r.DiagnosticType, "x-unix") && len(r.Status) == 5 && r.Status[1:] == ".2.2" {
		r.ReasonHint = "mailbox_full"
	}
}

// postfixWriteError reads the paragraph of a mailbox Postfix's local(8)
// or virtual(8) could not write: "error writing message: " and the
// write's strerror. The errnos that mbox_dsn() maps to X.2.2 (EFBIG, a
// mailbox size limit; EDQUOT, a quota) say the mailbox is full whatever
// the status says (a relay rewriting it to 5.0.0): the DSN's diagnostic,
// "x-unix; input/output error", does not.
func postfixWriteError(r *Recipient, text string) {
	if r.ReasonHint != "" {
		return
	}
	const lead = "error writing message: "
	var buf [512]byte
	l := lowerIn(buf[:], text)
	if i := strings.Index(l, lead); i >= 0 && hasPrefixAny(l[i+len(lead):], []string{"file too large", "disk quota exceeded"}) {
		r.ReasonHint = "mailbox_full"
	}
}

// postfixParagraphs reads the "<addr>: text" paragraphs of a notice. A
// paragraph starts with "<" at the left margin and runs to a blank line
// or the next paragraph; its head may wrap ("<a@b> (expanded from\n
// <c@d>): text").
func postfixParagraphs(notice string) []postfixPara {
	var out []postfixPara
	var block []string
	flush := func() {
		if len(block) > 0 {
			if p, ok := postfixParagraph(strings.Join(block, " ")); ok {
				out = append(out, p)
			}
		}
		block = nil
	}
	for l := range lineSeq(notice) {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "<") && indentOf(l) < 2 && postfixHead(t):
			flush()
			block = append(block, t)
		case len(block) > 0:
			block = append(block, t)
		}
	}
	flush()
	return out
}

// postfixHead reports whether a line opens a paragraph: "<addr>:" or
// "<addr> (expanded from". QUIRK: a wrapped reply can start a line with
// "<addr>... User unknown".
func postfixHead(t string) bool {
	gt := strings.IndexByte(t, '>')
	if gt <= 1 {
		return false
	}
	rest := t[gt+1:]
	return strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, " (expanded from")
}

// postfixParagraph parses one joined paragraph.
func postfixParagraph(t string) (postfixPara, bool) {
	gt := strings.IndexByte(t, '>')
	if gt <= 1 {
		return postfixPara{}, false
	}
	addr := normalizeAddress(t[1:gt])
	if addr == "" {
		// QUIRK: a local recipient without a domain ("<root>").
		addr = strings.TrimSpace(t[1:gt])
		if addr == "" || strings.ContainsAny(addr, " \t") {
			return postfixPara{}, false
		}
	}
	rest := strings.TrimLeft(t[gt+1:], " ")
	exp := ""
	if strings.HasPrefix(rest, "(expanded from ") {
		if e := strings.IndexByte(rest, ')'); e > 0 {
			exp = normalizeAddress(rest[len("(expanded from "):e])
			rest = strings.TrimLeft(rest[e+1:], " ")
		}
	}
	if !strings.HasPrefix(rest, ":") {
		return postfixPara{}, false
	}
	return postfixPara{addr: addr, expanded: exp, text: oneLine(rest[1:])}, true
}

// applyPostfixDetail reads one paragraph's text ("host X[ip] said: 550
// ... (in reply to RCPT TO command)", "connect to X[ip]:25: Connection
// refused", ...) into r: the remote host, the command, and, when setDiag,
// the diagnostic.
func applyPostfixDetail(r *Recipient, text string, setDiag bool) {
	remote, cmd, diag := postfixDetail(text)
	if r.RemoteMTA == "" {
		r.RemoteMTA = remote
	}
	if r.Command == "" {
		r.Command = cmd
	}
	if setDiag || r.Diagnostic == "" {
		r.Diagnostic = diag
	}
	if r.DiagnosticType == "" && remote == "" && postfixSysExit(diag) {
		r.DiagnosticType = "x-unix"
	}
	// A command that exited with a <sysexits.h> status and said
	// something: pipe_command.c writes the exit's text, ". Command
	// output: " and the output; its DSN gives "x-unix;" and the output
	// alone (the zoo's prog-nouser: "user unknown. Command output: no
	// such user here", "Diagnostic-Code: x-unix; no such user here").
	var buf [512]byte
	if i := strings.Index(lowerIn(buf[:], diag), ". command output: "); r.DiagnosticType == "" && remote == "" && i > 0 && postfixSysExit(diag[:i]) {
		r.DiagnosticType = "x-unix"
		if r.Diagnostic == diag {
			r.Diagnostic = strings.TrimSpace(diag[i+len(". command output: "):])
		}
	}
	if r.ReasonHint == "" && remote == "" && strings.HasPrefix(lowerIn(buf[:], diag), `unknown user: "`) {
		// Postfix's own local(8) and virtual(8) found no such user
		// (src/local/unknown.c, deliver_unknown: dsb_simple(why, "5.1.1",
		// "unknown user: \"%s\"", ...)): no remote server and no
		// content filter answered, whatever status the report kept.
		r.ReasonHint = "user_unknown"
	}
}

// postfixSysExits are the texts Postfix gives a delivery command's
// <sysexits.h> exit status (src/global/sys_exits.c, sys_exits_table);
// pipe(8) reports them as the whole reason, with the diagnostic-type
// x-unix (src/global/pipe_command.c: dsb_unix(why, sp->dsn, ..., "%s%s%s",
// sp->text, ...)), so a notice whose recipient's reason is one of them
// alone, no host named, carries what the DSN's "x-unix;" said.
var postfixSysExits = []string{
	"command line usage error", "data format error", "cannot open input", "user unknown",
	"host name unknown", "service unavailable", "internal software error", "system resource problem",
	"critical os file missing", "can't create user output file", "input/output error",
	"temporary failure", "remote error in protocol", "permission denied", "local configuration error",
}

// postfixSysExit reports whether diag is one of postfixSysExits alone.
func postfixSysExit(diag string) bool {
	var buf [64]byte // longer than every postfixSysExits text
	d := lowerIn(buf[:], strings.TrimSuffix(strings.TrimSpace(diag), "."))
	for _, t := range postfixSysExits {
		if d == t {
			return true
		}
	}
	return false
}

// postfixDetail splits a Postfix paragraph into the remote host, the SMTP
// command and the server's own words.
func postfixDetail(text string) (remote, cmd, diag string) {
	t := oneLine(text)
	var buf, rbuf [512]byte
	lower := lowerIn(buf[:], t)
	// "(in reply to RCPT TO command)": smtp_reply_footer, always last.
	if i := strings.LastIndex(lower, "(in reply to "); i >= 0 {
		if j := strings.Index(lower[i:], " command)"); j > 0 {
			cmd = smtpCommand(t[i+len("(in reply to ") : i+j])
			t = strings.TrimSpace(t[:i] + t[i+j+len(" command)"):])
			lower = lowerIn(buf[:], t) // the lowered t before it no longer read
		}
	}
	// QUIRK: a destination marked dead repeats its last error after
	// "delivery temporarily suspended: ".
	if strings.HasPrefix(lower, "delivery temporarily suspended: ") {
		t = t[len("delivery temporarily suspended: "):]
		lower = lower[len("delivery temporarily suspended: "):]
	}
	switch {
	case strings.HasPrefix(lower, "host "):
		h, rest, ok := hostAndRest(t)
		if ok {
			remote = h
			rl := lowerIn(rbuf[:], rest)
			if strings.HasPrefix(rl, "refused to talk to me:") {
				rest = strings.TrimSpace(rest[len("refused to talk to me:"):])
				if cmd == "" {
					cmd = "CONN"
				}
			}
			if strings.HasPrefix(rl, "said:") {
				rest = strings.TrimSpace(rest[5:])
			}
			t = rest
		}
	case strings.HasPrefix(lower, "connect to "):
		// A TCP failure: no server spoke, so no command was refused.
		if h, _, ok := hostAndRest(t[len("connect to "):]); ok {
			remote = h
		}
		if i := strings.Index(lower, ": server refused to talk to me: "); i >= 0 {
			// Postfix before 2.3: the server did answer, at the greeting.
			t = t[i+len(": server refused to talk to me: "):]
			if cmd == "" {
				cmd = "CONN"
			}
		}
	case strings.HasPrefix(lower, "lost connection with "), strings.HasPrefix(lower, "conversation with "):
		// The connection broke (or timed out) with no reply: the host is
		// known, but no command was refused.
		start := strings.Index(lower, "with ") + len("with ")
		if h, _, ok := hostAndRest(t[start:]); ok {
			remote = h
		}
	case strings.HasPrefix(lower, "delivery via "):
		if h, rest, ok := hostAndRest(t[len("delivery via "):]); ok {
			remote = h
			t = rest
		}
	case strings.HasPrefix(lower, "tls is required, but "):
		if cmd == "" {
			cmd = "STARTTLS"
		}
		if i := strings.Index(lower, " by host "); i >= 0 {
			if h, _, ok := hostAndRest(t[i+len(" by host "):]); ok {
				remote = h
			}
		}
	}
	return remote, cmd, strings.TrimSpace(t)
}

// cleanPostfixDiagnostic removes Postfix's framing from a DSN
// Diagnostic-Code that repeats the notice ("host X said: ... (in reply to
// ... command)").
func cleanPostfixDiagnostic(r *Recipient) {
	d := r.Diagnostic
	var buf [512]byte
	ld := lowerIn(buf[:], d)
	if strings.HasPrefix(ld, "host ") || contains(ld, "(in reply to ") {
		remote, cmd, diag := postfixDetail(d)
		if r.RemoteMTA == "" {
			r.RemoteMTA = remote
		}
		if r.Command == "" {
			r.Command = cmd
		}
		r.Diagnostic = diag
	}
}

// postfixServerErrors reads the notice the Postfix SMTP server sends the
// postmaster about a session that failed ("Postfix SMTP server: errors
// from X"): a transcript of " In:" and " Out:" lines. The recipients are
// those of the RCPT TO commands; the error is the first 4xx or 5xx reply.
func postfixServerErrors(notice string) []Recipient {
	type step struct {
		in   bool
		text string
	}
	var steps []step
	for l := range lineSeq(notice) {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "In:"):
			steps = append(steps, step{true, strings.TrimSpace(t[3:])})
		case strings.HasPrefix(t, "Out:"):
			steps = append(steps, step{false, strings.TrimSpace(t[4:])})
		case t != "" && len(steps) > 0 && indentOf(l) >= 3:
			steps[len(steps)-1].text += " " + t
		case t == "" && len(steps) > 0:
			// the transcript ends at the first blank line after it
			if len(steps) > 2 {
				goto done
			}
		}
	}
done:
	var rcpts []string
	lastCmd, lastRcpt := "", ""
	var rs []Recipient
	for _, s := range steps {
		if s.in {
			lastCmd = s.text
			if smtpCommand(s.text) == "RCPT" {
				if a := firstAddress(s.text[min(len(s.text), 8):]); a != "" {
					lastRcpt = a
					rcpts = appendUnique(rcpts, a)
				}
			}
			continue
		}
		rc := leadingReplyCode(s.text)
		if rc == "" || rc[0] == '2' || rc[0] == '3' {
			continue
		}
		cmd := smtpCommand(lastCmd)
		if cmd == "QUIT" || strings.HasPrefix(strings.ToUpper(lastCmd), "QUIT") {
			continue
		}
		targets := rcpts
		if cmd == "RCPT" {
			targets = []string{lastRcpt}
		}
		for _, a := range targets {
			if findRecipient(rs, a) >= 0 {
				continue
			}
			r := Recipient{Address: a, Action: "failed", Diagnostic: s.text, Command: cmd}
			finishRecipient(&r)
			rs = append(rs, r)
		}
	}
	return rs
}

// receivedPostfix reports whether a Received line holds "(Postfix)" or
// "(Postfix,": one search of "(Postfix" for both.
func receivedPostfix(m *message) bool {
	r := m.received()
	for i := 0; ; {
		k := mime.Index(r[i:], "(Postfix")
		if k < 0 {
			return false
		}
		i += k + len("(Postfix")
		if i < len(r) && (r[i] == ')' || r[i] == ',') {
			return true
		}
	}
}
