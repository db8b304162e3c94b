package decoders

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// isOneLineBytewise is isOneLine one byte at a time, as it was written
// first: TestIsOneLine checks the word-at-a-time version against it.
func isOneLineBytewise(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\n' || c == '\r' || c == '\t':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		case c == 0xe3 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x80:
			return false
		case c >= 0x80:
			ascii = false
		}
	}
	return ascii || utf8.ValidString(s)
}

func TestIsOneLine(t *testing.T) {
	alphabet := []string{"a", "Z", " ", "  ", "\t", "\n", "\r", "\x01", "\x1f", "!", "~", "\x7f", "é", "\u3000", "\xe3\x80", "\xff", "550 5.1.1 "}
	r := rand.New(rand.NewSource(4))
	for n := 0; n < 50000; n++ {
		var b strings.Builder
		for k := r.Intn(30); k > 0; k-- {
			if r.Intn(3) == 0 {
				b.WriteString(alphabet[r.Intn(len(alphabet))])
			} else {
				b.WriteString("abcdefgh"[:r.Intn(8)+1])
			}
		}
		s := b.String()
		if got, want := isOneLine(s), isOneLineBytewise(s); got != want {
			t.Fatalf("isOneLine(%q) = %v, want %v", s, got, want)
		}
	}
}
