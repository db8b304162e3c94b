package decoders

import "strings"

// Mimecast, a cloud mail gateway, writes multipart/report notices with the
// subject "[Postmaster] Email Delivery Failure", Message-Ids under
// mimecast.lan and X-Mimecast-* or X-MC-System headers. Its text part says
// "an email you addressed to email address :", "-- a@b", "The problem
// appears to be :", "-- <summary>", "Additional information follows :",
// "-- <remote reply>"; its delivery-status part writes "Field : value"
// with the Final-Recipient last and "rfc/822" address types.

func matchMimecast(m *message) bool {
	if headerHas(m, "message-id", "mimecast.lan>") {
		return true
	}
	// QUIRK: X-Mimecast-* headers are also stamped on other servers'
	// bounces delivered through Mimecast; only its own notices have the
	// subject.
	return (m.hasField("x-mimecast-originator") || m.hasField("x-mc-system")) && m.subjectHas("delivery failure")
}

func decodeMimecast(m *message) *Report {
	notice := m.notice()
	addr, summary, info := mimecastText(notice)
	rep := dsnWithCommands(m, "mimecast")
	if rep == nil {
		if addr == "" {
			return nil
		}
		action := "failed"
		if textDelayed(m) {
			// its warning ("[Postmaster] Email Delivery Warning": "has
			// not yet been delivered", "Delivery will continue to be
			// attempted") without the delivery-status part's "delayed"
			action = "delayed"
		}
		rep = &Report{Kind: KindBounce, Format: "mimecast", Recipients: []Recipient{{Address: addr, Action: action}}}
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if r.Diagnostic == "" {
			if info != "" {
				r.Diagnostic = info
			} else {
				r.Diagnostic = summary
			}
			fillCodes(r)
		}
	}
	return rep
}

// mimecastText reads the "-- value" lines that follow the text part's
// labels.
func mimecastText(notice string) (addr, summary, info string) {
	lines := splitLines(notice)
	for i, line := range lines {
		l := toLower(strings.TrimSpace(line))
		var dst *string
		switch {
		case strings.HasSuffix(l, "email address :"):
			dst = &addr
		case strings.HasPrefix(l, "could not be delivered. the problem appears to be"), strings.HasPrefix(l, "the problem appears to be"):
			dst = &summary
		case strings.HasPrefix(l, "additional information follows"):
			dst = &info
		default:
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			t := strings.TrimSpace(lines[j])
			if strings.HasPrefix(t, "--") {
				*dst = strings.TrimSpace(t[2:])
				break
			}
			if t != "" {
				break
			}
		}
	}
	addr = normalizeAddress(addr)
	return addr, summary, info
}
