package main

// The byte-level perturbations of TestRobust: the ways real collections
// of bounces differ from ours in bytes but not in what a reader sees
// (line endings, an mbox file's separator and quoting, the case of field
// names, transfer encodings and charsets, folding, trailing blanks). Each
// is made through the same part tree as perturb_test.go's, every byte it
// does not mean to change kept.

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/japanese"
)

// crlf gives the message the other line ending: CRLF where it has LF
// (RFC 5322's canonical form, as a message is sent), LF where it has CRLF
// (as a Unix mailbox stores it). A bare CR inside a line is kept.
func crlf(b []byte, _ []string) ([]byte, map[string]string, bool) {
	var out []byte
	if bytes.Contains(b, []byte("\r\n")) {
		out = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	} else {
		if !bytes.Contains(b, []byte("\n")) {
			return nil, nil, false
		}
		out = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	}
	return out, nil, true
}

// mboxFrom is a line an mbox file quotes: ">" then "From " (mboxrd
// quotes every ">"*"From " line, so that reading it back takes one ">").
var mboxFrom = regexp.MustCompile(`(?m)^>*From `)

// mboxQuoted is a line an mbox file quoted: ">"+"From ".
var mboxQuoted = regexp.MustCompile(`(?m)^>(>*From )`)

// mbox writes the message as one entry of an mbox file (RFC 4155), as a
// local delivery agent stores a bounce it receives: a "From " separator
// line before it, and every body line that starts with ">"*"From " given
// one more ">" (mboxrd). A message stored so already is taken out of it
// the other way: its separator line dropped, one ">" taken from each.
func mbox(b []byte, _ []string) ([]byte, map[string]string, bool) {
	nl := eol(b)
	if bytes.HasPrefix(b, []byte("From ")) {
		next, _ := lineEnd(b, 0, len(b))
		rest := b[next:]
		root := parseMessage(rest)
		out := append([]byte{}, rest[:root.body]...)
		return append(out, mboxQuoted.ReplaceAll(rest[root.body:], []byte("$1"))...), nil, true
	}
	root := parseMessage(b)
	body := mboxFrom.ReplaceAll(b[root.body:], []byte(">$0"))
	out := []byte("From MAILER-DAEMON Thu Dec  3 11:40:07 2026" + nl)
	out = append(out, b[:root.body]...)
	return append(out, body...), nil, true
}

var fieldNameRe = regexp.MustCompile(`^[!-9;-~]+$`)

// lowerFields writes every header field name (of the bounce, its parts,
// the returned message and a text/rfc822-headers part) and every
// delivery-status field name in lower case: RFC 5322 section 1.2.2 and
// RFC 3464 section 2.1.1 make field names case-insensitive.
func lowerFields(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	var edits []edit
	name := func(start, end int) {
		line := b[start:end]
		i := bytes.IndexByte(line, ':')
		if i <= 0 {
			return
		}
		n := bytes.TrimRight(line[:i], " \t")
		if !fieldNameRe.Match(n) {
			return
		}
		if l := bytes.ToLower(n); !bytes.Equal(l, n) {
			edits = append(edits, edit{start, start + len(n), l})
		}
	}
	root.walk(func(p *mpart) {
		for _, f := range p.fields {
			name(f.start, f.end)
		}
		switch {
		case isDSN(p) && !p.inMessage:
			if fs, ok := dsnFields(b, p); ok {
				for _, f := range fs {
					name(f.start, f.end)
				}
			}
		case (p.ctype == "text/rfc822-headers" || p.ctype == "message/rfc822-headers") && len(p.kids) == 0:
			switch p.cte() {
			case "", "7bit", "8bit", "binary":
				fs, _ := parseFields(b, p.body, p.end)
				for _, f := range fs {
					name(f.start, f.end)
				}
			}
		}
	})
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

// eightBitOK says whether d may be sent as 8bit (RFC 2045 section 2.8):
// no NUL, no CR that does not end a line, lines of at most 998 octets.
func eightBitOK(d []byte) bool {
	if bytes.IndexByte(d, 0) >= 0 {
		return false
	}
	for _, line := range bytes.Split(d, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > 998 || bytes.IndexByte(line, '\r') >= 0 {
			return false
		}
	}
	return true
}

// wideCharset is a charset whose text is not lines of octets (UTF-16,
// UTF-32), which no 8bit body may hold.
func wideCharset(cs string) bool {
	cs = strings.ToLower(cs)
	return strings.HasPrefix(cs, "utf-16") || strings.HasPrefix(cs, "utf-32") || cs == "ucs-2" || cs == "unicode"
}

// withEOL gives d the line ending nl.
func withEOL(d []byte, nl string) []byte {
	d = bytes.ReplaceAll(d, []byte("\r\n"), []byte("\n"))
	if nl == "\r\n" {
		d = bytes.ReplaceAll(d, []byte("\n"), []byte("\r\n"))
	}
	return d
}

// eightBit decodes the quoted-printable and base64 text parts of the
// bounce (text/*, and delivery-status parts so encoded) and sends them
// 8bit (7bit when the text is ASCII), where RFC 2045's 8bit allows it:
// as an MTA that speaks 8BITMIME (RFC 6152) writes them.
func eightBit(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	nl := eol(b)
	var edits []edit
	root.walk(func(p *mpart) {
		if p.inMessage || len(p.kids) > 0 || !(strings.HasPrefix(p.ctype, "text/") || isDSN(p)) {
			return
		}
		if c := p.cte(); c != "quoted-printable" && c != "base64" {
			return
		}
		if wideCharset(p.params["charset"]) {
			return
		}
		d, ok := decodedBody(b, p)
		if !ok || !eightBitOK(d) {
			return
		}
		cte := "8bit"
		if isASCIIBytes(d) {
			cte = "7bit"
		}
		e, ok := rewriteBody(b, p, cte, func(d []byte) []byte { return withEOL(d, nl) })
		if ok {
			edits = append(edits, e...)
		}
	})
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

func isASCIIBytes(d []byte) bool {
	for _, c := range d {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

var charsetParam = regexp.MustCompile(`(?i)(\bcharset\s*=\s*)("[^"]*"|[^\s;]+)`)

// transcodeTarget picks the charset a text in charset cs is written in
// instead, with the encoding of both: a legacy charset becomes UTF-8, and
// UTF-8 becomes ISO-8859-1 or (Japanese) ISO-2022-JP where that charset
// holds every character of the text.
func transcodeTarget(cs string, text string) (string, encoding.Encoding) {
	switch strings.ToLower(cs) {
	case "utf-8", "utf8":
		if _, err := charmap.ISO8859_1.NewEncoder().String(text); err == nil {
			return "iso-8859-1", charmap.ISO8859_1
		}
		if _, err := japanese.ISO2022JP.NewEncoder().String(text); err == nil {
			return "iso-2022-jp", japanese.ISO2022JP
		}
		return "", nil
	}
	return "utf-8", encoding.Nop
}

// transcode writes the human-readable text part (and every other text/plain
// part of the bounce) in another charset that holds all its characters,
// its charset parameter changed to match, as a gateway that converts
// charsets does: ISO-8859-x, Windows-125x, Shift_JIS, EUC-JP, ISO-2022-JP,
// GB2312, Big5, EUC-KR and the like to UTF-8, UTF-8 to ISO-8859-1 or
// ISO-2022-JP. Only texts with non-ASCII characters that decode without
// error; an ASCII text's charset says nothing. Its transfer encoding is
// kept, or made 8bit (ISO-2022-JP: 7bit) where it was 7bit.
func transcode(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	nl := eol(b)
	var edits []edit
	root.walk(func(p *mpart) {
		if p.inMessage || len(p.kids) > 0 || p.ctype != "text/plain" {
			return
		}
		cs := p.params["charset"]
		if cs == "" || wideCharset(cs) {
			return
		}
		enc, err := htmlindex.Get(cs)
		if err != nil {
			return
		}
		d, ok := decodedBody(b, p)
		if !ok || isASCIIBytes(d) && !bytes.Contains(d, []byte{0x1b}) {
			return
		}
		var text string
		if n, _ := htmlindex.Name(enc); n == "utf-8" {
			if !utf8.Valid(d) {
				return
			}
			text = string(d)
		} else {
			t, err := enc.NewDecoder().Bytes(d)
			if err != nil || !utf8.Valid(t) || bytes.ContainsRune(t, utf8.RuneError) {
				return
			}
			text = string(t)
		}
		target, tenc := transcodeTarget(cs, text)
		if tenc == nil {
			return
		}
		nd, err := tenc.NewEncoder().String(text)
		if err != nil {
			return
		}
		f, ok := p.get("content-type")
		if !ok {
			return
		}
		cte := p.cte()
		switch cte {
		case "", "7bit", "8bit", "binary":
			cte = "8bit"
			if isASCIIBytes([]byte(nd)) {
				cte = "7bit"
			}
			if !eightBitOK([]byte(nd)) {
				cte = "base64"
			}
		}
		e, ok := rewriteBody(b, p, cte, func([]byte) []byte { return withEOL([]byte(nd), nl) })
		if !ok {
			return
		}
		raw := string(b[f.start:f.end])
		m := charsetParam.FindStringSubmatchIndex(raw)
		if m == nil {
			return
		}
		q := ""
		if strings.HasPrefix(raw[m[4]:m[5]], `"`) {
			q = `"`
		}
		edits = append(edits, e...)
		edits = append(edits, edit{f.start + m[4], f.start + m[5], []byte(q + target + q)})
	})
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

// refoldWidth is the width refold folds at: shorter than most MTAs'.
const refoldWidth = 56

// foldValue folds the field line s (its line breaks already taken out)
// before a blank where the line would pass width, never before the first
// word after the colon; RFC 5322 section 2.2.3's folding, which inserts
// a line break before a blank, so that unfolding gives s back.
func foldValue(s string, width int, nl string) string {
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return s
	}
	// the first place a fold may go: after the first word of the value
	min := colon + 1
	for min < len(s) && (s[min] == ' ' || s[min] == '\t') {
		min++
	}
	for min < len(s) && s[min] != ' ' && s[min] != '\t' {
		min++
	}
	var out strings.Builder
	lineStart, last := 0, -1
	for i := min; i < len(s); i++ {
		if (s[i] == ' ' || s[i] == '\t') && s[i-1] != ' ' && s[i-1] != '\t' {
			if i-lineStart > width && last > lineStart {
				out.WriteString(s[lineStart:last] + nl)
				lineStart = last
			}
			last = i
		}
	}
	if len(s)-lineStart > width && last > lineStart {
		out.WriteString(s[lineStart:last] + nl)
		lineStart = last
	}
	out.WriteString(s[lineStart:])
	return out.String()
}

// refoldField returns the field at b[start:end] unfolded and folded again
// at refoldWidth, and false when that changes nothing or the field is too
// short to fold.
func refoldField(b []byte, start, end int, nl string) ([]byte, bool) {
	raw := string(b[start:end])
	body := strings.TrimRight(raw, "\r\n")
	trail := raw[len(body):]
	if trail == "" || strings.ContainsAny(strings.TrimRight(body, "\r\n"), "\x00") {
		return nil, false
	}
	unfolded := strings.NewReplacer("\r\n ", " ", "\r\n\t", "\t", "\n ", " ", "\n\t", "\t").Replace(body)
	if strings.ContainsAny(unfolded, "\r\n") {
		return nil, false
	}
	i := strings.IndexByte(unfolded, ':')
	if i <= 0 || !fieldNameRe.MatchString(strings.TrimRight(unfolded[:i], " \t")) {
		return nil, false
	}
	if len(unfolded) <= refoldWidth+8 {
		return nil, false
	}
	out := foldValue(unfolded, refoldWidth, nl) + trail
	if out == raw {
		return nil, false
	}
	return []byte(out), true
}

// refold unfolds every header field of the bounce and its parts (not of
// the returned message) and every delivery-status field longer than
// refoldWidth and folds it again at other blanks, as another MTA's
// writer would (RFC 5322 section 2.2.3; RFC 3464 fields fold alike).
func refold(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	nl := eol(b)
	var edits []edit
	root.walk(func(p *mpart) {
		if p.inMessage {
			return
		}
		for _, f := range p.fields {
			if r, ok := refoldField(b, f.start, f.end, nl); ok {
				edits = append(edits, edit{f.start, f.end, r})
			}
		}
		if isDSN(p) {
			if fs, ok := dsnFields(b, p); ok {
				for _, f := range fs {
					if r, ok := refoldField(b, f.start, f.end, nl); ok {
						edits = append(edits, edit{f.start, f.end, r})
					}
				}
			}
		}
	})
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

// trailingBlanks appends blanks to the lines of d that have text (not to
// empty lines, which end a header or a paragraph).
func trailingBlanks(d []byte, blank string) []byte {
	lines := bytes.SplitAfter(d, []byte("\n"))
	var out []byte
	for _, l := range lines {
		c := bytes.TrimRight(l, "\r\n")
		if len(bytes.TrimSpace(c)) == 0 {
			out = append(out, l...)
			continue
		}
		out = append(out, c...)
		out = append(out, blank...)
		out = append(out, l[len(c):]...)
	}
	return out
}

// trailingSpace appends blanks to every line that has text of the
// human-readable part (re-encoded in its own encoding) and of the
// delivery-status parts, as MTAs that pad their templates or relays that
// add them write: a reader sees nothing of them (quoted-printable's
// decoders even drop them, RFC 2045 section 6.7 rule 3).
func trailingSpace(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	var edits []edit
	if tp := textPart(root); tp != nil {
		if d, ok := decodedBody(b, tp); ok && !bytes.HasPrefix(bytes.TrimSpace(d), []byte("{")) {
			if e, ok := rewriteBody(b, tp, "", func(d []byte) []byte { return trailingBlanks(d, "  ") }); ok {
				edits = append(edits, e...)
			}
		}
	}
	for _, p := range dsnParts(root) {
		switch p.cte() {
		case "", "7bit", "8bit", "binary":
			edits = append(edits, edit{p.body, p.end, trailingBlanks(b[p.body:p.end], " ")})
		}
	}
	if len(edits) == 0 {
		return nil, nil, false
	}
	out := applyEdits(b, edits)
	if bytes.Equal(out, b) {
		return nil, nil, false
	}
	return out, nil, true
}

// encodedWords writes the bounce's Subject, and the display name of its
// From, as RFC 2047 encoded-words (UTF-8, Q), as MTAs that encode every
// header do; a Subject encoded already is decoded and written again in B.
// A reader's mail client shows the same words.
func encodedWords(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	nl := eol(b)
	var edits []edit
	dec := &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
		e, err := htmlindex.Get(cs)
		if err != nil {
			return nil, err
		}
		return e.NewDecoder().Reader(r), nil
	}}
	if f, ok := root.get("subject"); ok && f.value != "" {
		var v string
		if strings.Contains(f.value, "=?") {
			d, err := dec.DecodeHeader(f.value)
			if err == nil && utf8.ValidString(d) && !strings.ContainsRune(d, utf8.RuneError) {
				v = mime.BEncoding.Encode("utf-8", d)
			}
		} else if utf8.ValidString(f.value) {
			v = mime.QEncoding.Encode("utf-8", f.value)
			if v == f.value { // ASCII: Go's encoder leaves it; encode it all
				v = qWords(f.value)
			}
		}
		if v != "" && v != f.value {
			edits = append(edits, edit{f.start, f.end, []byte("Subject: " + strings.ReplaceAll(v, "?= =?", "?="+nl+" =?") + nl)})
		}
	}
	if f, ok := root.get("from"); ok && !strings.Contains(f.value, "=?") {
		if a, err := netmail.ParseAddress(f.value); err == nil && a.Name != "" && utf8.ValidString(a.Name) {
			edits = append(edits, edit{f.start, f.end, []byte("From: " + qWords(a.Name) + " <" + a.Address + ">" + nl)})
		}
	}
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

// qWords encodes s as RFC 2047 Q encoded-words of UTF-8, each at most 75
// characters, separated by a blank (which RFC 2047 section 6.2 drops
// between encoded-words).
func qWords(s string) string {
	var words []string
	var cur strings.Builder
	const pre, post = "=?utf-8?q?", "?="
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, pre+cur.String()+post)
			cur.Reset()
		}
	}
	for _, r := range s {
		var tok string
		switch {
		case r == ' ':
			tok = "_"
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)):
			tok = string(r)
		default:
			var bs [4]byte
			n := utf8.EncodeRune(bs[:], r)
			for _, c := range bs[:n] {
				tok += fmt.Sprintf("=%02X", c)
			}
		}
		if cur.Len()+len(tok)+len(pre)+len(post) > 75 {
			flush()
		}
		cur.WriteString(tok)
	}
	flush()
	return strings.Join(words, " ")
}

// dsnSpacing writes the delivery-status fields as terser and louder MTAs
// do: no blank after the field's colon, and the address and diagnostic
// types ("rfc822;", "smtp;", "dns;") in upper case with one blank after
// their ";". RFC 3464 section 2.1.1 lets fields be written without the
// blank, and its types are case-insensitive (section 2.1.2, 2.2).
func dsnSpacing(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	typed := map[string]bool{"final-recipient": true, "original-recipient": true, "diagnostic-code": true,
		"remote-mta": true, "reporting-mta": true, "received-from-mta": true, "dsn-gateway": true}
	var edits []edit
	for _, p := range dsnParts(root) {
		fs, ok := dsnFields(b, p)
		if !ok {
			continue
		}
		for _, f := range fs {
			next, content := lineEnd(b, f.start, f.end)
			line := string(b[f.start:content])
			name, value, ok := strings.Cut(line, ":")
			if !ok || !fieldNameRe.MatchString(name) {
				continue
			}
			value = strings.TrimLeft(value, " \t")
			if typed[f.name] {
				if t, rest, ok := strings.Cut(value, ";"); ok && fieldNameRe.MatchString(strings.TrimSpace(t)) {
					value = strings.ToUpper(strings.TrimSpace(t)) + "; " + strings.TrimLeft(rest, " \t")
				}
			}
			nl := string(b[content:next])
			if n := name + ":" + value + nl; n != string(b[f.start:next]) {
				edits = append(edits, edit{f.start, next, []byte(n)})
			}
		}
	}
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

var ctypeTextPlain = regexp.MustCompile(`(?i)text/plain`)

// toHTML renders a plain text as HTML: each paragraph a <p>, its lines
// joined by <br>, every character escaped, as MTAs that send HTML notices
// write them.
func toHTML(d []byte, nl string) []byte {
	text := strings.ReplaceAll(string(d), "\r\n", "\n")
	var out strings.Builder
	out.WriteString("<html><head><title>Delivery report</title></head>" + nl + "<body>" + nl)
	for _, para := range regexp.MustCompile(`\n\s*\n`).Split(strings.Trim(text, "\n"), -1) {
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(strings.TrimRight(l, " \t"))
		}
		out.WriteString("<p>" + strings.Join(lines, "<br>"+nl) + "</p>" + nl)
	}
	out.WriteString("</body></html>" + nl)
	return []byte(out.String())
}

// htmlText makes the human-readable text part an HTML one (toHTML), its
// charset and transfer encoding kept, as Exchange and other MTAs send only
// HTML: a reader's client shows the same text. Not a JSON notice, and
// only a part with a Content-Type field (a plain message with none would
// need MIME fields added).
func htmlText(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	tp := textPart(root)
	if tp == nil {
		return nil, nil, false
	}
	f, ok := tp.get("content-type")
	if !ok {
		return nil, nil, false
	}
	d, ok := decodedBody(b, tp)
	if !ok || bytes.HasPrefix(bytes.TrimSpace(d), []byte("{")) || len(bytes.TrimSpace(d)) == 0 {
		return nil, nil, false
	}
	nl := eol(b)
	render := func(d []byte) []byte { return toHTML(d, nl) }
	if cs := strings.ToLower(tp.params["charset"]); strings.Contains(cs, "2022") {
		// a stateful charset's bytes in its escapes are not characters
		// ('"' in ISO-2022-JP's kanji): escape its decoded text
		enc, err := htmlindex.Get(cs)
		if err != nil {
			return nil, nil, false
		}
		t, err := enc.NewDecoder().Bytes(d)
		if err != nil || bytes.ContainsRune(t, utf8.RuneError) {
			return nil, nil, false
		}
		h, err := enc.NewEncoder().Bytes(toHTML(t, nl))
		if err != nil {
			return nil, nil, false
		}
		render = func([]byte) []byte { return h }
	}
	e, ok := rewriteBody(b, tp, "", render)
	if !ok {
		return nil, nil, false
	}
	raw := b[f.start:f.end]
	loc := ctypeTextPlain.FindIndex(raw)
	if loc == nil {
		return nil, nil, false
	}
	e = append(e, edit{f.start + loc[0], f.start + loc[1], []byte("text/html")})
	return applyEdits(b, e), nil, true
}

var mimeParam = regexp.MustCompile(`;(\s*)([!#$%&'*+.^_` + "`" + `|~0-9A-Za-z-]+)=("(?:[^"\\]|\\.)*"|[^\s;"]+)`)

// tokenValue says whether v may be written as a token (RFC 2045 section
// 5.1), unquoted.
func tokenValue(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return true
}

// mimeCase writes the MIME fields of the bounce's parts (not of the
// returned message) in the other forms RFC 2045 allows: the media type,
// the transfer encoding, the disposition and the parameter names in upper
// case (all case-insensitive, sections 5.1 and 6.1), a parameter value
// that is a token quoted and a quoted one that may be a token unquoted.
func mimeCase(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	var edits []edit
	root.walk(func(p *mpart) {
		if p.inMessage {
			return
		}
		for _, f := range p.fields {
			switch f.name {
			case "content-type", "content-disposition", "content-transfer-encoding":
			default:
				continue
			}
			raw := string(b[f.start:f.end])
			colon := strings.IndexByte(raw, ':')
			if colon < 0 {
				continue
			}
			v := raw[colon+1:]
			semi := strings.IndexByte(v, ';')
			if semi < 0 {
				semi = len(v)
			}
			head := strings.ToUpper(v[:semi])
			params := mimeParam.ReplaceAllStringFunc(v[semi:], func(m string) string {
				sm := mimeParam.FindStringSubmatch(m)
				val := sm[3]
				if strings.HasPrefix(val, `"`) {
					if in := val[1 : len(val)-1]; tokenValue(in) {
						val = in
					}
				} else if !strings.Contains(val, `\`) {
					val = `"` + val + `"`
				}
				return ";" + sm[1] + strings.ToUpper(sm[2]) + "=" + val
			})
			if n := raw[:colon+1] + head + params; n != raw {
				edits = append(edits, edit{f.start, f.end, []byte(n)})
			}
		}
	})
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

// relayed gives the bounce the fields its last hops add on the way to
// the mailbox of the sender it returns to (its To): a Received field of
// a relay and of the final MTA, Delivered-To and X-Original-To naming that
// mailbox, as Postfix's local(8) and virtual(8) write them on delivery.
// Not where that mailbox is one of the recipients.
func relayed(b []byte, rcpts []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	f, ok := root.get("to")
	if !ok {
		return nil, nil, false
	}
	a, err := netmail.ParseAddress(f.value)
	if err != nil || !strings.Contains(a.Address, "@") {
		return nil, nil, false
	}
	to := strings.ToLower(a.Address)
	for _, r := range rcpts {
		if strings.EqualFold(r, to) {
			return nil, nil, false
		}
	}
	_, dom, _ := strings.Cut(to, "@")
	nl := eol(b)
	top := "Delivered-To: " + to + nl +
		"X-Original-To: " + to + nl +
		"Received: from relay.example.net (relay.example.net [192.0.2.25])" + nl +
		"\tby mx1." + dom + " (Postfix) with ESMTPS id 4Fq2Lx0Hz3z9sW" + nl +
		"\tfor <" + to + ">; Thu,  3 Dec 2026 11:40:08 +0000 (UTC)" + nl +
		"Received: from localhost (localhost [127.0.0.1])" + nl +
		"\tby relay.example.net (Postfix) with ESMTP id 9B1C2D3E4F" + nl +
		"\tfor <" + to + ">; Thu,  3 Dec 2026 11:40:07 +0000 (UTC)" + nl
	at := 0
	if rp, ok := root.get("return-path"); ok && rp.start == 0 {
		at = rp.end // Return-Path stays first, as local(8) writes it
	}
	return applyEdits(b, []edit{{at, at, []byte(top)}}), nil, true
}

// TestByteTransforms_undo checks that the transforms that can be undone
// give the message back: crlf and mbox twice, refold unfolded.
func TestByteTransforms_undo(t *testing.T) {
	msg := []byte("From: a@example.org\nSubject: " + strings.Repeat("word ", 30) + "\n\tend\n\nFrom the start\n>From quoted\ntext\n")
	for _, tr := range []func([]byte, []string) ([]byte, map[string]string, bool){crlf, mbox} {
		once, _, ok := tr(msg, nil)
		if !ok {
			t.Fatal("not applied")
		}
		if twice, _, _ := tr(once, nil); !bytes.Equal(twice, msg) {
			t.Errorf("twice: %q, want %q", twice, msg)
		}
	}
	r, _, ok := refold(msg, nil)
	unfold := func(b []byte) []byte { return regexp.MustCompile(`\n([ \t])`).ReplaceAll(b, []byte("$1")) }
	if !ok || bytes.Equal(r, msg) || !bytes.Equal(unfold(r), unfold(msg)) {
		t.Errorf("refold: %q", r)
	}
	if got := foldValue("Subject: a bb ccc dddd", 10, "\n"); got != "Subject: a\n bb ccc\n dddd" {
		t.Errorf("foldValue = %q", got)
	}
}
