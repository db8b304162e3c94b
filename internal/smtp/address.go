package smtp

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidAddress is returned (wrapped) by NormalizeAddress and Key for
// a string that is not an address.
var ErrInvalidAddress = errors.New("smtp: invalid address")

// MaxAddressLen is the longest address NormalizeAddress accepts. RFC 5321
// section 4.5.3.1 allows 64 octets of local part and 255 of domain; the
// limit is wider so that a sloppy report's address is not lost, and
// narrow enough to bound what a store keeps.
const MaxAddressLen = 512

// NormalizeAddress turns an address as reports, headers and operators
// write it ("rfc822; <Kijitora@Example.JP>", "kijitora@example.jp.",
// "'x@y'", "mailto:x@y") into local@domain with the domain lower-cased
// and the local part as written (RFC 5321 section 2.4: only the
// receiving host may fold it). A quoted local part that is not a
// dot-atom keeps its quotes (RFC 5321 section 4.1.2), an address literal
// its brackets (section 4.1.3). It fails with ErrInvalidAddress for a
// string that is not local@domain, holds a control character or is
// longer than MaxAddressLen.
func NormalizeAddress(s string) (string, error) {
	a := normalize(s)
	switch {
	case a == "":
		// The common failure of a decoder trying candidates: no
		// formatting, no allocation.
		return "", ErrInvalidAddress
	case len(a) > MaxAddressLen:
		return "", fmt.Errorf("%w: longer than %d bytes", ErrInvalidAddress, MaxAddressLen)
	}
	for i := 0; i < len(a); i++ {
		if a[i] < 0x20 || a[i] == 0x7f {
			return "", fmt.Errorf("%w: control character in %q", ErrInvalidAddress, s)
		}
	}
	return a, nil
}

// Key returns the form of an address that a store keys on and compares:
// NormalizeAddress's result with the local part lower-cased too, since
// the mailboxes a shop mails do not tell Kijitora from kijitora.
func Key(s string) (string, error) {
	a, err := NormalizeAddress(s)
	if err != nil {
		return "", err
	}
	return strings.ToLower(a), nil
}

func normalize(s string) string {
	if plainAddress(s) {
		return s // normalizeSlow(s) is s itself (FuzzNormalizePlain)
	}
	return normalizeSlow(s)
}

// plainAddress reports whether s is an address already in the form
// normalize returns, which it would return as it is: one '@' between a
// local part of letters, digits and "._+-=" that does not start with a
// dot, and a domain of lower-case letters, digits, '-' and inner dots.
// Most addresses a decoder tries are.
func plainAddress(s string) bool {
	at := -1
	for i := 0; i < len(s); i++ {
		switch plainClass[s[i]] {
		case plainBoth:
		case plainLocal:
			if at >= 0 {
				return false
			}
		case plainAt:
			if at >= 0 {
				return false
			}
			at = i
		default:
			return false
		}
	}
	if at <= 0 || at >= len(s)-1 || s[0] == '.' || s[len(s)-1] == '.' || s[at+1] == '.' {
		return false
	}
	return strings.IndexByte(s[at+1:], '.') > 0
}

// The classes of bytes plainAddress reads (plainClass).
const (
	plainNone  = iota
	plainBoth  // in a local part or a domain: a-z 0-9 - .
	plainLocal // in a local part only: A-Z _ + =
	plainAt
)

var plainClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = plainBoth
		t[c-'a'+'A'] = plainLocal
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = plainBoth
	}
	t['-'], t['.'] = plainBoth, plainBoth
	t['_'], t['+'], t['='] = plainLocal, plainLocal, plainLocal
	t['@'] = plainAt
	return t
}()

// normalizeSlow is normalize for any string.
func normalizeSlow(s string) string {
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
	if strings.HasPrefix(s, "@") {
		// A source route ("@relay.example,@hub.example:user@example.org"):
		// RFC 5321 section 4.1.1.3 says to ignore the route and use the
		// mailbox after its colon.
		if c := strings.IndexByte(s, ':'); c > 0 && strings.IndexByte(s[c+1:], '@') > 0 {
			s = s[c+1:]
		}
	}
	if strings.HasPrefix(s, `"`) {
		// RFC 5321 section 4.1.2: a quoted local part that is not a
		// dot-atom ("neko..nyaan"@example.jp) keeps its quotes.
		if q := strings.Index(s[1:], `"@`); q > 0 && !isDotAtom(s[1:q+1]) {
			if d := normalizeSlow("x@" + s[q+3:]); d != "" {
				return s[:q+2] + d[1:]
			}
		}
	}
	literal := strings.Contains(s, "@[") && strings.HasSuffix(strings.TrimRight(s, " \t>.,;:)'\""), "]")
	s = trimIn(s, &aroundAddress)
	if literal {
		s += "]" // RFC 5321 section 4.1.3: an address literal keeps its brackets.
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return ""
	}
	local, domain := s[:at], strings.ToLower(s[at+1:])
	local = trimIn(local, &quotes)
	domain = strings.TrimRight(domain, ".")
	if local == "" || domain == "" || hasByteIn(domain, &notInDomain) || hasByteIn(local, &notInLocal) {
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
	if len(local) == at && domain == s[at+1:] {
		return s // already in that form: no copy
	}
	return local + "@" + domain
}

// IsLocalChar reports whether c may occur in an unquoted local part
// (RFC 5322 atext, the dot, and UTF-8 bytes per RFC 6531).
func IsLocalChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0
}

// IsDomainChar reports whether c may occur in a domain name (letters,
// digits, "-", "." and UTF-8 bytes of an internationalised name).
func IsDomainChar(c byte) bool {
	return isAlnum(c) || c == '-' || c == '.'
}

// isDotAtom reports whether s is an RFC 5322 dot-atom: atext characters
// in dot-separated, non-empty runs.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !IsLocalChar(s[i]) {
			return false
		}
	}
	return true
}

// notInDomain and notInLocal are the bytes that end a candidate's domain
// and local part: an address with one of them is not an address.
var notInDomain, notInLocal = byteSet(" \t<>()[],;:\"@"), byteSet(" \t<>(),;:")

// aroundAddress and quotes are what normalize trims around a candidate
// and its local part (strings.Trim's cutsets, made once).
var aroundAddress, quotes = byteSet(" \t\"'`<>()[]{}:;,."), byteSet(`"'`)

// trimIn is strings.Trim(s, cutset) for the set of cutset's bytes.
func trimIn(s string, set *[256]bool) string {
	i, j := 0, len(s)
	for i < j && set[s[i]] {
		i++
	}
	for j > i && set[s[j-1]] {
		j--
	}
	return s[i:j]
}

// byteSet returns the set of the bytes of chars.
func byteSet(chars string) (set [256]bool) {
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return set
}

// hasByteIn reports whether s has a byte of set: strings.ContainsAny for
// ASCII characters, without building the set on every call.
func hasByteIn(s string, set *[256]bool) bool {
	for i := 0; i < len(s); i++ {
		if set[s[i]] {
			return true
		}
	}
	return false
}
