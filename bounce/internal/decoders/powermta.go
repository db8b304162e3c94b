package decoders

import "strings"

// PowerMTA (Port25, now Bird) writes multipart/report notices with the
// subject "Delivery report", a text part beginning "Hello, this is the
// mail server on <host>.", and a message/delivery-status part carrying
// X-PowerMTA-VirtualMTA and, per recipient, X-PowerMTA-BounceCategory: its
// own classification of the failure (bad-mailbox, quota-issues, ...).

func matchPowerMTA(m *message) bool {
	if !strings.EqualFold(strings.TrimSpace(m.subject), "delivery report") {
		return false
	}
	return containsFold(powerMTAReport(m), "x-powermta-")
}

// powerMTAReport is the text of the delivery-status part, or of its
// fields kept as lines of one text body where a gateway flattened the
// report (RFC 3464 section 2's fields read alike, as dsnOf reads them).
func powerMTAReport(m *message) string {
	if p := m.dsnPart(); p != nil {
		return p.Text()
	}
	_, body := inlineDSN(m.text())
	return body
}

// powerMTACategories maps PowerMTA's bounce categories to reasons
// (PowerMTA User's Guide, "bounce categories").
var powerMTACategories = map[string]string{
	"bad-domain":          "host_unknown",
	"bad-mailbox":         "user_unknown",
	"inactive-mailbox":    "suspended",
	"message-expired":     "expired",
	"no-answer-from-host": "network_error",
	"policy-related":      "policy_violation",
	"quota-issues":        "mailbox_full",
	"routing-errors":      "system_error",
	"spam-related":        "spam_detected",
	"virus-related":       "virus_detected",
	"content-related":     "content_error",
	"invalid-sender":      "rejected",
	"relaying-issues":     "no_relaying",
	"protocol-errors":     "system_error",
}

func decodePowerMTA(m *message) *Report {
	dsn := powerMTAReport(m)
	if dsn == "" {
		return nil
	}
	rep := dsnWithCommands(m, "powermta")
	if rep == nil {
		return nil
	}
	_, blocks := m.dsnFields(dsn)
	for _, b := range blocks {
		cat := toLower(strings.TrimSpace(b.Get("x-powermta-bouncecategory")))
		if cat == "" {
			continue
		}
		addr := dsnAddress(b.Get("final-recipient"))
		for i := range rep.Recipients {
			if rep.Recipients[i].Address == addr && rep.Recipients[i].ReasonHint == "" {
				rep.Recipients[i].ReasonHint = powerMTACategories[cat]
			}
		}
	}
	return rep
}
