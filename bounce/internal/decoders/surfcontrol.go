package decoders

import "strings"

// SurfControl E-mail Filter (later Websense) marks its reports with
// X-Mailer: SurfControl E-mail Filter. The text part says "Your message
// could not be sent." and, per recipient, "Addressed To: a@b" and "a@b:
// [192.0.2.5], 550 ..." (the remote host's address and its reply); a
// message/delivery-status part follows with the Action before the
// Final-Recipient.

func matchSurfControl(m *message) bool {
	return headerHas(m, "x-mailer", "surfcontrol")
}

func decodeSurfControl(m *message) *Report {
	rep := dsnWithCommands(m, "surfcontrol")
	text := m.notice()
	if rep == nil {
		rep = &Report{Kind: KindBounce, Format: "surfcontrol"}
		for line := range lineSeq(text) {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(toLower(t), "addressed to:") {
				if a := firstAddress(t); a != "" {
					rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed"})
				}
			}
		}
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		// "kijitora@example.com: [192.0.2.5], 550 kijitora@example.com... No such user"
		for line := range lineSeq(text) {
			t := strings.TrimSpace(line)
			if !strings.HasPrefix(toLower(t), toLower(r.Address)+":") {
				continue
			}
			rest := strings.TrimSpace(t[len(r.Address)+1:])
			if strings.HasPrefix(rest, "[") {
				if end := strings.IndexByte(rest, ']'); end > 0 {
					if r.RemoteMTA == "" {
						r.RemoteMTA = rest[1:end]
					}
					rest = strings.TrimLeft(rest[end+1:], ", ")
				}
			}
			if r.Diagnostic == "" || len(rest) > len(r.Diagnostic) {
				r.Diagnostic = rest
				fillCodes(r)
			}
			break
		}
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
