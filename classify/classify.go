package classify

import "strings"

// Input is what the classifier knows of one failed recipient. Every field
// may be empty; an SMTP-time rejection from a send log typically carries
// only Status, ReplyCode and Diagnostic.
type Input struct {
	// Status is the RFC 3463 enhanced status code, e.g. "5.1.1".
	Status string
	// ReplyCode is the SMTP reply code, e.g. "550".
	ReplyCode string
	// Diagnostic is the remote server's text.
	Diagnostic string
	// Action is the RFC 3464 action: failed, delayed, delivered, relayed, expanded.
	Action string
	// Command is the SMTP command that was refused (RCPT, DATA, MAIL, CONN...).
	Command string
	// RemoteMTA is the host that refused the message, when known; some
	// providers' wordings only mean something coming from them.
	RemoteMTA string
	// Recipient is the failed address, when known (its domain can select
	// provider rules).
	Recipient string
	// Hint is a reason the decoder read from the report itself; used when
	// no stronger evidence contradicts it.
	Hint Reason
	// FeedbackType marks an ARF complaint when not empty.
	FeedbackType string
	// DiagnosticType is the RFC 3464 diagnostic-type of Diagnostic (smtp,
	// x-unix, x-local, ...), when the report gives one.
	DiagnosticType string
}

// Verdict is the classifier's answer.
type Verdict struct {
	// Reason is the fine cause.
	Reason Reason
	// Category is Reason's coarse class.
	Category Category
	// Hard reports whether retrying this recipient can never succeed.
	Hard bool
	// Rule names the rule that decided, e.g. "status:5.1.1" or
	// "text:mailbox_full/mailbox is full".
	Rule string
}

// Classify decides the reason, category and hardness of one failed
// recipient. It is a pure function of its input; each stage names itself
// in Verdict.Rule:
//
//	feedback:, action:, hint:   complaints, delivery reports, auto-replies
//	provider:NAME/...           a provider's own wordings and codes
//	text:REASON/WORDING         the server's words (English, Japanese, ...)
//	hint:REASON                 the decoder's reading of the report
//	status:X.Y.Z                the enhanced status code
//	weak:REASON/WORDING         generic words ("blocked", "denied", ...)
//	code:NNN, action:delayed    the reply code, the DSN action
//	default:REASON              nothing else applied
func Classify(in Input) Verdict {
	action := strings.ToLower(strings.TrimSpace(in.Action))
	switch {
	case in.FeedbackType != "":
		return verdict(Complaint, "feedback:"+strings.ToLower(strings.TrimSpace(in.FeedbackType)))
	case in.Hint == Complaint:
		return verdict(Complaint, "hint:complaint")
	case action == "delivered" || action == "relayed" || action == "expanded":
		return verdict(Delivered, "action:"+action)
	case in.Hint == Delivered || in.Hint == AutoReply:
		return verdict(in.Hint, "hint:"+string(in.Hint))
	}

	f := newFacts(in, action)

	// Providers: wordings that mean something specific coming from them.
	if p := findProvider(&f); p != nil {
		if r, why := firstMatch(p.Rules, &f); r != nil {
			return decide(&f, r.Reason, "provider:"+p.Name+"/"+why, r.Hard)
		}
	}
	// The server's own words, most specific first.
	if r, why := firstMatch(textRules, &f); r != nil {
		if refines(in.Hint, r.Reason) {
			return decide(&f, in.Hint, "hint:"+string(in.Hint)+"+text:"+string(r.Reason)+"/"+why, nil)
		}
		return decideAdjusted(&f, r.Reason, "text:"+string(r.Reason)+"/"+why, r.Hard)
	}
	// What the decoder read from the report.
	if in.Hint.Valid() && in.Hint != Undefined {
		return decide(&f, in.Hint, "hint:"+string(in.Hint), nil)
	}
	// RFC 3464 section 2.3.6: a diagnostic of type x-unix comes from a
	// local delivery program (procmail, maildrop, a pipe), not from a
	// remote server: its failure is the mailer's.
	if dt := strings.ToLower(strings.TrimSpace(in.DiagnosticType)); dt == "x-unix" || dt == "x-local" {
		return decide(&f, MailerError, "diagnostic-type:"+dt, nil)
	}
	// The enhanced status code.
	if r, _ := firstMatch(statusRules, &f); r != nil {
		return decideAdjusted(&f, r.Reason, "status:"+f.status, r.Hard)
	}
	// Generic words that only decide when nothing more specific did.
	if r, why := firstMatch(weakTextRules, &f); r != nil {
		return decideAdjusted(&f, r.Reason, "weak:"+string(r.Reason)+"/"+why, r.Hard)
	}
	// A delay notice whose status names only a class (4.4.0, 4.0.0): the
	// message is still queued and will expire if nothing changes.
	if action == "delayed" {
		return decide(&f, Expired, "action:delayed", nil)
	}
	// Classes of status codes, reply codes.
	if r, _ := firstMatch(fallbackRules, &f); r != nil {
		rule := "status:" + f.status
		if len(r.Status) == 0 {
			rule = "code:" + f.code
		}
		return decide(&f, r.Reason, rule, r.Hard)
	}
	if f.text != "" {
		// The server said something no rule understands: the failure
		// is real but its cause unknown (Sisimai's "onhold").
		return decide(&f, OnHold, "default:on_hold", nil)
	}
	return decide(&f, Undefined, "default:undefined", nil)
}

// newFacts normalises an Input once for every rule.
func newFacts(in Input, action string) facts {
	f := facts{
		text:    normalize(in.Diagnostic),
		status:  strings.TrimSpace(in.Status),
		code:    strings.TrimSpace(in.ReplyCode),
		command: strings.ToUpper(strings.TrimSpace(in.Command)),
		action:  action,
		remote:  strings.ToLower(strings.Trim(strings.TrimSpace(in.RemoteMTA), "[].")),
		domain:  domainOf(in.Recipient),
		hint:    in.Hint,
	}
	if statusLen(f.status) != len(f.status) {
		f.status = findStatus(f.status)
	}
	if !isReplyCode(f.code) {
		f.code = ""
	}
	f.idx = newIndex(f.text)
	if f.text != "" {
		// A send log may give only the text: read the codes from it. A
		// text's own code is also more precise than a generic x.0.0.
		if st := findStatus(f.text); st != "" && (f.status == "" || genericStatus(f.status) && !genericStatus(st) && st[0] == f.status[0]) {
			f.status = st
		}
		if f.code == "" {
			f.code = findReplyCode(f.text)
		}
		if f.command == "" {
			f.command = commandOf(&f.idx)
		}
	}
	f.command = normaliseCommand(f.command)
	return f
}

// genericStatus reports whether st says nothing beyond its class (x.0.0).
func genericStatus(st string) bool { return len(st) == 5 && st[1:] == ".0.0" }

func domainOf(addr string) string {
	addr = strings.TrimSpace(addr)
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(strings.Trim(addr[i+1:], "<>[]. "))
	}
	return ""
}

// commandWords map wordings of MTAs (Postfix "in reply to ... command",
// Exim "after ...", Sendmail ">>> ...", qmail's sentences) to the SMTP
// command they name. The last one in the text wins: it is the one the
// final error answered.
var commandWords = []struct{ word, command string }{
	{"in reply to rcpt to", "RCPT"},
	{"after rcpt to", "RCPT"},
	{"after rcpt", "RCPT"},
	{">>> rcpt to", "RCPT"},
	{"does not like recipient", "RCPT"},
	{"rcpt to response", "RCPT"},
	{"smtp:rcpt", "RCPT"},
	{"smtp:data", "DATA"},
	{"smtp:mail", "MAIL"},
	{"in reply to end of data", "DATA"},
	{"in reply to data", "DATA"},
	{"after end of data", "DATA"},
	{"after data", "DATA"},
	{">>> data", "DATA"},
	{"failed after i sent the message", "DATA"},
	{"in reply to mail from", "MAIL"},
	{"after mail from", "MAIL"},
	{">>> mail from", "MAIL"},
	{"sender was rejected", "MAIL"},
	{"after initial connection", "CONN"},
	{"refused to talk to me", "CONN"},
	{"while receiving the initial server greeting", "CONN"},
	{"in reply to helo", "HELO"},
	{"in reply to ehlo", "HELO"},
	{"after helo", "HELO"},
	{"after ehlo", "HELO"},
	{"my name was rejected", "HELO"},
	{"in reply to starttls", "STARTTLS"},
	{"after starttls", "STARTTLS"},
}

// commandPatterns are commandWords compiled, in the same order.
var commandPatterns = func() []pattern {
	ps := make([]pattern, len(commandWords))
	for i, w := range commandWords {
		ps[i] = compilePattern(w.word)
	}
	return ps
}()

func commandOf(x *index) string {
	best, at := "", -1
	for i := range commandPatterns {
		p := &commandPatterns[i]
		if !p.mayOccur(x) {
			continue
		}
		if j := strings.LastIndex(x.s, p.pieces[0]); j > at {
			best, at = commandWords[i].command, j
		}
	}
	return best
}

func normaliseCommand(c string) string {
	switch {
	case c == "":
		return ""
	case strings.HasPrefix(c, "RCPT"):
		return "RCPT"
	case strings.HasPrefix(c, "MAIL"):
		return "MAIL"
	case strings.HasPrefix(c, "DATA"), c == "BDAT", c == "EOD", c == "END-OF-DATA":
		return "DATA"
	case c == "EHLO" || c == "HELO" || c == "LHLO":
		return "HELO"
	case c == "CONNECT" || c == "CONNECTION" || c == "BANNER" || c == "GREETING":
		return "CONN"
	}
	return c
}

// decideAdjusted refines an address reason with the SMTP command and the
// status before deciding:
//   - an unknown address or domain refused at MAIL is the sender's, not
//     the recipient's: rejected;
//   - one refused at connection or HELO time is the client's own name:
//     blocked;
//   - a recipient refused as unknown only after DATA (the address was
//     accepted at RCPT), or under a mailbox-status code (X.2.0, X.2.1: the
//     mailbox exists but does not accept), is a filter's refusal, as the
//     Japanese carriers and content filters answer: filtered;
//   - so is one in a delivery report (Action set) that proves neither the
//     stage nor the address: no SMTP command, no status beyond its class
//     (X.0.0 or none) and no decoder hint. Such replies come from content
//     filtering gateways and relays (McAfee, SurfControl, MXLogic...) that
//     answer "unknown user" for whatever their policy refuses; Sisimai
//     reads them the same way.
//
// A specific X.1.x code, a refusal at RCPT, or a decoder's user_unknown
// hint keeps user_unknown. A bare SMTP reply from a send log (no Action)
// is taken at face value: a client logs the reply to its own RCPT.
func decideAdjusted(f *facts, r Reason, rule string, hard *bool) Verdict {
	if r == UserUnknown || r == HostUnknown {
		switch {
		case f.command == "MAIL":
			return decide(f, Rejected, rule+"+command:MAIL", nil)
		case f.command == "CONN" || f.command == "HELO":
			return decide(f, Blocked, rule+"+command:"+f.command, nil)
		}
	}
	if r == UserUnknown && f.command != "RCPT" && !statusMatch(f.status, "x.1.") {
		switch {
		case statusMatch(f.status, "x.2.0") || statusMatch(f.status, "x.2.1"):
			return decide(f, Filtered, rule+"+status:"+f.status, nil)
		case f.command == "DATA":
			return decide(f, Filtered, rule+"+command:DATA", nil)
		case f.command == "" && f.action != "" && f.hint != UserUnknown && (f.status == "" || genericStatus(f.status)):
			return decide(f, Filtered, rule+"+stage:unknown", nil)
		}
	}
	return decide(f, r, rule, hard)
}

// decide builds the verdict: the contract's hardness unless the rule proves
// otherwise, and never hard for a domain-level failure the server reported
// as temporary (a 4xx DNS answer may change).
func decide(f *facts, r Reason, rule string, hard *bool) Verdict {
	v := verdict(r, rule)
	switch {
	case hard != nil:
		v.Hard = *hard
	case v.Hard && (r == HostUnknown || r == NotAccept) && temporary(f):
		v.Hard = false
	}
	return v
}

// temporary reports whether the server called the failure temporary.
func temporary(f *facts) bool {
	if f.status != "" {
		return f.status[0] == '4'
	}
	return f.code != "" && f.code[0] == '4'
}

func verdict(r Reason, rule string) Verdict {
	return Verdict{Reason: r, Category: r.Category(), Hard: r.Hard(), Rule: rule}
}

// hintRefinements lists, for a reason read from the text, the narrower
// reasons a decoder's hint may substitute for it: the decoder has read
// the report's own structured cause (a PowerMTA bounce category, an ESP's
// bounce subtype, a gateway's verdict), which does not contradict the
// text but says more. A report saying that its MTA gave up by time
// (hint expired: qmail's "in the queue too long", a delivery-time
// notice) outweighs the transient network or system error it met on
// the way: the retries are over. A hint outside this list loses to the
// text.
var hintRefinements = map[Reason][]Reason{
	UserUnknown:  {Filtered, Suspended, HasMoved},
	Blocked:      {BadReputation, RequirePTR, SpamDetected, RateLimited, TooManyConnections, PolicyViolation},
	Rejected:     {Blocked, PolicyViolation, SpamDetected, AuthFailure, SecurityError},
	SpamDetected: {VirusDetected, PolicyViolation, ContentError},
	SystemError:  {MailerError, SystemFull, Expired},
	NetworkError: {Expired},
	Expired:      {NetworkError, HostUnknown, NotAccept},
}

func refines(hint, text Reason) bool {
	for _, r := range hintRefinements[text] {
		if r == hint {
			return true
		}
	}
	return false
}
