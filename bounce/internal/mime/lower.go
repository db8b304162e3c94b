package mime

import (
	"encoding/binary"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// ToLower returns strings.ToLower(s), byte for byte, faster: ASCII is
// lower-cased eight bytes at a time, and s itself is returned when it
// has neither a capital letter nor a byte outside ASCII. As
// strings.ToLower does, it lower-cases every Unicode letter
// (unicode.ToLower) and turns each byte of invalid UTF-8 into U+FFFD.
func ToLower(s string) string {
	// The first byte that may change: an ASCII capital or a non-ASCII byte.
	i := 0
	for i+8 <= len(s) {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		if w&hiBits != 0 || upperMask(w) != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	buf := make([]byte, i, len(s)+utf8.UTFMax)
	copy(buf, s[:i])
	buf = appendLower(buf, s, i)
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// LowerUnchanged reports whether ToLower(s) is s itself: s has neither
// an ASCII capital letter nor a byte outside ASCII.
func LowerUnchanged(s string) bool {
	i := 0
	for i+8 <= len(s) {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		if w&hiBits != 0 || upperMask(w) != 0 {
			return false
		}
		i += 8
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

// AppendLower appends the bytes of ToLower(s) to buf.
func AppendLower(buf []byte, s string) []byte {
	return appendLower(buf, s, 0)
}

// appendLower appends ToLower(s[i:])'s bytes to buf (i at a rune's start).
func appendLower(buf []byte, s string, i int) []byte {
	for i < len(s) {
		if i+8 <= len(s) {
			w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
			if w&hiBits == 0 {
				buf = binary.LittleEndian.AppendUint64(buf, w|upperMask(w)>>2)
				i += 8
				continue
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); l != r || r == utf8.RuneError {
			// An invalid byte decodes as RuneError, written as U+FFFD.
			buf = utf8.AppendRune(buf, l)
		} else {
			buf = append(buf, s[i:i+n]...)
		}
		i += n
	}
	return buf
}

// LowerASCII lower-cases the ASCII letters of s and keeps every other
// byte, so that indexes into the result are indexes into s; it returns s
// itself when s has no ASCII capital letter. Eight bytes at a time.
func ASCIILower(s string) string {
	i := 0
	for i+8 <= len(s) {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		if asciiUpperMask(w) != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	buf := make([]byte, len(s))
	copy(buf, s[:i])
	for ; i+8 <= len(s); i += 8 {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		binary.LittleEndian.PutUint64(buf[i:], w|asciiUpperMask(w)>>2)
	}
	for ; i < len(s); i++ {
		buf[i] = LowerASCII(s[i])
	}
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// AppendASCIILower appends ASCIILower(s)'s bytes to buf.
func AppendASCIILower(buf []byte, s string) []byte {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		buf = binary.LittleEndian.AppendUint64(buf, w|asciiUpperMask(w)>>2)
	}
	for ; i < len(s); i++ {
		buf = append(buf, LowerASCII(s[i]))
	}
	return buf
}

// asciiUpperMask returns 0x80 in each byte of w that is an ASCII capital
// letter, 0 elsewhere (bytes with their high bit set are not letters).
func asciiUpperMask(w uint64) uint64 {
	return upperMask(w&^hiBits) &^ (w & hiBits)
}

const (
	hiBits  = 0x8080808080808080
	loBytes = 0x0101010101010101
)

// upperMask returns, for a word of eight ASCII bytes, 0x80 in each byte
// that is a capital letter and 0 elsewhere.
func upperMask(w uint64) uint64 {
	geA := w + (0x80-'A')*loBytes   // high bit set where the byte >= 'A'
	gtZ := w + (0x80-'Z'-1)*loBytes // high bit set where the byte > 'Z'
	return geA &^ gtZ & hiBits &^ w
}
