package decoders

import "strings"

// matchVERP reports whether the bounce was sent to an address that a
// VERP return path of Options.VERP encodes a recipient in.
func matchVERP(m *message) bool { return m.verpRecipient() != "" }

// decodeVERP reports the recipient of the VERP return path of a message
// that looks like a bounce (looksLikeBounce) but names no recipient the
// decoders before it could read.
func decodeVERP(m *message) *Report {
	a := m.verpRecipient()
	if a == "" || !looksLikeBounce(m) {
		return nil
	}
	return &Report{Kind: KindBounce, Format: "verp", Recipients: []Recipient{{Address: a, Action: "failed", Diagnostic: oneLine(firstParagraph(m.text()))}}}
}

// verpRecipient recovers the recipient encoded in the address the bounce
// was sent to by a VERP return path (Options.VERP), or "".
func (m *message) verpRecipient() string {
	if len(m.opts.VERP) == 0 {
		return ""
	}
	h := m.header()
	for _, k := range []string{"x-original-to", "delivered-to", "envelope-to", "x-envelope-to", "to", "x-rcpt-to"} {
		for _, v := range h.Values(k) {
			for _, a := range findAddresses(v) {
				for _, pat := range m.opts.VERP {
					if r := MatchVERP(pat, a); r != "" {
						return r
					}
				}
			}
		}
	}
	return ""
}

// MatchVERP returns the recipient encoded in addr by the VERP pattern pat
// (bounce.MatchVERP documents the pattern), or "".
func MatchVERP(pat, addr string) string {
	li := strings.Index(pat, "{local}")
	di := strings.Index(pat, "{domain}")
	if li < 0 || di < 0 || di < li {
		return ""
	}
	prefix := pat[:li]
	tokenSep := ""
	if ti := strings.Index(prefix, "{token}"); ti >= 0 {
		prefix, tokenSep = prefix[:ti], prefix[ti+len("{token}"):]
		if tokenSep == "" {
			return ""
		}
	}
	middle := pat[li+len("{local}") : di]
	suffix := pat[di+len("{domain}"):]
	a := addr
	if len(a) < len(prefix)+len(suffix) || !strings.EqualFold(a[:len(prefix)], prefix) || !strings.EqualFold(a[len(a)-len(suffix):], suffix) {
		return ""
	}
	inner := a[len(prefix) : len(a)-len(suffix)]
	if tokenSep != "" {
		k := strings.Index(toLower(inner), toLower(tokenSep))
		if k <= 0 {
			return ""
		}
		inner = inner[k+len(tokenSep):]
	}
	if middle == "" {
		return ""
	}
	j := strings.LastIndex(inner, middle)
	if j <= 0 || j+len(middle) >= len(inner) {
		return ""
	}
	return normalizeAddress(inner[:j] + "@" + inner[j+len(middle):])
}
