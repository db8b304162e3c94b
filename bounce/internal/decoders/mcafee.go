package decoders

import "strings"

// McAfee Email Gateway (formerly IronMail, also sold as McAfee Email and Web
// Security Appliance) marks its reports with an X-NAI-Header: "Modified by
// McAfee ..." header and the subject "Delivery Status". The report is a
// multipart/mixed with a text part "--- The following addresses had
// delivery problems ---" listing "<addr>   (remote reply)" lines, and a
// message/delivery-status part that gives Original-Recipient, Action and
// Diagnostic-Code but no Final-Recipient or Status.

func matchMcAfee(m *message) bool {
	// QUIRK: the gateway stamps X-NAI-Header on every message it modifies,
	// other servers' bounces included; only its own reports have the list.
	return headerHas(m, "x-nai-header", "mcafee") && containsLower(m.text(), "the following addresses had delivery problems")
}

func decodeMcAfee(m *message) *Report {
	rep := dsnWithCommands(m, "mcafee")
	if rep == nil {
		rep = &Report{Kind: KindBounce, Format: "mcafee"}
	}
	// The text part: "<kijitora@example.jp>   (5.1.1 <kijitora@example.jp>... User unknown)".
	text := m.notice()
	seen := map[string]int{}
	for i, r := range rep.Recipients {
		seen[r.Address] = i
	}
	for line := range lineSeq(text) {
		t := strings.TrimSpace(line)
		if !strings.HasPrefix(t, "<") {
			continue
		}
		gt := strings.IndexByte(t, '>')
		if gt < 0 {
			continue
		}
		addr := normalizeAddress(t[:gt+1])
		if addr == "" {
			continue
		}
		words := strings.TrimSpace(t[gt+1:])
		words = strings.TrimSuffix(strings.TrimPrefix(words, "("), ")")
		if i, ok := seen[addr]; ok {
			if rep.Recipients[i].Diagnostic == "" {
				rep.Recipients[i].Diagnostic = words
				fillCodes(&rep.Recipients[i])
			}
			continue
		}
		seen[addr] = len(rep.Recipients)
		rep.Recipients = append(rep.Recipients, failedRecipient(addr, words))
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
