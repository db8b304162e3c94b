package decoders

import "strings"

// addrPara is one paragraph about a recipient: its address and the
// trimmed lines that follow it.
type addrPara struct {
	addr  string
	lines []string
}

// paraStyle says how addressParagraphs reads a notice.
type paraStyle int

const (
	// qmailStyle: a blank line closes a paragraph that has lines, and a
	// "---" ruler ends the list (qmail-send's "--- Below this line is a
	// copy of the message.").
	qmailStyle paraStyle = iota
	// courierStyle: a blank line or a "-----" ruler closes the paragraph,
	// and an address line starts at the left margin (Courier's
	// "<a@b>:" paragraphs, then its indented dialogue).
	courierStyle
)

// addressParagraphs reads the "<address>:" paragraphs of a notice, as
// qmail and Courier write them: the address alone on a line, then the
// lines about it up to a blank line or the next address.
func addressParagraphs(notice string, style paraStyle) []addrPara {
	var out []addrPara
	var cur *addrPara
	for l := range lineSeq(notice) {
		t := strings.TrimSpace(l)
		if t == "" || style == courierStyle && strings.HasPrefix(t, "-----") {
			if cur != nil && (style == courierStyle || len(cur.lines) > 0) {
				out = append(out, *cur)
				cur = nil
			}
			continue
		}
		// The line is one address in angle brackets, not a reply that
		// starts and ends with one ("<a>: 550 5.1.1 <a>:" folded after
		// its second, by a relay that wraps long lines).
		if (style != courierStyle || indentOf(l) == 0) && strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">:") && !strings.ContainsAny(t[1:len(t)-2], "<> \t") {
			if a := normalizeAddress(t[1 : len(t)-2]); a != "" {
				if cur != nil {
					out = append(out, *cur)
				}
				cur = &addrPara{addr: a}
				continue
			}
		}
		if style == qmailStyle && strings.HasPrefix(t, "---") {
			break
		}
		if cur != nil {
			cur.lines = append(cur.lines, t)
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}
