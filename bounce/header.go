package bounce

import (
	"bytes"
	"strings"
)

// field is one header field: its name lower-cased and its value unfolded
// (continuation line breaks removed) but not yet RFC 2047 decoded.
type field struct {
	key   string
	value string
}

// header is an ordered list of header fields. It is lenient where
// textproto readers are strict: a line without a colon ends nothing and is
// skipped, and a missing blank line before the body is tolerated.
type header []field

// get returns the first value of key (lower-case), trimmed, or "".
func (h header) get(key string) string {
	for i := range h {
		if h[i].key == key {
			return strings.TrimSpace(h[i].value)
		}
	}
	return ""
}

// has reports whether the header has a field named key (lower-case).
func (h header) has(key string) bool {
	for i := range h {
		if h[i].key == key {
			return true
		}
	}
	return false
}

// values returns every value of key (lower-case), trimmed.
func (h header) values(key string) []string {
	var out []string
	for i := range h {
		if h[i].key == key {
			out = append(out, strings.TrimSpace(h[i].value))
		}
	}
	return out
}

// parseHeader reads a header block from the start of b (LF line endings)
// and returns it with the rest of b, the body. The header ends at the first
// empty line; a first line that is not a header field means there is no
// header at all.
func parseHeader(b []byte) (header, []byte) {
	h := make(header, 0, 16)
	rest := b
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		var line []byte
		if nl < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:nl], rest[nl+1:]
		}
		if len(line) == 0 || (len(bytes.TrimSpace(line)) == 0 && len(h) > 0) {
			return h, rest
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(h) > 0 {
				// RFC 5322 section 2.2.3: unfolding removes the CRLF, not the white space.
				h[len(h)-1].value += string(line)
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !isFieldName(line[:colon]) {
			if len(h) == 0 {
				// QUIRK: a part or message with no header at all starts with its body.
				return h, b
			}
			// QUIRK: a stray line inside a header (seen in hand-made and broken
			// bounces, e.g. an mbox "From " line) is skipped.
			continue
		}
		key := strings.ToLower(string(bytes.TrimSpace(line[:colon])))
		h = append(h, field{key: key, value: string(line[colon+1:])})
	}
	return h, rest
}

func isFieldName(b []byte) bool {
	b = bytes.TrimRight(b, " \t")
	if len(b) == 0 || len(b) > 76 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c >= 127 {
			return false
		}
	}
	return true
}

// canonicalKey returns key in canonical MIME header form (X-Customer-Id
// style: first letter and letters after '-' upper-case).
func canonicalKey(key string) string {
	b := []byte(strings.ToLower(strings.TrimSpace(key)))
	upper := true
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		upper = c == '-'
	}
	return string(b)
}
