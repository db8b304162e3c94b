package decoders

import "strings"

// MailFoundry, a spam-filtering gateway, stamps its Received lines
// "(MAILFOUNDRY)" and reports with the subject "Message delivery has
// failed": "Unable to deliver message to: <a@b>", "Delivery failed for the
// following reason:", then "Server host[ip] failed with: 550 ..." or
// "host[ip] responded with failure: 552 ...", and the returned message as
// a message/rfc822 part.

func matchMailFoundry(m *message) bool {
	if !m.subjectHas("message delivery has failed") {
		return false
	}
	if headerHas(m, "received", "(mailfoundry)") {
		return true
	}
	// The notice as relayed on without the gateway's own Received line:
	// its "Unable to deliver message to:" lines, and the returned
	// message received by the gateway "(MAILFOUNDRY)".
	if !containsLower(m.notice(), "unable to deliver message to:") {
		return false
	}
	p := m.originalPart()
	return p != nil && containsFold(p.Text(), "(mailfoundry)")
}

func decodeMailFoundry(m *message) *Report {
	lines := splitLines(m.notice())
	rep := &Report{Kind: KindBounce, Format: "mailfoundry"}
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(toLower(t), "unable to deliver message to:") {
			continue
		}
		addr := firstAddress(t)
		if addr == "" {
			continue
		}
		var words []string
		para, _ := takeLines(lines, i+1, func(u string) bool {
			return u != "" && !strings.HasPrefix(toLower(u), "unable to deliver message to:")
		})
		for _, u := range para {
			if !strings.HasPrefix(toLower(u), "delivery failed for the following reason") {
				words = append(words, u)
			}
		}
		r := Recipient{Address: addr, Action: "failed", Diagnostic: oneLine(strings.Join(words, " "))}
		// "Server mx.example.org[192.0.2.1] failed with: 550 ..." or
		// "mx.example.org[192.0.2.1] responded with failure: 552 ...".
		d := r.Diagnostic
		for _, sep := range []string{" failed with: ", " responded with failure: "} {
			if k := strings.Index(d, sep); k >= 0 {
				host := strings.TrimPrefix(d[:k], "Server ")
				if b := strings.IndexByte(host, '['); b > 0 {
					host = host[:b]
				}
				r.RemoteMTA = strings.TrimSpace(host)
				r.Diagnostic = strings.TrimSpace(d[k+len(sep):])
				break
			}
		}
		fillCodes(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
