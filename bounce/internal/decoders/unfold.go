package decoders

import "strings"

// unfoldLines joins each line with the lines after it that begin with a
// space or a tab, its continuation (as RFC 5322 section 2.2.3 folds a
// header field, and as mail software folds a long line), for formats that
// write each entry on one line of their own at the left margin.
func unfoldLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1] != "" && l != "" && (l[0] == ' ' || l[0] == '\t') && strings.TrimSpace(l) != "" {
			out[n-1] = strings.TrimRight(out[n-1], " \t") + " " + strings.TrimSpace(l)
			continue
		}
		out = append(out, l)
	}
	return out
}
