package decoders

import "strings"

// Google Groups rejections.
//
// When a message to a Google Group cannot be posted (the group does not
// exist, or the sender may not post to it), Gmail's mailer-daemon answers
// with a plain-text notice, in the sender's language, that names the group
// in parentheses:
//
//	We're writing to let you know that the group you tried to contact
//	(libsisimai) may not exist, or you may not have permission to post
//	messages to the group. ...
//	Google Groups
//
// The group's address is in X-Failed-Recipients; the notice always links
// to https://groups.google.com/support/. The notice gives no SMTP codes:
// its cause, a post the group refused, is the decoder's reading
// (ReasonHint rejected).

func matchGoogleGroups(m *message) bool {
	return matchGmail(m) && m.hasField("x-failed-recipients")
}

func decodeGoogleGroups(m *message) *Report {
	text := m.notice()
	if !contains(text, "groups.google.com") && !contains(text, "Google Groups") {
		return nil
	}
	addrs := m.failedRecipients()
	if len(addrs) == 0 {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "googlegroups"}
	for _, a := range addrs {
		rep.Recipients = append(rep.Recipients, Recipient{
			Address:    a,
			Action:     "failed",
			Diagnostic: googleGroupsSentence(text, a),
			ReasonHint: "rejected",
		})
	}
	return rep
}

// googleGroupsSentence returns the line of the notice that names the
// group (its local part in parentheses or quotes, in any language), or the
// first line after the greeting.
func googleGroupsSentence(text, addr string) string {
	group := addr
	if at := strings.IndexByte(addr, '@'); at > 0 {
		group = addr[:at]
	}
	lines := trimmedLines(text)
	for _, l := range lines {
		for _, q := range [][2]string{{"(", ")"}, {"（", "）"}, {"「", "」"}, {"\"", "\""}} {
			if contains(l, q[0]+group+q[1]) {
				return oneLine(l)
			}
		}
	}
	n := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n++; n == 2 {
			return oneLine(l)
		}
	}
	return ""
}
