package decoders

import (
	"slices"
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// The Lotus Notes SMTP MTA (the gateway of Notes/Domino releases before
// R5) writes plain-text reports from postmaster with the subject
// "Undeliverable message": "------- Failure Reasons --------", the reason
// (often in Japanese, in ISO-2022-JP) and the failed address, then
// "------- Returned Message --------" and the returned message.

const (
	notesReasons  = "------- failure reasons"
	notesReturned = "------- returned message"
)

func matchNotes(m *message) bool {
	if !strings.HasPrefix(m.lowerSubject(), "undeliverable message") {
		return false
	}
	return containsLower(m.text(), notesReasons)
}

// notesPhrases maps the gateway's own reasons to reasons.
var notesPhrases = []phraseHint{
	{"user not listed in public name & address book", "user_unknown"},
	{"ディレクトリのリストにありません", "user_unknown"},
	{"message has exceeded maximum hop count", "network_error"},
}

func decodeNotes(m *message) *Report {
	text := m.text()
	start := mime.IndexFold(text, notesReasons)
	if start < 0 {
		return nil
	}
	body := text[start:]
	if nl := strings.IndexByte(body, '\n'); nl >= 0 {
		body = body[nl+1:]
	}
	end := strings.Index(toLower(body), notesReturned)
	if end >= 0 {
		body = body[:end]
	}
	// Each reason is followed by the addresses it failed: one reason
	// may name several, a list may give several reasons. An address
	// with no reason before it takes the section's whole text.
	var reason, pending []string
	var addrs, diags []string
	for _, t := range nonBlankLines(body) {
		if a, rest, ok := addressLead(t); ok && rest == "" {
			if len(pending) > 0 {
				reason, pending = pending, nil
			}
			if !slices.Contains(addrs, a) {
				addrs = append(addrs, a)
				diags = append(diags, strings.Join(reason, " "))
			}
			continue
		}
		pending = append(pending, t)
	}
	var all []string
	for _, t := range nonBlankLines(body) {
		if _, rest, ok := addressLead(t); !ok || rest != "" {
			all = append(all, t)
		}
	}
	whole := strings.Join(all, " ")
	var orig Original
	if i := mime.IndexFold(text, notesReturned); i >= 0 {
		orig = originalAfterLine(text[i:], notesReturned)
	}
	rep := failedReport("notes", addrs, whole, nil, orig)
	if rep == nil {
		return nil
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if diags[i] != "" && diags[i] != whole {
			*r = failedRecipient(r.Address, diags[i])
		}
		r.ReasonHint = hintOf(r.Diagnostic, notesPhrases)
	}
	return rep
}
