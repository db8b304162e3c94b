// Package decoders reads bounce messages for package bounce: the parsed
// message (message.go), the helpers that read notices (notice_*.go,
// rfc3464.go, original.go, address.go), one file per decoder and the
// registry that orders them (registry.go). Package bounce's doc.go
// describes the design.
package decoders

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/bounced-dev/bounced/bounce/internal/mime"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Options are the limits and patterns Decode works with; the public
// package fills every field.
type Options struct {
	// MaxDepth is the deepest MIME nesting followed.
	MaxDepth int
	// MaxParts is the most MIME parts parsed.
	MaxParts int
	// VERP lists return-path patterns (bounce.Options.VERP).
	VERP []string
	// OnPanic, when not nil, is told of a decoder's panic that Decode
	// recovered (the decoder's name and the value it panicked with).
	OnPanic func(decoder string, v any)
	// MaxRecipients is the most recipients one report may name (0: no
	// limit); a delivery-status part naming more is read no further.
	MaxRecipients int

	// over is set, for the Decode call that owns this copy of the
	// options and every message nested in its message, when a
	// delivery-status part named more than MaxRecipients recipients.
	over *bool
}

// Decode reads one message from raw (not modified) and reports what it is.
// The error, with a nil report, says the input is not a message or is
// over a limit of o: it wraps ErrEmpty, ErrTooDeep, ErrTooManyParts or
// ErrTooManyRecipients.
func Decode(raw []byte, o *Options) (*Report, error) {
	st := statePool.Get().(*decodeState)
	defer st.release()
	in := raw
	raw = mime.NormalizeNewlinesTo(st.lines, in)
	if len(raw) > 0 && unsafe.SliceData(raw) != unsafe.SliceData(in) && cap(raw) <= maxPooledLines {
		// st.lines, or a buffer NormalizeNewlinesTo made for want of
		// room in it: kept for the next message. (Never the caller's.)
		st.lines = raw[:0]
	}
	// The message is parsed with mime.Parser.Shared: while Decode runs,
	// nothing changes raw, so its headers and texts are strings that
	// share its bytes rather than copies. The report is then made to
	// share none (detach): it keeps no more of the message than it says,
	// and the caller may reuse raw; Decode reuses its own buffers and
	// parts (decodeState).
	parsed := raw
	raw = skipEnvelopeLine(raw)
	m, err := st.newMessage(raw, o)
	if err != nil {
		return nil, err
	}
	rep := m.decode()
	if max := m.opts.MaxRecipients; max > 0 && (m.over || len(rep.Recipients) > max) {
		return nil, fmt.Errorf("%w (%d)", ErrTooManyRecipients, max)
	}
	detach(rep, parsed, st.parser.Text())
	return rep, nil
}

// decodeState is what Decode makes for its message that no report
// keeps (detach copies what a report keeps of the message into a
// buffer of its own): the message, its root part, the parser with its
// slab of header fields, and the buffer of the message with its line
// breaks made LF. Decode takes one from statePool and puts it back
// cleared, so that the next message reuses its memory rather than
// allocating it (TestDecode_reportsOutliveReuse).
type decodeState struct {
	m      message
	root   part
	parser mime.Parser
	lines  []byte
	text   []byte // the parser's room for text (mime.Parser.UseRoom)
}

// maxPooledLines bounds the buffer of LF lines a decodeState keeps: a
// larger message's is left to the collector.
const maxPooledLines = 1 << 20

var statePool = sync.Pool{New: func() any { return new(decodeState) }}

// release clears st, keeping its buffers, and puts it back in statePool.
func (st *decodeState) release() {
	st.m = message{}
	st.root = part{}
	st.parser.Reuse()
	statePool.Put(st)
}

// newMessage is newMessage(raw, o, true) in st's memory.
func (st *decodeState) newMessage(raw []byte, o *Options) (*message, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrEmpty
	}
	mp := &st.parser
	mp.MaxDepth, mp.MaxParts, mp.Shared, mp.PeekKeys = o.MaxDepth, o.MaxParts, true, originalKeys
	mp.UseRoom(&st.text)
	mp.ParseInto(&st.root, raw, 0, nil, "text/plain")
	m, err := fillMessage(&st.m, raw, o, &st.root, mp, true)
	if m != nil {
		m.room = &st.text
	}
	return m, err
}

// detach makes rep share no bytes with raw nor with text, the room for
// text of the Parser that read raw (mime.Parser.Text): its strings that
// do (the message was parsed with mime.Parser.Shared) are copied, into
// one buffer.
func detach(rep *Report, raw, text []byte) {
	if len(raw) == 0 && len(text) == 0 {
		return
	}
	if o := &rep.Original; len(o.fields) > 0 {
		// A Header may be part of its Parser's slab (mime.newHeader),
		// whose other fields hold strings of raw: the report keeps a
		// copy of its own.
		o.fields = append(header(nil), o.fields...)
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	hi := lo + uintptr(len(raw))
	tlo := uintptr(unsafe.Pointer(unsafe.SliceData(text)))
	thi := tlo + uintptr(len(text))
	var stack [64]*string
	all := rep.appendStrings(stack[:0])
	shared, n := all[:0], 0 // the strings that share raw's or text's bytes
	for _, s := range all {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(*s))); len(*s) > 0 && (lo <= p && p < hi || tlo <= p && p < thi) {
			shared = append(shared, s)
			n += len(*s)
		}
	}
	if n == 0 {
		return
	}
	buf := make([]byte, 0, n)
	for _, s := range shared {
		k := len(buf)
		buf = append(buf, *s...)
		*s = unsafe.String(&buf[k], len(*s))
	}
}

// appendStrings appends to ps a pointer to every string of the report:
// its own fields, its recipients' and its original's, the original's
// header fields included.
func (rep *Report) appendStrings(ps []*string) []*string {
	ps = append(ps, (*string)(&rep.Kind), &rep.Format, &rep.ReportingMTA, &rep.AutoReplyFrom, &rep.Subject, &rep.MessageID)
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		ps = append(ps, &r.Address, &r.OriginalRecipient, &r.Action, &r.Status, &r.ReplyCode, &r.Diagnostic,
			&r.DiagnosticType, &r.Command, &r.RemoteMTA, &r.ReportingMTA, &r.FeedbackType, &r.ReasonHint)
	}
	o := &rep.Original
	ps = append(ps, &o.MessageID, &o.From, &o.To, &o.Subject)
	for i := range o.fields {
		ps = append(ps, &o.fields[i].Key, &o.fields[i].Value)
	}
	if o.lazy != nil {
		// A copy (PeekHeaderCopy) that ParseHeader reads, never raw:
		// checked all the same.
		ps = append(ps, &o.lazy.src)
		for i := range o.lazy.h {
			ps = append(ps, &o.lazy.h[i].Key, &o.lazy.h[i].Value)
		}
	}
	return ps
}

// dsnFields parses a delivery-status body of m (parseDSNFields), keeping
// at most m's MaxRecipients recipient blocks: more, and m's Decode fails.
func (m *message) dsnFields(body string) (header, []header) {
	perMessage, blocks, over := parseDSNFields(body, m.opts.MaxRecipients)
	if over && m.opts.over != nil {
		*m.opts.over = true
	}
	return perMessage, blocks
}

// ErrEmpty is returned for empty input or input that is not a message.
var ErrEmpty = errors.New("bounce: input is not an email message")

// ErrTooDeep is returned (wrapped) for a message whose MIME structure is
// nested deeper than Options.MaxDepth.
var ErrTooDeep = mime.ErrTooDeep

// ErrTooManyParts is returned (wrapped) for a message with more MIME parts
// than Options.MaxParts.
var ErrTooManyParts = mime.ErrTooManyParts

// ErrTooManyRecipients is returned (wrapped) for a report that names more
// recipients than Options.MaxRecipients.
var ErrTooManyRecipients = errors.New("bounce: a report naming more recipients than the limit")

// skipEnvelopeLine drops an mbox "From " line and leading blank lines.
func skipEnvelopeLine(raw []byte) []byte {
	raw = mime.TrimLeadingBlankLines(raw)
	if bytes.HasPrefix(raw, []byte("From ")) {
		if nl := bytes.IndexByte(raw, '\n'); nl >= 0 {
			raw = raw[nl+1:]
		}
	}
	return raw
}

// message is a parsed message with the lookups decoders share.
type message struct {
	opts *Options
	// ownOpts and over are Decode's copy of its options and the flag
	// its over points at (newMessage).
	ownOpts Options
	over    bool

	raw  []byte
	root *part

	// room, when not nil, is the room for text of Decode's parser
	// (decodeState.text), where texts made of the message are written
	// (lowerInRoom); detach copies what a report keeps of it.
	room *[]byte

	from string // decoded From header

	fromAddrDone bool
	fromAddr     string // cache of fromAddress
	subject      string // decoded Subject header

	// keyMask has the keyBit of every field name of the top-level
	// header, once keyMaskDone (maybeField).
	keyMaskDone bool
	keyMask     uint64

	// bodyRead is set by every lookup of the body (text, notice, parts,
	// the original): TestRegistry_matchReadsHeadersOnly checks that no
	// match function sets it.
	bodyRead bool

	lowerSubjDone, lowerFromDone bool
	lowerSubj, lowerFromVal      string // caches of lowerSubject and lowerFrom

	asciiSubjectDone, asciiFromDone bool
	asciiSubjectVal, asciiFromVal   string // caches of subjectHas and fromHas

	receivedDone bool
	receivedVal  string // cache of received

	lowerReceivedDone bool
	lowerReceivedVal  string // cache of lowerReceived

	bounceSenderDone, bounceSenderVal bool // cache of fromBounceSender

	dsnPartDone, originalPartDone bool
	dsnPartVal, originalPartVal   *part // caches of dsnPart and originalPart

	dsnDone       bool
	dsnReporting  string      // cache of dsnOf
	dsnRecipients []Recipient // cache of dsnOf, never handed out itself

	lowerTextDone, lowerNoticeDone bool
	lowerTextVal, lowerNoticeVal   string // caches of lowerText and lowerNotice

	bodyTextDone bool
	bodyText     string

	// Caches of notice() and original(), which many decoders ask for.
	noticeDone   bool
	noticeText   string
	afterNotice  string // what follows the notice's marker line
	originalDone bool
	originalVal  Original
}

// newMessage parses raw. With own (Decode's message) the message keeps
// a copy of o, its over pointing at the message's own flag, which the
// messages nested in it (forwarded, x5) share: they are given m.opts.
func newMessage(raw []byte, o *Options, own bool) (*message, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrEmpty
	}
	mp := &mime.Parser{MaxDepth: o.MaxDepth, MaxParts: o.MaxParts, Shared: true, PeekKeys: originalKeys}
	root := mp.Parse(raw, 0, nil, "text/plain")
	return fillMessage(new(message), raw, o, root, mp, own)
}

// fillMessage makes m, a zero message, the message of raw parsed by mp
// into root (newMessage).
func fillMessage(m *message, raw []byte, o *Options, root *part, mp *mime.Parser, own bool) (*message, error) {
	if mp.Err != nil {
		return nil, fmt.Errorf("%w (depth %d, parts %d)", mp.Err, o.MaxDepth, o.MaxParts)
	}
	if len(root.Header) == 0 {
		return nil, fmt.Errorf("%w: no header fields", ErrEmpty)
	}
	m.opts, m.raw, m.root = o, raw, root
	if own {
		// One allocation for the message and its options.
		m.ownOpts = *o
		m.ownOpts.over = &m.over
		m.opts = &m.ownOpts
	}
	m.from = mime.DecodeWords(root.Header.Get("from"))
	m.subject = mime.DecodeWords(root.Header.Get("subject"))
	return m, nil
}

// header returns the top-level header.
func (m *message) header() header { return m.root.Header }

// hasField is m.header().Has(key): a key whose bit is not in the
// header's keyMask is not in it, told without a look at its fields (the
// matchers ask every message for the marker fields of their formats,
// which most do not have).
func (m *message) hasField(key string) bool {
	return m.maybeField(key) && m.root.Header.Has(key)
}

// getField is m.header().Get(key), told as hasField tells.
func (m *message) getField(key string) string {
	if !m.maybeField(key) {
		return ""
	}
	return m.root.Header.Get(key)
}

// maybeField reports whether the top-level header may have a field
// named key: false when no key of it has key's bit (keyBit), the mask
// made at the first question.
func (m *message) maybeField(key string) bool {
	if !m.keyMaskDone {
		h := m.root.Header
		for i := range h {
			m.keyMask |= keyBit(h[i].Key)
		}
		m.keyMaskDone = true
	}
	return m.keyMask&keyBit(key) != 0
}

// keyBit is the bit of a field name in a header's keyMask: one of 64,
// by its length and its first and last bytes.
func keyBit(key string) uint64 {
	if key == "" {
		return 1
	}
	return 1 << ((uint(len(key))*5 + uint(key[0]) + uint(key[len(key)-1])*3) & 63)
}

// get returns a decoded top-level header value.
func (m *message) get(key string) string { return mime.DecodeWords(m.root.Header.Get(key)) }

// findPart returns the first part, outside attached messages, whose media
// type is one of types.
func (m *message) findPart(types ...string) *part {
	m.bodyRead = true
	var found *part
	m.root.Walk(func(p *part) bool {
		if p.InsideMessage() {
			return true
		}
		for _, t := range types {
			if p.MediaType == t {
				found = p
				return false
			}
		}
		return true
	})
	return found
}

// dsnPart returns the delivery-status part (RFC 3464, RFC 6533), or nil,
// found once.
func (m *message) dsnPart() *part {
	m.bodyRead = true
	if !m.dsnPartDone {
		m.dsnPartVal, m.dsnPartDone = m.findPart("message/delivery-status", "message/global-delivery-status",
			"text/delivery-status", "message/x-delivery-status"), true
	}
	return m.dsnPartVal
}

// originalPart returns the attached original message or its headers, or
// nil, found once.
func (m *message) originalPart() *part {
	m.bodyRead = true
	if !m.originalPartDone {
		m.originalPartVal, m.originalPartDone = m.findPart("message/rfc822", "message/global", "text/rfc822-headers",
			"message/global-headers", "message/rfc822-headers", "text/rfc822", "message/partial"), true
	}
	return m.originalPartVal
}

// text returns the human-readable text of the bounce itself: every text
// part outside attached messages (HTML unless a plain alternative is),
// joined by blank lines. For a single-part message it is the body.
func (m *message) text() string {
	m.bodyRead = true
	if m.bodyTextDone {
		return m.bodyText
	}
	m.bodyTextDone = true
	// Every text part a reader is shown, in order: the plain ones, and an
	// HTML one unless it is the alternative of a plain one (RFC 2046
	// section 5.1.4: a client shows one of a multipart/alternative's
	// parts), as an HTML notice beside the original's headers as text.
	var outBuf [4]string // most bounces have one or two text parts
	out := outBuf[:0]
	m.root.Walk(func(p *part) bool {
		if p.InsideMessage() || len(p.Children) > 0 {
			return true
		}
		switch {
		case p.MediaType == "text/html":
			if !alternativeOfPlain(p) {
				out = append(out, p.Text())
			}
		case p.MediaType == "text/plain" || p.MediaType == "text" || p.MediaType == "text/enriched",
			p == m.root && !strings.HasPrefix(p.MediaType, "multipart/"):
			out = append(out, p.Text())
		}
		return true
	})
	m.bodyText = strings.Join(out, "\n\n")
	return m.bodyText
}

// alternativeOfPlain says whether the HTML part p is, below a
// multipart/alternative, the alternative of a plain text part there.
func alternativeOfPlain(p *part) bool {
	for a := p.Parent; a != nil; a = a.Parent {
		if a.MediaType != "multipart/alternative" {
			continue
		}
		found := false
		a.Walk(func(q *part) bool {
			found = found || len(q.Children) == 0 && q.MediaType == "text/plain"
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// decode runs the decoders in order and completes the report.
func (m *message) decode() *Report {
	rep := m.runDecoders()
	m.finish(rep)
	return rep
}

func (m *message) runDecoders() *Report {
	if ownBounceForwarded(m) {
		// A person forwarding the bounce of their own message
		// (forwarded.go): no failure of the shop's.
		return &Report{Kind: KindNotBounce}
	}
	for i := range registry {
		d := &registry[i]
		if rep := m.try(d); rep != nil && (len(rep.Recipients) > 0 || rep.Kind == KindAutoReply || rep.Kind == KindComplaint) {
			if rep.Format == "" {
				rep.Format = d.name
			}
			return rep
		}
	}
	return &Report{Kind: KindNotBounce}
}

// try runs one decoder. A decoder that panics on input it did not foresee
// is skipped, as if the message were not of its format: one broken
// decoder must not take a daemon down nor keep the others from reading
// the message.
func (m *message) try(d *decoder) (rep *Report) {
	defer func() {
		if r := recover(); r != nil {
			if m.opts.OnPanic != nil {
				m.opts.OnPanic(d.name, r)
			}
			rep = nil
		}
	}()
	if d.match != nil && !d.match(m) {
		return nil
	}
	rep = d.decode(m)
	if rep != nil && len(rep.Recipients) > 0 {
		// Recipients a decoder read as bare local names are placed
		// by the message as a whole, or dropped (bare.go).
		m.resolveBare(rep)
	}
	return rep
}

// finish fills what every report shares: the bounce's own headers, the
// original message, normalised addresses and codes, and the kind.
func (m *message) finish(rep *Report) {
	rep.Subject = m.subject
	rep.MessageID = strings.Trim(m.getField("message-id"), "<> ")
	rep.Date = dateOf(m.getField("date"))
	if rep.Original.MessageID == "" && !rep.Original.known && rep.Kind != KindNotBounce {
		rep.Original = m.original()
	}
	out := rep.Recipients[:0]
	var folded mailboxSet
	for _, r := range rep.Recipients {
		if !utf8.ValidString(r.Address) {
			// QUIRK: 8-bit bytes read from a raw header or text by a
			// decoder: guess their charset rather than emit invalid UTF-8.
			r.Address = mime.DecodeCharset([]byte(r.Address), "")
		}
		if !utf8.ValidString(r.Diagnostic) {
			r.Diagnostic = mime.DecodeCharset([]byte(r.Diagnostic), "")
		}
		r.Address = normalizeAddress(r.Address)
		if r.Address == "" {
			continue
		}
		if r.OriginalRecipient != "" {
			r.OriginalRecipient = normalizeAddress(r.OriginalRecipient)
			if strings.EqualFold(r.OriginalRecipient, r.Address) {
				r.OriginalRecipient = ""
			}
		}
		r.Action = normalizeAction(r.Action)
		r.Diagnostic = truncateText(oneLine(r.Diagnostic), maxDiagnosticLen)
		if r.ReportingMTA == "" {
			r.ReportingMTA = rep.ReportingMTA
		}
		r.RemoteMTA = hostOf(r.RemoteMTA)
		r.ReportingMTA = hostOf(r.ReportingMTA)
		if folded.listed(out, r) {
			continue
		}
		out = append(out, r)
	}
	rep.Recipients = out
	if len(rep.Recipients) == 0 && (rep.Kind == KindBounce || rep.Kind == KindDelay) {
		if a := m.verpRecipient(); a != "" {
			rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed"})
		}
	}
	if rep.Kind == KindBounce || rep.Kind == KindDelay || rep.Kind == KindDelivered || rep.Kind == "" {
		if len(rep.Recipients) == 0 {
			rep.Kind = KindNotBounce
		} else {
			rep.Kind = kindOf(rep.Recipients)
		}
	}
}

// mailboxSet tells whether a recipient's mailbox is already listed with
// its action: the same address written twice in different case (a
// message sent To "Pat.Doe@Example.COM" and Cc "pat.doe@example.com") is
// one recipient to its sender, whose store compares addresses as
// smtp.Key does. The first form written is kept; an address repeated as
// written is left to the decoders, as before.
type mailboxSet struct{ seen map[string]string }

// listed reports whether rs (the recipients kept so far) has r's mailbox
// with r's action in another case, and records r otherwise.
func (s *mailboxSet) listed(rs []Recipient, r Recipient) bool {
	if len(rs) < 16 && s.seen == nil {
		for i := range rs {
			if rs[i].Action == r.Action && len(rs[i].Address) == len(r.Address) && rs[i].Address != r.Address && strings.EqualFold(rs[i].Address, r.Address) {
				return true
			}
		}
		return false
	}
	if s.seen == nil {
		// Many recipients: a set keeps this linear.
		s.seen = make(map[string]string, 2*len(rs))
		for i := range rs {
			k := rs[i].Action + "\x00" + toLower(rs[i].Address)
			if _, ok := s.seen[k]; !ok {
				s.seen[k] = rs[i].Address
			}
		}
	}
	k := r.Action + "\x00" + toLower(r.Address)
	if a, ok := s.seen[k]; ok {
		return a != r.Address
	}
	s.seen[k] = r.Address
	return false
}

// maxDiagnosticLen bounds a recipient's diagnostic, in bytes: a server's
// reply is a few lines; more is text a decoder took by mistake.
const maxDiagnosticLen = 4096

// truncateText cuts s to at most n bytes at a character boundary.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// kindOf returns the kind of a report from its recipients' actions: a
// failure anywhere makes it a bounce.
func kindOf(rs []Recipient) Kind {
	k := KindDelivered
	for _, r := range rs {
		switch RecipientKind(r) {
		case KindBounce:
			return KindBounce
		case KindDelay:
			k = KindDelay
		}
	}
	return k
}

// RecipientKind returns the kind of one recipient of a bounce, delay or
// delivery report, from its action and status.
func RecipientKind(r Recipient) Kind {
	switch r.Action {
	case "delayed":
		return KindDelay
	case "delivered", "relayed", "expanded":
		return KindDelivered
	}
	if r.FeedbackType != "" {
		return KindComplaint
	}
	return KindBounce
}

func normalizeAction(a string) string {
	a = toLower(strings.TrimSpace(a))
	if i := strings.IndexAny(a, " (;"); i >= 0 {
		a = a[:i]
	}
	switch a {
	case "failed", "failure", "fail", "bounced", "bounce", "permanent", "error":
		return "failed"
	case "delayed", "delay", "deferred", "transient":
		return "delayed"
	case "delivered", "relayed", "expanded":
		return a
	case "deliverable":
		// Postfix's address verification reports (sendmail -bv,
		// ADDRESS_VERIFICATION_README) say "deliverable" and
		// "undeliverable" for what a delivery would do.
		return "delivered"
	case "undeliverable":
		return "failed"
	}
	return a
}

// hostOf strips an RFC 3464 type ("dns; ") and brackets from an MTA name.
func hostOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ';'); i >= 0 && i < 10 {
		s = strings.TrimSpace(s[i+1:])
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		s = s[:i]
	}
	s = strings.Trim(s, "[]<>().,:")
	return toLower(s)
}

// oneLine unfolds s and collapses runs of white space into one space.
// Invalid UTF-8 bytes become U+FFFD.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		// A run of characters that are kept as they are.
		j := i
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
					break
				}
				j++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == '\u3000' || r == utf8.RuneError && size == 1 {
				break
			}
			j += size
		}
		if j > i {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i:j])
			i = j
			continue
		}
		// White space, or an invalid byte.
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
		i += size
	}
	return b.String()
}

// isOneLine reports whether oneLine would return s unchanged: no line
// breaks, tabs or ideographic spaces, no space at either end and no two
// spaces in a row.
func isOneLine(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		// Eight bytes at a time while they are printable ASCII or
		// single spaces.
		for i+8 <= len(s) {
			w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
			sp := zeroBytes(w ^ 0x2020202020202020) // 0x80 in each space
			if w&0x8080808080808080 != 0 || (w-0x2020202020202020)&^w&0x8080808080808080 != 0 || sp&(sp>>8) != 0 ||
				sp>>56 != 0 && i+8 < len(s) && s[i+8] == ' ' {
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		switch c := s[i]; {
		case c == '\n' || c == '\r' || c == '\t':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		case c == 0xe3 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x80: // U+3000
			return false
		case c >= 0x80:
			ascii = false
		}
	}
	// oneLine rewrites invalid UTF-8 as U+FFFD.
	return ascii || utf8.ValidString(s)
}

// zeroBytes returns 0x80 in each byte of w that is 0, and 0 elsewhere.
func zeroBytes(w uint64) uint64 {
	const lo7 = 0x7f7f7f7f7f7f7f7f
	return ^((w&lo7 + lo7) | w | lo7)
}

func firstParagraph(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// dateOf parses an RFC 5322 date leniently, zero when it cannot.
func dateOf(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, ok := parseDateFast(s); ok {
		return t
	}
	if t, ok := parseDateGMT(s); ok {
		return t
	}
	if dateRefused(s) {
		// net/mail would try its 48 layouts, a parse error each.
		return time.Time{}
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

// parseDateFast reads the usual form of an RFC 5322 section 3.3 date
// ("Mon, 2 Jan 2006 15:04:05 -0700 (MST)", day name, seconds and comment
// optional) without the allocations of trying every layout, in UTC; ok is
// false for any other form.
func parseDateFast(s string) (t time.Time, ok bool) {
	if c := strings.IndexByte(s, ','); c >= 0 && c <= 9 {
		s = s[c+1:]
	}
	s = strings.TrimLeft(s, " \t")
	num := func(min, max int) (int, bool) {
		n, i := 0, 0
		for i < len(s) && i < max && isDigit(s[i]) {
			n = n*10 + int(s[i]-'0')
			i++
		}
		if i < min {
			return 0, false
		}
		s = s[i:]
		return n, true
	}
	skipSpace := func() bool {
		i := 0
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		s = s[i:]
		return i > 0
	}
	day, ok1 := num(1, 2)
	if !ok1 || !skipSpace() || len(s) < 4 {
		return t, false
	}
	month := monthOf(s[:3])
	s = s[3:]
	if month == 0 || !skipSpace() {
		return t, false
	}
	year, ok2 := num(4, 4)
	if !ok2 || !skipSpace() {
		return t, false
	}
	hour, ok3 := num(2, 2)
	if !ok3 || len(s) == 0 || s[0] != ':' {
		return t, false
	}
	s = s[1:]
	min, ok4 := num(2, 2)
	if !ok4 {
		return t, false
	}
	sec := 0
	if len(s) > 0 && s[0] == ':' {
		s = s[1:]
		var ok5 bool
		if sec, ok5 = num(2, 2); !ok5 {
			return t, false
		}
	}
	if !skipSpace() || len(s) < 5 || (s[0] != '+' && s[0] != '-') {
		return t, false
	}
	sign := s[0]
	s = s[1:]
	zone, ok6 := num(4, 4)
	if !ok6 || (len(s) > 0 && s[0] != ' ' && s[0] != '\t') || zone%100 >= 60 || hour > 23 || min > 59 || sec > 60 || day > 31 {
		return t, false
	}
	off := (zone/100*60 + zone%100) * 60
	if sign == '-' {
		off = -off
	}
	t = time.Date(year, time.Month(month), day, hour, min, sec, 0, time.UTC).Add(-time.Duration(off) * time.Second)
	return t, true
}

// parseDateGMT reads, as net/mail's ParseDate would, a date in
// parseDateFast's form whose zone is "GMT", "UT" or "UTC" (RFC 5322
// section 4.3's obsolete zones of offset 0) and nothing after it: day
// name, when there is one, a real one followed by a comma and a space, the day
// within its month, no 'T' before the zone but a first letter's
// (ParseDate cuts the date after the first other 'T'). In UTC; ok is
// false for any other form. (Other zone names are left to net/mail:
// their offset depends on the local time zone.)
func parseDateGMT(s string) (t time.Time, ok bool) {
	s = strings.TrimRight(s, " \t")
	var zone string
	for _, z := range [...]string{"GMT", "UTC", "UT"} {
		if len(s) > len(z) && strings.HasSuffix(s, z) && (s[len(s)-len(z)-1] == ' ' || s[len(s)-len(z)-1] == '\t') {
			zone = z
			break
		}
	}
	if zone == "" {
		return t, false
	}
	head := s[:len(s)-len(zone)]
	if strings.IndexByte(head[1:], 'T') >= 0 || strings.ContainsAny(head, "+-()\r\n\t") || contains(head, ":60") {
		// time.Parse matches spaces, not tabs, and refuses second 60.
		return t, false
	}
	if c := strings.IndexByte(head, ','); c >= 0 {
		if c != 3 || len(head) < 5 || !isDayName(head[:3]) || head[4] != ' ' {
			return t, false
		}
	} else if !isDigit(head[0]) {
		return t, false
	}
	// The rest is parseDateFast's, with a zone of +0000 in place of the name.
	var buf [64]byte
	if len(head) > len(buf)-5 {
		return t, false
	}
	n := copy(buf[:], head)
	n += copy(buf[n:], "+0000")
	t, ok = parseDateFast(string(buf[:n]))
	if !ok || t.Day() != dayOf(head) {
		// Day 31 of a 30-day month: time.Parse refuses it.
		return time.Time{}, false
	}
	return t, true
}

// dayOf returns the day of month of a date in parseDateFast's form
// (after the day name and comma, when there is one).
func dayOf(s string) int {
	if c := strings.IndexByte(s, ','); c >= 0 && c <= 9 {
		s = s[c+1:]
	}
	s = strings.TrimLeft(s, " \t")
	d := 0
	for i := 0; i < len(s) && i < 2 && isDigit(s[i]); i++ {
		d = d*10 + int(s[i]-'0')
	}
	return d
}

// isDayName reports whether s is an English day abbreviation, any case.
func isDayName(s string) bool {
	var b [3]byte
	for i := range b {
		b[i] = mime.LowerASCII(s[i])
	}
	switch string(b[:]) {
	case "mon", "tue", "wed", "thu", "fri", "sat", "sun":
		return true
	}
	return false
}

// dateRefused reports dates net/mail's ParseDate cannot read whatever
// its layouts, each "[Mon, ]2 Jan 2006 15:04[:05] zone": one with no
// three letters in a row (no month name); one that starts with a letter
// not followed by a comma at its fourth byte (a day name but no comma:
// no layout fits); one with no sign and no two capital letters in a row
// (no zone, numeric, "UT" or a name). FuzzDateRefused checks each
// against ParseDate.
func dateRefused(s string) bool {
	if s == "" || strings.ContainsAny(s, "\r\n") {
		// ParseDate removes line breaks first: left to it.
		return false
	}
	letters, capitals, maxLetters, maxCapitals, sign := 0, 0, 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			letters++
			capitals++
		case 'a' <= c && c <= 'z':
			letters++
			capitals = 0
		default:
			letters, capitals = 0, 0
			sign = sign || c == '+' || c == '-'
		}
		maxLetters, maxCapitals = max(maxLetters, letters), max(maxCapitals, capitals)
	}
	switch {
	case maxLetters < 3:
		return true
	case isAlpha(s[0]) && (len(s) < 4 || s[3] != ','):
		return true
	case !sign && maxCapitals < 2:
		return true
	}
	return false
}

// monthOf returns the number of an English month abbreviation, 0 if none.
func monthOf(m string) int {
	if len(m) != 3 {
		return 0
	}
	var b [3]byte
	for i := range b {
		b[i] = mime.LowerASCII(m[i])
	}
	switch string(b[:]) {
	case "jan":
		return 1
	case "feb":
		return 2
	case "mar":
		return 3
	case "apr":
		return 4
	case "may":
		return 5
	case "jun":
		return 6
	case "jul":
		return 7
	case "aug":
		return 8
	case "sep":
		return 9
	case "oct":
		return 10
	case "nov":
		return 11
	case "dec":
		return 12
	}
	return 0
}

// The MIME types of package mime, under the names the decoders use.
type (
	part   = mime.Part
	header = mime.Header
	field  = mime.Field
)

// lowerSubject returns the decoded Subject lower-cased, computed once.
func (m *message) lowerSubject() string {
	if !m.lowerSubjDone {
		m.lowerSubj, m.lowerSubjDone = m.lowerOnce(m.subject, m.asciiSubjectVal, m.asciiSubjectDone), true
	}
	return m.lowerSubj
}

// lowerOnce returns toLower(s), or ascii, s with its ASCII letters
// lowered (asciiLower), when known (done) and s is ASCII: for ASCII
// the two are the same string.
func (m *message) lowerOnce(s, ascii string, done bool) string {
	if done && isASCIIString(s) {
		return ascii
	}
	return m.lowerInRoom(s)
}

// asciiLowerOnce returns asciiLower(s), or lower, toLower(s), when known
// (done) and s is ASCII.
func (m *message) asciiLowerOnce(s, lower string, done bool) string {
	if done && isASCIIString(s) {
		return lower
	}
	return m.asciiLowerInRoom(s)
}

// subjectHas reports whether the decoded Subject contains sub, ASCII
// letters compared case-insensitively: m.subjectHas(sub),
// with the Subject lowered (ASCII) once per message.
func (m *message) subjectHas(sub string) bool {
	if !m.asciiSubjectDone {
		m.asciiSubjectVal, m.asciiSubjectDone = m.asciiLowerOnce(m.subject, m.lowerSubj, m.lowerSubjDone), true
	}
	return contains(m.asciiSubjectVal, asciiLower(sub))
}

// fromHas is subjectHas for the decoded From header.
func (m *message) fromHas(sub string) bool {
	if !m.asciiFromDone {
		m.asciiFromVal, m.asciiFromDone = m.asciiLowerOnce(m.from, m.lowerFromVal, m.lowerFromDone), true
	}
	return contains(m.asciiFromVal, asciiLower(sub))
}

// lowerFrom returns the decoded From header lower-cased, computed once.
func (m *message) lowerFrom() string {
	if !m.lowerFromDone {
		m.lowerFromVal, m.lowerFromDone = m.lowerOnce(m.from, m.asciiFromVal, m.asciiFromDone), true
	}
	return m.lowerFromVal
}

// lowerText returns text() lower-cased, computed once. The notice is the
// text up to a marker line that starts with an ASCII character, so the
// text lower-cased is the notice lower-cased and the rest lower-cased.
func (m *message) lowerText() string {
	if !m.lowerTextDone {
		t, n := m.text(), m.notice()
		m.lowerTextVal = m.lowerNotice()
		if len(t) > len(n) {
			m.lowerTextVal += toLower(t[len(n):])
		}
		m.lowerTextDone = true
	}
	return m.lowerTextVal
}

// lowerNotice returns notice() lower-cased, computed once.
func (m *message) lowerNotice() string {
	if !m.lowerNoticeDone {
		m.lowerNoticeVal, m.lowerNoticeDone = m.lowerInRoom(m.notice()), true
	}
	return m.lowerNoticeVal
}

// lowerInRoom returns toLower(s), written to m's room for text when it
// has one and s changes.
func (m *message) lowerInRoom(s string) string {
	if m.room == nil || mime.LowerUnchanged(s) {
		return toLower(s)
	}
	t := mime.GrowRoom(m.room, len(s)+utf8.UTFMax)
	k := len(t)
	// A text whose lower case is longer still (a few runes grow by a
	// byte) makes append move it: the new array is the room then, the
	// old one is left as it is.
	t = mime.AppendLower(t, s)
	*m.room = t
	return unsafe.String(unsafe.SliceData(t[k:]), len(t)-k)
}

// asciiLowerInRoom returns asciiLower(s), written to m's room for text
// when it has one and s changes (lowerInRoom).
func (m *message) asciiLowerInRoom(s string) string {
	if m.room == nil || !hasASCIIUpper(s) {
		return asciiLower(s)
	}
	t := mime.GrowRoom(m.room, len(s))
	k := len(t)
	t = mime.AppendASCIILower(t, s)
	*m.room = t
	return unsafe.String(unsafe.SliceData(t[k:]), len(t)-k)
}

// hasASCIIUpper reports whether s has an ASCII capital letter.
func hasASCIIUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// toLower is strings.ToLower, faster (mime.ToLower).
func toLower(s string) string { return mime.ToLower(s) }
