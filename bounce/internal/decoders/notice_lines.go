package decoders

import (
	"iter"
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// The helpers below read the lines of a notice: indentation, a peek at
// its start, lines without trailing space, a line that is only an address.

// indentOf returns how many spaces or tabs a line starts with.
func indentOf(l string) int {
	n := 0
	for n < len(l) && (l[n] == ' ' || l[n] == '\t') {
		n++
	}
	return n
}

// textPeek returns the first n bytes of the bounce's own text,
// lower-cased, for cheap tests of marker lines.
func textPeek(m *message, n int) string {
	l := m.lowerNotice() // the start of lowerText
	if len(l) < n {
		l = m.lowerText()
	}
	if len(l) > n {
		l = l[:n]
	}
	return l
}

// trimmedLines splits text into lines without their trailing white space.
func trimmedLines(text string) []string {
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, " \t\r")
	}
	return ls
}

// bareAddress returns the address a line consists of ("a@b", "<a@b>",
// "a@b:"), or "" when the line says anything else.
func bareAddress(line string) string {
	t := strings.Trim(strings.TrimSpace(line), "<>:;,\"'")
	if t == "" || strings.ContainsAny(t, " \t<>") || !contains(t, "@") {
		return ""
	}
	return normalizeAddress(t)
}

// splitLines splits text into lines.
func splitLines(text string) []string { return strings.Split(text, "\n") }

// lineSeq yields the lines of splitLines(text), in order, without making
// the slice of them (strings.SplitSeq yields what strings.Split returns):
// for a loop that reads each line once.
func lineSeq(text string) iter.Seq[string] { return strings.SplitSeq(text, "\n") }

// containsFold reports whether s contains sub, ignoring ASCII case,
// without allocating.
func containsFold(s, sub string) bool { return mime.IndexFold(s, sub) >= 0 }

// contains is strings.Contains for a text (a notice, a part), faster
// for the words decoders look for (mime.Index).
func contains(s, sub string) bool { return mime.Index(s, sub) >= 0 }

// containsLower reports whether toLower(s) contains sub, an ASCII
// lower-case word, without lower-casing s: the runes that lower-case to
// ASCII letters are their capitals, U+0130 (to i) and U+212A (to k), and
// only a text with one of the last two is lower-cased.
func containsLower(s, sub string) bool {
	if mime.IndexFold(s, sub) >= 0 {
		return true
	}
	if !contains(s, "\u0130") && !contains(s, "\u212a") {
		return false
	}
	return contains(toLower(s), sub)
}

// hasSuffixFold reports whether s ends with suffix, ignoring ASCII case,
// without allocating.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && mime.IndexFold(s[len(s)-len(suffix):], suffix) == 0
}

// sectionFrom returns text from the first line that holds marker (ASCII,
// matched ignoring case) on, starting at the marker; ok is false when
// text has no such line.
func sectionFrom(text, marker string) (section string, ok bool) {
	i := mime.IndexFold(text, marker)
	if i < 0 {
		return "", false
	}
	return text[i:], true
}

// blockAfter returns the block of lines that follows the first line of
// text: blank lines before it are skipped, and it ends at the next blank
// line. Each line is trimmed of surrounding white space.
func blockAfter(text string) []string {
	var out []string
	for _, l := range splitLines(text)[1:] {
		t := strings.TrimSpace(l)
		if t == "" {
			if len(out) > 0 {
				break
			}
			continue
		}
		out = append(out, t)
	}
	return out
}

// nonBlankLines returns the lines of text that are not blank, trimmed of
// surrounding white space.
func nonBlankLines(text string) []string {
	var out []string
	for l := range lineSeq(text) {
		if t := strings.TrimSpace(l); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// takeLines returns the lines of lines from index from on, trimmed, as
// long as take accepts them, and the index of the last one taken (from-1
// when none is).
func takeLines(lines []string, from int, take func(t string) bool) (taken []string, last int) {
	last = from - 1
	for j := from; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if !take(t) {
			break
		}
		taken = append(taken, t)
		last = j
	}
	return taken, last
}

// lineBounds returns the start and the end of the line of s that holds
// s[i:j]: after the newline before i, and at the first newline from j
// (or the end of s).
func lineBounds(s string, i, j int) (start, end int) { return boundsOf(s, i, j, "\n") }

// boundsOf returns the bounds of the part of s around s[i:j] that sep
// separates: start just after the last sep before i (0 if none), end at
// the first sep from j (len(s) if none). paragraphAbout uses it with a
// blank line, lineBounds with a newline.
func boundsOf(s string, i, j int, sep string) (start, end int) {
	if k := strings.LastIndex(s[:i], sep); k >= 0 {
		start = k + len(sep)
	}
	end = len(s)
	if k := strings.Index(s[j:], sep); k >= 0 {
		end = j + k
	}
	return start, end
}

// containsAny reports whether s contains any of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if contains(s, w) {
			return true
		}
	}
	return false
}

// hasPrefixAny reports whether s starts with any of prefixes.
func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
