package mime

import (
	"bytes"
	"strings"
)

// Field is one header field: its name lower-cased and its value unfolded
// (continuation line breaks removed) but not yet RFC 2047 decoded.
type Field struct {
	Key   string
	Value string
	// Name is the field name as written, trimmed ("X-Mailer"); empty in
	// fields built by hand, where Key is all there is.
	Name string
}

// CanonicalName returns the field's name in canonical MIME header form,
// CanonicalKey(f.Key), without allocating when the name was written in
// that form.
func (f Field) CanonicalName() string {
	if c, ok := canonicalKeys[f.Key]; ok {
		return c
	}
	if f.Name != "" && isCanonical(f.Name) {
		return f.Name
	}
	return CanonicalKey(f.Key)
}

// isCanonical reports whether name is in canonical MIME header form: a
// capital letter first and after each '-', small letters elsewhere.
func isCanonical(name string) bool {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z' && upper, 'A' <= c && c <= 'Z' && !upper, c <= ' ' || c >= 0x7f:
			return false
		}
		upper = c == '-'
	}
	return true
}

// Header is an ordered list of header fields. It is lenient where
// textproto readers are strict: a line without a colon ends nothing and is
// skipped, and a missing blank line before the body is tolerated.
type Header []Field

// Get returns the first value of key (lower-case), trimmed, or "".
func (h Header) Get(key string) string {
	for i := range h {
		if h[i].Key == key {
			return strings.TrimSpace(h[i].Value)
		}
	}
	return ""
}

// Has reports whether the header has a field named key (lower-case).
func (h Header) Has(key string) bool {
	for i := range h {
		if h[i].Key == key {
			return true
		}
	}
	return false
}

// Values returns every value of key (lower-case), trimmed.
func (h Header) Values(key string) []string {
	var out []string
	for i := range h {
		if h[i].Key == key {
			out = append(out, strings.TrimSpace(h[i].Value))
		}
	}
	return out
}

// ParseHeader reads a header block from the start of b (LF line endings)
// and returns it with the rest of b, the body. The header ends at the first
// empty line; a first line that is not a header field means there is no
// header at all. It takes linear time whatever the folding, and makes one
// string of the header block, the lower-cased names that differ from
// theirs as written and the unfolded values: keys, values and names are
// substrings of it.
func ParseHeader(b []byte) (Header, []byte) {
	type span struct {
		lower    bool // the key is the name lower-cased and trimmed
		ks, ke   int  // name: b[ks:ke]
		vs, ve   int  // value: b[vs:ve]
		folded   bool
		appended string // QUIRK: continuation lines after a stray line
		key, val [2]int // where the key and the value are in the block string
	}
	var stack [40]span // most headers fit: no allocation for the spans
	spans := stack[:0]
	rest := b
	open := false // spans[len-1] may still get continuation lines
	body := []byte(nil)
	end := len(b) // end of the Header block in b
	extra := 0    // bytes of the lower-cased keys and unfolded values
	done := false
	for len(rest) > 0 && !done {
		off := len(b) - len(rest)
		nl := bytes.IndexByte(rest, '\n')
		var line []byte
		if nl < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:nl], rest[nl+1:]
		}
		switch {
		case len(line) == 0 || (len(spans) > 0 && len(bytes.TrimSpace(line)) == 0):
			end, body, done = off, rest, true
		case line[0] == ' ' || line[0] == '\t':
			if n := len(spans); n > 0 {
				if open && spans[n-1].ve == off-1 {
					spans[n-1].ve = off + len(line)
					spans[n-1].folded = true
				} else {
					spans[n-1].appended += string(line)
				}
			}
		default:
			colon := bytes.IndexByte(line, ':')
			if colon <= 0 || !IsFieldName(line[:colon]) {
				if len(spans) == 0 {
					// QUIRK: a part or message with no header at all starts with its body.
					return Header{}, b
				}
				// QUIRK: a stray line inside a header (seen in hand-made and broken
				// bounces, e.g. an mbox "From " line) is skipped.
				open = false
				continue
			}
			k := bytes.TrimSpace(line[:colon])
			lower := hasUpperASCII(k) || len(k) != colon
			if lower {
				extra += len(k)
			}
			spans = append(spans, span{lower: lower, ks: off, ke: off + colon, vs: off + colon + 1, ve: off + len(line)})
			open = true
		}
	}
	if !done {
		body = rest
	}
	if len(spans) == 0 {
		return Header{}, body
	}
	end = min(end, len(b))
	for _, sp := range spans {
		if sp.folded {
			extra += sp.ve - sp.vs
		}
	}
	var sb strings.Builder
	sb.Grow(end + extra)
	sb.Write(b[:end])
	for i := range spans {
		sp := &spans[i]
		sp.key, sp.val = [2]int{sp.ks, sp.ke}, [2]int{sp.vs, sp.ve}
		if sp.lower {
			sp.key[0] = sb.Len()
			for _, c := range bytes.TrimSpace(b[sp.ks:sp.ke]) {
				sb.WriteByte(LowerASCII(c))
			}
			sp.key[1] = sb.Len()
		}
		if sp.folded {
			// RFC 5322 section 2.2.3: unfolding removes the CRLF, not the
			// white space.
			sp.val[0] = sb.Len()
			for v := b[sp.vs:sp.ve]; len(v) > 0; {
				nl := bytes.IndexByte(v, '\n')
				if nl < 0 {
					sb.Write(v)
					break
				}
				sb.Write(v[:nl])
				v = v[nl+1:]
			}
			sp.val[1] = sb.Len()
		}
	}
	block := sb.String()
	h := make(Header, len(spans))
	for i, sp := range spans {
		v := block[sp.val[0]:sp.val[1]]
		if sp.appended != "" {
			v += sp.appended
		}
		h[i] = Field{Key: block[sp.key[0]:sp.key[1]], Value: v, Name: strings.TrimSpace(block[sp.ks:sp.ke])}
	}
	return h, body
}

// hasUpperASCII reports whether b has an ASCII capital letter.
func hasUpperASCII(b []byte) bool {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// lowerKey returns a field name lower-cased and trimmed, without
// allocating for the common names.
func lowerKey(b []byte) string {
	b = bytes.TrimSpace(b)
	var buf [64]byte
	if len(b) <= len(buf) {
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if k, ok := commonKeys[string(buf[:len(b)])]; ok {
			return k
		}
		return string(buf[:len(b)])
	}
	return strings.ToLower(string(b))
}

// commonKeys interns the names of the fields most messages have.
var commonKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"received", "from", "to", "cc", "subject", "date", "message-id", "return-path",
		"content-type", "content-transfer-encoding", "mime-version", "content-disposition", "content-description",
		"x-mailer", "reply-to", "sender", "delivered-to", "x-original-to", "auto-submitted", "dkim-signature",
		"authentication-results", "references", "in-reply-to", "x-failed-recipients", "precedence",
		"final-recipient", "original-recipient", "action", "status", "remote-mta", "diagnostic-code",
		"reporting-mta", "arrival-date", "last-attempt-date", "received-from-mta", "x-spam-status"} {
		m[k] = k
	}
	return m
}()

// IsFieldName reports whether b (trimmed on the right) can be a header
// field name: printable ASCII without spaces, at most 76 bytes.
func IsFieldName(b []byte) bool {
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

// CanonicalKey returns key in canonical MIME header form (X-Customer-Id
// style: first letter and letters after '-' upper-case).
func CanonicalKey(key string) string {
	if c, ok := canonicalKeys[key]; ok {
		return c
	}
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

// canonicalKeys holds the canonical forms of commonKeys, by lower-case key.
var canonicalKeys = func() map[string]string {
	m := make(map[string]string, len(commonKeys))
	for k := range commonKeys {
		b := []byte(k)
		upper := true
		for i, c := range b {
			if upper && 'a' <= c && c <= 'z' {
				b[i] = c - 'a' + 'A'
			}
			upper = c == '-'
		}
		m[k] = string(b)
	}
	return m
}()

// FieldKey returns a field name as Header keys hold it: trimmed and
// lower-cased (ASCII), without allocating for a name already in that form
// or for a common one.
func FieldKey(name string) string {
	name = strings.TrimSpace(name)
	for i := 0; i < len(name); i++ {
		if 'A' <= name[i] && name[i] <= 'Z' {
			return lowerKey([]byte(name))
		}
	}
	return name
}
