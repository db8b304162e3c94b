package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Microsoft Office 365 / Exchange Online non-delivery reports.
//
// Exchange Online writes the same NDR as on-premises Exchange 2013+ (see
// exchange2007.go), with an HTML-first notice ("Your message to X couldn't
// be delivered", "Delivery has failed to these recipients or groups"),
// the administrators' section, and usually a message/delivery-status part.
// It is recognised by the X-MS-Exchange-Message-Is-Ndr header of an
// Exchange NDR together with the X-MS-Exchange-CrossTenant-* or
// X-MS-Office365-* headers of Exchange Online, or a sender at outlook.com
// or an onmicrosoft.com tenant.

func matchOffice365(m *message) bool {
	h := m.header()
	// QUIRK: Exchange Online stamps X-MS-Exchange-CrossTenant-* and
	// X-MS-Office365-* on every message it receives, bounces from other
	// MTAs included; only an NDR Exchange generated itself also carries
	// X-MS-Exchange-Message-Is-Ndr.
	if !m.hasField("x-ms-exchange-message-is-ndr") {
		return false
	}
	for _, f := range h {
		if strings.HasPrefix(f.Key, "x-ms-exchange-crosstenant-") || strings.HasPrefix(f.Key, "x-ms-office365-") {
			return true
		}
	}
	d := domainOf(fromAddress(m))
	return hostIs(d, "outlook.com") || hostIs(d, "onmicrosoft.com")
}

func decodeOffice365(m *message) *Report {
	rep := decodeExchangeNDR(m, "office365")
	if rep != nil {
		return rep
	}
	// QUIRK: some Exchange Online notices carry neither a delivery-status
	// part nor the administrators' section, only "Your message to ADDR
	// couldn't be delivered." and a "Status code: 550 5.1.10" line
	// (with, in the fuller form, its "Reported error:" line).
	return decodeOffice365Summary(m)
}

// decodeOffice365Summary reads the summary-only form of an Exchange Online
// NDR.
func decodeOffice365Summary(m *message) *Report {
	text := m.notice()
	lower := m.lowerNotice()
	var addrs []string
	for _, v := range m.header().Values("x-failed-recipients") {
		addrs = append(addrs, findAddresses(v)...)
	}
	if len(addrs) == 0 {
		if i := strings.Index(lower, "your message to "); i >= 0 {
			rest := text[i+len("your message to "):]
			if j := mime.IndexFold(rest, " couldn"); j > 0 {
				if a := bareAddress(rest[:j]); a != "" {
					addrs = append(addrs, a)
				}
			}
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	// The administrators' section's "Reported error:" line is the reply
	// itself ("550 5.1.10 RESOLVER.ADR.RecipientNotFound; ..."), its
	// "Status code:" line only the codes: the first when there is one.
	reply := reportedError(text)
	if i := strings.Index(lower, "status code: "); i >= 0 && reply == "" {
		reply = text[i+len("status code: "):]
		if nl := strings.IndexByte(reply, '\n'); nl >= 0 {
			reply = reply[:nl]
		}
	}
	rep := &Report{Kind: KindBounce, Format: "office365"}
	for _, a := range addrs {
		r := Recipient{Address: a, Action: "failed"}
		setReply(&r, reply)
		if r.Diagnostic == "" {
			r.Diagnostic = oneLine(textAbout(text, a))
		}
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}
