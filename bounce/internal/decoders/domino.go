package decoders

import "strings"

// HCL (formerly IBM, Lotus) Domino writes reports from Postmaster with the
// subject "DELIVERY FAILURE: <reason>" (older releases "DELIVERY_FAILURE:")
// and the text "Your message\n\n  Subject: ...\n\nwas not delivered
// to:\n\n  a@b\n\nbecause:\n\n  <reason>". Newer releases add a
// multipart/report with a delivery-status part whose Diagnostic-Code is of
// type X-Notes; its text is Domino's own, repeated by the "because:"
// paragraph.

func matchDomino(m *message) bool {
	// An ASCII Subject upper-cased is compared ASCII letters folded,
	// without the copy strings.ToUpper makes.
	s, prefix := m.subject, hasPrefixFold
	if !isASCIIString(s) {
		s, prefix = strings.ToUpper(s), strings.HasPrefix
	}
	if prefix(s, "DELIVERY FAILURE:") || prefix(s, "DELIVERY_FAILURE:") || prefix(s, "DELIVERY REPORT") && headerHas(m, "received", "domino") {
		return true
	}
	return headerHas(m, "x-mailer", "domino")
}

// hasPrefixFold reports whether s, ASCII, begins with prefix, ASCII
// letters compared case-insensitively.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// dominoReasons maps Domino's own descriptions (English and the localised
// releases) to reasons.
var dominoReasons = []phraseHint{
	{"not listed in domino directory", "user_unknown"},
	{"not listed in public name & address book", "user_unknown"},
	{"no se encuentra en el directorio de domino", "user_unknown"},
	{"non répertorié dans l'annuaire domino", "user_unknown"},
	{"nicht im domino-verzeichnis", "user_unknown"},
	{"domino ディレクトリには見つかりません", "user_unknown"},
	{"cannot route mail to user", "user_unknown"},
	{"several matches found in domino directory", "system_error"},
}

func decodeDomino(m *message) *Report {
	notice := m.notice()
	addrs, because := dominoText(notice)
	rep := dsnWithCommands(m, "domino")
	if rep == nil {
		rep = &Report{Kind: KindBounce, Format: "domino"}
		for _, a := range addrs {
			rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed"})
		}
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if because != "" && (r.Diagnostic == "" || strings.EqualFold(r.DiagnosticType, "x-notes")) {
			// QUIRK: Domino folds X-Notes diagnostics mid-word; the
			// "because:" paragraph has the same words unbroken.
			r.Diagnostic = because
			fillCodes(r)
		}
		if h := hintOf(r.Diagnostic, dominoReasons); h != "" {
			r.ReasonHint = h
		}
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	if m.originalPart() == nil {
		if s := dominoSubject(notice); s != "" {
			rep.Original = Original{Subject: s, fields: header{{Key: "subject", Value: s}}, decoded: true, known: true}
		}
	}
	return rep
}

// dominoSubject reads the "Subject:" line of the "Your message" paragraph.
func dominoSubject(notice string) string {
	for line := range lineSeq(notice) {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(toLower(t), "was not delivered to") {
			break
		}
		if strings.HasPrefix(t, "Subject:") {
			return strings.TrimSpace(t[len("Subject:"):])
		}
	}
	return ""
}

// dominoText reads the addresses after "was not delivered to:" and the
// paragraph after "because:".
func dominoText(notice string) (addrs []string, because string) {
	lines := splitLines(notice)
	state := 0 // 1: addresses, 2: reason
	var reason []string
	for _, line := range lines {
		t := strings.TrimSpace(line)
		lt := toLower(t)
		switch {
		case strings.HasPrefix(lt, "was not delivered to"):
			state = 1
			continue
		case lt == "because:":
			state = 2
			continue
		}
		switch state {
		case 1:
			if t == "" {
				continue
			}
			if a := firstAddress(t); a != "" {
				addrs = appendUnique(addrs, a)
			}
		case 2:
			if t == "" {
				if len(reason) > 0 {
					state = 0
				}
				continue
			}
			reason = append(reason, t)
		}
	}
	return addrs, strings.Join(reason, " ")
}
