package mime

import "strings"

// IndexFold returns the index of the first instance of sub in s,
// matching ASCII letters case-insensitively, or -1, without allocating:
// strings.Index(strings.ToLower(s), strings.ToLower(sub)) for ASCII sub,
// with an index into s itself.
//
// It looks for sub's rarest byte (byteFreq; a letter in either case) and
// compares sub at each place that byte is: one pass over s, stopping
// only where that byte is, whatever sub starts with.
func IndexFold(s, sub string) int {
	n := len(sub)
	switch {
	case n == 0:
		return 0
	case n > len(s):
		return -1
	case len(s) <= 64:
		// A short text (a header value, a line): each place, the
		// first byte first, costs less than choosing an anchor.
		c := LowerASCII(sub[0])
		for j := 0; j+n <= len(s); j++ {
			if LowerASCII(s[j]) == c && asciiEqualFold(s[j:j+n], sub) {
				return j
			}
		}
		return -1
	}
	// The anchor: sub's byte that is the least common in text.
	a, best := 0, -1
	for i := 0; i < n; i++ {
		c := sub[i]
		f := int(byteFreq[c])
		if lo := LowerASCII(c); 'a' <= lo && lo <= 'z' {
			f = int(byteFreq[lo]) + int(byteFreq[lo-'a'+'A'])
		}
		if best < 0 || f < best {
			a, best = i, f
		}
	}
	lo, up := LowerASCII(sub[a]), sub[a]
	if 'a' <= up && up <= 'z' {
		up -= 'a' - 'A'
	}
	// The anchor at i in s starts a candidate at i-a; candidates start
	// at most at len(s)-n, so the anchor is within s[a : len(s)-n+a+1].
	from, to := a, len(s)-n+a+1
	if lo == up {
		for from < to {
			k := strings.IndexByte(s[from:to], lo)
			if k < 0 {
				return -1
			}
			j := from + k - a
			if asciiEqualFold(s[j:j+n], sub) {
				return j
			}
			from += k + 1
		}
		return -1
	}
	// A letter: the next place of each case, found once each.
	atLo, atUp := -2, -2 // -2: not looked for past from yet; -1: none left
	for from < to {
		if atLo != -1 && atLo < from {
			if k := strings.IndexByte(s[from:to], lo); k >= 0 {
				atLo = from + k
			} else {
				atLo = -1
			}
		}
		if atUp != -1 && atUp < from {
			if k := strings.IndexByte(s[from:to], up); k >= 0 {
				atUp = from + k
			} else {
				atUp = -1
			}
		}
		k := atLo
		if k < 0 || atUp >= 0 && atUp < k {
			k = atUp
		}
		if k < 0 {
			return -1
		}
		j := k - a
		if asciiEqualFold(s[j:j+n], sub) {
			return j
		}
		from = k + 1
	}
	return -1
}

// Index is strings.Index(s, sub) for a long s and a sub whose first
// byte is common in text (a letter, a space, a line feed), where
// strings.Index stops at every instance of that byte: it looks for sub's
// rarest byte (byteFreq) instead.
func Index(s, sub string) int {
	n := len(sub)
	if n <= 1 || len(s) <= 64 {
		return strings.Index(s, sub)
	}
	if n > len(s) {
		return -1
	}
	a, best := 0, byteFreq[sub[0]]
	for i := 1; i < n; i++ {
		if f := byteFreq[sub[i]]; f < best {
			a, best = i, f
		}
	}
	c := sub[a]
	fails := 0
	for from, to := a, len(s)-n+a+1; from < to; {
		k := strings.IndexByte(s[from:to], c)
		if k < 0 {
			return -1
		}
		j := from + k - a
		if s[j:j+n] == sub {
			return j
		}
		from += k + 1
		// Too many false starts (the rarest byte is common here, as in
		// a crafted body): strings.Index, linear, for the rest.
		if fails++; fails > 16+(from-a)/8 {
			if i := strings.Index(s[j+1:], sub); i >= 0 {
				return j + 1 + i
			}
			return -1
		}
	}
	return -1
}

// byteFreq ranks bytes by how often they occur in the English and
// machine text of bounces, roughly (larger is more common); IndexFold
// anchors its search on the rarest byte of what it looks for.
var byteFreq = func() (t [256]uint8) {
	for i := range t {
		t[i] = 2 // control bytes, 8-bit bytes, rare punctuation
	}
	for c, f := range map[byte]uint8{
		' ': 160, '\n': 30, '\t': 4, '.': 20, '-': 15, ':': 12, ',': 8, '@': 6, '<': 5, '>': 5, '/': 5,
		'(': 4, ')': 4, '=': 4, ';': 4, '_': 3, '"': 3, '\'': 3, '[': 2, ']': 2,
		'e': 100, 't': 75, 'a': 65, 'o': 63, 'i': 60, 'n': 58, 's': 55, 'r': 52, 'h': 40, 'l': 35,
		'd': 33, 'c': 25, 'u': 24, 'm': 22, 'f': 20, 'p': 18, 'g': 17, 'w': 16, 'y': 15, 'b': 12,
		'v': 9, 'k': 7, 'x': 3, 'j': 2, 'q': 1, 'z': 1,
	} {
		t[c] = f
		if 'a' <= c && c <= 'z' {
			t[c-'a'+'A'] = f/8 + 1 // capitals: the start of a word or a name
		}
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 10
	}
	return t
}()

// LowerASCII returns c lower-cased if it is an ASCII capital letter.
func LowerASCII(c byte) byte {
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
		if LowerASCII(a[i]) != LowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// IsHex reports whether c is a hexadecimal digit.
func IsHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('A' <= c && c <= 'F') || ('a' <= c && c <= 'f')
}

// Unhex returns the value of the hexadecimal digit c.
func Unhex(c byte) byte {
	switch {
	case ('0' <= c && c <= '9'):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
