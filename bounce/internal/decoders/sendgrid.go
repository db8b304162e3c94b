package decoders

import "strings"

// SendGrid bounces.
//
// SendGrid's MTA writes an RFC 3464 report whose notice begins "This is
// an automatically generated message from SendGrid." and lists each
// recipient as "local:ID:<address> : reason". Its delivery-status part
// has X-SendGrid-QueueID and, for messages it gave up retrying, the
// non-standard "Action: expired" with an empty Status. Recognised by the
// Return-Path apps@sendgrid.net or the X-SendGrid-* delivery-status fields.

func matchSendGrid(m *message) bool {
	if containsLower(m.getField("return-path"), "sendgrid.net") {
		return true
	}
	p := m.dsnPart()
	return p != nil && contains(p.Text(), "X-SendGrid-")
}

func decodeSendGrid(m *message) *Report {
	rep := dsnAs(m, "sendgrid")
	if rep == nil {
		return nil
	}
	notice := m.notice()
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if strings.EqualFold(strings.TrimSpace(r.Action), "expired") {
			// QUIRK: "Action: expired" means SendGrid stopped retrying.
			r.Action = "failed"
			r.ReasonHint = "expired"
		}
		// "kijitora:00000:<kijitora@example.org> : Connection timed out in connect"
		if r.Diagnostic == "" {
			if t := textAbout(notice, r.Address); t != "" {
				r.Diagnostic = t
				fillCodes(r)
			}
		}
	}
	return rep
}
