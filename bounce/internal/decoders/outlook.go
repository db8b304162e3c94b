package decoders

import "strings"

// Outlook.com / Hotmail (Windows Live) delivery status notifications.
//
// Hotmail's outbound servers (BAY004-OMC1S18.hotmail.com and the like)
// run Microsoft SMTPSVC, which writes an RFC 3464 report with a short
// notice in UTF-7 ("Delivery to the following recipients failed.") and
// the X-DSNContext header. Recognised by X-DSNContext together with a
// Hotmail/Outlook.com host (sender, Reporting-MTA via Message-ID, or the
// X-Message-Delivery/X-Message-Info headers Hotmail adds to every message).

func matchOutlook(m *message) bool {
	if !m.hasField("x-dsncontext") {
		return false
	}
	if m.hasField("x-message-delivery") || m.hasField("x-message-info") {
		return true
	}
	mid := toLower(m.getField("message-id"))
	from := domainOf(fromAddress(m))
	for _, d := range []string{"hotmail.com", "outlook.com", "live.com", "msn.com"} {
		if contains(mid, d) || hostIs(from, d) {
			return true
		}
	}
	return false
}

func decodeOutlook(m *message) *Report {
	rep := dsnAs(m, "outlook")
	if rep == nil {
		return nil
	}
	// QUIRK: SMTPSVC writes no Diagnostic-Code for delays and expiries;
	// the notice's sentence is all the report says.
	var said string
	for _, line := range trimmedLines(m.notice()) {
		if containsFold(line, "following recipient") {
			said = strings.TrimSpace(line)
			break
		}
	}
	for i := range rep.Recipients {
		if rep.Recipients[i].Diagnostic == "" {
			rep.Recipients[i].Diagnostic = said
		}
	}
	return rep
}
