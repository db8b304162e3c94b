package decoders

import (
	"github.com/bounced-dev/bounced/bounce/internal/mime"
	"strings"
	"unsafe"
)

// The helpers below test the bounce's own top-level header (From,
// Received and marker fields): they are what match functions may read.

// headerHas reports whether any value of the top-level header key
// (lower-case) contains sub (lower-case), case-insensitively.
func headerHas(m *message, key, sub string) bool {
	if key == "received" {
		// Many matchers look for their MTA in the Received fields:
		// lowered once, searched as is (containsFold's result).
		return contains(m.lowerReceived(), asciiLower(sub))
	}
	h := m.header()
	for i := range h {
		if h[i].Key == key && containsFold(h[i].Value, sub) {
			return true
		}
	}
	return false
}

// receivedHas reports whether any Received header contains sub
// (compared as written).
func receivedHas(m *message, sub string) bool {
	return contains(m.received(), sub)
}

// received returns the values of the top-level Received fields, trimmed,
// one a line, joined once (a marker has no line break, so it is in the
// lines if it is in a value).
func (m *message) received() string {
	if !m.receivedDone {
		h, n := m.header(), 0
		for i := range h {
			if h[i].Key == "received" {
				n += len(h[i].Value) + 1
			}
		}
		if m.room != nil && n > 0 {
			// In the message's room for text (lowerInRoom).
			t := mime.GrowRoom(m.room, n)
			k, first := len(t), true
			for i := range h {
				if h[i].Key == "received" {
					if !first {
						t = append(t, '\n')
					}
					t, first = append(t, strings.TrimSpace(h[i].Value)...), false
				}
			}
			*m.room = t
			m.receivedVal, m.receivedDone = unsafe.String(unsafe.SliceData(t[k:]), len(t)-k), true
			return m.receivedVal
		}
		var b strings.Builder
		b.Grow(n)
		sep := ""
		for i := range h {
			if h[i].Key == "received" {
				b.WriteString(sep)
				b.WriteString(strings.TrimSpace(h[i].Value))
				sep = "\n"
			}
		}
		m.receivedVal, m.receivedDone = b.String(), true
	}
	return m.receivedVal
}

// lowerReceived returns asciiLower(m.received()), computed once (in
// m's room for text when it has one).
func (m *message) lowerReceived() string {
	if !m.lowerReceivedDone {
		r := m.received()
		if m.room != nil && !isLowerASCIIOnly(r) {
			t := mime.GrowRoom(m.room, len(r))
			k := len(t)
			t = mime.AppendASCIILower(t, r)
			*m.room = t
			m.lowerReceivedVal = unsafe.String(unsafe.SliceData(t[k:]), len(t)-k)
		} else {
			m.lowerReceivedVal = asciiLower(r)
		}
		m.lowerReceivedDone = true
	}
	return m.lowerReceivedVal
}

// isLowerASCIIOnly reports whether s has no ASCII capital letter
// (asciiLower returns s itself).
func isLowerASCIIOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

// anyReceivedBy reports whether a Received header of the bounce names a
// host below domain as the receiving ("by") host.
func anyReceivedBy(m *message, domain string) bool {
	for _, v := range m.header().Values("received") {
		lv := toLower(v)
		i := strings.Index(lv, " by ")
		if i < 0 {
			if !strings.HasPrefix(lv, "by ") {
				continue
			}
			i = -1
		}
		rest := strings.TrimSpace(lv[i+4:])
		if sp := strings.IndexAny(rest, " \t\n;("); sp >= 0 {
			rest = rest[:sp]
		}
		if hostIs(rest, domain) {
			return true
		}
	}
	return false
}

// fromAddress returns the lower-cased address of the bounce's From header.
func fromAddress(m *message) string {
	if !m.fromAddrDone {
		m.fromAddr, m.fromAddrDone = m.lowerInRoom(firstAddress(m.from)), true
	}
	return m.fromAddr
}

// hostIs reports whether host equals domain or is below it.
func hostIs(host, domain string) bool {
	host = strings.TrimSuffix(host, ".")
	if !isASCIIString(host) {
		host = toLower(host)
		return host == domain || strings.HasSuffix(host, "."+domain)
	}
	// ASCII: compared in place, without lower-casing nor joining.
	n := len(host) - len(domain)
	return n >= 0 && (n == 0 || host[n-1] == '.') && asciiEqualFold(host[n:], domain)
}

// asciiEqualFold reports whether a, ASCII, lower-cased is b.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if mime.LowerASCII(a[i]) != b[i] {
			return false
		}
	}
	return true
}

// mailerDaemonFrom reports whether the From header names a mail system
// (MAILER-DAEMON, postmaster, Mail Delivery System, ...).
func mailerDaemonFrom(m *message) bool {
	return m.fromBounceSender()
}
