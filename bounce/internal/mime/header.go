package mime

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unsafe"
)

// Field is one header field: its name lower-cased and its value unfolded
// (continuation line breaks removed) but not yet RFC 2047 decoded. (The
// name as written is not kept: CanonicalName is all it was read for, and
// a message's header has dozens of fields.)
type Field struct {
	Key   string
	Value string
}

// CanonicalName returns the field's name in canonical MIME header form,
// CanonicalKey(f.Key).
func (f Field) CanonicalName() string { return CanonicalKey(f.Key) }

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
func ParseHeader(b []byte) (Header, []byte) { return parseHeader(b, false, nil) }

// parseHeader is ParseHeader; shared says that b's bytes never change
// while the Header is in use (Parser.Shared): then names and values
// written on one line are substrings of b itself, and the string made
// holds only the lower-cased keys and unfolded values. slab, when not
// nil, is where the Header's fields are taken from (newHeader).
func parseHeader(b []byte, shared bool, slab *[]Field) (Header, []byte) {
	var stack [32]span // most headers fit: no allocation for the spans
	spans, body, end, extra, none := scanHeader(b, stack[:0])
	if none {
		return Header{}, b
	}
	if len(spans) == 0 {
		return Header{}, body
	}
	end = min(end, len(b))
	if shared {
		return sharedHeader(b[:end], spans, extra, slab), body
	}
	var sb strings.Builder
	sb.Grow(end + extra)
	sb.Write(b[:end])
	for i := range spans {
		sp := &spans[i]
		if sp.lower {
			var buf [76]byte // fieldName's longest name
			key := buf[:sp.ne-sp.ns]
			for j, c := range b[sp.ns:sp.ne] {
				key[j] = LowerASCII(c)
			}
			sp.ks = sb.Len()
			sb.Write(key)
			sp.ke = sb.Len()
		}
		if sp.folded {
			unfoldSpan(&sb, b, sp)
		}
	}
	block := sb.String()
	h := newHeader(slab, len(spans))
	for i := range spans {
		sp := &spans[i]
		v := block[sp.vs:sp.ve]
		if sp.appended != "" {
			v += sp.appended
		}
		h[i] = Field{Key: block[sp.ks:sp.ke], Value: v}
	}
	return h, body
}

// sharedHeader makes the Header of the block b (never modified: see
// parseHeader) from its spans: what is written on one line is a
// substring of b, and one string holds the extra bytes, the lower-cased
// keys and the unfolded values.
func sharedHeader(b []byte, spans []span, extra int, slab *[]Field) Header {
	block := unsafe.String(unsafe.SliceData(b), len(b))
	for i := range spans {
		// A common name lower-cased is a constant: no copy.
		if sp := &spans[i]; sp.lower {
			var buf [76]byte // fieldName's longest name
			if c, ok := internKey(lowerName(buf[:0], b[sp.ns:sp.ne])); ok {
				sp.interned, sp.lower = c, false
				extra -= sp.ne - sp.ns
			}
		}
	}
	var ext string
	if extra > 0 {
		var sb strings.Builder // not zeroed, as make would
		sb.Grow(extra)
		for i := range spans {
			sp := &spans[i]
			if sp.lower {
				var buf [76]byte
				sp.ks = sb.Len()
				sb.Write(lowerName(buf[:0], b[sp.ns:sp.ne]))
				sp.ke = sb.Len()
			}
			if sp.folded {
				unfoldSpan(&sb, b, sp)
			}
		}
		ext = sb.String()
	}
	h := newHeader(slab, len(spans))
	for i := range spans {
		sp := &spans[i]
		key, v := block[sp.ks:sp.ke], ""
		if sp.interned != "" {
			key = sp.interned
		} else if sp.lower {
			key = ext[sp.ks:sp.ke]
		}
		if sp.folded {
			v = ext[sp.vs:sp.ve]
		} else {
			v = block[sp.vs:sp.ve]
		}
		if sp.appended != "" {
			v += sp.appended
		}
		h[i] = Field{Key: key, Value: v}
	}
	return h
}

// newHeader returns a Header of n fields. With a slab (a Parser's, for
// the parts of one message) it is the next n fields of *slab, a new slab
// made when too few are left, with room for the short headers of the
// parts that follow: one allocation for the headers of most messages.
// The Header's capacity is n, so that an append to it never writes into
// the slab.
func newHeader(slab *[]Field, n int) Header {
	if slab == nil {
		return make(Header, n)
	}
	s := *slab
	if cap(s)-len(s) < n {
		// append rounds the capacity up to the allocator's size class:
		// room for free.
		s = append([]Field(nil), make([]Field, n+headerSlabRoom)...)[:0]
	}
	k := len(s)
	*slab = s[:k+n]
	return s[k : k+n : k+n]
}

// headerSlabRoom is the fields a Parser's slab of header fields has
// beyond the header it is made for: the parts of a bounce have two to
// four fields each.
const headerSlabRoom = 8

// lowerName appends name, a field name (printable ASCII, fieldName),
// lower-cased to buf, eight bytes at a time.
func lowerName(buf, name []byte) []byte {
	i := 0
	for ; i+8 <= len(name); i += 8 {
		w := binary.LittleEndian.Uint64(name[i:])
		buf = binary.LittleEndian.AppendUint64(buf, w|asciiUpperMask(w)>>2)
	}
	for ; i < len(name); i++ {
		buf = append(buf, LowerASCII(name[i]))
	}
	return buf
}

// span is a field of a header block as offsets: into the block while
// its lines are read, then into the string ParseHeader makes of them.
type span struct {
	ns, ne   int // name, trimmed
	ks, ke   int // key: the name, or its lower-cased copy
	vs, ve   int // value
	lower    bool
	folded   bool
	appended string // QUIRK: continuation lines after a stray line
	interned string // the key, when a common one (internKey; sharedHeader)
}

// scanHeader is the first pass of ParseHeader: it reads the lines of the
// header block at the start of b into spans (appended to spans), and
// returns them with the body, the end of the block in b and the bytes
// the lower-cased keys and unfolded values add. none says that b does
// not start with a header field: then b is all body.
func scanHeader(b []byte, spans []span) (_ []span, body []byte, end, extra int, none bool) {
	rest := b
	open := false // spans[len-1] may still get continuation lines
	end = len(b)  // end of the Header block in b
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
		case len(line) == 0 || (len(spans) > 0 && isBlank(line)):
			end, body, done = off, rest, true
		case line[0] == ' ' || line[0] == '\t':
			if n := len(spans); n > 0 {
				if open && spans[n-1].ve == off-1 {
					if !spans[n-1].folded {
						extra += spans[n-1].ve - spans[n-1].vs
					}
					spans[n-1].ve = off + len(line)
					spans[n-1].folded = true
					extra += len(line)
				} else {
					spans[n-1].appended += string(line)
				}
			}
		default:
			colon := bytes.IndexByte(line, ':')
			n, upper := 0, false
			if colon > 0 {
				n, upper = fieldName(line[:colon])
			}
			if n == 0 {
				if len(spans) == 0 {
					// QUIRK: a part or message with no header at all starts with its body.
					return spans, b, 0, 0, true
				}
				// QUIRK: a stray line inside a header (seen in hand-made and broken
				// bounces, e.g. an mbox "From " line) is skipped.
				open = false
				continue
			}
			sp := span{ns: off, ne: off + n, ks: off, ke: off + n, vs: off + colon + 1, ve: off + len(line)}
			if upper || n != colon {
				sp.lower = true
				extra += n
			}
			spans = append(spans, sp)
			open = true
		}
	}
	if !done {
		body = rest
	}
	return spans, body, end, extra, false
}

// PeekHeader reads the header at the start of b as ParseHeader does
// without making a Header of it: it returns the header block (the bytes
// of b that hold its fields, before the blank line that ends it: what
// ParseHeader reads the same fields from), the body ParseHeader returns
// and the number of fields, and sets vals[i] to the value
// ParseHeader(b)'s Header.Get(keys[i]) returns (keys lower-case; vals
// as long as keys). The values are copies; block and body are b's bytes.
func PeekHeader(b []byte, keys, vals []string) (block, body []byte, n int) {
	return peekHeader(b, keys, vals, false)
}

// peekHeader is PeekHeader; shared (Parser.Shared) lets a value written
// on one line be a substring of b rather than a copy.
func peekHeader(b []byte, keys, vals []string, shared bool) (block, body []byte, n int) {
	var stack [32]span
	spans, body, end, _, none := scanHeader(b, stack[:0])
	for i := range keys {
		vals[i] = ""
	}
	if none {
		return nil, b, 0
	}
	if len(spans) == 0 {
		return nil, body, 0
	}
	for i, k := range keys {
		for j := range spans {
			if sp := &spans[j]; sp.ne-sp.ns == len(k) && equalLowerBytes(b[sp.ns:sp.ne], k) {
				if v := bytes.TrimSpace(b[sp.vs:sp.ve]); shared && !sp.folded && sp.appended == "" && len(v) > 0 {
					vals[i] = unsafe.String(unsafe.SliceData(v), len(v))
				} else {
					vals[i] = spanValue(b, sp)
				}
				break
			}
		}
	}
	return b[:min(end, len(b))], body, len(spans)
}

// PeekHeaderCopy is PeekHeader for a header block kept after b is gone:
// it returns a copy of the block, and the values are substrings of it
// where they can be (a value unfolded from several lines is built).
func PeekHeaderCopy(b []byte, keys, vals []string) (block string, n int) {
	var stack [32]span
	spans, _, end, _, none := scanHeader(b, stack[:0])
	for i := range keys {
		vals[i] = ""
	}
	if none || len(spans) == 0 {
		return "", 0
	}
	block = string(b[:min(end, len(b))])
	for i, k := range keys {
		for j := range spans {
			if sp := &spans[j]; sp.ne-sp.ns == len(k) && equalLowerBytes(b[sp.ns:sp.ne], k) {
				if !sp.folded && sp.appended == "" {
					vals[i] = strings.TrimSpace(block[sp.vs:sp.ve])
				} else {
					vals[i] = spanValue(b, sp)
				}
				break
			}
		}
	}
	return block, len(spans)
}

// equalLowerBytes reports whether name lower-cased (ASCII) is key.
func equalLowerBytes(name []byte, key string) bool {
	for i := range name {
		if LowerASCII(name[i]) != key[i] {
			return false
		}
	}
	return true
}

// unfold writes the folded value v to sb without its line feeds, keeping
// the white space after them (RFC 5322 section 2.2.3).
func unfold(sb *strings.Builder, v []byte) {
	for len(v) > 0 {
		nl := bytes.IndexByte(v, '\n')
		if nl < 0 {
			sb.Write(v)
			return
		}
		sb.Write(v[:nl])
		v = v[nl+1:]
	}
}

// spanValue returns the value of sp in b as ParseHeader's Header holds
// it (unfolded, with QUIRK continuation lines after a stray line
// appended), trimmed as Header.Get returns it.
func spanValue(b []byte, sp *span) string {
	v := b[sp.vs:sp.ve]
	var s string
	if sp.folded {
		var sb strings.Builder
		sb.Grow(len(v))
		unfold(&sb, v)
		s = sb.String()
	} else if sp.appended == "" {
		return string(bytes.TrimSpace(v))
	} else {
		s = string(v)
	}
	if sp.appended != "" {
		s += sp.appended
	}
	return strings.TrimSpace(s)
}

// isBlank reports whether line is white space only (bytes.TrimSpace
// trims it all), testing first the common case: a line that starts with
// printable ASCII.
func isBlank(line []byte) bool {
	if c := line[0]; c > ' ' && c < 0x7f {
		return false
	}
	return len(bytes.TrimSpace(line)) == 0
}

// fieldName returns the length of b, the text of a line before its colon,
// without the spaces and tabs that may end it, and whether it has an ASCII
// capital letter; n is 0 when b is not a field name: printable ASCII
// without spaces, at most 76 bytes.
func fieldName(b []byte) (n int, upper bool) {
	n = len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == '\t') {
		n--
	}
	if n > 76 {
		return 0, false
	}
	i := 0
	for ; i+8 <= n; i += 8 {
		// Eight bytes at a time: each in '!'..'~', any a capital.
		w := binary.LittleEndian.Uint64(b[i:])
		if w&hiBits != 0 || (w-0x2121212121212121)&^w&hiBits != 0 || zeroBytes(w^0x7f7f7f7f7f7f7f7f) != 0 {
			return 0, false
		}
		upper = upper || upperMask(w) != 0
	}
	for _, c := range b[i:n] {
		if c <= ' ' || c >= 127 {
			return 0, false
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	return n, upper
}

// zeroBytes returns 0x80 in each byte of w that is 0, and 0 elsewhere.
func zeroBytes(w uint64) uint64 {
	const lo7 = 0x7f7f7f7f7f7f7f7f
	return ^((w&lo7 + lo7) | w | lo7)
}

// lowerKey returns a field name lower-cased and trimmed, without
// allocating for the common names.
func lowerKey(b string) string {
	b = strings.TrimSpace(b)
	var buf [64]byte
	if len(b) <= len(buf) {
		for i := 0; i < len(b); i++ {
			buf[i] = LowerASCII(b[i])
		}
		if k, ok := internKey(buf[:len(b)]); ok {
			return k
		}
		return string(buf[:len(b)])
	}
	return ToLower(b)
}

// internKey returns the constant string of a common field name
// (commonKeys), lower-case, and true; a switch, not a map look-up.
func internKey(k []byte) (string, bool) {
	switch string(k) {
	case "received":
		return "received", true
	case "from":
		return "from", true
	case "to":
		return "to", true
	case "cc":
		return "cc", true
	case "subject":
		return "subject", true
	case "date":
		return "date", true
	case "message-id":
		return "message-id", true
	case "return-path":
		return "return-path", true
	case "content-type":
		return "content-type", true
	case "content-transfer-encoding":
		return "content-transfer-encoding", true
	case "mime-version":
		return "mime-version", true
	case "content-disposition":
		return "content-disposition", true
	case "content-description":
		return "content-description", true
	case "x-mailer":
		return "x-mailer", true
	case "reply-to":
		return "reply-to", true
	case "sender":
		return "sender", true
	case "delivered-to":
		return "delivered-to", true
	case "x-original-to":
		return "x-original-to", true
	case "auto-submitted":
		return "auto-submitted", true
	case "dkim-signature":
		return "dkim-signature", true
	case "authentication-results":
		return "authentication-results", true
	case "references":
		return "references", true
	case "in-reply-to":
		return "in-reply-to", true
	case "x-failed-recipients":
		return "x-failed-recipients", true
	case "precedence":
		return "precedence", true
	case "final-recipient":
		return "final-recipient", true
	case "original-recipient":
		return "original-recipient", true
	case "action":
		return "action", true
	case "status":
		return "status", true
	case "remote-mta":
		return "remote-mta", true
	case "diagnostic-code":
		return "diagnostic-code", true
	case "reporting-mta":
		return "reporting-mta", true
	case "arrival-date":
		return "arrival-date", true
	case "last-attempt-date":
		return "last-attempt-date", true
	case "received-from-mta":
		return "received-from-mta", true
	case "x-spam-status":
		return "x-spam-status", true
	}
	return "", false
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
	n, _ := fieldName(b)
	return n > 0
}

// CanonicalKey returns key in canonical MIME header form (X-Customer-Id
// style: first letter and letters after '-' upper-case).
func CanonicalKey(key string) string {
	if c, ok := canonicalKeys[key]; ok {
		return c
	}
	b := []byte(ToLower(strings.TrimSpace(key)))
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
			return lowerKey(name)
		}
	}
	return name
}

// unfoldSpan writes the folded value of sp, read from b, unfolded to sb
// and points sp's value at it there (RFC 5322 section 2.2.3: unfolding
// removes the CRLF, not the white space).
func unfoldSpan(sb *strings.Builder, b []byte, sp *span) {
	v := b[sp.vs:sp.ve]
	sp.vs = sb.Len()
	unfold(sb, v)
	sp.ve = sb.Len()
}
