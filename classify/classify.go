package classify

import (
	"slices"
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

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
	// Confidence says how strong the evidence is; a Low verdict must
	// never suppress an address for good.
	Confidence Confidence
	// RuleSource says where the deciding rule comes from (an RFC, an
	// MTA's source or documentation, a provider's error reference, a
	// corpus message), or "" when that is not recorded.
	RuleSource string
}

// Confidence is how strong the evidence of a verdict is.
type Confidence string

// The confidence levels.
const (
	// High: a specific status code, the report's structure (a complaint,
	// a delivery report) or a rule with a cited source decided.
	High Confidence = "high"
	// Medium: a rule without a recorded source, the decoder's hint,
	// generic words or the class of a status code decided.
	Medium Confidence = "medium"
	// Low: a fallback guess (a bare reply code, the catch-all).
	Low Confidence = "low"
)

// Classifier classifies with one set of rules. The zero value is not
// usable; New makes one.
type Classifier struct {
	rules *Rules
}

// New returns a Classifier with rules, or with the built-in rules when
// rules is nil.
func New(rules *Rules) *Classifier {
	if rules == nil {
		rules = builtin
	}
	return &Classifier{rules: rules}
}

var defaultClassifier = New(nil)

// Classify decides the reason, category and hardness of one failed
// recipient with the built-in rules; see Classifier.Classify.
func Classify(in Input) Verdict { return defaultClassifier.Classify(in) }

// Classify decides the reason, category and hardness of one failed
// recipient. It is a pure function of its input and the rules; each stage
// names itself in Verdict.Rule:
//
//	feedback:, action:, hint:   complaints, delivery reports, auto-replies
//	provider:NAME/...           a provider's own wordings and codes
//	text:REASON/WORDING         the server's words (English, Japanese, ...)
//	hint:REASON                 the decoder's reading of the report
//	status:X.Y.Z                the enhanced status code
//	weak:REASON/WORDING         generic words ("blocked", "denied", ...)
//	code:NNN, action:delayed    the reply code, the DSN action
//	default:REASON              nothing else applied
//
// After a rule of the provider, text, status or weak stages matched, the
// refine and adjust rules of the table may change its verdict (each
// names itself after a "+").
func (c *Classifier) Classify(in Input) Verdict {
	t := c.rules
	action := strings.ToLower(strings.TrimSpace(in.Action))
	switch {
	case in.FeedbackType != "":
		return structural(Complaint, "feedback:"+strings.ToLower(strings.TrimSpace(in.FeedbackType)), "RFC 5965 section 3.1 (Feedback-Type)")
	case in.Hint == Complaint:
		return structural(Complaint, "hint:complaint", "")
	case action == "delivered" || action == "relayed" || action == "expanded":
		return structural(Delivered, "action:"+action, "RFC 3464 section 2.3.3 (Action)")
	case in.Hint == Delivered || in.Hint == AutoReply:
		return structural(in.Hint, "hint:"+string(in.Hint), "")
	}

	f := newFacts(in, action)

	// Providers: wordings that mean something specific coming from them.
	if p := t.findProvider(&f); p != nil {
		if r, why, src := firstMatch(p.Rules, &f); r != nil {
			return t.decide(&f, "provider", r, r.Reason, "provider:"+p.Name+"/"+why, src, ruleConfidence(r, src, High))
		}
	}
	// The server's own words, most specific first.
	if r, why, src := firstMatch(t.text, &f); r != nil {
		rule := "text:" + string(r.Reason) + "/" + why
		if ref := t.refinement(r.Reason, &f); ref != nil {
			return t.decide(&f, "hint", ref, in.Hint, "hint:"+string(in.Hint)+"+"+rule, src, ruleConfidence(r, src, High))
		}
		return t.decide(&f, stageText, r, r.Reason, rule, src, ruleConfidence(r, src, High))
	}
	// What the decoder read from the report.
	if in.Hint.Valid() && in.Hint != Undefined {
		return t.decide(&f, "hint", nil, in.Hint, "hint:"+string(in.Hint), "", Medium)
	}
	// RFC 3464 section 2.3.6: a diagnostic of type x-unix comes from a
	// local delivery program (procmail, maildrop, a pipe), not from a
	// remote server: its failure is the mailer's.
	if dt := strings.ToLower(strings.TrimSpace(in.DiagnosticType)); dt == "x-unix" || dt == "x-local" {
		return t.decide(&f, "hint", nil, MailerError, "diagnostic-type:"+dt, "RFC 3464 section 2.3.6 (Diagnostic-Code)", Medium)
	}
	// The enhanced status code.
	if r, _, src := firstMatch(t.status, &f); r != nil {
		return t.decide(&f, stageStatus, r, r.Reason, "status:"+f.status, src, ruleConfidence(r, src, High))
	}
	// Generic words that only decide when nothing more specific did.
	if r, why, src := firstMatch(t.weak, &f); r != nil {
		return t.decide(&f, stageWeak, r, r.Reason, "weak:"+string(r.Reason)+"/"+why, src, ruleConfidence(r, src, Medium))
	}
	// A delay notice whose status names only a class (4.4.0, 4.0.0): the
	// message is still queued and will expire if nothing changes.
	if action == "delayed" {
		return t.decide(&f, "fallback", nil, Expired, "action:delayed", "RFC 3464 section 2.3.3 (Action: delayed)", Medium)
	}
	// Classes of status codes, reply codes.
	if r, _, src := firstMatch(t.fallback, &f); r != nil {
		rule, conf := "status:"+f.status, Medium
		if len(r.Status) == 0 {
			rule, conf = "code:"+f.code, Low
		}
		return t.decide(&f, "fallback", r, r.Reason, rule, src, ruleConfidence(r, src, conf))
	}
	if f.text != "" {
		// The server said something no rule understands: the failure
		// is real but its cause unknown (Sisimai's "onhold").
		return t.decide(&f, "fallback", nil, OnHold, "default:on_hold", "", Low)
	}
	return t.decide(&f, "fallback", nil, Undefined, "default:undefined", "", Low)
}

// structural is a verdict the report's structure decided.
func structural(r Reason, rule, src string) Verdict {
	v := verdict(r, rule)
	v.Confidence, v.RuleSource = High, src
	return v
}

// ruleConfidence is the confidence of a verdict of rule r whose deciding
// wording or code comes from src: at most max, Medium for a wording
// whose origin is not recorded, and never above what the rule's own
// confidence= condition allows.
func ruleConfidence(r *Rule, src string, max Confidence) Confidence {
	c := max
	if c == High && !cited(src) {
		c = Medium
	}
	if r != nil && r.cond.confidence != "" && rank(r.cond.confidence) < rank(c) {
		c = r.cond.confidence
	}
	return c
}

func rank(c Confidence) int {
	switch c {
	case High:
		return 2
	case Medium:
		return 1
	}
	return 0
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
		dtype:   strings.ToLower(strings.TrimSpace(in.DiagnosticType)),
	}
	if !smtp.IsStatus(f.status) {
		f.status = smtp.FindStatus(f.status)
	}
	if !smtp.IsReplyCode(f.code) {
		f.code = ""
	}
	f.idx = newIndex(f.text)
	if f.text != "" {
		// A send log may give only the text: read the codes from it. A
		// text's own code is also more precise than a generic x.0.0,
		// and than a relay's X.7.1 beside a code of another subject.
		if st := failureStatus(f.text, in.Diagnostic); st != "" && (f.status == "" || lessPrecise(f.status, st)) {
			f.status = st
		}
		if f.code == "" {
			f.code = smtp.FindReplyCode(f.text)
		}
		if f.command == "" {
			f.command = commandOf(&f.idx)
		}
	}
	if c := smtp.ParseCommand(f.command); c != "" {
		f.command = string(c)
	}
	return f
}

// failureStatus returns the first enhanced status code of the normalised
// text, or, when that is a success code (2.X.X) of a reply a transcript
// quotes before the failure ("250 2.1.0 Sender OK ... 554 5.7.1 ..."),
// the first failure code of the raw diagnostic (normalize drops the
// codes of continued replies), else the success code.
func failureStatus(text, raw string) string {
	st := smtp.FindStatus(text)
	if st == "" || st[0] != '2' {
		return st
	}
	for s := raw; s != ""; {
		c := smtp.FindStatus(s)
		if c == "" {
			break
		}
		if c[0] != '2' {
			return c
		}
		s = s[strings.Index(s, c)+len(c):]
	}
	return st
}

// lessPrecise reports whether the report's status st says less than the
// code c the server's own text gives, of the same class: st is generic
// (x.0.0), or st is X.7.1 and c of another subject. RFC 3463 section 3.8
// names X.7.1 "delivery not authorized, message refused", the refusal a
// relay reports for whatever it refused; RFC 3464 section 2.3.6 makes the
// Diagnostic-Code the code the refusing server actually issued, so its
// mailbox, address or size code (X.2.2, X.1.1, X.3.4) tells the cause.
func lessPrecise(st, c string) bool {
	if genericStatus(c) || st[0] != c[0] {
		return false
	}
	if genericStatus(st) {
		return true
	}
	return st[1:] == ".7.1" && !strings.HasPrefix(c[1:], ".7.")
}

// genericStatus reports whether st says nothing beyond its class (x.0.0).
func genericStatus(st string) bool { return st != "" && smtp.GenericStatus(st) }

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
var commandWords = []struct {
	word    string
	command smtp.Command
}{
	{"in reply to rcpt to", smtp.Rcpt},
	{"after rcpt to", smtp.Rcpt},
	{"after rcpt", smtp.Rcpt},
	{">>> rcpt to", smtp.Rcpt},
	{"does not like recipient", smtp.Rcpt},
	{"rcpt to response", smtp.Rcpt},
	{"smtp:rcpt", smtp.Rcpt},
	{"smtp:data", smtp.Data},
	{"smtp:mail", smtp.Mail},
	{"in reply to end of data", smtp.Data},
	{"in reply to data", smtp.Data},
	{"after end of data", smtp.Data},
	{"after data", smtp.Data},
	{">>> data", smtp.Data},
	{"failed after i sent the message", smtp.Data},
	{"in reply to mail from", smtp.Mail},
	{"after mail from", smtp.Mail},
	{">>> mail from", smtp.Mail},
	{"sender was rejected", smtp.Mail},
	{"after initial connection", smtp.Conn},
	{"refused to talk to me", smtp.Conn},
	{"while receiving the initial server greeting", smtp.Conn},
	{"in reply to helo", smtp.Helo},
	{"in reply to ehlo", smtp.Helo},
	{"after helo", smtp.Helo},
	{"after ehlo", smtp.Helo},
	{"my name was rejected", smtp.Helo},
	{"in reply to starttls", smtp.StartTLS},
	{"after starttls", smtp.StartTLS},
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
			best, at = string(commandWords[i].command), j
		}
	}
	return best
}

// decide builds the verdict of a rule (nil for a stage of its own) of
// the given stage, then applies the adjust rules of the table that hold:
// each may change the reason (naming itself after a "+" in the rule) or
// the hardness (only when the deciding rule did not set it), and lower
// the confidence. The first adjust rule that changes the reason, or keeps
// it (a rule whose reason is the verdict's own), ends the adjustments of
// the reason; hardness rules are all tried.
func (t *Rules) decide(f *facts, stage string, r *Rule, reason Reason, rule, src string, conf Confidence) Verdict {
	var hard *bool
	if r != nil {
		hard = r.Hard
	}
	reasonDone := false
	for i := range t.adjust {
		a := &t.adjust[i]
		if !a.adjusts(stage, reason, f) {
			continue
		}
		changes := a.Reason != "-" && a.Reason != ""
		if changes && reasonDone || !changes && (a.cond.hard == nil || hard != nil) {
			continue
		}
		if changes {
			// A rule whose reason is the verdict's own keeps it (and its
			// hardness) and ends the adjustments of the reason: the
			// wording told what the later rules would have guessed.
			if a.cond.hard == nil && a.Reason != reason {
				hard = nil // the new reason's own hardness
			}
			reason, reasonDone = a.Reason, true
			if a.cond.name != "" {
				rule += "+" + expandName(a.cond.name, f)
			}
		}
		if a.cond.hard != nil && hard == nil {
			hard = a.cond.hard
		}
		if a.cond.confidence != "" && rank(a.cond.confidence) < rank(conf) {
			conf = a.cond.confidence
		}
	}
	v := verdict(reason, rule)
	if hard != nil {
		v.Hard = *hard
	}
	v.Confidence, v.RuleSource = conf, src
	return v
}

// expandName fills "{status}" and "{command}" in an adjust rule's name.
func expandName(name string, f *facts) string {
	if strings.IndexByte(name, '{') < 0 {
		return name
	}
	return strings.NewReplacer("{status}", f.status, "{command}", f.command).Replace(name)
}

// adjusts reports whether the adjust rule a holds for a verdict of reason
// from the given stage.
func (a *Rule) adjusts(stage string, reason Reason, f *facts) bool {
	c := &a.cond
	if !reasonIn(reason, c.from) {
		return false
	}
	if len(c.stages) > 0 && !slices.Contains(c.stages, "*") && !slices.Contains(c.stages, stage) {
		return false
	}
	return c.holds(f) && a.worded(f)
}

// worded reports whether the wordings of an adjust rule hold for f: one
// of them occurs (when it lists any) and none of its !wordings does.
func (a *Rule) worded(f *facts) bool {
	if len(a.text) > 0 {
		found := false
		for i := range a.text {
			if a.text[i].in(&f.idx) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for i := range a.not {
		if a.not[i].in(&f.idx) {
			return false
		}
	}
	return true
}

// holds checks the conditions of an adjust or refine rule other than
// from and stages.
func (c *cond) holds(f *facts) bool {
	if len(c.command) > 0 && !slices.Contains(c.command, f.command) {
		return false
	}
	if len(c.commandNot) > 0 && slices.Contains(c.commandNot, f.command) {
		return false
	}
	if len(c.status) > 0 && !statusCond(f.status, c.status) {
		return false
	}
	if len(c.statusNot) > 0 && statusCond(f.status, c.statusNot) {
		return false
	}
	if len(c.code) > 0 && !codeIn(f.code, c.code) {
		return false
	}
	if len(c.hint) > 0 && !slices.Contains(c.hint, string(f.hint)) {
		return false
	}
	if len(c.hintNot) > 0 && slices.Contains(c.hintNot, string(f.hint)) {
		return false
	}
	if len(c.dtypeNot) > 0 && slices.Contains(c.dtypeNot, f.dtype) {
		return false
	}
	switch c.action {
	case "-":
		if f.action != "" {
			return false
		}
	case "*":
		if f.action == "" {
			return false
		}
	}
	if c.temporary && !temporary(f) {
		return false
	}
	return true
}

// statusCond matches a status against a condition's list, where "" means
// no status and "generic" a class-only code (X.0.0).
func statusCond(st string, list []string) bool {
	for _, p := range list {
		switch {
		case p == "":
			if st == "" {
				return true
			}
		case p == "generic":
			if genericStatus(st) {
				return true
			}
		case statusMatch(st, p):
			return true
		}
	}
	return false
}

func reasonIn(r Reason, list []Reason) bool { return slices.Contains(list, r) }

// refinement returns the refine rule that lets the decoder's hint stand
// for the reason a text rule gave, or nil. The decoder has read the
// report's own structured cause (a PowerMTA bounce category, an ESP's
// bounce subtype, a gateway's verdict), which does not contradict the
// text but says more.
func (t *Rules) refinement(text Reason, f *facts) *Rule {
	if f.hint == "" {
		return nil
	}
	for i := range t.refine {
		r := &t.refine[i]
		if r.Reason == f.hint && reasonIn(text, r.cond.from) && r.cond.holds(f) {
			return r
		}
	}
	return nil
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
