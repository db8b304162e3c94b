package classify

import "github.com/bounced-dev/bounced/internal/smtp"

// Rule is one line of a rule table: a reason and the conditions under which
// it applies. Every non-empty condition must hold; within one condition any
// listed value will do. A rule with no condition at all never matches.
type Rule struct {
	// Reason is the verdict when the rule matches.
	Reason Reason
	// Text lists wordings (see the package doc for their syntax); one of
	// them must occur in the diagnostic.
	Text []string
	// Not lists wordings none of which may occur in the diagnostic.
	Not []string
	// Status lists enhanced status codes: "5.7.26" (exactly), "x.7.26"
	// (either class), "5.7." or "x.2." (a prefix).
	Status []string
	// Code lists SMTP reply codes: "550", or a class "5xx".
	Code []string
	// Command lists the SMTP commands the rule is about (RCPT, DATA, MAIL,
	// CONN, HELO...; "" for none known).
	Command []string
	// Spoke requires the server to have said something beyond its reply
	// and status codes.
	Spoke bool
	// Hard, when not nil, overrides the reason's default hardness: only
	// where the wording itself proves the failure is (or is not) permanent.
	Hard *bool
	// Name, when set, replaces the matched wording in Verdict.Rule.
	Name string
	// Source says where the rule comes from (its first line's source).
	Source string

	text          []pattern
	textLines     []*line // the line of each wording, for its source
	not           []pattern
	statusSources []string
	codeSources   []string
	cond          cond
	line          *line
}

// facts is the normalised Input that rules are matched against.
type facts struct {
	text    string // normalised diagnostic
	idx     index  // text and its byte pairs
	status  string // "5.1.1", possibly read from the text
	code    string // "550", possibly read from the text
	command string // upper case: RCPT, DATA, MAIL, CONN, HELO, ...
	action  string
	remote  string // lower-case host of the remote MTA
	domain  string // recipient's domain, lower case
	hint    Reason // the decoder's hint, possibly empty
	dtype   string // lower-case RFC 3464 diagnostic-type, possibly empty
}

// match returns whether r holds for f and, if so, a short description of
// what matched (the wording, or the status or code) and where that
// wording or code comes from.
func (r *Rule) match(f *facts) (bool, string, string) {
	if len(r.Status) > 0 && !statusCond(f.status, r.Status) {
		return false, "", ""
	}
	if len(r.Code) > 0 && !codeIn(f.code, r.Code) {
		return false, "", ""
	}
	if len(r.Command) > 0 && !commandIn(f.command, r.Command) {
		return false, "", ""
	}
	if r.Spoke && !spoke(f.text) {
		return false, "", ""
	}
	why, src := "", r.Source
	if len(r.text) > 0 {
		if f.text == "" {
			return false, "", ""
		}
		for i := range r.text {
			if r.text[i].in(&f.idx) {
				why, src = r.text[i].src, r.textLines[i].source
				break
			}
		}
		if why == "" {
			return false, "", ""
		}
	}
	for i := range r.not {
		if r.not[i].in(&f.idx) {
			return false, "", ""
		}
	}
	if r.Name != "" {
		why = r.Name
	}
	if why == "" {
		switch {
		case len(r.Status) > 0:
			why = f.status
			src = pickSource(r.Status, r.statusSources, src, func(p string) bool { return statusMatch(f.status, p) })
		case len(r.Code) > 0:
			why = f.code
			src = pickSource(r.Code, r.codeSources, src, func(p string) bool { return codeIn(f.code, []string{p}) })
		default:
			why = f.command
		}
	}
	return true, why, src
}

// pickSource returns the source of the first of list that ok accepts,
// when the codes came from lines of their own, else def.
func pickSource(list, sources []string, def string, ok func(string) bool) string {
	if len(sources) != len(list) {
		return def
	}
	for i, p := range list {
		if ok(p) {
			return sources[i]
		}
	}
	return def
}

// statusMatch matches a status against "5.7.26", "x.7.26", "5.7." or "x.7.".
func statusMatch(st, p string) bool { return smtp.StatusMatch(st, p) }

func codeIn(code string, list []string) bool {
	if code == "" {
		return false
	}
	for _, c := range list {
		if c == code || len(c) == 3 && c[1:] == "xx" && c[0] == code[0] {
			return true
		}
	}
	return false
}

func commandIn(cmd string, list []string) bool {
	for _, c := range list {
		if c == cmd {
			return true
		}
	}
	return false
}

// firstMatch returns the first rule of table that holds for f, what
// matched and its source.
func firstMatch(table []Rule, f *facts) (*Rule, string, string) {
	for i := range table {
		if ok, why, src := table[i].match(f); ok {
			return &table[i], why, src
		}
	}
	return nil, "", ""
}

// spoke reports whether a normalised text holds a word of at least three
// letters, not just codes.
func spoke(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 0x80 {
			n++
			if n >= 3 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}
