package smtp

import "strings"

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c >= 0x80
}

// StatusLen returns the length of the RFC 3463 enhanced status code that
// starts s ("5.1.1", "4.7.650"), or 0. The class is 2, 4 or 5 (RFC 3463
// section 3.1); subject and detail have one to three digits (section 2
// and the IANA registry). Only the shape is checked: what follows the
// code is the caller's concern (see FindStatus).
func StatusLen(s string) int {
	if len(s) < 5 || s[0] != '2' && s[0] != '4' && s[0] != '5' || s[1] != '.' {
		return 0
	}
	j := 2
	k := j
	for k < len(s) && k-j < 3 && isDigit(s[k]) {
		k++
	}
	if k == j || k >= len(s) || s[k] != '.' {
		return 0
	}
	j = k + 1
	k = j
	for k < len(s) && k-j < 3 && isDigit(s[k]) {
		k++
	}
	if k == j || k < len(s) && isDigit(s[k]) {
		return 0
	}
	return k
}

// IsStatus reports whether s is exactly one enhanced status code.
func IsStatus(s string) bool { return s != "" && StatusLen(s) == len(s) }

// FindStatus returns the first enhanced status code in s that stands
// alone, or "". A code glued to a word or a number before it is not one
// ("v5.1.1", "15.1.1"), and neither is a dotted quad or a version
// ("192.5.1.1", "5.1.1.3").
//
// QUIRK: a letter right after the code is accepted ("5.1.1User
// unknown" of servers that omit the space).
func FindStatus(s string) string {
	for i := 0; i+5 <= len(s); i++ {
		c := s[i]
		if c != '2' && c != '4' && c != '5' {
			continue
		}
		if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '.') {
			continue
		}
		n := StatusLen(s[i:])
		if n == 0 {
			continue
		}
		if e := i + n; e < len(s) && (isDigit(s[e]) || s[e] == '.' && e+1 < len(s) && isDigit(s[e+1])) {
			continue
		}
		return s[i : i+n]
	}
	return ""
}

// GenericStatus reports whether st says nothing beyond its class (X.0.0),
// or is empty, so that a more specific code elsewhere is worth more.
func GenericStatus(st string) bool {
	return st == "" || len(st) == 5 && st[1:] == ".0.0"
}

// StatusMatch matches an enhanced status code against a pattern: "5.7.26"
// (exactly), "x.7.26" (either class), "5.7." or "x.2." (a prefix).
func StatusMatch(st, p string) bool {
	if st == "" || p == "" {
		return false
	}
	if p[0] == 'x' {
		st, p = st[1:], p[1:]
	}
	if strings.HasSuffix(p, ".") {
		return strings.HasPrefix(st, p)
	}
	return st == p
}
