package decoders

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
		if !isASCIIString(text[l:r]) {
			l, r = wordBounds(text, l, i, r) // it narrows at non-ASCII runes only
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

// wordBounds narrows the bytes text[l:r] taken around the '@' at i to
// the letters, digits and marks of a non-ASCII script: a local part or a
// domain may be written in one (RFC 6531), but its punctuation ends an
// address, as the fullwidth parentheses and full stop of Chinese and
// Japanese prose do ("请联系（a@example.cn）。").
func wordBounds(text string, l, i, r int) (int, int) {
	for j := i; j > l; {
		c, n := utf8.DecodeLastRuneInString(text[l:j])
		if c >= utf8.RuneSelf && !wordRune(c) {
			l = j
			break
		}
		j -= n
	}
	for j := i + 1; j < r; {
		c, n := utf8.DecodeRuneInString(text[j:r])
		if c >= utf8.RuneSelf && !wordRune(c) {
			r = j
			break
		}
		j += n
	}
	return l, r
}

// wordRune reports whether c may be part of a non-ASCII local part or
// domain label.
func wordRune(c rune) bool {
	return c != utf8.RuneError && (unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c))
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
	first := ""
	scanAddresses(s, func(a string, _ int) bool {
		first = a
		return false
	})
	return first
}

// domainOf returns the domain of an address.
func domainOf(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return addr[at+1:]
	}
	return ""
}
