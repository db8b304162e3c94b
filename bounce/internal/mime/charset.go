package mime

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/japanese"
)

// DecodeCharset converts b from the named charset to UTF-8 with LF line
// endings. It never fails: undecodable bytes become U+FFFD.
//
// The label is a hint, not the truth (QUIRK: Japanese carriers often omit
// it or label EUC-JP or Shift_JIS text as ISO-2022-JP):
//   - 7-bit text with ISO-2022-JP escapes (RFC 1468) is ISO-2022-JP, whatever
//     the label says;
//   - text labelled ASCII, UTF-8 or nothing is UTF-8 when it is valid UTF-8,
//     else guessed;
//   - text labelled with a Japanese charset that does not fit it is guessed
//     among UTF-8, EUC-JP and Shift_JIS;
//   - any other label is looked up in the WHATWG table, then in go-message's
//     charset table (IANA names, and encodings added with
//     charset.RegisterEncoding); 8-bit text under an unknown label is
//     guessed (Japanese, else Windows-1252).
func DecodeCharset(b []byte, cs string) string { return decodeCharset(b, cs, false) }

// decodeCharset is DecodeCharset; owned says that b is a buffer of the
// caller's own that nothing modifies, which a string of it may then
// share rather than copy.
func decodeCharset(b []byte, cs string, owned bool) string {
	if nb := NormalizeNewlines(b); len(nb) > 0 && unsafe.SliceData(nb) != unsafe.SliceData(b) {
		b, owned = nb, true // a copy of its own
	}
	if isASCII(b) {
		if bytes.IndexByte(b, 0x1b) >= 0 && hasISO2022JPEscape(b) {
			if s, ok := decodeStrict(b, japanese.ISO2022JP); ok {
				return s
			}
		}
		// QUIRK: UTF-16 labels on ASCII bodies are mislabels.
		return stringOf(b, owned)
	}
	cs = ToLower(strings.Trim(strings.TrimSpace(cs), `"'`))
	switch cs {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unknown-8bit", "x-unknown", "unknown", "7bit", "8bit", "default", "x-user-defined":
		if utf8.Valid(b) {
			return stringOf(b, owned)
		}
		return guessCharset(b)
	case "iso-2022-jp", "iso-2022-jp-2", "iso-2022-jp-3", "csiso2022jp", "jis", "x-jis",
		"shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j", "ms932", "ms_kanji", "csshiftjis",
		"euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese", "ujis":
		if cs == "euc-jp" || cs == "eucjp" || cs == "x-euc-jp" || cs == "cseucpkdfmtjapanese" || cs == "ujis" {
			if s, ok := decodeStrict(b, japanese.EUCJP); ok {
				return s
			}
		} else if !strings.Contains(cs, "2022") && cs != "jis" && cs != "x-jis" {
			if s, ok := decodeStrict(b, japanese.ShiftJIS); ok {
				return s
			}
		}
		if utf8.Valid(b) {
			return stringOf(b, owned)
		}
		return guessJapanese(b)
	}
	// QUIRK: WHATWG labels first: they read ISO-8859-1 as Windows-1252, a
	// superset seen in practice.
	if enc, err := htmlindex.Get(cs); err == nil && enc != nil {
		if out, err := enc.NewDecoder().Bytes(b); err == nil || len(out) > 0 {
			return string(NormalizeNewlines(out))
		}
	}
	// Then go-message's charset table: the IANA names, its own aliases, and
	// any encoding a program added with charset.RegisterEncoding.
	if r, err := charset.Reader(cs, bytes.NewReader(b)); err == nil {
		if out, err := io.ReadAll(r); err == nil || len(out) > 0 {
			return string(NormalizeNewlines(out))
		}
	}
	if utf8.Valid(b) {
		return stringOf(b, owned)
	}
	return guessCharset(b)
}

// stringOf returns b as a string: sharing b's bytes when b is owned (a
// buffer nothing modifies), else a copy.
func stringOf(b []byte, owned bool) string {
	if owned && len(b) > 0 {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	return string(b)
}

// isASCII reports whether b holds only 7-bit bytes. It tests eight bytes
// at a time (their high bits), as utf8.Valid does.
func isASCII(b []byte) bool {
	// Thirty-two bytes an iteration, then eight.
	for len(b) >= 32 {
		w := binary.LittleEndian.Uint64(b) | binary.LittleEndian.Uint64(b[8:]) |
			binary.LittleEndian.Uint64(b[16:]) | binary.LittleEndian.Uint64(b[24:])
		if w&0x8080808080808080 != 0 {
			return false
		}
		b = b[32:]
	}
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// hasISO2022JPEscape reports whether b holds an ISO-2022-JP designation
// (RFC 1468): ESC $ B, ESC $ @, ESC ( J, ESC ( I.
func hasISO2022JPEscape(b []byte) bool {
	for i := bytes.IndexByte(b, 0x1b); i >= 0 && i+2 < len(b); {
		s := b[i+1 : i+3]
		if s[0] == '$' && (s[1] == 'B' || s[1] == '@') || s[0] == '(' && (s[1] == 'J' || s[1] == 'I') {
			return true
		}
		j := bytes.IndexByte(b[i+1:], 0x1b)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// decodeStrict decodes b with enc, failing when any byte does not fit.
func decodeStrict(b []byte, enc encoding.Encoding) (string, bool) {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return string(NormalizeNewlines(out)), true
}

// guessCharset decodes 8-bit text without a usable charset label: a
// Japanese encoding when one fits, Windows-1252 otherwise.
func guessCharset(b []byte) string {
	if s, ok := guessJapaneseStrict(b); ok && japaneseRun(s) {
		return s
	}
	// QUIRK: Japanese text with a stray or truncated byte is still
	// Japanese when nearly all of it reads as such.
	if s := guessJapanese(b); japaneseRun(s) && strings.Count(s, "\uFFFD")*20 < japaneseScore(s) {
		return s
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return string(s)
}

// guessJapanese decodes 8-bit text known to be Japanese: the encoding that
// fits, else Shift_JIS with U+FFFD for what does not.
func guessJapanese(b []byte) string {
	if s, ok := guessJapaneseStrict(b); ok {
		return s
	}
	e, _ := japanese.EUCJP.NewDecoder().Bytes(b)
	s, _ := japanese.ShiftJIS.NewDecoder().Bytes(b)
	if japaneseScore(string(e)) > japaneseScore(string(s)) {
		return string(e)
	}
	return string(s)
}

// guessJapaneseStrict tries EUC-JP and Shift_JIS. Many byte strings are
// valid in both (EUC-JP pairs read as Shift_JIS half-width katakana), so
// when both fit, the one that reads as more ordinary Japanese (kana and
// kanji rather than half-width katakana and symbols) wins.
func guessJapaneseStrict(b []byte) (string, bool) {
	e, eok := decodeStrict(b, japanese.EUCJP)
	s, sok := decodeStrict(b, japanese.ShiftJIS)
	switch {
	case eok && sok:
		if japaneseScore(s) > japaneseScore(e) {
			return s, true
		}
		return e, true
	case eok:
		return e, true
	case sok:
		return s, true
	}
	return "", false
}

// japaneseRun reports whether s has two Japanese characters in a row:
// 8-bit Latin text ("h\xe9llo") can pass for Shift_JIS, but its
// "Japanese" characters stand alone between ASCII letters.
func japaneseRun(s string) bool {
	prev := false
	for _, r := range s {
		j := r >= 0x3000 && r <= 0x30ff || r >= 0x4e00 && r <= 0x9fff || r >= 0xff01 && r <= 0xff5e
		if j && prev {
			return true
		}
		prev = j
	}
	return false
}

// japaneseScore counts the runes of s typical of Japanese prose (kana,
// kanji, full-width punctuation) minus the unlikely ones (half-width
// katakana, private use, replacement characters).
func japaneseScore(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x80:
		case r >= 0x3000 && r <= 0x30ff, r >= 0x4e00 && r <= 0x9fff, r >= 0xff01 && r <= 0xff5e:
			n += 2
		case r >= 0xff61 && r <= 0xff9f, r == utf8.RuneError, r >= 0xe000 && r <= 0xf8ff:
			n -= 2
		default:
			n--
		}
	}
	return n
}

// DecodeWords decodes RFC 2047 encoded words in a header value, and raw
// ISO-2022-JP or 8-bit bytes (QUIRK: unencoded Japanese headers).
func DecodeWords(v string) string {
	if strings.Contains(v, "=?") {
		v = decodeEncodedWords(v)
	}
	if strings.IndexByte(v, 0x1b) >= 0 || !utf8.ValidString(v) {
		v = DecodeCharset([]byte(v), "")
	}
	return v
}

// decodeEncodedWords decodes the RFC 2047 encoded words of v leniently.
// White space between adjacent encoded words is dropped (RFC 2047 section
// 6.2). QUIRK: the bytes of adjacent words in the same charset are joined
// before conversion, because mailers split multi-byte characters and
// ISO-2022-JP escape sequences across words; words with an unknown charset
// or a broken encoding are decoded as well as they can be, never dropped;
// encoded words inside quoted strings and glued to text are decoded too.
func decodeEncodedWords(v string) string {
	var out strings.Builder
	out.Grow(len(v))
	var pending []byte // decoded bytes of adjacent words in pendingCS
	pendingCS := ""
	flush := func() {
		if pending != nil {
			out.WriteString(DecodeCharset(pending, pendingCS))
			pending, pendingCS = nil, ""
		}
	}
	rest := v
	for {
		i := strings.Index(rest, "=?")
		if i < 0 {
			break
		}
		cs, enc, text, n, ok := parseEncodedWord(rest[i:])
		if !ok {
			flush()
			out.WriteString(rest[:i+2])
			rest = rest[i+2:]
			continue
		}
		between := rest[:i]
		if pending != nil && strings.TrimSpace(between) == "" {
			between = ""
		}
		if between != "" || cs != pendingCS {
			flush()
			out.WriteString(between)
		}
		raw := decodeWordBytes(enc, text)
		if pending == nil {
			pending = []byte{}
		}
		pending = append(pending, raw...)
		pendingCS = cs
		rest = rest[i+n:]
	}
	flush()
	out.WriteString(rest)
	return out.String()
}

// parseEncodedWord reads "=?charset?enc?text?=" at the start of s and
// returns its parts and length.
func parseEncodedWord(s string) (cs string, enc byte, text string, n int, ok bool) {
	q1 := strings.IndexByte(s[2:], '?')
	if q1 <= 0 || q1 > 64 {
		return
	}
	cs = s[2 : 2+q1]
	if star := strings.IndexByte(cs, '*'); star >= 0 {
		cs = cs[:star] // RFC 2231 section 5: language suffix
	}
	p := 2 + q1 + 1
	if p+2 > len(s) || s[p+1] != '?' {
		return
	}
	enc = s[p] | 0x20
	if enc != 'b' && enc != 'q' {
		return
	}
	p += 2
	end := strings.Index(s[p:], "?=")
	if end < 0 {
		return
	}
	text = s[p : p+end]
	if strings.ContainsAny(text, " \t\n") && enc == 'b' {
		// QUIRK: folded inside a base64 word; drop the white space.
		text = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' {
				return -1
			}
			return r
		}, text)
	}
	return ToLower(cs), enc, text, p + end + 2, true
}

// decodeWordBytes returns the bytes an encoded word's text stands for.
func decodeWordBytes(enc byte, text string) []byte {
	if enc == 'b' {
		return DecodeBase64([]byte(text))
	}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(text) && IsHex(text[i+1]) && IsHex(text[i+2]):
			out = append(out, Unhex(text[i+1])<<4|Unhex(text[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// HTMLToText reduces HTML to its text: tags dropped, block tags turned into
// line breaks, the common entities decoded. It is enough for reading the
// words of a bounce, not a renderer.
func HTMLToText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var unclosed [3]bool // a skipped element with no end tag: do not look again
	var nameBuf [16]byte
	for i := 0; i < len(s); {
		c := s[i]
		if c == '<' {
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				break
			}
			// The tag's name, lower-cased, with its leading '/'.
			tag := nameBuf[:0]
			for j := i + 1; j < i+end && len(tag) < len(nameBuf); j++ {
				ch := s[j]
				if ch == ' ' || ch == '\t' || ch == '\n' || ch == '/' && len(tag) > 0 {
					break
				}
				tag = append(tag, LowerASCII(ch))
			}
			for k, skip := range []string{"style", "script", "head"} {
				if string(tag) == skip && !unclosed[k] {
					if close := IndexFold(s[i:], "</"+skip); close >= 0 {
						if gt := strings.IndexByte(s[i+close:], '>'); gt >= 0 {
							end = close + gt
						}
					} else {
						unclosed[k] = true
					}
				}
			}
			switch string(bytes.TrimLeft(tag, "/")) {
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "pre", "blockquote":
				b.WriteByte('\n')
				// The source's own line break after a block tag
				// ("line<br>\nline") is layout, which a renderer folds
				// into the tag's: not a second, empty line.
				if j := i + end + 1; strings.HasPrefix(s[j:], "\n") {
					end++
				} else if strings.HasPrefix(s[j:], "\r\n") {
					end += 2
				}
			case "td", "th":
				b.WriteByte(' ')
			case "a":
				// A link's mailto: address, when its text does not show
				// it ("<a href=\"mailto:a@b\">A Person</a>").
				if addr := mailtoAddress(s[i:i+end], s[i+end:]); addr != "" {
					b.WriteString("<" + addr + "> ")
				}
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

// maxMailto bounds the address HTMLToText reads from a link's mailto:
// (RFC 5321 section 4.5.3.1.3: a path is at most 256 octets).
const maxMailto = 256

// maxLinkText bounds how far past the tag mailtoAddress looks for the
// address in the link's text.
const maxLinkText = 1024

// mailtoAddress returns the address of an <a> tag's mailto: href, or ""
// when it has none, is longer than maxMailto, or the link's text (in
// rest, up to "</a") already shows it.
func mailtoAddress(tag, rest string) string {
	j := IndexFold(tag, "mailto:")
	if j < 0 {
		return ""
	}
	v := tag[j+len("mailto:"):]
	k := strings.IndexAny(v, "\"'?> \t\n")
	if k < 0 {
		k = len(v)
	}
	v = v[:k]
	if v == "" || len(v) > maxMailto || !strings.Contains(v, "@") || strings.ContainsAny(v, "<&%") {
		return ""
	}
	text := rest[:min(len(rest), maxLinkText)]
	if c := IndexFold(text, "</a"); c >= 0 {
		text = text[:c]
	}
	if IndexFold(text, v) >= 0 {
		return ""
	}
	return v
}

var entities = map[string]string{
	"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'", "nbsp": " ", "#39": "'", "#34": `"`,
}
