package decoders

import "strings"

// X1 is an unidentified MTA (seen at Japanese ISPs, "Received: By
// OpenMail Mailer"; sender "Mail Deliver System <MAILER-DAEMON@host>",
// subjects "Returned Mail: ..." and "Warning--Could not send mail for
// past N hours"). Its notice lists one recipient a line, the reason in
// brackets:
//
//	---The following addresses had delivery errors---
//
//	kijitora@example.co.jp [User unknown]

func matchX1(m *message) bool {
	s := m.lowerSubject()
	if strings.HasPrefix(s, "returned mail: ") || strings.HasPrefix(s, "warning--could not send mail") || strings.HasPrefix(s, "mail delivery failure") {
		return mailerDaemonFrom(m)
	}
	return false
}

func decodeX1(m *message) *Report {
	section, ok := sectionFrom(m.text(), "---the following addresses had delivery errors---")
	if !ok {
		return nil
	}
	action := "failed"
	if strings.HasPrefix(m.lowerSubject(), "warning--") {
		action = "delayed"
	}
	rep := &Report{Kind: KindBounce, Format: "x1"}
	for _, t := range blockAfter(section) {
		addr, reason := t, ""
		if b := strings.IndexByte(t, '['); b > 0 {
			addr = strings.TrimSpace(t[:b])
			reason = strings.TrimSuffix(strings.TrimSpace(t[b+1:]), "]")
		}
		a := normalizeAddress(addr)
		if a == "" {
			break
		}
		r := Recipient{Address: a, Action: action, Diagnostic: reason}
		finishRecipient(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}
