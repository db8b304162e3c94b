package bounce

import (
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// normalizeAddress turns an address as reports write it ("rfc822;
// <Kijitora@Example.JP>", "kijitora@example.jp.", "'x@y'") into
// local@domain with the domain lower-cased, or "" when it is not one:
// smtp.NormalizeAddress, the one normaliser the store shares.
func normalizeAddress(s string) string {
	a, err := smtp.NormalizeAddress(s)
	if err != nil {
		return ""
	}
	return a
}

func isLocalChar(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
		strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0 || c >= 0x80
}

func isDomainChar(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '-' || c == '.' || c >= 0x80
}

// findAddresses returns the email addresses in text, in order, without
// repeats, each normalised.
func findAddresses(text string) []string {
	var out []string
	var seen map[string]bool
	scanAddresses(text, func(a string, _ int) bool {
		if seen[a] {
			return true
		}
		if seen == nil && len(out) >= 8 {
			// Many addresses: a set keeps this linear.
			seen = make(map[string]bool, 32)
			for _, o := range out {
				seen[o] = true
			}
		}
		if seen == nil {
			for _, o := range out {
				if o == a {
					return true
				}
			}
		} else {
			seen[a] = true
		}
		out = append(out, a)
		return true
	})
	return out
}

// scanAddresses calls f with each email address in text, normalised, and
// the index where it starts, in order, until f returns false.
func scanAddresses(text string, f func(addr string, at int) bool) {
	for off := 0; off < len(text); {
		k := strings.IndexByte(text[off:], '@')
		if k < 0 {
			return
		}
		i := off + k
		off = i + 1
		l := i
		for l > 0 && localChars[text[l-1]] {
			l--
		}
		r := i + 1
		if r < len(text) && text[r] == '[' {
			if end := strings.IndexByte(text[r:], ']'); end > 0 {
				r += end + 1
			}
		} else {
			for r < len(text) && domainChars[text[r]] {
				r++
			}
		}
		if l == i || r == i+1 {
			continue
		}
		raw := text[l:r]
		trimmed := strings.TrimLeft(raw, "'`.")
		a := normalizeAddress(trimmed)
		if a == "" {
			continue
		}
		if !f(a, l+len(raw)-len(trimmed)) {
			return
		}
		off = r
	}
}

var localChars, domainChars = func() (l, d [256]bool) {
	for c := 0; c < 256; c++ {
		l[c] = isLocalChar(byte(c))
		d[c] = isDomainChar(byte(c))
	}
	return
}()

// firstAddress returns the first address in s, or "".
func firstAddress(s string) string {
	if a := findAddresses(s); len(a) > 0 {
		return a[0]
	}
	return ""
}

// domainOf returns the domain of an address.
func domainOf(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return addr[at+1:]
	}
	return ""
}

// indexFold returns the index of sub in s, matching ASCII letters
// case-insensitively, or -1, without allocating. An exact match is
// preferred (the usual case, and the fast one); otherwise the first
// case-variant.
func indexFold(s, sub string) int {
	if i := strings.Index(s, sub); i >= 0 || sub == "" {
		return i
	}
	n := len(sub)
	lo, up := lowerASCII(sub[0]), sub[0]
	if 'a' <= up && up <= 'z' {
		up -= 'a' - 'A'
	}
	end := len(s) - n + 1 // candidates start before end
	// next returns the next index >= j of c, remembering it in *at so
	// that each byte is scanned once per case.
	next := func(c byte, j int, at *int) int {
		if *at >= j || *at == -1 {
			return *at
		}
		if j >= end {
			*at = -1
			return -1
		}
		k := strings.IndexByte(s[j:end], c)
		if k >= 0 {
			k += j
		}
		*at = k
		return k
	}
	atLo, atUp := -2, -2
	for j := 0; j < end; j++ {
		k := next(lo, j, &atLo)
		if u := next(up, j, &atUp); u >= 0 && (k < 0 || u < k) {
			k = u
		}
		if k < 0 {
			return -1
		}
		j = k
		if asciiEqualFold(s[j:j+n], sub) {
			return j
		}
	}
	return -1
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiEqualFold compares a and b (same length) ignoring ASCII case.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}
