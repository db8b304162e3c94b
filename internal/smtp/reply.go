package smtp

import "strings"

// IsReplyCode reports whether s is a three-digit SMTP reply code of a
// completion or failure (RFC 5321 section 4.2.1: first digit 2 to 5).
//
// QUIRK: RFC 5321 defines second digits 0 to 5 only, but servers write
// others ("571 Delivery not authorized" of old IIS and Exchange SMTP
// services): any digit is accepted.
func IsReplyCode(s string) bool {
	return len(s) == 3 && s[0] >= '2' && s[0] <= '5' && isDigit(s[1]) && isDigit(s[2])
}

// FindReplyCode returns the first reply code in s that stands alone as a
// reply's code, or "": three digits after the start, white space or an
// opening mark (":", "(", "[", "<", quotes; not a clock's "12:"), and
// before the end, white space, the "-" of a continued reply (RFC 5321
// section 4.2.1) or closing punctuation. A number in a sentence ("550
// 2024", "550-2010") is not one unless an enhanced status code follows.
func FindReplyCode(s string) string {
	for i := 0; i+3 <= len(s); i++ {
		if !IsReplyCode(s[i : i+3]) {
			continue
		}
		if i > 0 && !replyOpener(s, i) {
			continue
		}
		if e := i + 3; e < len(s) {
			n := s[e]
			switch n {
			case ' ', '\t', '\r', '\n', '-', ',', ';', ')', ']', '"', '\'':
			case ':':
				if e+1 < len(s) && isDigit(s[e+1]) {
					continue // a clock "550:12"
				}
			default:
				continue
			}
			if (n == ' ' || n == '-') && e+1 < len(s) && isDigit(s[e+1]) && StatusLen(s[e+1:]) == 0 {
				continue // "550 2024", "550-2010": a number in a sentence
			}
		}
		return s[i : i+3]
	}
	return ""
}

// replyOpener reports whether the byte before s[i] may open a reply code.
func replyOpener(s string, i int) bool {
	switch s[i-1] {
	case ' ', '\t', '\r', '\n', '(', '[', '<', '>', '"', '\'', '*', ';', ',':
		return true
	case ':':
		return i < 2 || !isDigit(s[i-2]) // "said: 550", not "12:550"
	}
	return false
}

// LeadingReplyCode returns the reply code s starts with (after white
// space and opening quotes or parentheses), or "".
func LeadingReplyCode(s string) string {
	s = strings.TrimLeft(s, " \t\"'(")
	if len(s) >= 3 && IsReplyCode(s[:3]) && (len(s) == 3 || !isDigit(s[3]) && s[3] != '.') {
		return s[:3]
	}
	return ""
}
