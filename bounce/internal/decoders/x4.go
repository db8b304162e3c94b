package decoders

import "strings"

// X4 is an unidentified qmail-based MTA (a hosting provider's, with
// vdelivermail-style "child status" lines). Its notice is qmail's layout
// without qmail's greeting:
//
//	Your mail message to the following address(es) could not be delivered. This
//	is a permanent error. ...
//
//	<kijitora@example.com>:
//	child status 100...The e-mail message could not be delivered because the user's mailfolder is full.
//
//	--- Below this line is a copy of the message.

func matchX4(m *message) bool {
	return mailerDaemonFrom(m)
}

func decodeX4(m *message) *Report {
	notice := m.notice()
	lower := m.lowerNotice()
	if !contains(lower, "to the following address(es) could not be delivered") {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "x4"}
	for _, p := range addressParagraphs(notice, qmailStyle) {
		r := Recipient{Address: p.addr, Action: "failed"}
		qmailDetail(&r, p.lines)
		// QUIRK: "child status 100..." is the exit status of the local
		// delivery program, not part of its message.
		// The words after it are the delivery program's own: a
		// diagnostic of type x-unix (RFC 3464 section 2.3.6), whose
		// stage, the local delivery after the address was accepted,
		// is known (qmail-command(8): "100 means that the delivery
		// failed permanently").
		if lt := toLower(r.Diagnostic); strings.HasPrefix(lt, "child status ") {
			if d := strings.Index(r.Diagnostic, "..."); d > 0 {
				r.Diagnostic = strings.TrimSpace(r.Diagnostic[d+3:])
				if r.DiagnosticType == "" {
					r.DiagnosticType = "x-unix"
				}
			}
		}
		finishRecipient(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}
