package metrics

import (
	"strings"
	"sync"

	"github.com/bounced-dev/bounced/addrcheck"
	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
)

// Other is the label value of anything outside a label's bounded set.
const Other = "other"

// None is the label value of an empty field (a message without a format).
const None = "none"

// Label values are bounded so that no input can grow the number of series:
// a bounce names whatever domain and reason text its sender likes, and
// every distinct label value is a series Prometheus keeps in memory and on
// disk for its whole retention. Each value below comes from a fixed set
// (the CONTRACT vocabulary, the carrier list, the built-in domain table) or
// is mapped to Other.

var (
	reasons    = map[string]bool{}
	categories = map[string]bool{}
	kinds      = map[string]bool{}
	// domains are the near-miss targets of the built-in domain table: the
	// large mailbox providers and the Japanese carriers a shop sends to
	// most. "*.base" entries count as base.
	domains = map[string]bool{}
)

func init() {
	for _, r := range classify.Reasons() {
		reasons[string(r)] = true
		categories[string(r.Category())] = true
	}
	for _, k := range []bounce.Kind{bounce.KindBounce, bounce.KindDelay, bounce.KindDelivered, bounce.KindComplaint,
		bounce.KindAutoReply, bounce.KindNotBounce, bounce.KindUnparseable} {
		kinds[string(k)] = true
	}
	for _, d := range addrcheck.BuiltinDomains() {
		if d.Target {
			domains[strings.TrimPrefix(d.Name, "*.")] = true
		}
	}
}

// Reason returns r when it is a reason of the CONTRACT vocabulary
// (classify.Reasons), else Other.
func Reason(r string) string { return inSet(reasons, r) }

// Category returns c when it is a category of the CONTRACT vocabulary,
// else Other.
func Category(c string) string { return inSet(categories, c) }

// Kind returns k when it is a bounce.Kind, else Other.
func Kind(k string) string { return inSet(kinds, k) }

// Scope returns the suppression scope s ("all" or "marketing"), None when
// empty, else Other.
func Scope(s string) string {
	switch s {
	case "all", "marketing":
		return s
	case "":
		return None
	}
	return Other
}

// Carrier returns the mobile carrier of the recipient addr's domain
// (addrcheck.Carrier: docomo, au, softbank, rakuten), else Other. The set
// is fixed by the addrcheck package.
func Carrier(addr string) string {
	if c := addrcheck.Carrier(addr); c != "" {
		return c
	}
	return Other
}

// Domain returns the domain of the recipient addr when it is one of the
// large providers' and carriers' domains of the built-in table (about 30:
// gmail.com, yahoo.co.jp, docomo.ne.jp, ...; a subdomain of a "*.base"
// entry counts as base), else Other. Never the recipient's own domain
// otherwise: any shop's customers bring thousands.
func Domain(addr string) string {
	d := addr
	if i := strings.LastIndexByte(d, '@'); i >= 0 {
		d = d[i+1:]
	}
	d = strings.TrimSuffix(strings.ToLower(d), ".")
	for s := d; s != ""; {
		if domains[s] {
			return s
		}
		_, rest, ok := strings.Cut(s, ".")
		if !ok {
			break
		}
		s = rest
	}
	return Other
}

// maxFormats bounds the decoder formats counted apart. The formats are the
// decoders' own names (rfc3464, postfix, exim, ...), a set fixed by the
// code, but a bound costs nothing and keeps a bug from growing series.
const maxFormats = 64

var formats = struct {
	sync.Mutex
	seen map[string]bool
}{seen: map[string]bool{}}

// Format returns the decoder format f when it looks like a decoder name
// (lower-case letters, digits, "_" and "-", at most 32 bytes) and is one
// of the first maxFormats seen; None when empty; else Other.
func Format(f string) string {
	if f == "" {
		return None
	}
	if len(f) > 32 || strings.IndexFunc(f, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) >= 0 {
		return Other
	}
	formats.Lock()
	defer formats.Unlock()
	if !formats.seen[f] {
		if len(formats.seen) >= maxFormats {
			return Other
		}
		formats.seen[f] = true
	}
	return f
}

func inSet(set map[string]bool, v string) string {
	if v == "" {
		return None
	}
	if set[v] {
		return v
	}
	return Other
}
