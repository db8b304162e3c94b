package decoders

import "strings"

// The helpers below read Exim-style lists of failed addresses, as Exim
// and the gateways built on it write them.

// eximList reads an Exim-style list of failed addresses ("The following
// address(es) failed:" then, per recipient, an address line indented by at
// most two spaces and the reasons on the lines below it, more indented),
// as Exim and the gateways built on it (MX Logic, Mail.Ru) write it. Each
// recipient's command, remote host and reply are read from the reasons. A
// delay warning ("The address to which the message has not yet been
// delivered is:") gives delayed recipients.
func eximList(text string) []Recipient {
	lines := splitLines(text)
	action := "failed"
	for i, l := range lines {
		ll := toLower(l)
		if contains(ll, "following address") || contains(ll, "not yet been delivered is:") || contains(ll, "not yet been delivered are:") {
			if contains(ll, "not yet been delivered") {
				action = "delayed"
			}
			lines = lines[i+1:]
			break
		}
	}
	var out []Recipient
	var addr string
	var words []string
	flush := func() {
		if addr != "" {
			r := eximRecipient(addr, strings.Join(words, " "))
			r.Action = action
			out = append(out, r)
		}
		addr, words = "", nil
	}
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" {
			if len(words) > 0 {
				flush()
			}
			continue
		}
		lt := toLower(t)
		if strings.HasPrefix(t, "------") || strings.HasPrefix(lt, "included is a copy") || strings.HasPrefix(lt, "this message was created automatically") {
			break
		}
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if a, rest, ok := addressLead(t); ok && indent <= 2 && a != addr {
			flush()
			addr = a
			if rest != "" {
				words = append(words, rest)
			}
			continue
		}
		if addr != "" {
			words = append(words, t)
		}
	}
	flush()
	return out
}

// eximRecipient builds a recipient from an address and Exim's reasons.
func eximRecipient(addr, words string) Recipient {
	words = oneLine(words)
	words = strings.TrimSpace(strings.TrimPrefix(words, "Delay reason:"))
	// "(generated from alias@example.com)" names the address it expanded from.
	if strings.HasPrefix(words, "(generated from") {
		if end := strings.IndexByte(words, ')'); end > 0 {
			words = strings.TrimSpace(words[end+1:])
		}
	}
	r := Recipient{Address: addr, Action: "failed", Diagnostic: words}
	if cmd, host, reply, ok := remoteError(words); ok {
		r.Command, r.RemoteMTA = cmd, host
		if reply != "" {
			r.Diagnostic = reply
		}
	}
	fillCodes(&r)
	return r
}

// addressLead reads a line that starts with an address ("a@b",
// "<a@b>: reply", "\"a@b\":") and returns the address and the rest of the
// line after it.
func addressLead(t string) (addr, rest string, ok bool) {
	s := strings.TrimLeft(t, "<\"'")
	end := strings.IndexAny(s, ">\"' \t")
	if end < 0 {
		end = len(s)
	}
	cand := strings.TrimRight(s[:end], ":,;")
	if strings.Count(cand, "@") != 1 {
		return "", "", false
	}
	a := normalizeAddress(cand)
	if a == "" {
		return "", "", false
	}
	rest = strings.TrimLeft(s[end:], ">\"' \t")
	rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
	return a, rest, true
}
