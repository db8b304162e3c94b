package decoders

import (
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
	t := m.text()
	if len(t) > n {
		t = t[:n]
	}
	return strings.ToLower(t)
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
	if t == "" || strings.ContainsAny(t, " \t<>") || !strings.Contains(t, "@") {
		return ""
	}
	return normalizeAddress(t)
}

// splitLines splits text into lines.
func splitLines(text string) []string { return strings.Split(text, "\n") }

// containsFold reports whether s contains sub, ignoring ASCII case,
// without allocating.
func containsFold(s, sub string) bool { return mime.IndexFold(s, sub) >= 0 }
