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
// holds only the lower-cased keys and unfolded values. mp, when not
// nil, is the Parser whose slab the Header's fields are taken from
// (newHeader) and, shared, whose room for text (Parser.Text) that
// string is.
func parseHeader(b []byte, shared bool, mp *Parser) (Header, []byte) {
	var slab *[]Field
	var text *[]byte
	if mp != nil {
		slab, text = &mp.fieldSlab, mp.room
	}
	var stack [spanStack]span // most headers fit: no allocation for the spans
	var sc headerScan
	spans, body, end, extra, none := sc.scan(b, stack[:0])
	if none {
		return Header{}, b
	}
	if len(spans) == 0 {
		return Header{}, body
	}
	end = min(end, len(b))
	if shared {
		return sharedHeader(b[:end], spans, &sc, extra, slab, text), body
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
			sp.ks = int32(sb.Len())
			sb.Write(key)
			sp.ke = int32(sb.Len())
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
		if sp.appended {
			v += sc.appendedOf(i)
		}
		h[i] = Field{Key: block[sp.ks:sp.ke], Value: v}
	}
	return h, body
}

// sharedHeader makes the Header of the block b (never modified: see
// parseHeader) from its spans: what is written on one line is a
// substring of b, and one string holds the extra bytes, the lower-cased
// keys and the unfolded values.
func sharedHeader(b []byte, spans []span, sc *headerScan, extra int, slab *[]Field, text *[]byte) Header {
	block := unsafe.String(unsafe.SliceData(b), len(b))
	for i := range spans {
		// A common name lower-cased is a constant: no copy.
		if sp := &spans[i]; sp.lower {
			var buf [76]byte // fieldName's longest name
			if c := internIndex(lowerName(buf[:0], b[sp.ns:sp.ne])); c > 0 {
				sp.interned, sp.lower = c, false
				extra -= int(sp.ne - sp.ns)
			}
		}
	}
	var ext string
	if extra > 0 && text != nil {
		// In the Parser's room for text: no allocation when it has room.
		t := GrowRoom(text, extra)
		k := len(t)
		for i := range spans {
			sp := &spans[i]
			if sp.lower {
				sp.ks = int32(len(t) - k)
				t = lowerName(t, b[sp.ns:sp.ne])
				sp.ke = int32(len(t) - k)
			}
			if sp.folded {
				v := b[sp.vs:sp.ve]
				sp.vs = int32(len(t) - k)
				t = unfoldTo(t, v)
				sp.ve = int32(len(t) - k)
			}
		}
		*text = t
		ext = unsafe.String(unsafe.SliceData(t[k:]), len(t)-k)
	} else if extra > 0 {
		var sb strings.Builder // not zeroed, as make would
		sb.Grow(extra)
		for i := range spans {
			sp := &spans[i]
			if sp.lower {
				var buf [76]byte
				sp.ks = int32(sb.Len())
				sb.Write(lowerName(buf[:0], b[sp.ns:sp.ne]))
				sp.ke = int32(sb.Len())
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
		if sp.interned > 0 {
			key = commonKeyList[sp.interned-1]
		} else if sp.lower {
			key = ext[sp.ks:sp.ke]
		}
		if sp.folded {
			v = ext[sp.vs:sp.ve]
		} else {
			v = block[sp.vs:sp.ve]
		}
		if sp.appended {
			v += sc.appendedOf(i)
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
// It holds no pointer and its offsets are 32 bits (a header block is
// read up to maxHeaderBlock bytes), so that the spans of most headers
// fit on the stack in little room (spanStack) and are cheap to clear.
type span struct {
	ns, ne   int32 // name, trimmed
	ks, ke   int32 // key: the name, or its lower-cased copy
	vs, ve   int32 // value
	lower    bool
	folded   bool
	appended bool  // QUIRK: continuation lines after a stray line (headerScan.appendedOf)
	interned uint8 // 1 + the key's index in commonKeyList, when a common one (sharedHeader)
}

// spanStack is the number of spans parseHeader and peekHeader keep on
// the stack: the top-level header of most bounces fits.
const spanStack = 64

// maxHeaderBlock is the most bytes of a header block that are read as
// such (span offsets are 32 bits): far above any message Decode accepts.
const maxHeaderBlock = 1<<31 - 1

// headerScan holds what a scan of a header block found beside its
// spans: the QUIRK continuation lines after a stray line, rare.
type headerScan struct {
	apps []spanApp
}

// spanApp is the text appended to the value of span i.
type spanApp struct {
	i int
	s string
}

// appendedOf returns the text appended to the value of span i.
func (sc *headerScan) appendedOf(i int) string {
	for _, a := range sc.apps {
		if a.i == i {
			return a.s
		}
	}
	return ""
}

// append adds s to the text appended to the value of span i.
func (sc *headerScan) append(i int, s string) {
	for k := range sc.apps {
		if sc.apps[k].i == i {
			sc.apps[k].s += s
			return
		}
	}
	sc.apps = append(sc.apps, spanApp{i, s})
}

// scan is the first pass of ParseHeader: it reads the lines of the
// header block at the start of b into spans (appended to spans), and
// returns them with the body, the end of the block in b and the bytes
// the lower-cased keys and unfolded values add. none says that b does
// not start with a header field: then b is all body.
func (sc *headerScan) scan(b []byte, spans []span) (_ []span, body []byte, end, extra int, none bool) {
	if len(b) > maxHeaderBlock {
		// Offsets are 32 bits: what follows is read as the body.
		spans, body, end, extra, none = sc.scan(b[:maxHeaderBlock], spans)
		if none {
			return spans, b, 0, 0, true
		}
		return spans, b[maxHeaderBlock-len(body):], end, extra, false
	}
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
				if open && int(spans[n-1].ve) == off-1 {
					if !spans[n-1].folded {
						extra += int(spans[n-1].ve - spans[n-1].vs)
					}
					spans[n-1].ve = int32(off + len(line))
					spans[n-1].folded = true
					extra += len(line)
				} else {
					spans[n-1].appended = true
					sc.append(n-1, string(line))
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
			o := int32(off)
			sp := span{ns: o, ne: o + int32(n), ks: o, ke: o + int32(n), vs: o + int32(colon) + 1, ve: o + int32(len(line))}
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
	var stack [spanStack]span
	var sc headerScan
	spans, body, end, _, none := sc.scan(b, stack[:0])
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
			if sp := &spans[j]; int(sp.ne-sp.ns) == len(k) && equalLowerBytes(b[sp.ns:sp.ne], k) {
				if v := bytes.TrimSpace(b[sp.vs:sp.ve]); shared && !sp.folded && !sp.appended && len(v) > 0 {
					vals[i] = unsafe.String(unsafe.SliceData(v), len(v))
				} else {
					vals[i] = spanValue(b, sp, sc.appendedOf(j))
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
	var stack [spanStack]span
	var sc headerScan
	spans, _, end, _, none := sc.scan(b, stack[:0])
	for i := range keys {
		vals[i] = ""
	}
	if none || len(spans) == 0 {
		return "", 0
	}
	block = string(b[:min(end, len(b))])
	for i, k := range keys {
		for j := range spans {
			if sp := &spans[j]; int(sp.ne-sp.ns) == len(k) && equalLowerBytes(b[sp.ns:sp.ne], k) {
				if !sp.folded && !sp.appended {
					vals[i] = strings.TrimSpace(block[sp.vs:sp.ve])
				} else {
					vals[i] = spanValue(b, sp, sc.appendedOf(j))
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

// minTextRoom is the least room for text a Parser makes at a time.
const minTextRoom = 1024

// unfoldTo appends the folded value v to t without its line feeds, as
// unfold writes it.
func unfoldTo(t, v []byte) []byte {
	for len(v) > 0 {
		nl := bytes.IndexByte(v, '\n')
		if nl < 0 {
			return append(t, v...)
		}
		t = append(t, v[:nl]...)
		v = v[nl+1:]
	}
	return t
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
// it (unfolded, with appended, the QUIRK continuation lines after a
// stray line, added), trimmed as Header.Get returns it.
func spanValue(b []byte, sp *span, appended string) string {
	v := b[sp.vs:sp.ve]
	var s string
	if sp.folded {
		var sb strings.Builder
		sb.Grow(len(v))
		unfold(&sb, v)
		s = sb.String()
	} else if !sp.appended {
		return string(bytes.TrimSpace(v))
	} else {
		s = string(v)
	}
	if sp.appended {
		s += appended
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
// (commonKeys), lower-case, and true.
func internKey(k []byte) (string, bool) {
	if c := internIndex(k); c > 0 {
		return commonKeyList[c-1], true
	}
	return "", false
}

// internIndex returns 1 + the index in commonKeyList of a common field
// name (lower-case), 0 for another; a switch, not a map look-up.
func internIndex(k []byte) uint8 {
	switch string(k) {
	case "received":
		return 1
	case "from":
		return 2
	case "to":
		return 3
	case "cc":
		return 4
	case "subject":
		return 5
	case "date":
		return 6
	case "message-id":
		return 7
	case "return-path":
		return 8
	case "content-type":
		return 9
	case "content-transfer-encoding":
		return 10
	case "mime-version":
		return 11
	case "content-disposition":
		return 12
	case "content-description":
		return 13
	case "x-mailer":
		return 14
	case "reply-to":
		return 15
	case "sender":
		return 16
	case "delivered-to":
		return 17
	case "x-original-to":
		return 18
	case "auto-submitted":
		return 19
	case "dkim-signature":
		return 20
	case "authentication-results":
		return 21
	case "references":
		return 22
	case "in-reply-to":
		return 23
	case "x-failed-recipients":
		return 24
	case "precedence":
		return 25
	case "final-recipient":
		return 26
	case "original-recipient":
		return 27
	case "action":
		return 28
	case "status":
		return 29
	case "remote-mta":
		return 30
	case "diagnostic-code":
		return 31
	case "reporting-mta":
		return 32
	case "arrival-date":
		return 33
	case "last-attempt-date":
		return 34
	case "received-from-mta":
		return 35
	case "x-spam-status":
		return 36
	}
	return 0
}

// commonKeyList is the common field names, lower-case, in internIndex's order.
var commonKeyList = [...]string{
	"received",
	"from",
	"to",
	"cc",
	"subject",
	"date",
	"message-id",
	"return-path",
	"content-type",
	"content-transfer-encoding",
	"mime-version",
	"content-disposition",
	"content-description",
	"x-mailer",
	"reply-to",
	"sender",
	"delivered-to",
	"x-original-to",
	"auto-submitted",
	"dkim-signature",
	"authentication-results",
	"references",
	"in-reply-to",
	"x-failed-recipients",
	"precedence",
	"final-recipient",
	"original-recipient",
	"action",
	"status",
	"remote-mta",
	"diagnostic-code",
	"reporting-mta",
	"arrival-date",
	"last-attempt-date",
	"received-from-mta",
	"x-spam-status",
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
	sp.vs = int32(sb.Len())
	unfold(sb, v)
	sp.ve = int32(sb.Len())
}
