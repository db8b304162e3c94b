package bounce

import "strings"

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// findStatus returns the first RFC 3463 enhanced status code in s
// ("5.1.1", "4.7.0"), or "". A dotted quad such as an IP address is not
// one, and neither is a version number glued to letters.
func findStatus(s string) string {
	for i := 0; i+5 <= len(s); i++ {
		c := s[i]
		if c != '2' && c != '4' && c != '5' {
			continue
		}
		if i > 0 && (isDigit(s[i-1]) || s[i-1] == '.' || s[i-1] == '#' && false) {
			continue
		}
		if s[i+1] != '.' {
			continue
		}
		j := i + 2
		k := j
		for k < len(s) && isDigit(s[k]) && k-j < 3 {
			k++
		}
		if k == j || k >= len(s) || s[k] != '.' {
			continue
		}
		l := k + 1
		e := l
		for e < len(s) && isDigit(s[e]) && e-l < 3 {
			e++
		}
		if e == l {
			continue
		}
		if e < len(s) && (isDigit(s[e]) || (s[e] == '.' && e+1 < len(s) && isDigit(s[e+1]))) {
			continue
		}
		if i > 0 && isAlpha(s[i-1]) {
			continue
		}
		return s[i:e]
	}
	return ""
}

func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// findReplyCode returns the first SMTP reply code (RFC 5321 section 4.2)
// in s: three digits starting 2, 4 or 5 standing alone, or "".
func findReplyCode(s string) string {
	for i := 0; i+3 <= len(s); i++ {
		c := s[i]
		if c != '2' && c != '4' && c != '5' {
			continue
		}
		if i > 0 {
			p := s[i-1]
			if isDigit(p) || p == '.' || p == '-' || p == '#' || p == ':' && i > 1 && isDigit(s[i-2]) || isAlpha(p) || p == '/' || p == '+' || p == '=' {
				continue
			}
		}
		if !isDigit(s[i+1]) || !isDigit(s[i+2]) || s[i+1] > '5' {
			continue
		}
		if i+3 < len(s) {
			n := s[i+3]
			if n != ' ' && n != '-' && n != '\t' && n != '\n' && n != ')' && n != ',' && n != ']' && n != '"' && n != ';' {
				continue
			}
			if n == '-' && i+4 < len(s) && isDigit(s[i+4]) && !(i+5 < len(s) && s[i+5] == '.') {
				continue // a range or date like 550-2010
			}
		}
		return s[i : i+3]
	}
	return ""
}

// leadingReplyCode returns the reply code s starts with (after white
// space), or "".
func leadingReplyCode(s string) string {
	s = strings.TrimLeft(s, " \t\"'(")
	if len(s) >= 3 && (s[0] == '2' || s[0] == '4' || s[0] == '5') && isDigit(s[1]) && isDigit(s[2]) && (len(s) == 3 || !isDigit(s[3]) && s[3] != '.') {
		return s[:3]
	}
	return ""
}

// genericStatus reports whether st says only its class (x.0.0), so that a
// more specific code in the text is worth more.
func genericStatus(st string) bool {
	return st == "" || strings.HasSuffix(st, ".0.0") || st == "5.0.0" || st == "4.0.0"
}

// statusClassMatches reports whether the enhanced status st and the reply
// code rc are of the same class (both permanent or both transient).
func statusClassMatches(st, rc string) bool {
	return st == "" || rc == "" || st[0] == rc[0]
}
