package classify

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// The built-in rules: one wording (or code) per line; the package doc
// describes the format.
//
//go:embed rules/*.tsv
var builtinFiles embed.FS

// ErrRules is returned (wrapped, with the file and line) by LoadRules and
// ParseRules for a rules file that cannot be used.
var ErrRules = errors.New("classify: bad rules file")

// The stages of a rules file, in the order Classify tries them (see the
// package doc). A provider's stage is "provider:NAME".
const (
	stageText     = "text"
	stageWeak     = "weak"
	stageStatus   = "status"
	stageFallback = "fallback"
	stageRefine   = "refine"
	stageAdjust   = "adjust"
	stageProvider = "provider:"
)

// Source prefixes that do not count as a citation: "legacy" marks a
// wording carried over from the tables before rules became data, whose
// origin was not recorded.
const sourceLegacy = "legacy"

// sourceMeaning marks a wording written from the meaning of the words (a
// paraphrase, another language) with no published reference: like
// legacy, it is not a citation.
const sourceMeaning = "meaning"

// sourceUnattributed starts the source of a wording found neither in the
// shared corpus nor in a published reference ("unattributed: WHY"): like
// legacy, it is not a citation.
const sourceUnattributed = "unattributed:"

// sourceDesign starts the source of a rule of conditions with no wording
// that is this project's own decision ("design: WHY", naming the part of
// the package doc that explains it), such as the refine lines: no server
// or standard wrote it, so it is not a citation, and a line with a
// wording may not use it.
const sourceDesign = "design:"

// reasonOff is the reason of an operator's line that turns a built-in
// wording off: the built-in lines of its stage with that match no longer
// count, and the line adds no rule of its own.
const reasonOff = "off"

// cited reports whether src is a citation (not empty, legacy, meaning,
// design or unattributed).
func cited(src string) bool {
	return src != "" && src != sourceLegacy && src != sourceMeaning && !strings.HasPrefix(src, sourceUnattributed) &&
		!strings.HasPrefix(src, sourceDesign)
}

// line is one parsed line of a rules file.
type line struct {
	file     string
	n        int
	stage    string
	prio     int
	reason   string
	match    string
	not      bool
	when     string
	cond     cond
	source   string
	operator bool
}

func (l *line) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s:%d: %s", ErrRules, l.file, l.n, fmt.Sprintf(format, args...))
}

// cond is the parsed "when" column.
type cond struct {
	status, code, command []string
	statusNot, commandNot []string
	from                  []Reason
	hint, hintNot         []string
	dtypeNot              []string // diagtype!=: RFC 3464 diagnostic-types
	action                string   // "", "-" (none) or "*" (any)
	stages                []string
	temporary             bool
	spoke                 bool
	hard                  *bool
	name                  string
	confidence            Confidence
}

// Rules is a validated rule table: the built-in rules, optionally with an
// operator's rules added. It is immutable and safe for concurrent use.
type Rules struct {
	providers []Provider
	text      []Rule
	weak      []Rule
	status    []Rule
	fallback  []Rule
	refine    []Rule
	adjust    []Rule
}

// Builtin returns the built-in rules (the files under classify/rules).
// They are validated by the tests; Builtin panics if they are not valid.
func Builtin() *Rules { return builtin }

var builtin = mustBuiltin()

func mustBuiltin() *Rules {
	lines, err := builtinLines()
	if err != nil {
		panic(err)
	}
	r, err := build(lines)
	if err != nil {
		panic(err)
	}
	return r
}

func builtinLines() ([]line, error) {
	names, err := fs.Glob(builtinFiles, "rules/*.tsv")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []line
	for _, n := range names {
		f, err := builtinFiles.Open(n)
		if err != nil {
			return nil, err
		}
		ls, err := parseLines(f, "classify/"+n, false)
		f.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, ls...)
	}
	return all, nil
}

// LoadRules reads an operator's rules file (the format of the built-in
// files) and returns the built-in rules with it added: its lines are
// tried before built-in lines of the same stage and precedence, and a
// wording it lists replaces the same wording of the built-in rules of
// that stage (reason "off": removes it, adding nothing). A file that cannot be used is refused with an error naming
// its line (errors.Is(err, ErrRules)).
func LoadRules(r io.Reader, name string) (*Rules, error) {
	ls, err := parseLines(r, name, true)
	if err != nil {
		return nil, err
	}
	base, err := builtinLines()
	if err != nil {
		return nil, err
	}
	return build(append(base, ls...))
}

// LoadRulesFile is LoadRules on the file at path.
func LoadRulesFile(path string) (*Rules, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("classify: rules file: %w", err)
	}
	defer f.Close()
	return LoadRules(f, path)
}

// parseLines reads and checks every line of one file on its own.
func parseLines(r io.Reader, name string, operator bool) ([]line, error) {
	var out []line
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimRight(sc.Text(), " \r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		l := line{file: name, n: n, operator: operator}
		cols := strings.Split(text, "\t")
		if len(cols) != 6 {
			return nil, l.errorf("want 6 tab-separated columns (stage, prio, reason, match, when, source), got %d", len(cols))
		}
		l.stage, l.reason, l.match, l.when, l.source = cols[0], cols[2], cols[3], cols[4], strings.TrimSpace(cols[5])
		p, err := strconv.Atoi(cols[1])
		if err != nil || p < 0 {
			return nil, l.errorf("precedence %q is not a non-negative number", cols[1])
		}
		l.prio = p
		if err := l.check(); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRules, name, err)
	}
	return out, nil
}

// check validates one line and parses its conditions.
func (l *line) check() error {
	switch {
	case l.stage == stageText, l.stage == stageWeak, l.stage == stageStatus, l.stage == stageFallback,
		l.stage == stageRefine, l.stage == stageAdjust:
	case strings.HasPrefix(l.stage, stageProvider) && validName(l.stage[len(stageProvider):]):
	default:
		return l.errorf("unknown stage %q", l.stage)
	}
	if l.source == "" {
		return l.errorf("no source: say where the wording comes from (or %q)", sourceUnattributed+" WHY")
	}
	selector := strings.HasPrefix(l.stage, stageProvider) && (l.reason == "host" || l.reason == "sign")
	switch {
	case selector:
	case l.stage == stageAdjust && l.reason == "-":
	case l.reason == reasonOff:
		if !l.operator {
			return l.errorf("reason %q is for an operator's file, to turn a built-in wording off", reasonOff)
		}
		if strings.HasPrefix(l.match, "!") || l.match == "-" || l.when != "-" {
			return l.errorf("an %q line names the built-in wording it turns off, with no conditions (when -)", reasonOff)
		}
		return nil
	case !Reason(l.reason).Valid():
		return l.errorf("unknown reason %q", l.reason)
	}
	if strings.HasPrefix(l.match, "!") {
		l.not, l.match = true, l.match[1:]
	}
	if l.match == "" {
		return l.errorf("empty match (write - for none)")
	}
	if strings.HasPrefix(l.source, sourceDesign) && l.match != "-" {
		return l.errorf("source %q: %s is for rules of conditions only; say where the wording %q comes from", l.source, sourceDesign, l.match)
	}
	c, err := parseCond(l.when)
	if err != nil {
		return l.errorf("%v", err)
	}
	l.cond = c
	switch {
	case selector && l.reason == "host":
		if l.not || strings.ToLower(l.match) != l.match || strings.ContainsAny(l.match, " *|^") {
			return l.errorf("bad provider host %q", l.match)
		}
		return nil
	case l.stage == stageRefine || l.stage == stageAdjust:
		if len(c.from) == 0 {
			return l.errorf("a %s line needs from=REASON,...", l.stage)
		}
		if l.match == "-" {
			return nil
		}
		// An adjust line may name wordings that tell what the conditions
		// cannot (the stage a reply's own words belong to); a refine
		// line stands on the decoder's hint only.
		if l.stage == stageRefine || strings.HasPrefix(l.match, "status:") || strings.HasPrefix(l.match, "code:") {
			return l.errorf("a %s line matches no wording or code (write -)", l.stage)
		}
		if _, err := parsePattern(l.match); err != nil {
			return l.errorf("%v", err)
		}
		return nil
	}
	if l.match == "-" {
		return nil
	}
	if s, ok := strings.CutPrefix(l.match, "status:"); ok {
		if l.not || !validStatusPattern(s) {
			return l.errorf("bad status pattern %q", s)
		}
		return nil
	}
	if s, ok := strings.CutPrefix(l.match, "code:"); ok {
		if l.not || !validCodePattern(s) {
			return l.errorf("bad reply code pattern %q", s)
		}
		return nil
	}
	if _, err := parsePattern(l.match); err != nil {
		return l.errorf("%v", err)
	}
	return nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validStatusPattern accepts "5.7.26", "x.7.26", "5.7.", "x.2.", "5.".
func validStatusPattern(p string) bool {
	if len(p) < 2 || p[0] != 'x' && p[0] != '2' && p[0] != '4' && p[0] != '5' || p[1] != '.' {
		return false
	}
	if len(p) == 2 {
		return true
	}
	probe := "5" + p[1:]
	if strings.HasSuffix(probe, ".") {
		probe += "0"
	}
	return smtp.IsStatus(probe)
}

// validCodePattern accepts "550" and "5xx".
func validCodePattern(c string) bool {
	return smtp.IsReplyCode(c) || len(c) == 3 && c[1:] == "xx" && c[0] >= '2' && c[0] <= '5'
}

// parseCond reads "key=v,v; key!=v; ...". A value "-" means empty.
func parseCond(s string) (cond, error) {
	var c cond
	if s == "-" || s == "" {
		return c, nil
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		if !ok {
			return c, fmt.Errorf("condition %q is not key=value", item)
		}
		neg := strings.HasSuffix(k, "!")
		k = strings.TrimSuffix(k, "!")
		if seen[k+strconv.FormatBool(neg)] {
			return c, fmt.Errorf("condition %q given twice", k)
		}
		seen[k+strconv.FormatBool(neg)] = true
		vals := strings.Split(v, ",")
		for i := range vals {
			vals[i] = strings.TrimSpace(vals[i])
			if vals[i] == "-" {
				vals[i] = ""
			}
		}
		if neg && k != "status" && k != "command" && k != "hint" && k != "diagtype" {
			return c, fmt.Errorf("condition %q cannot be negated", k)
		}
		switch k {
		case "status":
			for _, p := range vals {
				if p != "" && p != "generic" && !validStatusPattern(p) {
					return c, fmt.Errorf("bad status pattern %q", p)
				}
			}
			if neg {
				c.statusNot = vals
			} else {
				c.status = vals
			}
		case "code":
			for _, p := range vals {
				if !validCodePattern(p) {
					return c, fmt.Errorf("bad reply code pattern %q", p)
				}
			}
			c.code = vals
		case "command":
			for _, p := range vals {
				if p != "" && smtp.ParseCommand(p).String() != p {
					return c, fmt.Errorf("unknown command %q (CONN, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA or -)", p)
				}
			}
			if neg {
				c.commandNot = vals
			} else {
				c.command = vals
			}
		case "from":
			for _, p := range vals {
				if !Reason(p).Valid() {
					return c, fmt.Errorf("unknown reason %q in from", p)
				}
				c.from = append(c.from, Reason(p))
			}
		case "hint":
			for _, p := range vals {
				if p != "" && !Reason(p).Valid() {
					return c, fmt.Errorf("unknown reason %q in hint", p)
				}
			}
			if neg {
				c.hintNot = vals
			} else {
				c.hint = vals
			}
		case "diagtype":
			if !neg {
				return c, fmt.Errorf("diagtype is only negated (diagtype!=)")
			}
			for i := range vals {
				vals[i] = strings.ToLower(vals[i])
			}
			c.dtypeNot = vals
		case "action":
			if v != "-" && v != "*" {
				return c, fmt.Errorf("action must be - (none) or * (any)")
			}
			c.action = v
		case "stages":
			for _, p := range vals {
				switch p {
				case "*", stageText, stageWeak, stageStatus, "provider", "hint", "fallback":
				default:
					return c, fmt.Errorf("unknown stage %q in stages", p)
				}
			}
			c.stages = vals
		case "temporary", "spoke", "hard":
			if v != "yes" && v != "no" {
				return c, fmt.Errorf("%s must be yes or no", k)
			}
			switch k {
			case "temporary":
				c.temporary = v == "yes"
			case "spoke":
				c.spoke = v == "yes"
			default:
				b := v == "yes"
				c.hard = &b
			}
		case "name":
			c.name = strings.TrimSpace(v)
		case "confidence":
			switch Confidence(v) {
			case Medium, Low:
				c.confidence = Confidence(v)
			default:
				return c, fmt.Errorf("confidence may only be lowered: medium or low")
			}
		default:
			return c, fmt.Errorf("unknown condition %q", k)
		}
	}
	return c, nil
}

// groupKey identifies one rule: the lines of a stage with one precedence
// (an operator's apart from the built-in ones).
type groupKey struct {
	stage    string
	prio     int
	operator bool
}

// build turns checked lines into rule tables: overrides, groups,
// precedence, and the checks that need more than one line.
func build(lines []line) (*Rules, error) {
	// An operator's wording replaces the same wording of the built-in
	// rules of its stage.
	override := map[string]bool{}
	for i := range lines {
		if l := &lines[i]; l.operator && !l.not && l.match != "-" {
			override[l.stage+"\x00"+l.match] = true
		}
	}
	builtinMatch := map[string]bool{}
	for i := range lines {
		if l := &lines[i]; !l.operator && !l.not {
			builtinMatch[l.stage+"\x00"+l.match] = true
		}
	}
	for i := range lines {
		if l := &lines[i]; l.reason == reasonOff && !builtinMatch[l.stage+"\x00"+l.match] {
			return nil, l.errorf("%q turns off no built-in wording of stage %s", l.match, l.stage)
		}
	}
	groups := map[groupKey][]*line{}
	var keys []groupKey
	hosts := map[string]*line{}
	for i := range lines {
		l := &lines[i]
		if !l.operator && !l.not && override[l.stage+"\x00"+l.match] || l.reason == reasonOff {
			continue
		}
		if l.reason == "host" && strings.HasPrefix(l.stage, stageProvider) {
			if prev, ok := hosts[l.match]; ok && prev.stage != l.stage && prev.operator == l.operator {
				return nil, l.errorf("host %q already belongs to %s (line %d)", l.match, prev.stage, prev.n)
			}
			hosts[l.match] = l
		}
		k := groupKey{l.stage, l.prio, l.operator}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], l)
	}
	// Precedence: lower first; at equal precedence an operator's rule
	// first; then the order of the files.
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].prio != keys[j].prio {
			return keys[i].prio < keys[j].prio
		}
		return keys[i].operator && !keys[j].operator
	})
	out := &Rules{}
	provIndex := map[string]int{}
	seen := map[string]*line{}
	for _, k := range keys {
		ls := groups[k]
		var sel []*line
		var rl []*line
		for _, l := range ls {
			if strings.HasPrefix(l.stage, stageProvider) && (l.reason == "host" || l.reason == "sign") {
				sel = append(sel, l)
			} else {
				rl = append(rl, l)
			}
		}
		var prov *Provider
		if strings.HasPrefix(k.stage, stageProvider) {
			name := k.stage[len(stageProvider):]
			idx, ok := provIndex[name]
			if !ok {
				idx = len(out.providers)
				provIndex[name] = idx
				out.providers = append(out.providers, Provider{Name: name})
			}
			prov = &out.providers[idx]
			for _, l := range sel {
				if l.reason == "host" {
					prov.Hosts = append(prov.Hosts, l.match)
					continue
				}
				p, err := parsePattern(l.match)
				if err != nil {
					return nil, l.errorf("%v", err)
				}
				prov.Signs = append(prov.Signs, l.match)
				prov.signs = append(prov.signs, p)
			}
		}
		if len(rl) == 0 {
			continue
		}
		r, err := groupRule(rl)
		if err != nil {
			return nil, err
		}
		// A wording that an earlier rule of the stage with the same
		// conditions already decides can never decide: refuse it.
		for i, t := range r.Text {
			key := k.stage + "\x00" + foldSpelling(t) + "\x00" + rl[0].when + "\x00" + strings.Join(r.Not, "\x00")
			if prev, ok := seen[key]; ok && prev.operator == r.textLines[i].operator {
				return nil, r.textLines[i].errorf("duplicate wording %q: line %d of %s already decides it", t, prev.n, prev.file)
			}
			seen[key] = r.textLines[i]
		}
		switch {
		case prov != nil:
			prov.Rules = append(prov.Rules, r)
		case k.stage == stageText:
			out.text = append(out.text, r)
		case k.stage == stageWeak:
			out.weak = append(out.weak, r)
		case k.stage == stageStatus:
			out.status = append(out.status, r)
		case k.stage == stageFallback:
			out.fallback = append(out.fallback, r)
		case k.stage == stageRefine:
			out.refine = append(out.refine, r)
		case k.stage == stageAdjust:
			out.adjust = append(out.adjust, r)
		}
	}
	return out, nil
}

// groupRule makes one Rule of the lines of one group, which must agree
// on the reason and the conditions.
func groupRule(ls []*line) (Rule, error) {
	first := ls[0]
	r := Rule{Reason: Reason(first.reason), Source: first.source, line: first}
	c := first.cond
	r.Status, r.Code, r.Command, r.Spoke, r.Hard, r.Name = c.status, c.code, c.command, c.spoke, c.hard, c.name
	r.cond = c
	words, codes := 0, 0
	for _, l := range ls {
		if l.reason != first.reason || l.when != first.when {
			return r, l.errorf("precedence %d of %s is already the rule of line %d (%s, %s): one precedence, one rule", l.prio, l.stage, first.n, first.reason, first.when)
		}
		switch {
		case l.match == "-":
		case l.not:
			p, err := parsePattern(l.match)
			if err != nil {
				return r, l.errorf("%v", err)
			}
			r.Not = append(r.Not, l.match)
			r.not = append(r.not, p)
		case strings.HasPrefix(l.match, "status:"):
			r.Status = append(r.Status, l.match[len("status:"):])
			r.statusSources = append(r.statusSources, l.source)
			codes++
		case strings.HasPrefix(l.match, "code:"):
			r.Code = append(r.Code, l.match[len("code:"):])
			r.codeSources = append(r.codeSources, l.source)
			codes++
		default:
			p, err := parsePattern(l.match)
			if err != nil {
				return r, l.errorf("%v", err)
			}
			r.Text = append(r.Text, l.match)
			r.text = append(r.text, p)
			r.textLines = append(r.textLines, l)
			words++
		}
	}
	if words > 0 && codes > 0 {
		return r, first.errorf("a rule matches wordings or codes, not both: give the codes in the when column")
	}
	stage := first.stage
	if stage != stageRefine && stage != stageAdjust && len(r.Text) == 0 && len(r.Status) == 0 && len(r.Code) == 0 && len(r.Command) == 0 {
		return r, first.errorf("rule without condition for %s", first.reason)
	}
	return r, nil
}

// ruleFiles lists the built-in rules files, for the documentation tests.
func ruleFiles() []string {
	names, _ := fs.Glob(builtinFiles, "rules/*.tsv")
	for i := range names {
		names[i] = path.Base(names[i])
	}
	return names
}
