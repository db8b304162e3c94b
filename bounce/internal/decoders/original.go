package decoders

import (
	"bytes"
	"github.com/bounced-dev/bounced/bounce/internal/mime"
	"strings"
	"unsafe"
)

// originalMarkers are lines that non-MIME bounces put before the returned
// message. Compared lower-case, after trimming.
var originalMarkers = []string{
	"--- below this line is a copy of the message.",
	"------ this is a copy of the message, including all the headers. ------",
	"------ this is a copy of the message's headers. ------",
	"------ this is a copy of your message, including all the headers. ------",
	"------ the body of the message is",
	"----- original message -----",
	"-----original message-----",
	"----- transcript of session follows -----",
	"--- original message follows.",
	"------ original message follows ------",
	"----- unsent message follows -----",
	// Sendmail 8's savemail.c for a returned message without MIME:
	// the whole message, or its header only.
	"----- original message follows -----",
	"----- message header follows -----",
	"----- unsent message headers follow -----",
	"------- returned message --------",
	"--- returned message ---",
	"original message headers:",
	"the original message was:",
	"------ this is a copy of the message",
	"---------- forwarded message ----------",
	"----- the following addresses had permanent fatal errors -----",
}

// original returns the description of the message that bounced: from an
// attached message or headers part, or from the text after a marker line
// in a non-MIME bounce.
func (m *message) original() Original {
	m.bodyRead = true
	if !m.originalDone {
		m.originalVal, m.originalDone = m.readOriginal(), true
	}
	return m.originalVal
}

func (m *message) readOriginal() Original {
	if p := m.originalPart(); p != nil {
		if len(p.Children) > 0 {
			c := p.Children[0]
			if block, ok := c.HeaderBlock(); ok {
				if vals := c.Peeked(); len(vals) == len(originalKeys) {
					// Parse read the fields (Parser.PeekKeys); the block
					// is the message's own bytes, which Decode's detach
					// copies with the report's other strings.
					o := Original{lazy: &lazyHeader{src: unsafe.String(unsafe.SliceData(block), len(block))}, known: true}
					o.describe(vals[0], vals[1], vals[2], vals[3], vals[4])
					return o
				}
				return originalFromBlock(block)
			}
			return originalFromHeader(c.Header)
		}
		return originalFromBlock(mime.TrimLeadingBlankLines(p.Body()))
	} else if rest := m.inlineOriginal(); rest != "" {
		return originalFromBlock(bytesOf(headerBlockOf(rest)))
	}
	return Original{}
}

// originalKeys are the fields an Original describes the message by (the
// Parser's PeekKeys: readOriginal takes their values from Part.Peeked).
var originalKeys = []string{"message-id", "from", "return-path", "to", "subject"}

// originalFromBlock is originalFromHeader(mime.ParseHeader(b)) without
// making the Header: the fields it describes the message by are read
// from b, and the Original keeps a copy of the header block, which
// Header, Get and Fields parse on first use.
func originalFromBlock(b []byte) Original {
	var vals [5]string
	block, n := mime.PeekHeaderCopy(b, originalKeys, vals[:])
	if n == 0 {
		return Original{}
	}
	o := Original{lazy: &lazyHeader{src: block}, known: true}
	o.describe(vals[0], vals[1], vals[2], vals[3], vals[4])
	return o
}

func originalFromHeader(h header) Original {
	if len(h) == 0 {
		return Original{}
	}
	o := Original{fields: h, known: true}
	o.describe(h.Get("message-id"), h.Get("from"), h.Get("return-path"), h.Get("to"), h.Get("subject"))
	return o
}

// describe sets the Original's Message-ID, From (else Return-Path), To
// and Subject from those header values, as written.
func (o *Original) describe(id, from, returnPath, to, subject string) {
	o.MessageID = strings.Trim(id, "<> \t")
	o.From = firstAddress(mime.DecodeWords(from))
	if rp := normalizeAddress(returnPath); rp != "" && o.From == "" {
		o.From = rp
	}
	o.To = oneLine(mime.DecodeWords(to))
	o.Subject = oneLine(mime.DecodeWords(subject))
}

// headerBlockOf returns the start of s up to its first empty line, where
// a header block at its start ends (all of s when it has none).
func headerBlockOf(s string) string {
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i+2]
	}
	return s
}

// headerOf parses the header block at the start of s (mime.ParseHeader),
// copying nothing of s past the first empty line, where it ends.
func headerOf(s string) header {
	h, _ := mime.ParseHeader(bytesOf(headerBlockOf(s)))
	return h
}

// bytesOf returns the bytes of s without copying them, for reading
// only: ParseHeader reads its input and copies what it keeps.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// inlineOriginal returns the text after the first original-message marker
// in the raw body of a non-MIME bounce, or "".
func (m *message) inlineOriginal() string {
	m.notice()
	after := m.afterNotice // the text after the first marker
	// A marker that heads a part of the notice (Sendmail's "The
	// following addresses had permanent fatal errors" list, its
	// transcript) is followed by the next one: the returned message is
	// after the first of at most four markers that a header block follows.
	for i := 0; ; i++ {
		after = strings.TrimLeft(after, "\n")
		// Only worth it when it looks like a header block.
		if c := strings.IndexByte(after, ':'); c > 0 && c <= 40 && headerNameLike(after[:c]) {
			return after
		}
		if after == "" || i == 3 {
			break
		}
		_, after = splitAtMarker(after)
	}
	return ""
}

// splitAtMarker splits a bounce text into the notice and the returned
// message at the first original-message marker line. Markers made of
// dashes count anywhere in a line, the others at its start; case is
// ignored. It reads each line once.
func splitAtMarker(body string) (string, string) {
	dashAt := -1 // the next "---" at or after off, found once for all the lines before it
	for off := 0; off < len(body); {
		end := len(body)
		if nl := strings.IndexByte(body[off:], '\n'); nl >= 0 {
			end = off + nl + 1
		}
		line := body[off:end]
		if dashAt >= 0 && dashAt < off {
			dashAt = -1
		}
		if dashAt < 0 {
			dashAt = len(body) // none left
			if k := strings.Index(body[off:], "---"); k >= 0 {
				dashAt = off + k
			}
		}
		off = end
		dashes := dashAt < end // a line break ends a run of dashes
		if !dashes {
			if len(line) < 20 || (line[0]|0x20) != 'o' && (line[0]|0x20) != 't' {
				continue
			}
			// Only the markers without dashes, at the line's start.
			for _, mk := range originalMarkers {
				if !strings.HasPrefix(mk, "---") && len(line) >= len(mk) && strings.EqualFold(line[:len(mk)], mk) {
					return body[:end-len(line)], body[end:]
				}
			}
			continue
		}
		// The line with its ASCII letters lowered (asciiLower: indexes
		// are the line's own), on the stack when it is short.
		var buf [256]byte
		lower := asciiLowerTo(buf[:0], line)
		if best := dashMarkerIndex(lower); best >= 0 {
			return body[:end-len(line)+best], body[end:]
		}
	}
	return body, ""
}

// dashMarkerIndex returns where the first original-message marker is in
// line, lower-cased, that has "---" in it: 0 for a marker without dashes
// that starts it, else the first place of a marker made of dashes, or -1.
// A marker of k dashes and words is at a place only where a run of at
// least k dashes ends k bytes after it: each run is tried once, not each
// marker searched for in the whole line.
func dashMarkerIndex(line string) int {
	for _, mk := range originalMarkers {
		if !strings.HasPrefix(mk, "---") && strings.HasPrefix(line, mk) {
			return 0
		}
	}
	return dashRunMarker(line, originalMarkers, false)
}

// dashRunMarker returns the first place in s of one of markers that
// start with three dashes or more and words, or -1 (markers with fewer
// dashes are skipped). A marker of k dashes can start only k bytes before
// the end of a run of at least k dashes, so each run of s is tried once
// rather than each marker searched for in the whole of s. With fold, s
// is matched ignoring ASCII case (the markers are lower-case).
func dashRunMarker(s string, markers []string, fold bool) int {
	for off := 0; ; {
		i := strings.Index(s[off:], "---")
		if i < 0 {
			return -1
		}
		r0 := off + i
		r1 := r0 + 3
		for r1 < len(s) && s[r1] == '-' {
			r1++
		}
		best := -1
		for _, mk := range markers {
			k := dashRun(mk)
			if k < 3 || r1-r0 < k {
				continue
			}
			at := r1 - k
			if (fold && hasPrefixFoldASCII(s[at:], mk) || !fold && strings.HasPrefix(s[at:], mk)) && (best < 0 || at < best) {
				best = at
			}
		}
		if best >= 0 {
			return best
		}
		off = r1
	}
}

// dashRun returns the number of dashes s starts with.
func dashRun(s string) int {
	k := 0
	for k < len(s) && s[k] == '-' {
		k++
	}
	return k
}

// asciiLower returns s with ASCII letters lower-cased and every other
// byte kept, so that indexes into it are indexes into s: s itself when it
// has no capital letter, else one copy (mime.ASCIILower).
func asciiLower(s string) string { return mime.ASCIILower(s) }

// asciiLowerTo returns asciiLower(s), in buf when it fits (buf's bytes
// must then outlive the result's use).
func asciiLowerTo(buf []byte, s string) string {
	if len(s) > cap(buf) {
		return asciiLower(s)
	}
	for i := 0; i < len(s); i++ {
		buf = append(buf, mime.LowerASCII(s[i]))
	}
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// lowerLine returns toLower(s), in buf when s is ASCII and fits (for
// ASCII the two lowerings are the same bytes; buf's bytes must then
// outlive the result's use): for the lines a loop lowers one at a time.
func lowerLine(buf *[256]byte, s string) string {
	if len(s) <= len(buf) && isASCIIString(s) {
		return asciiLowerTo(buf[:0], s)
	}
	return toLower(s)
}

// lowerIn returns toLower(s): s itself when lower-casing changes
// nothing, else in buf when s is ASCII and fits (buf's bytes must then
// outlive the result's use), eight bytes at a time; for a text a
// function lowers to look into and drops.
func lowerIn(buf []byte, s string) string {
	if mime.LowerUnchanged(s) {
		return s
	}
	if len(s) <= cap(buf) && isASCIIString(s) {
		t := mime.AppendASCIILower(buf[:0], s)
		return unsafe.String(unsafe.SliceData(t), len(t))
	}
	return toLower(s)
}

// notice returns the bounce text without the returned message.
func (m *message) notice() string {
	if !m.noticeDone {
		m.noticeText, m.afterNotice = splitAtMarker(m.text())
		m.noticeText = joinBrokenAddresses(m.noticeText)
		m.noticeDone = true
	}
	return m.noticeText
}

var _ = bytes.Compare

// headerNameLike reports whether s is a header field name as messages
// write them: letters, digits and hyphens, starting with a letter (RFC
// 5322's ftext allows more, but a transcript's "+user.marta:" or a
// path's "c:" heads no header block).
func headerNameLike(s string) bool {
	if len(s) < 2 || !('a' <= s[0] && s[0] <= 'z' || 'A' <= s[0] && s[0] <= 'Z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
