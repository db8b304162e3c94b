package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Zoho Mail reports come from mailer-daemon@mail.zoho.com with X-Mailer:
// Zoho Mail and an X-ZohoMail header. The text part names each failed
// recipient on one line, "a@b Invalid Address, ERROR_CODE :550, ERROR_CODE
// :5.1.1 <a@b>... User Unknown": the first ERROR_CODE is the remote reply
// code, the second the rest of the remote reply. The returned message's
// headers follow, without a separator.

func matchZoho(m *message) bool {
	if m.hasField("x-zohomail") {
		return true
	}
	return headerHas(m, "x-mailer", "zoho mail") && m.fromBounceSender()
}

func decodeZoho(m *message) *Report {
	rep := &Report{Kind: KindBounce, Format: "zoho"}
	text := m.notice()
	action := "failed"
	if contains(m.lowerNotice(), "this is a temporary error") {
		action = "delayed"
	}
	for _, line := range unfoldLines(splitLines(text)) {
		t := strings.TrimSpace(line)
		k := strings.Index(t, "ERROR_CODE :")
		if k < 0 {
			continue
		}
		a, _, ok := addressLead(t)
		if !ok {
			continue
		}
		// "ERROR_CODE :550, ERROR_CODE :5.1.1 <a@b>... User Unknown"
		parts := strings.SplitN(t[k:], "ERROR_CODE :", 3)
		var code, words string
		if len(parts) >= 2 {
			code = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(parts[1]), ","))
		}
		if len(parts) == 3 {
			words = strings.TrimLeft(strings.TrimSpace(parts[2]), ", ")
		}
		diag := strings.TrimSpace(code + " " + words)
		r := Recipient{Address: a, Action: action, Diagnostic: diag}
		if len(code) == 3 && leadingReplyCode(code) != "" {
			r.ReplyCode = code
		}
		// QUIRK: Zoho says "Host not reachable." with a 421 after it gave
		// up retrying a host that never answered.
		if containsFold(words, "host not reachable") {
			r.ReasonHint = "expired"
		}
		fillCodes(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	if i := strings.Index(text, "\nReceived:"); i >= 0 {
		h, _ := mime.ParseHeader(bytesOf(text[i+1:]))
		rep.Original = originalFromHeader(h)
	}
	return rep
}
