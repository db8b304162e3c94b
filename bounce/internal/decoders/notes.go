package decoders

import (
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
	var reason []string
	var addrs []string
	for _, t := range nonBlankLines(body) {
		if a, rest, ok := addressLead(t); ok && rest == "" {
			addrs = appendUnique(addrs, a)
			continue
		}
		reason = append(reason, t)
	}
	diag := strings.Join(reason, " ")
	hint := hintOf(diag, notesPhrases)
	var orig Original
	if i := mime.IndexFold(text, notesReturned); i >= 0 {
		orig = originalAfterLine(text[i:], notesReturned)
	}
	return failedReport("notes", addrs, diag, func(r *Recipient) { r.ReasonHint = hint }, orig)
}
