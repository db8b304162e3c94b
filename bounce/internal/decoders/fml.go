package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// fml (https://www.fml.org), a mailing list manager common in Japan,
// answers a post it refuses with a notice from the list's admin address
// carrying "X-MLServer: fml [fml 4.0.3 release ...]". The subject and the
// first line say why, with the list's address in angle brackets:
//
//	Subject: You sironeko@example.org are not member (neko-nyaan ML)
//	You are not a member of this mailing list <neko-nyaan@example.org>.
//
//	Subject: Loop Alert: Duplicated Message-ID (neko ML)
//	Duplicated Message-ID in <neko@example.co.jp>.
//
// The address reported is the list that refused the post. The cause is
// fml's own wording, so the decoder names it (ReasonHint). Ordinary posts
// also carry X-MLServer: only a notice with one of these wordings is read.

func matchFML(m *message) bool {
	return strings.HasPrefix(toLower(m.getField("x-mlserver")), "fml")
}

// fmlErrors map fml's wordings (lower-case) to the reason they state.
var fmlErrors = []struct{ word, reason string }{
	{"you are not a member of this mailing list", "rejected"},
	{"not member article from", "rejected"},
	{"are not member", "rejected"},
	{"spam mail from a spammer is rejected", "rejected"},
	{"reject mail from", "rejected"},
	{"duplicated message-id", "system_error"},
	{"has detected a loop condition", "system_error"},
	{"loop alert:", "system_error"},
	{"loop back warning:", "system_error"},
	{"unix from loop", "system_error"},
	{"fml system error message", "system_error"},
	{"security alert", "security_error"},
}

func decodeFML(m *message) *Report {
	subj := m.lowerSubject()
	body := m.text()
	if i := mime.IndexFold(body, "original mail as follows:"); i >= 0 {
		body = body[:i]
	}
	reason := ""
	for _, e := range fmlErrors {
		if contains(subj, e.word) {
			reason = e.reason
			break
		}
	}
	var diag, addr string
	for l := range lineSeq(body) {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		lt := toLower(t)
		for _, e := range fmlErrors {
			if contains(lt, e.word) {
				diag = t
				if reason == "" {
					reason = e.reason
				}
				break
			}
		}
		if diag != "" {
			if lt := strings.IndexByte(t, '<'); lt >= 0 {
				addr = normalizeAddress(t[lt:])
			}
			break
		}
	}
	if reason == "" || diag == "" || addr == "" {
		return nil
	}
	r := Recipient{Address: addr, Action: "failed", Diagnostic: diag, ReasonHint: reason}
	return &Report{Kind: KindBounce, Format: "fml", Recipients: []Recipient{r}}
}
