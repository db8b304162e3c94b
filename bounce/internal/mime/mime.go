package mime

import (
	"bytes"
	"errors"
	"mime"
	"strings"
	"unsafe"
)

// Part is one node of a message's MIME tree (RFC 2045, RFC 2046). Bodies
// are kept as slices of the message's bytes and decoded only on demand.
type Part struct {
	Header    Header
	MediaType string  // lower-case type/subtype; text/plain when absent
	Params    Params  // Content-Type parameters
	Raw       []byte  // body, still transfer-encoded
	Children  []*Part // multipart parts, or the one message of a message/rfc822
	Parent    *Part
	Depth     int

	// hdrBlock is the header block of a part inside an attached message,
	// whose Header is made only when Fields asks for it (lazyHeader).
	hdrBlock []byte

	decoded   []byte   // cache of Body()
	textCache string   // cache of Text
	peeked    []string // values of the Parser's PeekKeys (Peeked)

	// The flags together (the struct is 32 bytes smaller).
	lazyHeader bool
	owned      bool // decoded is a buffer of its own, or bytes that never change (shared)
	shared     bool // made by a Parser whose bytes never change (Parser.Shared)
	textDone   bool
	inMessage  bool // below a message/* part: part of an attached message

	paramBuf [2]Param // room for the Params of most parts

	// room, when not nil, is the room for text of the Parser that made
	// the part (Parser.Text), where Body decodes to.
	room *[]byte
}

// Peeked returns, for a part inside an attached message whose header
// has fields, the values of its Parser's PeekKeys, in their order, as
// Header.Get would return them (nil otherwise).
func (p *Part) Peeked() []string { return p.peeked }

// Params are a part's Content-Type parameters, keys lower-case, each key
// once. A part has a few: a slice, not a map.
type Params []Param

// Param is one Content-Type parameter.
type Param struct{ Key, Value string }

// Get returns the value of the parameter key (lower-case), or "".
func (ps Params) Get(key string) string {
	for _, p := range ps {
		if p.Key == key {
			return p.Value
		}
	}
	return ""
}

// has reports whether the parameter key (lower-case) is set.
func (ps Params) has(key string) bool {
	for _, p := range ps {
		if p.Key == key {
			return true
		}
	}
	return false
}

// ErrTooDeep is returned (wrapped) by Parser for a structure nested
// deeper than its MaxDepth.
var ErrTooDeep = errors.New("bounce: MIME structure nested deeper than the limit")

// ErrTooManyParts is returned (wrapped) by Parser for more parts than its
// MaxParts.
var ErrTooManyParts = errors.New("bounce: more MIME parts than the limit")

// Parser builds a part tree within its limits.
type Parser struct {
	MaxDepth int
	MaxParts int
	// PeekKeys are header fields (lower-case) whose values Parse reads,
	// with the Content-Type, for each part inside an attached message,
	// whose Header it does not make (Part.Peeked).
	PeekKeys []string
	// Shared says that the bytes Parse is given never change while its
	// parts are in use: the parts' headers and texts may then be strings
	// that share them instead of copies.
	Shared bool
	// Err is ErrTooDeep or ErrTooManyParts once a limit was passed.
	Err    error
	nparts int

	// The fields of the parts' headers are taken from one slab
	// (newHeader): one allocation for the headers of most messages. A
	// Parser reads one message: its slab is reused only after Reuse.
	fieldSlab []Field

	// parts and lists are the room the parts below the root and the
	// lists of them are taken from (takeParts): one allocation for the
	// parts of most messages, reused after Reuse.
	parts []Part
	lists []*Part

	// room, when not nil (UseRoom), is where the lower-cased names and
	// unfolded values of the parts' headers and their decoded bodies
	// are written (Shared only), reused after Reuse (Text).
	room *[]byte
}

// UseRoom makes *room mp's room for text (Text): with Shared, the
// lower-cased names and unfolded values of the headers mp makes, and
// the bodies of its parts decoded (Part.Body), are written there.
func (mp *Parser) UseRoom(room *[]byte) { mp.room = room }

// Text returns the room for text whose bytes the strings of the
// headers and bodies mp made may share (beside those of the message
// itself): a caller that keeps such a string past Reuse must copy it.
// Only the room in use is reused: text written before it was replaced
// by a larger one (Room) never changes.
func (mp *Parser) Text() []byte {
	if mp.room == nil {
		return nil
	}
	return *mp.room
}

// GrowRoom returns *room with room for n more bytes after its length:
// *room itself, or a new room, twice as large at least, that then
// replaces it (the old one is left as it is to what uses it).
func GrowRoom(room *[]byte, n int) []byte {
	t := *room
	if cap(t)-len(t) < n {
		t = make([]byte, 0, max(n, 2*cap(t), minTextRoom))
		*room = t
	}
	return t
}

// takeRoom returns an empty slice, after what *room holds, with room
// for n bytes (GrowRoom).
func takeRoom(room *[]byte, n int) []byte {
	t := GrowRoom(room, n)
	return t[len(t):len(t)]
}

// keepRoom records in *room the bytes a decoder wrote to out, taken
// with takeRoom, when dec, what it returned, is them; dec is returned
// with its capacity cut, so that no append writes past it.
func keepRoom(room *[]byte, out, dec []byte) []byte {
	if len(dec) == 0 || unsafe.SliceData(dec) != unsafe.SliceData(out[:cap(out)]) {
		return dec // the input itself, or a copy NormalizeNewlines made
	}
	t := *room
	*room = t[:len(t)+len(dec)]
	return dec[:len(dec):len(dec)]
}

// maxTextRoom bounds the room for text Reuse keeps.
const maxTextRoom = 1 << 20

// partChunk is the parts, and pointers to them, takeParts makes room for
// at a time: a bounce has three or four parts, its attached message one.
const partChunk = 8

// takeParts returns n zero parts and an empty list with room for n
// pointers, from mp's room for them when there is enough (newParts
// otherwise).
func (mp *Parser) takeParts(n int) ([]Part, []*Part) {
	if n > partChunk {
		return newParts(n)
	}
	if len(mp.parts)+n > cap(mp.parts) || len(mp.lists)+n > cap(mp.lists) {
		c := new(struct {
			parts [partChunk]Part
			lists [partChunk]*Part
		})
		mp.parts, mp.lists = c.parts[:0], c.lists[:0]
	}
	k, l := len(mp.parts), len(mp.lists)
	mp.parts, mp.lists = mp.parts[:k+n], mp.lists[:l+n]
	return mp.parts[k : k+n : k+n], mp.lists[l : l : l+n]
}

// Parse builds the part for b (header and body), recursing into multipart
// and message/* bodies.
func (mp *Parser) Parse(b []byte, depth int, parent *Part, defaultType string) *Part {
	p := new(Part)
	mp.parse(p, b, depth, parent, defaultType)
	return p
}

// ParseInto is Parse into p, which must be a zero Part.
func (mp *Parser) ParseInto(p *Part, b []byte, depth int, parent *Part, defaultType string) {
	mp.parse(p, b, depth, parent, defaultType)
}

// Reuse makes mp a zero Parser that keeps the slab of header fields it
// took them from, cleared, its room for parts and its room for text
// (UseRoom), emptied, for the next message: for a caller that keeps none
// of the parts, headers or fields mp made, nor any string of its room
// for text (they would change).
func (mp *Parser) Reuse() {
	slab, parts, lists, room := mp.fieldSlab, mp.parts, mp.lists, mp.room
	clear(slab) // beyond their length, they were never used
	clear(parts)
	clear(lists)
	if room != nil {
		if cap(*room) > maxTextRoom {
			*room = nil
		}
		*room = (*room)[:0]
	}
	*mp = Parser{fieldSlab: slab[:0], parts: parts[:0], lists: lists[:0], room: room}
}

// parse is Parse into p, a zero Part: the parts of a multipart are made
// together, one allocation (and one for the list of them).
func (mp *Parser) parse(p *Part, b []byte, depth int, parent *Part, defaultType string) {
	var ct string
	if parent != nil && (parent.inMessage || IsMessageType(parent.MediaType)) {
		// A part of an attached message: the decoders read its header
		// rarely (the returned message's top header, for Original), so
		// it is made on demand (Fields); its Content-Type is read now.
		// With the Content-Type, the values of PeekKeys (Peeked).
		var kbuf [8]string
		keys := append(append(kbuf[:0], contentTypeKey[0]), mp.PeekKeys...)
		var vbuf [8]string
		vals := vbuf[:0]
		if len(keys) > len(vbuf) {
			vals = make([]string, 0, len(keys))
		}
		vals = vals[:len(keys)]
		block, body, n := peekHeader(b, keys, vals, mp.Shared)
		*p = Part{Raw: body, Parent: parent, Depth: depth, hdrBlock: block, lazyHeader: true, inMessage: true, shared: mp.Shared}
		if mp.Shared {
			p.room = mp.room
		}
		ct = vals[0]
		if len(mp.PeekKeys) > 0 && n > 0 {
			p.peeked = append([]string(nil), vals[1:]...)
		}
	} else {
		h, body := parseHeader(b, mp.Shared, mp)
		*p = Part{Header: h, Raw: body, Parent: parent, Depth: depth, shared: mp.Shared}
		if mp.Shared {
			p.room = mp.room
		}
		ct = h.Get("content-type")
	}
	body := p.Raw
	mp.nparts++
	p.MediaType, p.Params = parseContentType(ct, defaultType, p.paramBuf[:0])
	if mp.nparts > mp.MaxParts {
		mp.Err = ErrTooManyParts
		return
	}
	if depth >= mp.MaxDepth {
		if strings.HasPrefix(p.MediaType, "multipart/") || IsMessageType(p.MediaType) {
			mp.Err = ErrTooDeep
		}
		return
	}
	switch {
	case strings.HasPrefix(p.MediaType, "multipart/") && p.inMessage:
		// The parts of an attached message are not split: a bounce is
		// read from its own parts and the attached message's header, so
		// the returned message's body, its attachments and their base64
		// are never parsed nor decoded. Its Children stay empty.
	case strings.HasPrefix(p.MediaType, "multipart/"):
		boundary := p.Params.Get("boundary")
		if boundary == "" {
			boundary = GuessBoundary(body)
		}
		if boundary == "" {
			// QUIRK: a multipart without a boundary is read as text.
			p.MediaType = "text/plain"
			return
		}
		def := "text/plain"
		if p.MediaType == "multipart/digest" {
			def = "message/rfc822"
		}
		// One part more than the budget lets the loop below pass the limit
		// and say so.
		budget := mp.MaxParts - mp.nparts + 1
		var buf [8][]byte // most bounces have two or three parts: no allocation
		subs := splitMultipart(body, boundary, budget, buf[:0])
		if len(subs) == 0 {
			// QUIRK: a boundary parameter that the body does not use.
			if g := GuessBoundary(body); g != "" && g != boundary {
				subs = splitMultipart(body, g, budget, buf[:0])
			}
		}
		if len(subs) == 0 {
			// QUIRK: a multipart whose delimiters were lost (a flattened
			// report) is read as text.
			p.MediaType = "text/plain"
			return
		}
		kids, list := mp.takeParts(len(subs))
		p.Children = list
		for i, sub := range subs {
			mp.parse(&kids[i], sub, depth+1, p, def)
			p.Children = append(p.Children, &kids[i])
			if mp.Err != nil {
				return
			}
		}
	case IsMessageType(p.MediaType):
		inner := p.Body()
		if len(bytes.TrimSpace(inner)) > 0 {
			// The attached message and the list of it, from the parts' room.
			kid, list := mp.takeParts(1)
			p.Children = append(list, &kid[0])
			mp.parse(&kid[0], TrimLeadingBlankLines(inner), depth+1, p, "text/plain")
		}
	}
}

var contentTypeKey = [1]string{"content-type"}

// newParts returns n zero parts and an empty list with room for n
// pointers: for the two to four parts most multiparts have, in one
// allocation.
func newParts(n int) ([]Part, []*Part) {
	switch n {
	case 2:
		k := new(struct {
			parts [2]Part
			list  [2]*Part
		})
		return k.parts[:], k.list[:0:2]
	case 3:
		k := new(struct {
			parts [3]Part
			list  [3]*Part
		})
		return k.parts[:], k.list[:0:3]
	case 4:
		k := new(struct {
			parts [4]Part
			list  [4]*Part
		})
		return k.parts[:], k.list[:0:4]
	}
	return make([]Part, n), make([]*Part, 0, n)
}

// Fields returns the part's header. Parse fills Header for the parts of
// the message itself; for a part inside an attached message it leaves
// Header nil and Fields makes it on first use.
func (p *Part) Fields() Header {
	if p.lazyHeader {
		p.Header, _ = parseHeader(p.hdrBlock, p.shared, nil)
		p.lazyHeader = false
	}
	return p.Header
}

// HeaderBlock returns the header block of a part inside an attached
// message whose Header was not made yet (PeekHeader reads it), and ok;
// ok is false when Header is there to read.
func (p *Part) HeaderBlock() (block []byte, ok bool) {
	return p.hdrBlock, p.lazyHeader
}

// IsMessageType reports whether t is a media type whose body is a whole
// message (message/rfc822, message/global, message/partial).
func IsMessageType(t string) bool {
	switch t {
	case "message/rfc822", "message/global", "message/partial":
		return true
	}
	return false
}

// parseSimpleContentType reads the common forms of a Content-Type value
// ("text/plain; charset=us-ascii", `multipart/report;
// report-type=delivery-status; boundary="b"`) without the allocations of
// mime.ParseMediaType, with the same result; ok is false for any other
// form (comments, escapes, RFC 2231 parameters, 8-bit bytes, a repeated
// parameter), which the caller hands to mime.ParseMediaType.
func parseSimpleContentType(v string, buf Params) (t string, params Params, ok bool) {
	i := 0
	skipSpace := func() {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
	}
	token := func() string {
		j := i
		for i < len(v) && isTokenChar(v[i]) {
			i++
		}
		return v[j:i]
	}
	skipSpace()
	start := i
	typ := token()
	if typ == "" || i >= len(v) || v[i] != '/' {
		return "", nil, false
	}
	i++
	sub := token()
	if sub == "" {
		return "", nil, false
	}
	t = ToLower(v[start:i])
	for {
		skipSpace()
		if i == len(v) {
			return t, params, true
		}
		if v[i] != ';' {
			return "", nil, false
		}
		i++
		skipSpace()
		if i == len(v) {
			return t, params, true // QUIRK: a trailing ';', as mime.ParseMediaType allows
		}
		key := token()
		if key == "" || strings.IndexByte(key, '*') >= 0 || i >= len(v) || v[i] != '=' {
			return "", nil, false
		}
		i++
		var val string
		if i < len(v) && v[i] == '"' {
			end := strings.IndexByte(v[i+1:], '"')
			if end < 0 {
				return "", nil, false
			}
			val = v[i+1 : i+1+end]
			for k := 0; k < len(val); k++ {
				if c := val[k]; c == '\\' || c < ' ' && c != '\t' || c >= 0x7f {
					return "", nil, false
				}
			}
			i += end + 2
		} else {
			val = token()
			if val == "" {
				return "", nil, false
			}
		}
		key = ToLower(key)
		if params.has(key) {
			return "", nil, false
		}
		if params == nil {
			params = buf // charset, or report-type and boundary: room in the Part
		}
		params = append(params, Param{key, val})
	}
}

// isTokenChar reports whether c may appear in an RFC 2045 token.
func isTokenChar(c byte) bool { return tokenChars[c] }

// tokenChars holds the bytes of an RFC 2045 token: printable ASCII but
// the space and tspecials.
var tokenChars = func() (t [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`()<>@,;:\"/[]?=`, c)
	}
	return t
}()

// parseContentType returns the lower-case media type and parameters of a
// Content-Type value, leniently: a broken value still yields its type.
func parseContentType(v, def string, buf Params) (string, Params) {
	if v == "" {
		return def, nil
	}
	if t, params, ok := parseSimpleContentType(v, buf); ok {
		return t, params
	}
	mt, all, err := mime.ParseMediaType(v)
	if err == nil {
		var params Params
		for k, val := range all {
			params = append(params, Param{k, val})
		}
		return ToLower(mt), params
	}
	// QUIRK: unquoted boundaries with specials, trailing garbage, duplicated
	// parameters. Take the type and pick parameters by hand.
	semi := strings.IndexByte(v, ';')
	t := v
	if semi >= 0 {
		t = v[:semi]
	}
	t = ToLower(strings.TrimSpace(t))
	if sp := strings.IndexAny(t, " \t"); sp > 0 {
		// QUIRK: a missing ';' ("text/plain charset=...").
		t = t[:sp]
	}
	if !strings.Contains(t, "/") {
		t = def
	}
	params := Params{}
	for _, kv := range strings.Split(v[max(semi, 0):], ";") {
		eq := strings.IndexByte(kv, '=')
		if eq < 0 {
			continue
		}
		k := ToLower(strings.TrimSpace(kv[:eq]))
		val := strings.TrimSpace(kv[eq+1:])
		val = strings.Trim(val, `"`)
		if k != "" {
			if !params.has(k) {
				params = append(params, Param{k, val})
			}
		}
	}
	return t, params
}

// SplitMultipart returns the body parts of a multipart body delimited by
// boundary (RFC 2046 section 5.1.1). It is lenient: a missing close
// delimiter ends the last part at the end of the body, and trailing white
// space after a delimiter is allowed. It returns at most limit parts
// (limit <= 0: all of them), so that a body of tens of thousands of
// delimiters costs no more than the parts a caller will read.
func SplitMultipart(body []byte, boundary string, limit int) [][]byte {
	return splitMultipart(body, boundary, limit, make([][]byte, 0, 4)) // most bounces have two or three parts
}

// splitMultipart is SplitMultipart, appending the parts to parts.
func splitMultipart(body []byte, boundary string, limit int, parts [][]byte) [][]byte {
	// The delimiter on the stack for a boundary of RFC 2046's 70 bytes
	// at most, and searched by its rarest byte (Index): bytes.Index
	// anchors on its first, a dash, which the dashed lines of bounces
	// are full of.
	var dbuf [80]byte
	delim := append(append(dbuf[:0], "--"...), boundary...)
	text := unsafe.String(unsafe.SliceData(body), len(body))
	dstr := unsafe.String(unsafe.SliceData(delim), len(delim))
	start := -1
	pos := 0
	for pos <= len(body) {
		i := Index(text[pos:], dstr)
		if i < 0 {
			break
		}
		i += pos
		// QUIRK: delimiter lines indented by white space occur.
		j := i
		for j > 0 && (body[j-1] == ' ' || body[j-1] == '\t') {
			j--
		}
		lineStart := j == 0 || body[j-1] == '\n'
		after := i + len(delim)
		if !lineStart {
			pos = after
			continue
		}
		closing := bytes.HasPrefix(body[after:], []byte("--"))
		eol := bytes.IndexByte(body[after:], '\n')
		next := len(body)
		if eol >= 0 {
			next = after + eol + 1
		}
		if start >= 0 {
			end := j
			if end > start && body[end-1] == '\n' {
				end-- // the line break before a delimiter belongs to it
			}
			parts = append(parts, body[start:end])
			if len(parts) == limit {
				return parts
			}
		}
		if closing {
			return parts
		}
		start = next
		pos = next
	}
	if start >= 0 && start < len(body) {
		parts = append(parts, body[start:])
	}
	return parts
}

// GuessBoundary finds a boundary in a multipart body whose Content-Type
// lost it: the first line that starts with "--".
func GuessBoundary(body []byte) string {
	for _, line := range bytes.SplitN(body, []byte("\n"), 50) {
		if bytes.HasPrefix(line, []byte("--")) && len(line) > 4 {
			b := strings.TrimSpace(string(line[2:]))
			if !strings.ContainsAny(b, " \t") {
				return b
			}
		}
	}
	return ""
}

// TrimLeadingBlankLines drops the blank lines at the start of b.
func TrimLeadingBlankLines(b []byte) []byte {
	for len(b) > 0 && (b[0] == '\n' || b[0] == ' ' || b[0] == '\t') {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 || len(bytes.TrimSpace(b[:nl])) > 0 {
			break
		}
		b = b[nl+1:]
	}
	return b
}

// Body returns the part's body with its Content-Transfer-Encoding removed.
// Its bytes must not be modified: Text may share them.
func (p *Part) Body() []byte {
	if p.decoded != nil {
		return p.decoded
	}
	switch ToLower(p.Fields().Get("content-transfer-encoding")) {
	case "base64":
		if p.room != nil {
			out := takeRoom(p.room, base64Room(p.Raw))
			p.decoded = keepRoom(p.room, out, decodeBase64(p.Raw, out))
		} else {
			p.decoded = DecodeBase64(p.Raw)
		}
	case "quoted-printable":
		if p.room != nil && bytes.IndexByte(p.Raw, '=') >= 0 {
			out := takeRoom(p.room, len(p.Raw))
			p.decoded = keepRoom(p.room, out, decodeQP(p.Raw, out))
		} else {
			p.decoded = DecodeQP(p.Raw)
		}
	default:
		p.decoded = p.Raw
	}
	// DecodeBase64 and DecodeQP return raw itself or a new buffer.
	p.owned = len(p.decoded) > 0 && (p.shared || len(p.Raw) == 0 || unsafe.SliceData(p.decoded) != unsafe.SliceData(p.Raw))
	return p.decoded
}

// DecodeQP decodes quoted-printable (RFC 2045 section 6.7) leniently:
// "=XX" in either case is a byte, "=" at the end of a line (trailing white
// space allowed) is a soft line break, and QUIRK: any other "=" is kept
// as it is rather than failing the part.
func DecodeQP(raw []byte) []byte {
	if bytes.IndexByte(raw, '=') < 0 {
		return raw
	}
	return decodeQP(raw, make([]byte, 0, len(raw)))
}

// decodeQP is DecodeQP of raw, which has an '=', into out, which has room
// for len(raw) bytes (the decoded text is never longer).
func decodeQP(raw, out []byte) []byte {
	i := bytes.IndexByte(raw, '=')
	for i >= 0 {
		out = append(out, raw[:i]...)
		raw = raw[i:] // raw[0] is '='
		switch {
		case len(raw) > 2 && IsHex(raw[1]) && IsHex(raw[2]):
			out = append(out, Unhex(raw[1])<<4|Unhex(raw[2]))
			raw = raw[3:]
		default:
			j := 1
			for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t') {
				j++
			}
			switch {
			case j == len(raw):
				raw = nil
			case raw[j] == '\n':
				raw = raw[j+1:] // a soft line break
			default:
				out = append(out, '=')
				raw = raw[1:]
			}
		}
		i = bytes.IndexByte(raw, '=')
	}
	out = append(out, raw...)
	return NormalizeNewlines(out)
}

// DecodeBase64 decodes leniently (RFC 2045 section 6.8): white space and
// characters outside the alphabet are skipped, a last quantum without its
// padding is decoded as far as it goes, and QUIRK: padding in the middle
// (separately encoded chunks glued together) starts a new quantum.
func DecodeBase64(raw []byte) []byte {
	return decodeBase64(raw, make([]byte, 0, base64Room(raw)))
}

// base64Room is the room decodeBase64 needs for raw.
func base64Room(raw []byte) int { return len(raw)*3/4 + 3 }

// decodeBase64 is DecodeBase64 into out, which has room for
// base64Room(raw) bytes.
func decodeBase64(raw, out []byte) []byte {
	var acc uint32
	bits := 0
	for _, c := range raw {
		v := b64Value[c]
		if v == 0xff {
			if c == '=' {
				acc, bits = 0, 0 // the rest of this quantum is padding
			}
			continue
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
	}
	if len(out) == 0 && len(bytes.TrimSpace(raw)) > 0 {
		return raw
	}
	return NormalizeNewlines(out)
}

// b64Value maps a byte to its value in the base64 alphabet, 0xff outside it.
var b64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// Text returns the part's body decoded to UTF-8 with LF line endings.
func (p *Part) Text() string {
	if p.textDone {
		return p.textCache
	}
	b := p.Body()
	s := decodeCharset(b, p.Params.Get("charset"), p.owned)
	if p.MediaType == "text/html" {
		s = HTMLToText(s)
	}
	p.textCache, p.textDone = s, true
	return s
}

// Walk calls f for p and every part below it, depth first, in order.
func (p *Part) Walk(f func(*Part) bool) bool {
	if !f(p) {
		return false
	}
	for _, c := range p.Children {
		if !c.Walk(f) {
			return false
		}
	}
	return true
}

// InsideMessage reports whether p is inside an attached message (below a
// message/rfc822 part), where text belongs to the original, not the bounce.
func (p *Part) InsideMessage() bool { return p.inMessage }

// NormalizeNewlines turns CRLF and lone CR into LF. It returns b itself
// when there is no CR.
func NormalizeNewlines(b []byte) []byte { return NormalizeNewlinesTo(nil, b) }

// NormalizeNewlinesTo is NormalizeNewlines, writing into buf's room
// (from buf[:0]) when there is a CR and buf has room for b.
func NormalizeNewlinesTo(buf, b []byte) []byte {
	i := bytes.IndexByte(b, '\r')
	if i < 0 {
		return b
	}
	out := buf[:0]
	if cap(out) < len(b) {
		out = make([]byte, 0, len(b))
	}
	for i >= 0 {
		out = append(out, b[:i]...)
		out = append(out, '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
		i = bytes.IndexByte(b, '\r')
	}
	return append(out, b...)
}
