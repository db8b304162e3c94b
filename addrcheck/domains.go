package addrcheck

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

//go:embed domains.txt
var domainsTxt string

// Carriers are the Japanese mobile carriers Carrier names.
const (
	CarrierDocomo   = "docomo"
	CarrierAU       = "au"
	CarrierSoftBank = "softbank"
	CarrierRakuten  = "rakuten"
)

// Domain is one entry of the domain table.
type Domain struct {
	// Name is the mail domain in lower case; "*.base" stands for every
	// subdomain of base.
	Name string `json:"name"`
	// Carrier is docomo, au, softbank or rakuten for a carrier's own mail,
	// empty otherwise.
	Carrier string `json:"carrier,omitempty"`
	// Provider names the mail provider for people.
	Provider string `json:"provider,omitempty"`
	// Target makes the domain a near-miss target: an unknown domain close
	// to it is reported as a probable typo of it. A domain that is not a
	// target is only known: never reported, never suggested.
	Target bool `json:"target,omitempty"`
}

// entry is a Domain prepared for matching.
type entry struct {
	Domain
	base     string // Name without "*."
	wildcard bool
	name     string // base without its public suffix: "docomo", "i.softbank"
	suffix   string // the public suffix: "ne.jp", "jp", "com"
	dotless  string // base without dots: "docomonejp"
}

// table is the domain table a Checker matches against.
type table struct {
	entries   []entry
	exact     map[string]*entry
	wildcards []*entry
	nameCount map[string]int // how many entries share a name
}

var builtinTable = sync.OnceValue(func() *table {
	ds, err := parseDomains(domainsTxt)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	t, err := newTable(ds)
	if err != nil {
		panic(err)
	}
	return t
})

// BuiltinDomains returns the built-in domain table (domains.txt).
func BuiltinDomains() []Domain {
	t := builtinTable()
	out := make([]Domain, len(t.entries))
	for i, e := range t.entries {
		out[i] = e.Domain
	}
	return out
}

// parseDomains reads the domain table format: "DOMAIN CARRIER USE PROVIDER...",
// '#' comments and blank lines ignored.
func parseDomains(s string) ([]Domain, error) {
	var out []Domain
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("addrcheck: domains line %d: want DOMAIN CARRIER USE PROVIDER", n+1)
		}
		d := Domain{Name: f[0], Provider: strings.Join(f[3:], " ")}
		switch f[1] {
		case "-":
		case CarrierDocomo, CarrierAU, CarrierSoftBank, CarrierRakuten:
			d.Carrier = f[1]
		default:
			return nil, fmt.Errorf("addrcheck: domains line %d: unknown carrier %q", n+1, f[1])
		}
		switch f[2] {
		case "typo":
			d.Target = true
		case "known":
		default:
			return nil, fmt.Errorf("addrcheck: domains line %d: use %q, want typo or known", n+1, f[2])
		}
		out = append(out, d)
	}
	return out, nil
}

func newTable(ds []Domain) (*table, error) {
	t := &table{exact: map[string]*entry{}, nameCount: map[string]int{}}
	t.entries = make([]entry, 0, len(ds))
	for _, d := range ds {
		d.Name = strings.ToLower(strings.TrimSuffix(d.Name, "."))
		e := entry{Domain: d, base: d.Name}
		if b, ok := strings.CutPrefix(d.Name, "*."); ok {
			e.base, e.wildcard = b, true
		}
		if faults := checkDomainSyntax(e.base); len(faults) > 0 || !strings.Contains(e.base, ".") {
			return nil, fmt.Errorf("addrcheck: domain %q is not a valid domain name", d.Name)
		}
		e.suffix, _ = publicsuffix.PublicSuffix(e.base)
		e.name = strings.TrimSuffix(strings.TrimSuffix(e.base, e.suffix), ".")
		if e.name == "" {
			return nil, fmt.Errorf("addrcheck: domain %q is a public suffix", d.Name)
		}
		e.dotless = strings.ReplaceAll(e.base, ".", "")
		t.entries = append(t.entries, e)
	}
	for i := range t.entries {
		e := &t.entries[i]
		if e.wildcard {
			t.wildcards = append(t.wildcards, e)
		} else {
			if _, dup := t.exact[e.base]; dup {
				return nil, fmt.Errorf("addrcheck: domain %q listed twice", e.Name)
			}
			t.exact[e.base] = e
		}
		t.nameCount[e.name]++
	}
	return t, nil
}

// lookup returns the entry domain d (lower case, no trailing dot) belongs
// to: the same domain, or a subdomain of a "*." entry.
func (t *table) lookup(d string) *entry {
	if e, ok := t.exact[d]; ok {
		return e
	}
	var best *entry
	for _, e := range t.wildcards {
		if (d == e.base || strings.HasSuffix(d, "."+e.base)) && (best == nil || len(e.base) > len(best.base)) {
			best = e
		}
	}
	return best
}

// carrier returns the carrier of d: of its entry, or of the nearest listed
// parent domain that belongs to a carrier (a subdomain of a carrier's
// domain is the carrier's).
func (t *table) carrier(d string) string {
	if len(d) > MaxDomainLength {
		return "" // no such domain; and walking its labels would cost O(n²)
	}
	for s := d; s != ""; {
		if e := t.lookup(s); e != nil && e.Carrier != "" {
			return e.Carrier
		}
		_, rest, ok := strings.Cut(s, ".")
		if !ok {
			break
		}
		s = rest
	}
	return ""
}

// Carrier returns the Japanese mobile carrier whose own mail domain is
// domain (or a subdomain of it): "docomo", "au", "softbank", "rakuten", or
// "" for any other domain. Sub-brands count as their carrier: UQ mobile as
// au, Y!mobile and Disney Mobile as softbank. Case and a trailing dot are
// ignored; an address is accepted too (its domain is used).
func Carrier(domain string) string {
	return builtinTable().carrier(normDomain(domain))
}

// Provider returns the name of the provider of domain from the built-in
// table, or "" when the domain is not listed.
func Provider(domain string) string {
	if e := builtinTable().lookup(normDomain(domain)); e != nil {
		return e.Provider
	}
	return ""
}

func normDomain(s string) string {
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// jpSLD are the second-level labels of .jp's organisational names (JPRS:
// co.jp, ne.jp, or.jp, ad.jp, ac.jp, go.jp, gr.jp, ed.jp, lg.jp).
var jpSLD = []string{"co", "ne", "or", "ad", "ac", "go", "gr", "ed", "lg"}

func jpForm(s string) bool {
	if s == "jp" {
		return true
	}
	sld, ok := strings.CutSuffix(s, ".jp")
	return ok && slices.Contains(jpSLD, sld)
}

// nameTolerance is how many edits of a target's name (the part before its
// public suffix) still count as a typo of it: none below 5 characters
// (au, me, ocn, live: too many real domains sit one edit away), one up to 7
// (gmail, docomo, hotmail), two from 8 (softbank, googlemail).
func nameTolerance(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// slip returns how far x is from the target e (a cost > 0), or -1 when x
// is not taken for a typo of it. The rules, in order:
//   - the same characters with the dots elsewhere (docomone.jp, gmailcom): 1;
//   - the same name, the public suffix one edit away (docomo.ne.jo,
//     gmail.co, yahoo.co.jo, yahoo.com.jp): the edit count;
//   - the same name, another .jp organisational form (docomo.co.jp,
//     ezweb.jp), only for a carrier's domain whose name no other entry
//     shares (yahoo.jp could be yahoo.co.jp or yahoo.ne.jp): 2;
//   - the same public suffix, the name within nameTolerance (gmai.com,
//     dokomo.ne.jp, softbnak.ne.jp): the edit count.
func (t *table) slip(x string, e *entry) int {
	if x == e.base {
		return -1
	}
	if dotlessEqual(x, e.dotless) {
		return 1
	}
	if rest, ok := strings.CutPrefix(x, e.name+"."); ok {
		if d := distance(rest, e.suffix); d <= 1 {
			return d
		}
		if e.Carrier != "" && t.nameCount[e.name] == 1 && jpForm(rest) && jpForm(e.suffix) {
			return 2
		}
	}
	if name, ok := strings.CutSuffix(x, "."+e.suffix); ok && name != "" {
		if tol := nameTolerance(len(e.name)); tol > 0 {
			if d := distance(name, e.name); d <= tol {
				return d
			}
		}
	}
	return -1
}

// dotlessEqual reports whether x with its dots taken out is dotless
// (strings.ReplaceAll(x, ".", "") == dotless, without the copy: slip runs
// for every entry of the table on every unknown domain).
func dotlessEqual(x, dotless string) bool {
	j := 0
	for i := 0; i < len(x); i++ {
		if x[i] == '.' {
			continue
		}
		if j >= len(dotless) || x[i] != dotless[j] {
			return false
		}
		j++
	}
	return j == len(dotless)
}

// nearMiss returns the known domains d is probably a typo of, nearest
// first; more than one means the nearest are tied. d is lower case and
// syntactically valid. A domain in the table (or under a "*." entry) is
// never a typo.
func (t *table) nearMiss(d string) []string {
	if t.lookup(d) != nil {
		return nil
	}
	best, found := -1, []string{}
	consider := func(cost int, s string) {
		if cost <= 0 {
			return
		}
		switch {
		case best < 0 || cost < best:
			best, found = cost, []string{s}
		case cost == best && !slices.Contains(found, s):
			found = append(found, s)
		}
	}
	for i := range t.entries {
		e := &t.entries[i]
		if !e.Target {
			continue
		}
		if !e.wildcard {
			consider(t.slip(d, e), e.base)
			continue
		}
		// "*.base": the labels after the first ones are compared with base
		// (abc.ocn.ne.jo -> abc.ocn.ne.jp).
		for j := 0; j < len(d); j++ {
			if d[j] != '.' {
				continue
			}
			consider(t.slip(d[j+1:], e), d[:j+1]+e.base)
		}
	}
	if best < 0 {
		return nil
	}
	slices.Sort(found)
	return found
}
