package decoders

import "strings"

// 1&1 (IONOS, mail.com and GMX share the platform of United Internet)
// writes reports from mailer-daemon@kundenserver.de or a host under the
// customer's domain, with X-UI-Out-Filterresults headers and the subject
// "Mail delivery failed: returning message to sender". After "The
// following address(es) failed:" each recipient is an address line at the
// left margin ("a@b", "a@b:" or "\"a@b\":"), followed by its reason: either
// 1&1's own words after "For the following reason:" or the remote reply,
// "SMTP error from remote server for TEXT command, host: h (ip) reason: 550
// ...". The returned headers follow "--- The header of the original
// message is following. ---".

const unitedInternetOriginal = "--- the header of the original message is following. ---"

func matchEinsUndEins(m *message) bool {
	if !m.fromBounceSender() {
		return false
	}
	if m.hasField("x-ui-out-filterresults") {
		return true
	}
	f := m.lowerFrom()
	return contains(f, "kundenserver") || contains(f, "1and1") || contains(f, "ionos")
}

func decodeEinsUndEins(m *message) *Report {
	return decodeUnitedInternet(m, "einsundeins")
}

// decodeUnitedInternet reads the reports of 1&1 and GMX.
func decodeUnitedInternet(m *message, format string) *Report {
	text := m.text()
	lower := m.lowerText()
	orig := strings.Index(lower, unitedInternetOriginal)
	if orig < 0 {
		return nil
	}
	notice := text[:orig]
	lines := splitLines(notice)
	for i, l := range lines {
		if containsFold(l, "following address") {
			lines = lines[i+1:]
			break
		}
	}
	// QUIRK: the GMX wording breaks the sentence before "failed:".
	if len(lines) > 0 && strings.HasPrefix(strings.TrimSpace(toLower(lines[0])), "failed:") {
		lines = lines[1:]
	}
	action := "failed"
	if containsFold(notice, "has not yet been delivered") {
		action = "delayed"
	}
	rep := &Report{Kind: KindBounce, Format: format}
	var addr string
	var words []string
	flush := func() {
		if addr == "" {
			return
		}
		r := eximRecipient(addr, strings.Join(words, " "))
		r.Action = action
		// QUIRK: 1&1 states the size limit in its own words, no code.
		if containsFold(r.Diagnostic, "mail size limit exceeded") {
			r.ReasonHint = "message_too_big"
		}
		rep.Recipients = append(rep.Recipients, r)
		addr, words = "", nil
	}
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			if a, rest, ok := addressLead(t); ok && rest == "" {
				flush()
				addr = a
				continue
			}
		}
		if addr == "" || strings.HasPrefix(toLower(t), "for the following reason") {
			continue
		}
		words = append(words, t)
	}
	flush()
	if len(rep.Recipients) == 0 {
		return nil
	}
	rep.Original = originalAfterLine(text[orig:], unitedInternetOriginal)
	return rep
}
