package decoders

// addressesOf returns the recipients' addresses, in order.
func addressesOf(rs []Recipient) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Address)
	}
	return out
}

// laterMentionOrReason is what a notice says with codes about addr, one
// of addrs (the report's recipients), when its first mention (t) has none: for a report of one
// recipient the notice's "Reason:" line if it holds a code; else a later
// mention of the address with failure words and a code (laterMention,
// for few recipients: each is looked for in the whole notice); else, for
// one recipient, the notice's one line with an SMTP code; else t.
func laterMentionOrReason(notice, t, addr string, addrs []string) string {
	if len(addrs) == 1 {
		if u := reasonLines(notice); u != "" && !startsWithDSNField(u) && (findReplyCode(u) != "" || findStatus(u) != "") {
			return oneLine(u)
		}
	}
	if len(addrs) <= maxCrossRead {
		if w := laterMention(notice, "", addr, addrs); w != "" {
			return w
		}
	}
	if len(addrs) == 1 {
		if u := soleErrorLine(notice); u != "" && !startsWithDSNField(u) {
			return oneLine(u)
		}
	}
	return t
}
