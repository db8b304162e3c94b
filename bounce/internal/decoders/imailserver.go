package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Ipswitch IMail Server writes plain-text reports with X-Mailer: <SMTP32
// vNNN> and the subject "Undeliverable Mail". Each failure is one line
// "<reason>: <address>" ("Unknown user: a@b", "User mailbox exceeds allowed
// size: a@b", "Delivery failed 20 attempts: a@b") or "undeliverable to
// a@b", optionally followed by "Body of message generated response:" and
// the remote server's reply. The returned message follows "Original
// message follows.".

func matchIMailServer(m *message) bool {
	return strings.HasPrefix(toLower(m.getField("x-mailer")), "<smtp32 v") && looksLikeBounce(m)
}

// imailReasons maps IMail's own phrases to reasons; IMail writes them
// itself, so the classifier cannot tell them from a remote reply.
var imailReasons = []phraseHint{
	{"unknown user", "user_unknown"},
	{"invalid final delivery userid", "user_unknown"},
	{"unknown host", "host_unknown"},
	{"user mailbox exceeds allowed size", "mailbox_full"},
	{"requested action not taken: virus detected", "virus_detected"},
	{"delivery failed ", "expired"}, // "Delivery failed 20 attempts"
}

func decodeIMailServer(m *message) *Report {
	text := m.text()
	if i := mime.IndexFold(text, "original message follows."); i >= 0 {
		text = text[:i]
	}
	lines := splitLines(text)
	rep := &Report{Kind: KindBounce, Format: "imailserver"}
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		lt := toLower(t)
		var addr, phrase string
		switch {
		case strings.HasPrefix(lt, "undeliverable to "):
			addr = normalizeAddress(t[len("undeliverable to "):])
		default:
			c := strings.LastIndex(t, ": ")
			if c <= 0 || strings.ContainsAny(t[:c], "<>@") {
				continue
			}
			phrase = t[:c]
			switch toLower(phrase) {
			case "to", "cc", "bcc", "from", "reply-to", "sender", "date", "subject":
				continue // the summary of the returned message
			}
			addr = normalizeAddress(t[c+2:])
		}
		if addr == "" {
			continue
		}
		r := Recipient{Address: addr, Action: "failed", Diagnostic: t}
		lp := toLower(phrase)
		for _, ir := range imailReasons {
			if lp != "" && strings.HasPrefix(lp, ir.phrase) {
				r.ReasonHint = ir.reason
				break
			}
		}
		// "Body of message generated response:" introduces the remote reply.
		for j := i + 1; j < len(lines); j++ {
			u := strings.TrimSpace(lines[j])
			if u == "" {
				continue
			}
			if strings.HasPrefix(toLower(u), "body of message generated response") {
				var reply []string
				for k := j + 1; k < len(lines); k++ {
					v := strings.TrimSpace(lines[k])
					if v == "" {
						if len(reply) > 0 {
							break
						}
						continue
					}
					reply = append(reply, v)
				}
				if len(reply) > 0 {
					r.Diagnostic = strings.Join(reply, " ")
					r.Command = "DATA" // a response to the message body
				}
			}
			break
		}
		fillCodes(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	rep.Original = originalAfterLine(m.text(), "original message follows.")
	return rep
}
