package bounce

import (
	"strings"
)

// normalizeAddress turns an address as reports write it ("rfc822;
// <Kijitora@Example.JP>", "kijitora@example.jp.", "'x@y'") into
// local@domain with the domain lower-cased, or "" when it is not one.
func normalizeAddress(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ';'); i >= 0 && i < 12 && !strings.Contains(s[:i], "@") {
		s = strings.TrimSpace(s[i+1:]) // address-type; RFC 3464 section 2.3.2
	}
	if lt := strings.LastIndexByte(s, '<'); lt >= 0 {
		if gt := strings.IndexByte(s[lt:], '>'); gt > 0 {
			s = s[lt+1 : lt+gt]
		} else {
			s = s[lt+1:]
		}
	}
	if strings.HasPrefix(s, `"`) {
		// RFC 5321 section 4.1.2: a quoted local part that is not a
		// dot-atom ("neko..nyaan"@example.jp) keeps its quotes.
		if q := strings.Index(s[1:], `"@`); q > 0 && !isDotAtom(s[1:q+1]) {
			if d := normalizeAddress("x@" + s[q+3:]); d != "" {
				return s[:q+2] + d[1:]
			}
		}
	}
	s = strings.Trim(s, " \t\"'`<>()[]{}:;,.")
	if strings.HasPrefix(strings.ToLower(s), "mailto:") {
		s = s[7:]
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return ""
	}
	local, domain := s[:at], strings.ToLower(s[at+1:])
	local = strings.Trim(local, `"'`)
	domain = strings.TrimRight(domain, ".")
	if local == "" || domain == "" || strings.ContainsAny(domain, " \t<>()[],;:\"@") || strings.ContainsAny(local, " \t<>(),;:") {
		if !(strings.HasPrefix(domain, "[") && strings.HasSuffix(domain, "]")) {
			return ""
		}
	}
	if !strings.Contains(domain, ".") && !strings.HasPrefix(domain, "[") && domain != "localhost" {
		// QUIRK: unqualified names occur ("user@localhost", "root@mx"): keep them.
		if len(domain) < 2 {
			return ""
		}
	}
	return local + "@" + domain
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
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		l := i
		for l > 0 && isLocalChar(text[l-1]) {
			l--
		}
		r := i + 1
		if r < len(text) && text[r] == '[' {
			if end := strings.IndexByte(text[r:], ']'); end > 0 {
				r += end + 1
			}
		} else {
			for r < len(text) && isDomainChar(text[r]) {
				r++
			}
		}
		if l == i || r == i+1 {
			continue
		}
		a := normalizeAddress(strings.TrimLeft(text[l:r], "'`."))
		if a == "" {
			continue
		}
		dup := false
		for _, o := range out {
			if o == a {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, a)
		}
		i = r - 1
	}
	return out
}

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

// isDotAtom reports whether s is an RFC 5322 dot-atom: atext characters
// in dot-separated, non-empty runs.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLocalChar(s[i]) {
			return false
		}
	}
	return true
}
