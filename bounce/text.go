package bounce

import (
	"bytes"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// decodeCharset converts b from the named charset to UTF-8 with LF line
// endings. An unknown or missing charset is guessed: 7-bit text with
// ISO-2022-JP escapes is Japanese (QUIRK: Japanese carriers often omit the
// charset), valid UTF-8 is UTF-8, Shift_JIS or EUC-JP when the bytes fit,
// Latin-1 otherwise. It never fails: undecodable bytes become U+FFFD.
func decodeCharset(b []byte, cs string) string {
	b = normalizeNewlines(b)
	cs = strings.ToLower(strings.Trim(strings.TrimSpace(cs), `"'`))
	if bytes.Contains(b, []byte("\x1b$B")) || bytes.Contains(b, []byte("\x1b$@")) || bytes.Contains(b, []byte("\x1b(J")) {
		if s, ok := convert(b, "iso-2022-jp"); ok {
			return s
		}
	}
	switch cs {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unknown-8bit", "x-unknown", "7bit", "8bit", "default":
		if utf8.Valid(b) {
			return string(b)
		}
		return guessCharset(b)
	case "iso-2022-jp", "iso-2022-jp-2", "iso-2022-jp-3", "csiso2022jp":
		if !bytes.ContainsRune(b, 0x1b) && utf8.Valid(b) {
			return string(b)
		}
	case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j", "ms932":
		if s, ok := decodeWith(b, japanese.ShiftJIS); ok {
			return s
		}
	}
	if s, ok := convert(b, cs); ok {
		return s
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return guessCharset(b)
}

func convert(b []byte, cs string) (string, bool) {
	r, err := charset.Reader(cs, bytes.NewReader(b))
	if err != nil {
		return "", false
	}
	out, err := io.ReadAll(r)
	if err != nil && len(out) == 0 {
		return "", false
	}
	return string(normalizeNewlines(out)), true
}

func decodeWith(b []byte, enc encoding.Encoding) (string, bool) {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return string(out), true
}

// guessCharset decodes 8-bit text without a usable charset label.
func guessCharset(b []byte) string {
	if s, ok := decodeWith(b, japanese.ShiftJIS); ok {
		return s
	}
	if s, ok := decodeWith(b, japanese.EUCJP); ok {
		return s
	}
	s, _ := charmap.ISO8859_1.NewDecoder().Bytes(b)
	return string(s)
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeWords decodes RFC 2047 encoded words in a header value, and raw
// ISO-2022-JP or 8-bit bytes (QUIRK: unencoded Japanese headers).
func decodeWords(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	if strings.IndexByte(v, 0x1b) >= 0 || !utf8.ValidString(v) {
		v = decodeCharset([]byte(v), "")
	}
	return v
}

// htmlToText reduces HTML to its text: tags dropped, block tags turned into
// line breaks, the common entities decoded. It is enough for reading the
// words of a bounce, not a renderer.
func htmlToText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	lower := strings.ToLower(s)
	for i := 0; i < len(s); {
		c := s[i]
		if c == '<' {
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				break
			}
			tag := lower[i+1 : i+end]
			for _, skip := range []string{"style", "script", "head"} {
				if strings.HasPrefix(tag, skip) {
					if close := strings.Index(lower[i:], "</"+skip); close >= 0 {
						end = close + strings.IndexByte(s[i+close:], '>')
					}
				}
			}
			name := strings.TrimLeft(tag, "/")
			if sp := strings.IndexAny(name, " \t\n/"); sp >= 0 {
				name = name[:sp]
			}
			switch name {
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "pre", "blockquote":
				b.WriteByte('\n')
			case "td", "th":
				b.WriteByte(' ')
			}
			i += end + 1
			continue
		}
		if c == '&' {
			if semi := strings.IndexByte(s[i:min(len(s), i+10)], ';'); semi > 0 {
				if r, ok := entities[s[i+1:i+semi]]; ok {
					b.WriteString(r)
					i += semi + 1
					continue
				}
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

var entities = map[string]string{
	"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'", "nbsp": " ", "#39": "'", "#34": `"`,
}
