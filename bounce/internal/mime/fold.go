package mime

import "strings"

// IndexFold returns the index of the first instance of sub in s,
// matching ASCII letters case-insensitively, or -1, without allocating:
// strings.Index(strings.ToLower(s), strings.ToLower(sub)) for ASCII sub,
// with an index into s itself.
func IndexFold(s, sub string) int {
	exact := strings.Index(s, sub)
	if exact == 0 || sub == "" {
		return exact
	}
	n := len(sub)
	lo, up := LowerASCII(sub[0]), sub[0]
	if 'a' <= up && up <= 'z' {
		up -= 'a' - 'A'
	}
	end := len(s) - n + 1 // candidates start before end
	if exact > 0 {
		end = exact // a case-variant counts only before the exact match
	}
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
		if up != lo { // a letter: look for its capital too
			if u := next(up, j, &atUp); u >= 0 && (k < 0 || u < k) {
				k = u
			}
		}
		if k < 0 {
			break
		}
		j = k
		if asciiEqualFold(s[j:j+n], sub) {
			return j
		}
	}
	return exact
}

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
