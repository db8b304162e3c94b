package addrcheck

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Limits of RFC 5321 4.5.3.1 (and RFC 3696 erratum 1690 for the address).
const (
	MaxLocalLength   = 64
	MaxDomainLength  = 255
	MaxLabelLength   = 63
	MaxAddressLength = 254
)

// Result is what Check found about one address.
type Result struct {
	// Address is the address as given.
	Address string `json:"address"`
	// Valid is true when no fault of severity error was found.
	Valid bool `json:"valid"`
	// Faults lists what is wrong, in the order found; empty when nothing is.
	Faults []Fault `json:"faults"`
	// Suggestion is the address with every derivable fix applied, when the
	// fixed address has no error left; empty otherwise.
	Suggestion string `json:"suggestion,omitempty"`
	// Domain is the domain as checked: lower case, full-width folded.
	Domain string `json:"domain,omitempty"`
	// Carrier is docomo, au, softbank or rakuten when the domain is a
	// Japanese carrier's own mail, empty otherwise.
	Carrier string `json:"carrier,omitempty"`
	// Provider names the domain's provider when the table lists it.
	Provider string `json:"provider,omitempty"`
	// DNS holds the DNS check's findings when one ran.
	DNS *DNSResult `json:"dns,omitempty"`
}

// Has reports whether the result holds a fault of code c.
func (r Result) Has(c Code) bool {
	for _, f := range r.Faults {
		if f.Code == c {
			return true
		}
	}
	return false
}

// Options configure a Checker. The zero value checks with the built-in
// table and no DNS.
type Options struct {
	// Domains are added to the built-in table (a shop's own partners' domains,
	// a real domain that should never be taken for a typo). An entry whose
	// Name is already listed replaces the built-in one.
	Domains []Domain
	// Resolver answers the DNS check of CheckContext; nil skips DNS.
	Resolver Resolver
}

// Checker checks addresses. It is safe for concurrent use.
type Checker struct {
	t   *table
	res Resolver
}

// New returns a Checker; it fails only when an added domain is invalid.
func New(o Options) (*Checker, error) {
	c := &Checker{t: builtinTable(), res: o.Resolver}
	if len(o.Domains) > 0 {
		ds := BuiltinDomains()
		for _, d := range o.Domains {
			name := strings.ToLower(strings.TrimSuffix(d.Name, "."))
			ds = deleteDomain(ds, name)
			d.Name = name
			ds = append(ds, d)
		}
		t, err := newTable(ds)
		if err != nil {
			return nil, err
		}
		c.t = t
	}
	return c, nil
}

func deleteDomain(ds []Domain, name string) []Domain {
	out := ds[:0]
	for _, d := range ds {
		if d.Name != name {
			out = append(out, d)
		}
	}
	return out
}

var defaultChecker = &Checker{}

func (c *Checker) table() *table {
	if c.t == nil {
		return builtinTable()
	}
	return c.t
}

// Check checks addr's syntax and domain with the built-in table, without
// DNS.
func Check(addr string) Result { return defaultChecker.Check(addr) }

// Annotate returns what a suppression record or event carries about addr:
// the carrier of its domain as written (docomo, au, softbank, rakuten or
// ""), the faults Check found, and the suggested address ("" when none
// can be derived).
func Annotate(addr string) (carrier string, faults []Fault, suggestion string) {
	r := Check(addr)
	return r.Carrier, r.Faults, r.Suggestion
}

// Check checks addr's syntax and domain (no DNS).
func (c *Checker) Check(addr string) Result {
	a := c.analyse(addr)
	r := Result{Address: addr, Faults: a.faults, Domain: a.domain}
	if r.Faults == nil {
		r.Faults = []Fault{}
	}
	r.Valid = true
	fixed := false
	for _, f := range r.Faults {
		if f.Severity == SeverityError {
			r.Valid = false
		}
		fixed = fixed || f.fixed
	}
	if fixed && a.ok && a.candidate != addr {
		// The candidate must come out clean: no error, nothing left to fix.
		b := c.analyse(a.candidate)
		clean := b.ok
		for _, f := range b.faults {
			if f.Severity == SeverityError || f.fixed {
				clean = false
			}
		}
		if clean {
			r.Suggestion = a.candidate
			for i := range r.Faults {
				if r.Faults[i].fixed {
					r.Faults[i].Suggestion = a.candidate
				}
			}
		}
	}
	if r.Domain != "" {
		r.Carrier = c.table().carrier(r.Domain)
		if e := c.table().lookup(r.Domain); e != nil {
			r.Provider = e.Provider
		}
	}
	return r
}

// CheckContext checks addr like Check and, when the Checker has a
// Resolver and the domain is well formed, looks its mail hosts up. The
// error reports a DNS failure (timeout, SERVFAIL: the answer is unknown,
// not negative); the syntax result is returned with it.
func (c *Checker) CheckContext(ctx context.Context, addr string) (Result, error) {
	r := c.Check(addr)
	if c.res == nil || r.Domain == "" || !domainCheckable(r) {
		return r, nil
	}
	dr, faults, err := checkDNS(ctx, c.res, r.Domain)
	r.DNS = dr
	for _, f := range faults {
		r.Faults = append(r.Faults, f)
		if f.Severity == SeverityError {
			r.Valid = false
		}
	}
	return r, err
}

// domainCheckable reports whether the domain is worth a DNS query: no
// fault in the domain's syntax that was not fixed (a stray dot is fixed:
// the domain checked is the fixed one).
func domainCheckable(r Result) bool {
	for _, f := range r.Faults {
		switch f.Code {
		case CodeDomainEmpty, CodeDomainCharacter, CodeDomainHyphen, CodeLabelTooLong,
			CodeDomainTooLong, CodeSingleLabel, CodeNumericTLD, CodeDomainLiteral, CodeNoAt, CodeMultipleAt:
			return false
		}
	}
	return true
}

// analysis is one pass over an address: the faults, and the candidate
// address with every fix applied.
type analysis struct {
	faults    []Fault
	candidate string
	domain    string
	ok        bool // the candidate is complete (local@domain)
}

func (a *analysis) add(c Code, arg string, fixed bool) {
	f := newFault(c, arg)
	f.fixed = fixed
	a.faults = append(a.faults, f)
}

// Fixes for characters typed in a Japanese input method that NFKC leaves
// alone: the ideographic full stop and comma (UTS #46 maps the full stop
// to a dot in domains too), the wave dash for a tilde, and the long-vowel
// mark and dashes for a hyphen.
var jaFolds = map[rune]rune{
	'。': '.', '｡': '.', '、': ',', '､': ',', '〜': '~',
	'ー': '-', 'ｰ': '-', '‐': '-', '‑': '-', '–': '-', '—': '-', '−': '-',
}

// jaBetween are the folds made only between ASCII-like characters: the
// long-vowel mark belongs in a Japanese word (ゲーム.jp) and stays there.
var jaBetween = map[rune]bool{'ー': true, 'ｰ': true, '〜': true}

// fullWidthASCII returns the ASCII a full-width form stands for.
func fullWidthASCII(r rune) (string, bool) {
	if width.LookupRune(r).Kind() != width.EastAsianFullwidth {
		return "", false
	}
	f := norm.NFKC.String(string(r))
	return f, f != string(r) && isASCII(f)
}

func asciiLike(r rune) bool {
	if r < utf8.RuneSelf {
		return true
	}
	_, ok := fullWidthASCII(r)
	return ok
}

// foldWidth folds full-width forms to ASCII; it returns the folded string
// and the characters it changed.
func foldWidth(s string) (string, []rune) {
	var changed []rune
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if f, ok := jaFolds[r]; ok {
			if !jaBetween[r] || (i == 0 || asciiLike(rs[i-1])) && (i == len(rs)-1 || asciiLike(rs[i+1])) {
				changed = append(changed, r)
				b.WriteRune(f)
				continue
			}
		}
		if f, ok := fullWidthASCII(r); ok {
			changed = append(changed, r)
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), changed
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isAtext reports whether b is RFC 5322 3.2.3 atext.
func isAtext(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", b) >= 0
}

// unusual are the atext signs beyond . - _ + that shops' and carriers'
// pages name as the cause of undelivered mail (/ and ? above all).
const unusual = "!#$%&'*/=?^`{|}~"

func (c *Checker) analyse(s string) analysis {
	var a analysis
	if strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }) == "" {
		a.add(CodeEmpty, "", false)
		return a
	}
	if f, changed := foldWidth(s); len(changed) > 0 {
		a.add(CodeFullWidth, quoteChars(changed), true)
		s = f
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) {
		var found []rune
		s = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Cf, r) {
				found = append(found, r)
				return -1
			}
			return r
		}, s)
		a.add(CodeInvisible, quoteChars(found), true)
	}

	local, domain, quoted, ok := c.split(&a, s)
	if !ok {
		return a
	}
	if quoted {
		local = checkQuoted(&a, local)
	} else {
		local = checkLocal(&a, local)
	}
	domain = c.checkDomain(&a, domain)
	if local == "" || domain == "" {
		return a
	}
	if len(local)+1+len(domain) > MaxAddressLength {
		a.add(CodeAddressTooLong, "", false)
	}
	a.candidate = local + "@" + domain
	a.ok = true
	return a
}

// split finds the local part and the domain, fixing spaces, commas and a
// doubled or missing "@" on the way.
func (c *Checker) split(a *analysis, s string) (local, domain string, quoted, ok bool) {
	// A quoted local part keeps its spaces and commas: split first.
	if strings.HasPrefix(s, `"`) {
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
				continue
			case '"':
				if i+1 < len(s) && s[i+1] == '@' {
					domain = s[i+2:]
					domain = fixSpacesCommas(a, domain)
					return s[:i+1], domain, true, true
				}
			}
		}
	}
	s = fixSpacesCommas(a, s)
	switch n := strings.Count(s, "@"); {
	case n == 0:
		// A known domain at the end: the "@" was left out
		// (tarodocomo.ne.jp).
		var best *entry
		lower := strings.ToLower(s)
		for i := range c.table().entries {
			e := &c.table().entries[i]
			if !e.wildcard && len(lower) == len(s) && len(s) > len(e.base) && strings.HasSuffix(lower, e.base) &&
				(best == nil || len(e.base) > len(best.base)) {
				best = e
			}
		}
		if best == nil {
			a.add(CodeNoAt, "", false)
			return "", "", false, false
		}
		a.add(CodeNoAt, "", true)
		return s[:len(s)-len(best.base)], s[len(s)-len(best.base):], false, true
	case n > 1:
		collapsed := s
		for strings.Contains(collapsed, "@@") {
			collapsed = strings.ReplaceAll(collapsed, "@@", "@")
		}
		if strings.Count(collapsed, "@") != 1 {
			a.add(CodeMultipleAt, "", false)
			// The domain is what follows the last "@" (RFC 5321: no "@" in
			// an unquoted local part); check it, but derive nothing.
			c.checkDomain(a, s[strings.LastIndexByte(s, '@')+1:])
			return "", "", false, false
		}
		a.add(CodeMultipleAt, "", true)
		s = collapsed
	}
	local, domain, _ = strings.Cut(s, "@")
	return local, domain, false, true
}

func fixSpacesCommas(a *analysis, s string) string {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		s = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
		a.add(CodeSpace, "", true)
	}
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(s, ",", ".")
		a.add(CodeComma, "", true)
	}
	return s
}

// checkLocal checks an unquoted local part (RFC 5322 3.4.1 dot-atom) and
// returns it fixed ("" when nothing is left).
func checkLocal(a *analysis, local string) string {
	if local == "" {
		a.add(CodeLocalEmpty, "", false)
		return ""
	}
	if strings.HasPrefix(local, ".") {
		a.add(CodeLeadingDot, "", true)
		local = strings.TrimLeft(local, ".")
	}
	if strings.HasSuffix(local, ".") {
		a.add(CodeDotBeforeAt, "", true)
		local = strings.TrimRight(local, ".")
	}
	if strings.Contains(local, "..") {
		a.add(CodeConsecutiveDots, "", true)
		for strings.Contains(local, "..") {
			local = strings.ReplaceAll(local, "..", ".")
		}
	}
	if local == "" {
		a.add(CodeLocalEmpty, "", false)
		return ""
	}
	var invalid, nonASCII, odd []rune
	for _, r := range local {
		switch {
		case r >= utf8.RuneSelf:
			nonASCII = append(nonASCII, r)
		case r == '.':
		case !isAtext(byte(r)):
			invalid = append(invalid, r)
		case strings.ContainsRune(unusual, r):
			odd = append(odd, r)
		}
	}
	if len(invalid) > 0 {
		a.add(CodeInvalidCharacter, quoteChars(invalid), false)
	}
	if len(nonASCII) > 0 {
		a.add(CodeNonASCII, quoteChars(nonASCII), false)
	}
	if len(odd) > 0 {
		a.add(CodeUnusualCharacter, quoteChars(odd), false)
	}
	if len(local) > MaxLocalLength {
		a.add(CodeLocalTooLong, "", false)
	}
	return local
}

// checkQuoted checks a quoted local part (RFC 5321 4.1.2 Quoted-string:
// printable ASCII, backslash pairs).
func checkQuoted(a *analysis, q string) string {
	a.add(CodeQuotedLocal, "", false)
	var invalid, nonASCII []rune
	for _, r := range q[1 : len(q)-1] {
		switch {
		case r >= utf8.RuneSelf:
			nonASCII = append(nonASCII, r)
		case r < 0x20 || r == 0x7f:
			invalid = append(invalid, r)
		}
	}
	if len(invalid) > 0 {
		a.add(CodeInvalidCharacter, quoteChars(invalid), false)
	}
	if len(nonASCII) > 0 {
		a.add(CodeNonASCII, quoteChars(nonASCII), false)
	}
	if len(q) > MaxLocalLength {
		a.add(CodeLocalTooLong, "", false)
	}
	return q
}

// checkDomain checks the domain and returns it fixed (lower case, dots
// and slips repaired), "" when it cannot be.
func (c *Checker) checkDomain(a *analysis, d string) string {
	if d == "" {
		a.add(CodeDomainEmpty, "", false)
		return ""
	}
	if strings.HasPrefix(d, "[") && strings.HasSuffix(d, "]") {
		a.add(CodeDomainLiteral, "", false)
		a.domain = d
		return d
	}
	d = strings.ToLower(d)
	if strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		a.add(CodeDomainDot, "", true)
		d = strings.Trim(d, ".")
		for strings.Contains(d, "..") {
			d = strings.ReplaceAll(d, "..", ".")
		}
		if d == "" {
			a.add(CodeDomainEmpty, "", false)
			return ""
		}
	}
	a.domain = d
	ascii := d
	if !isASCII(d) {
		// IDNA2008 (RFC 5892) takes letters, marks and digits only; the
		// ASCII left must still be LDH, checked on the A-label below.
		var bad []rune
		for _, r := range d {
			if r >= utf8.RuneSelf && !unicode.In(r, unicode.L, unicode.M, unicode.Nd) {
				bad = append(bad, r)
			}
		}
		u, err := idna.Registration.ToASCII(d)
		if len(bad) > 0 || err != nil {
			if len(bad) == 0 {
				bad = []rune(d)
			}
			a.add(CodeDomainCharacter, quoteChars(bad), false)
			return d
		}
		a.add(CodeIDN, u, false)
		ascii = u
	}
	syntax := checkDomainSyntax(ascii)
	a.faults = append(a.faults, syntax...)
	if len(syntax) > 0 {
		return d
	}
	if !strings.Contains(d, ".") {
		return c.fixSingleLabel(a, d)
	}
	if ascii != d {
		return d
	}
	switch found := c.table().nearMiss(d); len(found) {
	case 0:
	case 1:
		a.add(CodeDomainTypo, found[0], true)
		d = found[0]
	default:
		a.add(CodeDomainTypo, strings.Join(found, " / "), false)
	}
	return d
}

// checkDomainSyntax checks an ASCII domain's labels (RFC 1035 2.3.1 and
// 2.3.4, RFC 5321 4.1.2 and 4.5.3.1.2, RFC 3696 2).
func checkDomainSyntax(d string) []Fault {
	var faults []Fault
	var bad []rune
	hyphen, long := false, false
	labels := strings.Split(d, ".")
	for _, l := range labels {
		if len(l) > MaxLabelLength {
			long = true
		}
		if strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			hyphen = true
		}
		for _, r := range l {
			if !(r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				bad = append(bad, r)
			}
		}
	}
	if len(bad) > 0 {
		faults = append(faults, newFault(CodeDomainCharacter, quoteChars(bad)))
	}
	if hyphen {
		faults = append(faults, newFault(CodeDomainHyphen, ""))
	}
	if long {
		faults = append(faults, newFault(CodeLabelTooLong, ""))
	}
	if len(d) > MaxDomainLength {
		faults = append(faults, newFault(CodeDomainTooLong, ""))
	}
	if tld := labels[len(labels)-1]; len(labels) > 1 && tld != "" && strings.Trim(tld, "0123456789") == "" {
		faults = append(faults, newFault(CodeNumericTLD, ""))
	}
	return faults
}

// fixSingleLabel reports a one-label domain and suggests the listed
// domain it abbreviates when only one does (gmail -> gmail.com, docomo ->
// docomo.ne.jp, docomonejp -> docomo.ne.jp).
func (c *Checker) fixSingleLabel(a *analysis, d string) string {
	var found []string
	for i := range c.table().entries {
		e := &c.table().entries[i]
		if e.wildcard || !e.Target {
			continue
		}
		if e.name == d || e.dotless == d {
			found = append(found, e.base)
		}
	}
	if len(found) == 1 {
		a.add(CodeSingleLabel, d, true)
		return found[0]
	}
	a.add(CodeSingleLabel, d, false)
	return d
}
