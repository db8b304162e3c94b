package parsecmd

import (
	"strings"
	"unicode/utf8"
)

// printable returns s fit to print on a terminal: bounce text is written
// by whoever sent the bounce, and a terminal obeys the controls in what it
// prints (moving the cursor, clearing the screen, setting the window title,
// making hyperlinks, and in some terminals writing files or answering
// with input). Removed whole:
//
//   - escape sequences (ECMA-48 section 5.3): CSI "ESC [" with its
//     parameters up to the final byte, the control strings OSC, DCS, SOS,
//     PM and APC up to BEL or ST, and two-character escapes;
//   - the C1 forms of the same (U+009B CSI, U+009D OSC and so on) and the
//     other C0 and C1 controls and DEL, a tab, CR or LF becoming a space;
//   - the Unicode bidirectional controls (UAX #9: LRE, RLE, PDF, LRO, RLO,
//     LRI, RLI, FSI, PDI, LRM, RLM, ALM), which reorder what follows them
//     on the line ("Trojan Source", CVE-2021-42574).
//
// Invalid UTF-8 becomes U+FFFD. JSON output is not passed through here:
// encoding/json escapes C0 controls and the text stays exact.
func printable(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
			i++
			continue
		case r == 0x1b: // ESC
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // C1 DCS, SOS, OSC, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029:
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidiControl(r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isBidiControl reports whether r is one of the explicit bidirectional
// formatting characters of UAX #9 section 2.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// skipEscape returns the index after the escape sequence whose ESC ended
// before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF escapes: intermediates 0x20-0x2F, then one final byte 0x30-0x7E.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI returns the index after a control sequence's parameter bytes
// (0x30-0x3F), intermediate bytes (0x20-0x2F) and final byte (0x40-0x7E)
// starting at i. A byte outside those ends the sequence unconsumed.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString returns the index after a control string starting at i,
// ended by BEL, ST (ESC \ or U+009C) or the end of s.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0x1b:
			// Another escape begins: the string ended unterminated.
			return i
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
