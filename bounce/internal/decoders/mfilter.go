package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// m-FILTER, a Japanese mail gateway by Digital Arts, writes plain-text
// reports (X-Mailer: m-FILTER; some deployments rename the mailer, e.g.
// "local-mailhub") with the subject "failure notice": a Japanese preamble,
// the failed addresses one per line, then sections introduced by ruler
// lines "-------server message" (the remote server's reply), "-------SMTP
// command" (the command it answered) and "-------original message" or
// "-------original mail info".

const (
	mfilterServer   = "-------server message"
	mfilterCommand  = "-------smtp command"
	mfilterOriginal = "-------original m"
)

func matchMFilter(m *message) bool {
	if headerHas(m, "x-mailer", "m-filter") {
		return true
	}
	if !strings.EqualFold(strings.TrimSpace(m.subject), "failure notice") {
		return false
	}
	return containsLower(m.text(), mfilterServer)
}

func decodeMFilter(m *message) *Report {
	text := m.text()
	si := mime.IndexFold(text, mfilterServer)
	if si < 0 {
		return nil
	}
	var addrs []string
	for _, t := range nonBlankLines(text[:si]) {
		if strings.Count(t, "@") == 1 && !strings.ContainsAny(t, " \t") {
			if a := normalizeAddress(t); a != "" {
				addrs = appendUnique(addrs, a)
			}
		}
	}
	section := func(from int) string {
		rest := text[from:]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[nl+1:]
		} else {
			return ""
		}
		if end := strings.Index(rest, "\n-------"); end >= 0 {
			rest = rest[:end]
		}
		return strings.TrimSpace(rest)
	}
	diag := section(si)
	cmd := ""
	if ci := mime.IndexFold(text, mfilterCommand); ci >= 0 {
		cmd = smtpCommand(toLower(section(ci)))
	}
	var orig Original
	if oi := mime.IndexFold(text, mfilterOriginal); oi >= 0 {
		orig = originalAfterLine(text[oi:], mfilterOriginal)
	}
	return failedReport("mfilter", addrs, diag, func(r *Recipient) { r.Command = cmd }, orig)
}
