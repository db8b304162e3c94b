package verp

import (
	"fmt"
	"strings"
)

// Placeholders of a return-path pattern.
const (
	phToken  = "{token}"
	phLocal  = "{local}"
	phDomain = "{domain}"
)

// Pattern is a parsed return-path pattern:
// prefix {token} sep {local} middle {domain} suffix, the suffix holding the
// "@" and the return path's domain. Every part is kept lower-cased.
type Pattern struct {
	prefix, sep, middle, suffix string
}

// ParsePattern checks and parses a return-path pattern such as
// "bounces+{token}+{local}={domain}@shop.example". It needs {token},
// {local} and {domain} once each and in this order; a separator between
// {token} and {local} with none of the characters a send id may hold
// (a-z, 0-9, '_', '-', and not '.'), so that "+" or "=" is fine and "-" is
// not; a separator between {local} and {domain} that cannot occur in a
// domain ("=" in the usual layout); and the "@" and the return path's
// domain after {domain}. Errors wrap ErrInvalidPattern.
func ParsePattern(s string) (Pattern, error) {
	p := strings.ToLower(strings.TrimSpace(s))
	bad := func(why string) (Pattern, error) {
		return Pattern{}, fmt.Errorf("%w %q: %s", ErrInvalidPattern, s, why)
	}
	for _, ph := range []string{phToken, phLocal, phDomain} {
		if n := strings.Count(p, ph); n != 1 {
			return bad("needs " + ph + " exactly once")
		}
	}
	ti, li, di := strings.Index(p, phToken), strings.Index(p, phLocal), strings.Index(p, phDomain)
	if !(ti < li && li < di) {
		return bad("want {token}, {local} and {domain} in this order")
	}
	pt := Pattern{
		prefix: p[:ti],
		sep:    p[ti+len(phToken) : li],
		middle: p[li+len(phLocal) : di],
		suffix: p[di+len(phDomain):],
	}
	if pt.sep == "" || strings.IndexFunc(pt.sep, func(r rune) bool { return r < 0x80 && (sendIDChar(byte(r)) || r == '.') }) >= 0 {
		return bad("the separator after {token} must be non-empty without a-z, 0-9, '_', '-' or '.' (use '+')")
	}
	if pt.middle == "" || strings.IndexFunc(pt.middle, func(r rune) bool { return r < 0x80 && (domainChar(byte(r)) || r == '.') }) >= 0 {
		return bad("the separator between {local} and {domain} must be non-empty and not occur in a domain (use '=')")
	}
	if strings.Count(pt.suffix, "@") != 1 || strings.HasSuffix(pt.suffix, "@") {
		return bad("want one @ and the return path's domain after {domain}")
	}
	at := strings.IndexByte(pt.suffix, '@')
	for _, lit := range []string{pt.prefix, pt.sep, pt.middle, pt.suffix[:at]} {
		for i := 0; i < len(lit); i++ {
			if !atext(lit[i]) && lit[i] != '.' {
				return bad(fmt.Sprintf("%q cannot be written unquoted in a local part", lit[i]))
			}
		}
	}
	for i := at + 1; i < len(pt.suffix); i++ {
		if c := pt.suffix[i]; !domainChar(c) && c != '.' {
			return bad(fmt.Sprintf("%q in the domain", c))
		}
	}
	return pt, nil
}

// String returns the pattern as ParsePattern read it, lower-cased.
func (p Pattern) String() string {
	return p.prefix + phToken + p.sep + phLocal + p.middle + phDomain + p.suffix
}

func (p Pattern) format(tok, sendID, rcpt string) string {
	at := strings.LastIndexByte(rcpt, '@')
	var b strings.Builder
	b.WriteString(p.prefix)
	b.WriteString(tok)
	if sendID != "" {
		b.WriteByte('.')
		b.WriteString(sendID)
	}
	b.WriteString(p.sep)
	b.WriteString(rcpt[:at])
	b.WriteString(p.middle)
	b.WriteString(rcpt[at+1:])
	b.WriteString(p.suffix)
	return b.String()
}

// parse splits addr by the pattern; see Signer.Parse.
func (p Pattern) parse(addr string) (Address, error) {
	a := Address{Key: -1}
	s := strings.ToLower(strings.TrimSpace(strings.Trim(strings.TrimSpace(addr), "<>")))
	if len(s) > MaxPathLen+64 || len(s) < len(p.prefix)+len(p.suffix) || !strings.HasPrefix(s, p.prefix) || !strings.HasSuffix(s, p.suffix) {
		return a, ErrUnsigned
	}
	inner := s[len(p.prefix) : len(s)-len(p.suffix)]
	k := strings.Index(inner, p.sep)
	if k < 0 {
		return a, ErrUnsigned
	}
	tag, rest := inner[:k], inner[k+len(p.sep):]
	j := strings.LastIndex(rest, p.middle)
	if j <= 0 || j+len(p.middle) >= len(rest) {
		return a, ErrUnsigned
	}
	a.Recipient = rest[:j] + "@" + rest[j+len(p.middle):]
	tok, sendID, hasID := strings.Cut(tag, ".")
	if len(tok) != TokenLen {
		return a, fmt.Errorf("%w: token of %d characters, want %d", ErrBadSignature, len(tok), TokenLen)
	}
	raw, err := b32.DecodeString(tok)
	if err != nil || len(raw) != 2+MACLen {
		return a, fmt.Errorf("%w: token is not base32", ErrBadSignature)
	}
	if hasID {
		if sendID == "" {
			return a, fmt.Errorf("%w: empty send id", ErrBadSignature)
		}
		if _, err := normalizeSendID(sendID); err != nil {
			return a, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
	}
	a.Token, a.SendID = tok, sendID
	a.Day = dayTime(uint16(raw[0])<<8 | uint16(raw[1]))
	return a, nil
}

// LocalPartLen returns the length in octets of addr's local part (what
// precedes its last "@"), to compare with MaxLocalLen.
func LocalPartLen(addr string) int {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return at
	}
	return len(addr)
}

// atext reports an RFC 5322 section 3.2.3 atext character, braces excepted
// (they mark placeholders).
func atext(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`|~", c) >= 0
}

func domainChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}
