package decoders

import "strings"

// The person a challenge-response request protects.
//
// A challenge-response system answers mail to a protected address with a
// request to confirm, sent from its own address: TMDA's confirm address
// (the user's address with a "-confirm-<cookie>" extension, TMDA's
// CONFIRM_ADDRESS and templates/confirm_request.txt; it sends the request
// as multipart/mixed with the sender's message attached, AutoResponse.py),
// or a service's noreply address. The shop mailed the protected person,
// so that is who the auto-reply is about, read by structure:
//
//  1. the returned message's To and Cc, when the request quotes it;
//  2. an address the request says the message was sent to ("your message
//     to X", "sent to X", "addressed to X"), in the subject or the text;
//  3. the From address with a TMDA "-confirm-<cookie>" extension removed;
//
// and otherwise the From address, as for any auto-reply.

// challengeProtected returns the protected person's address, or "".
func (m *message) challengeProtected() string {
	own := m.challengeOwn()
	from := firstAddress(m.from)
	base := stripConfirm(from)
	if a := m.challengeFromOriginal(own, base); a != "" {
		return a
	}
	for _, s := range []string{m.subject, m.notice()} {
		if a := sentToAddress(s, own); a != "" {
			return a
		}
	}
	if base != from {
		return base
	}
	return ""
}

// challengeOwn returns the addresses that are not the protected person:
// the request's recipient (the shop) and the challenge system's reply
// addresses (a TMDA confirm address, a Reply-To other than the From),
// lower-case.
func (m *message) challengeOwn() map[string]bool {
	own := map[string]bool{}
	for _, k := range []string{"to", "return-path", "errors-to"} {
		for _, a := range findAddresses(m.getField(k)) {
			own[toLower(a)] = true
		}
	}
	from := toLower(firstAddress(m.from))
	for _, a := range findAddresses(m.getField("reply-to")) {
		if l := toLower(a); l != from {
			own[l] = true
		}
	}
	if o := m.original().From; o != "" {
		own[toLower(o)] = true
	}
	return own
}

// challengeFromOriginal returns the recipient of the returned message
// the request is about: the one that is the From address without its
// confirm extension, else one at the From's domain, else the first; ""
// when the request quotes no message.
func (m *message) challengeFromOriginal(own map[string]bool, base string) string {
	o := m.original()
	var cands []string
	for _, k := range []string{"To", "Cc"} {
		for _, v := range o.Header(k) {
			for _, a := range findAddresses(v) {
				if !own[toLower(a)] && stripConfirm(a) == a {
					cands = appendUnique(cands, a)
				}
			}
		}
	}
	if len(cands) == 0 {
		return ""
	}
	for _, a := range cands {
		if strings.EqualFold(a, base) {
			return a
		}
	}
	for _, a := range cands {
		if base != "" && strings.EqualFold(domainOf(a), domainOf(base)) {
			return a
		}
	}
	return cands[0]
}

// sentToPhrases introduce, in a challenge request, the address the held
// message was sent to, lower-case.
var sentToPhrases = []string{"message to ", "sent to ", "addressed to ", "writing to ", "mail to ", "email to ", "e-mail to ",
	// "to have your message delivered to X"; German "eine Nachricht an X".
	"delivered to ", "nachricht an "}

// sentToAddress returns the first address of s that directly follows a
// sentToPhrases phrase and is not one of own, or "".
func sentToAddress(s string, own map[string]bool) string {
	l := toLower(s)
	best, at := "", -1
	for _, p := range sentToPhrases {
		for off := 0; off < len(l); {
			i := strings.Index(l[off:], p)
			if i < 0 {
				break
			}
			i += off
			off = i + len(p)
			if at >= 0 && i >= at {
				break
			}
			rest := strings.TrimLeft(s[off:], " \t\n<\"'")
			w := firstWord(rest)
			a := firstAddress(w)
			if a == "" || !strings.HasPrefix(toLower(strings.Trim(w, "<>\"'(),;:.")), toLower(a)) {
				continue
			}
			if own[toLower(a)] || stripConfirm(a) != a {
				continue
			}
			best, at = a, i
			break
		}
	}
	return best
}

// stripConfirm returns addr without a TMDA confirm extension
// ("john-confirm-1234.abcd@example.com" gives john@example.com; TMDA's
// RECIPIENT_DELIMITER may be "+" too), or addr itself.
func stripConfirm(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return addr
	}
	local, lower := addr[:at], toLower(addr[:at])
	for _, mark := range []string{"-confirm-", "+confirm+"} {
		i := strings.Index(lower, mark)
		if i <= 0 {
			continue
		}
		cookie := lower[i+len(mark):]
		cookie = strings.TrimPrefix(strings.TrimPrefix(cookie, "accept."), "accept-")
		if cookie == "" || !isCookie(cookie) {
			continue
		}
		return local[:i] + addr[at:]
	}
	return addr
}

// isCookie reports whether s is made of what TMDA's cookies are made of:
// digits, letters and dots (a timestamp, a process ID, an HMAC in hex).
func isCookie(s string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case 'a' <= c && c <= 'z', c == '.':
		default:
			return false
		}
	}
	return digit
}

// tmdaRequest reports whether a message is a TMDA confirmation request:
// TMDA's X-Delivery-Agent header (AutoResponse.py) on an auto-replied
// message, or a From or Reply-To that is a confirm address.
func tmdaRequest(m *message) bool {
	if strings.HasPrefix(toLower(strings.TrimSpace(m.getField("x-delivery-agent"))), "tmda") &&
		strings.HasPrefix(toLower(m.getField("auto-submitted")), "auto-replied") {
		return true
	}
	for _, v := range []string{m.from, m.getField("reply-to")} {
		if a := firstAddress(v); a != "" && stripConfirm(a) != a {
			return true
		}
	}
	return false
}
