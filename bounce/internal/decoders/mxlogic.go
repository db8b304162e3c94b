package decoders

import "strings"

// MX Logic (later McAfee SaaS Email Protection) runs an Exim-derived MTA:
// its reports carry X-MX-Bounce and X-MXL-NoteHash headers and Received
// lines "(mxl_mta-N.N.N-N)". The text says "The following address failed:"
// and lists "  <a@b>: 550 5.1.1 ..." (the reply may wrap onto the next
// lines), then "Included is a copy of the message header:" and the
// returned headers.

func matchMXLogic(m *message) bool {
	if m.hasField("x-mx-bounce") || m.hasField("x-mxl-notehash") || m.hasField("x-mxl-hash") {
		return true
	}
	if !m.fromBounceSender() {
		return false
	}
	return headerHas(m, "received", "(mxl_mta-") || m.fromHas("mxlogic")
}

func decodeMXLogic(m *message) *Report {
	text := m.text()
	lower := toLower(text)
	if i := strings.Index(lower, "included is a copy of the message header"); i >= 0 {
		text = text[:i]
	}
	rep := &Report{Kind: KindBounce, Format: "mxlogic"}
	rep.Recipients = eximList(text)
	if len(rep.Recipients) == 0 {
		return nil
	}
	rep.Original = originalAfterLine(m.text(), "included is a copy of the message header")
	return rep
}
