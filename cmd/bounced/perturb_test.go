package main

// The perturbations of TestRobust: each rewrites one part of a message
// through its MIME structure (the part tree of RFC 2045/2046, found here
// with byte offsets so that everything a transform does not touch is kept
// byte for byte) and leaves a human reader the same recipient and cause.
// The walker is this file's own because bounce/internal/mime is internal
// to package bounce and go-message re-serialises what it reads.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"regexp"
	"sort"
	"strings"
)

// field is one header field: its bytes at [start,end) (continuation lines
// included), its lower-cased name and its unfolded value.
type field struct {
	start, end  int
	name, value string
}

// mpart is one MIME entity of the message: its header at [start,body),
// its body at [body,end).
type mpart struct {
	start, body, end int
	fields           []field
	ctype            string
	params           map[string]string
	kids             []*mpart
	inMessage        bool // inside an attached message/rfc822
}

func (p *mpart) get(name string) (field, bool) {
	for _, f := range p.fields {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func (p *mpart) cte() string {
	f, _ := p.get("content-transfer-encoding")
	return strings.ToLower(strings.TrimSpace(f.value))
}

// walk calls fn on p and every part below it, depth first, in order.
func (p *mpart) walk(fn func(*mpart)) {
	fn(p)
	for _, k := range p.kids {
		k.walk(fn)
	}
}

// lineEnd returns the end of the line starting at i (after its "\n", or
// end) and the end of its content (before "\r\n" or "\n").
func lineEnd(b []byte, i, end int) (next, content int) {
	j := bytes.IndexByte(b[i:end], '\n')
	if j < 0 {
		return end, end
	}
	next = i + j + 1
	content = i + j
	if content > i && b[content-1] == '\r' {
		content--
	}
	return next, content
}

// parseFields reads the header fields at [start,end) up to the first empty
// line and returns them and where the body starts.
func parseFields(b []byte, start, end int) ([]field, int) {
	var fs []field
	i := start
	for i < end {
		next, content := lineEnd(b, i, end)
		if content == i { // the empty line
			return fs, next
		}
		if (b[i] == ' ' || b[i] == '\t') && len(fs) > 0 {
			fs[len(fs)-1].end = next
			fs[len(fs)-1].value += " " + strings.TrimSpace(string(b[i:content]))
		} else {
			line := string(b[i:content])
			name, value, _ := strings.Cut(line, ":")
			fs = append(fs, field{start: i, end: next, name: strings.ToLower(strings.TrimSpace(name)), value: strings.TrimSpace(value)})
		}
		i = next
	}
	return fs, end
}

var boundaryParam = regexp.MustCompile(`(?i)boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))`)

func parsePart(b []byte, start, end int, defType string, inMessage bool, depth int) *mpart {
	p := &mpart{start: start, inMessage: inMessage, end: end}
	p.fields, p.body = parseFields(b, start, end)
	p.ctype, p.params = defType, map[string]string{}
	if f, ok := p.get("content-type"); ok {
		if t, params, err := mime.ParseMediaType(f.value); err == nil {
			p.ctype, p.params = t, params
		} else {
			p.ctype = strings.ToLower(strings.TrimSpace(strings.Split(f.value, ";")[0]))
			if m := boundaryParam.FindStringSubmatch(f.value); m != nil {
				p.params["boundary"] = m[1] + m[2]
			}
		}
	}
	if depth > 8 {
		return p
	}
	switch {
	case strings.HasPrefix(p.ctype, "multipart/") && p.params["boundary"] != "":
		kidType := "text/plain"
		if p.ctype == "multipart/digest" {
			kidType = "message/rfc822"
		}
		delim := []byte("--" + p.params["boundary"])
		kidStart := -1
		for i := p.body; i < end; {
			next, content := lineEnd(b, i, end)
			line := b[i:content]
			if bytes.HasPrefix(line, delim) {
				rest := bytes.TrimRight(line[len(delim):], " \t")
				closing := bytes.HasPrefix(rest, []byte("--"))
				if len(rest) == 0 || closing {
					if kidStart >= 0 {
						kidEnd := i // the line break before a delimiter belongs to it
						if kidEnd > kidStart && b[kidEnd-1] == '\n' {
							kidEnd--
							if kidEnd > kidStart && b[kidEnd-1] == '\r' {
								kidEnd--
							}
						}
						p.kids = append(p.kids, parsePart(b, kidStart, kidEnd, kidType, inMessage, depth+1))
					}
					kidStart = next
					if closing {
						kidStart = -1
						break
					}
				}
			}
			i = next
		}
	case p.ctype == "message/rfc822" && (p.cte() == "" || p.cte() == "7bit" || p.cte() == "8bit" || p.cte() == "binary"):
		p.kids = []*mpart{parsePart(b, p.body, end, "text/plain", true, depth+1)}
	}
	return p
}

// parseMessage returns the part tree of a whole message.
func parseMessage(b []byte) *mpart { return parsePart(b, 0, len(b), "text/plain", false, 0) }

// edit replaces b[start:end] with repl.
type edit struct {
	start, end int
	repl       []byte
}

// applyEdits applies non-overlapping edits to b, keeping every other byte.
func applyEdits(b []byte, edits []edit) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out []byte
	at := 0
	for _, e := range edits {
		if e.start < at {
			continue // overlapping: the first one wins
		}
		out = append(out, b[at:e.start]...)
		out = append(out, e.repl...)
		at = e.end
	}
	return append(out, b[at:]...)
}

// eol is the message's line ending.
func eol(b []byte) string {
	if bytes.Contains(b, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// decodedBody returns p's body with its transfer encoding undone; ok is
// false for an encoding this file does not read.
func decodedBody(b []byte, p *mpart) ([]byte, bool) {
	raw := b[p.body:p.end]
	switch p.cte() {
	case "", "7bit", "8bit", "binary":
		return raw, true
	case "base64":
		s := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, string(raw))
		d, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			d, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		}
		return d, err == nil
	case "quoted-printable":
		d, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		return d, err == nil
	}
	return nil, false
}

// encodeBase64 encodes d in lines of 76 characters ending in nl.
func encodeBase64(d []byte, nl string) []byte {
	s := base64.StdEncoding.EncodeToString(d)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + nl)
		s = s[76:]
	}
	out.WriteString(s)
	return []byte(out.String())
}

// encodeQP encodes d as quoted-printable (RFC 2045 section 6.7) in lines
// of at most 76 characters, keeping its line breaks as nl.
func encodeQP(d []byte, nl string) []byte {
	var out strings.Builder
	lines := strings.Split(strings.ReplaceAll(string(d), "\r\n", "\n"), "\n")
	for li, line := range lines {
		n := 0
		for i := 0; i < len(line); i++ {
			c := line[i]
			var tok string
			switch {
			case (c == ' ' || c == '\t') && i == len(line)-1:
				tok = fmt.Sprintf("=%02X", c)
			case c == ' ' || c == '\t' || (c >= 33 && c <= 126 && c != '='):
				tok = string(c)
			default:
				tok = fmt.Sprintf("=%02X", c)
			}
			if n+len(tok) > 75 {
				out.WriteString("=" + nl)
				n = 0
			}
			out.WriteString(tok)
			n += len(tok)
		}
		if li < len(lines)-1 {
			out.WriteString(nl)
		}
	}
	return []byte(out.String())
}

// encodeAs encodes d in the transfer encoding cte ("" for as is).
func encodeAs(d []byte, cte, nl string) []byte {
	switch cte {
	case "base64":
		return encodeBase64(d, nl)
	case "quoted-printable":
		return encodeQP(d, nl)
	}
	return d
}

// rewriteBody returns the edits that give p the body fn(decoded body),
// encoded in cte ("" keeps p's own encoding), with p's
// Content-Transfer-Encoding field set to match (and MIME-Version added to a
// message that had none, so that the encoding is read as MIME).
func rewriteBody(b []byte, p *mpart, cte string, fn func([]byte) []byte) ([]edit, bool) {
	d, ok := decodedBody(b, p)
	if !ok {
		return nil, false
	}
	nl := eol(b)
	old := p.cte()
	if cte == "" {
		cte = old
	}
	nd := fn(d)
	if cte == old && bytes.Equal(nd, d) {
		return nil, false
	}
	edits := []edit{{p.body, p.end, encodeAs(nd, cte, nl)}}
	if cte != old {
		line := []byte("Content-Transfer-Encoding: " + cte + nl)
		if f, ok := p.get("content-transfer-encoding"); ok {
			edits = append(edits, edit{f.start, f.end, line})
		} else {
			at := headerEnd(b, p)
			if p.start == 0 {
				if _, ok := p.get("mime-version"); !ok {
					line = append([]byte("MIME-Version: 1.0"+nl), line...)
				}
			}
			edits = append(edits, edit{at, at, line})
		}
	}
	return edits, true
}

// headerEnd is where a new field goes: after p's last field.
func headerEnd(b []byte, p *mpart) int {
	if len(p.fields) == 0 {
		return p.start
	}
	return p.fields[len(p.fields)-1].end
}

// textPart is the human-readable part: the first text/plain part of the
// report that is not inside the returned message nor an attachment.
func textPart(root *mpart) *mpart {
	var found *mpart
	root.walk(func(p *mpart) {
		if found != nil || p.inMessage || p.ctype != "text/plain" || len(p.kids) > 0 {
			return
		}
		if f, ok := p.get("content-disposition"); ok && strings.HasPrefix(strings.ToLower(f.value), "attachment") {
			return
		}
		found = p
	})
	return found
}

// dsnParts are the message/delivery-status parts of the report.
func dsnParts(root *mpart) []*mpart {
	var out []*mpart
	root.walk(func(p *mpart) {
		if !p.inMessage && (p.ctype == "message/delivery-status" || p.ctype == "message/global-delivery-status") {
			out = append(out, p)
		}
	})
	return out
}

// dsnField is one field of a delivery-status body, at [start,end).
type dsnField struct {
	start, end  int
	name, value string
}

// dsnFields returns the fields of a delivery-status body (all its groups)
// with their absolute offsets; ok is false when its encoding is not
// plain text.
func dsnFields(b []byte, p *mpart) ([]dsnField, bool) {
	switch p.cte() {
	case "", "7bit", "8bit", "binary":
	default:
		return nil, false
	}
	var out []dsnField
	for i := p.body; i < p.end; {
		next, content := lineEnd(b, i, p.end)
		if content > i && (b[i] == ' ' || b[i] == '\t') && len(out) > 0 && out[len(out)-1].end == i {
			out[len(out)-1].end = next
			out[len(out)-1].value += " " + strings.TrimSpace(string(b[i:content]))
		} else if name, value, ok := strings.Cut(string(b[i:content]), ":"); ok && content > i && b[i] != ' ' && b[i] != '\t' {
			out = append(out, dsnField{i, next, strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)})
		}
		i = next
	}
	return out, true
}

var tokenRe = regexp.MustCompile(`[245]\.\d{1,3}\.\d{1,3}|\d{3}|[a-z]{3,}`)

// tokens are the words (three letters or more), reply codes and status
// codes of s.
func tokens(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range tokenRe.FindAllString(strings.ToLower(s), -1) {
		m[t] = true
	}
	return m
}

// diagWords is a Diagnostic-Code's text without its type ("smtp;").
func diagWords(v string) string {
	if t, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(t, " <@") {
		return rest
	}
	return v
}

// covered says whether every word and code of the diagnostic is in the
// human-readable text: then a reader loses nothing without the field.
func covered(diag string, text map[string]bool) bool {
	for t := range tokens(diagWords(diag)) {
		if !text[t] {
			return false
		}
	}
	return true
}

// transform makes the perturbed copy of one message. It returns the new
// message and the label rewrites (old recipient -> new), and ok false when
// the transform does not apply to the message.
type transform struct {
	name, doc string
	apply     func(b []byte, rcpts []string) (out []byte, rename map[string]string, ok bool)
}

func humanText(b []byte, root *mpart) (string, bool) {
	tp := textPart(root)
	if tp == nil {
		return "", false
	}
	d, ok := decodedBody(b, tp)
	return string(d), ok
}

// noDiagnostic drops the Diagnostic-Code fields of the delivery-status
// parts, where the human-readable text holds all their words and codes.
func noDiagnostic(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	text, ok := humanText(b, root)
	if !ok {
		return nil, nil, false
	}
	_, diags, ok := coveredDiagnostics(b, root, text)
	if !ok || len(diags) == 0 {
		return nil, nil, false
	}
	edits := make([]edit, len(diags))
	for i, f := range diags {
		edits[i] = edit{f.start, f.end, nil}
	}
	return applyEdits(b, edits), nil, true
}

// coveredDiagnostics returns the delivery-status parts of root and their
// Diagnostic-Code fields, and false when a part cannot be read or a
// diagnostic has a word or code that text lacks.
func coveredDiagnostics(b []byte, root *mpart, text string) ([]*mpart, []dsnField, bool) {
	tt := tokens(text)
	parts := dsnParts(root)
	var diags []dsnField
	for _, p := range parts {
		fs, ok := dsnFields(b, p)
		if !ok {
			return nil, nil, false
		}
		for _, f := range fs {
			if f.name == "diagnostic-code" {
				if !covered(f.value, tt) {
					return nil, nil, false
				}
				diags = append(diags, f)
			}
		}
	}
	return parts, diags, true
}

// noDSN drops the delivery-status parts (their delimiter line with them),
// where the human-readable text names every labelled recipient and holds
// every word and code of every Diagnostic-Code, and there is one.
func noDSN(b []byte, rcpts []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	text, ok := humanText(b, root)
	if !ok {
		return nil, nil, false
	}
	lower := strings.ToLower(text)
	for _, r := range rcpts {
		if r == "" || !strings.Contains(lower, strings.ToLower(r)) {
			return nil, nil, false
		}
	}
	parts, diags, ok := coveredDiagnostics(b, root, text)
	if !ok || len(parts) == 0 || len(diags) == 0 {
		return nil, nil, false
	}
	edits := make([]edit, len(parts))
	for i, p := range parts {
		// the part and the delimiter line before it
		start, end := kidSpan(b, p)
		edits[i] = edit{start, end, nil}
	}
	return applyEdits(b, edits), nil, true
}

// reencode re-encodes the human-readable part in cte, same charset.
func reencode(cte string) func([]byte, []string) ([]byte, map[string]string, bool) {
	return func(b []byte, _ []string) ([]byte, map[string]string, bool) {
		root := parseMessage(b)
		tp := textPart(root)
		if tp == nil || tp.cte() == cte {
			return nil, nil, false
		}
		edits, ok := rewriteBody(b, tp, cte, func(d []byte) []byte { return d })
		if !ok {
			return nil, nil, false
		}
		return applyEdits(b, edits), nil, true
	}
}

// rewrapLong and rewrapWidth: rewrap folds the lines of the
// human-readable text longer than rewrapLong (RFC 5322 section 2.1.1's
// recommended 78 characters, less the line break) at rewrapWidth.
const rewrapLong, rewrapWidth = 76, 64

// rewrap folds every long ASCII line of the human-readable part at spaces
// (never inside a word, an address or a URL), the continuation lines
// indented four spaces more than the line, as Postfix folds the lines of
// its notices and RFC 5322 section 2.2.3 folds a header field. Only the
// long lines change: they hold the remote servers' words and long
// addresses, while an MTA's template lines (headings, separators) are
// shorter. Lines that start with a reply code ("550-5.7.1 ...", "<<< 550
// ...") are not folded: an MTA quotes a server's reply or a transcript line
// by line, each line starting with its code. A quoted line ("> ...", a
// forwarded notice) is folded with its quotation marks on every line, as
// a mail client folds a quotation. Lines are not joined.
func rewrap(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	tp := textPart(root)
	if tp == nil {
		return nil, nil, false
	}
	if d, ok := decodedBody(b, tp); !ok || bytes.HasPrefix(bytes.TrimSpace(d), []byte("{")) {
		return nil, nil, false // a JSON notification is not text to fold
	}
	edits, ok := rewriteBody(b, tp, "", func(d []byte) []byte {
		nl := "\n"
		if bytes.Contains(d, []byte("\r\n")) {
			nl = "\r\n"
		}
		lines := strings.Split(strings.ReplaceAll(string(d), "\r\n", "\n"), "\n")
		var out []string
		for _, line := range lines {
			out = append(out, wrapLine(line, rewrapLong, rewrapWidth)...)
		}
		return []byte(strings.Join(out, nl))
	})
	if !ok {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

// replyLine is a line that starts with an SMTP reply code, bare or after a
// transcript's "<<<".
// quotePrefix is the quotation marks starting a quoted line ("> ", ">> ").
var quotePrefix = regexp.MustCompile(`^(> ?)+`)

var replyLine = regexp.MustCompile(`^\s*(<<<\s*)?[245]\d\d[- ]`)

func wrapLine(line string, long, width int) []string {
	if len(line) <= long {
		return []string{line}
	}
	for i := 0; i < len(line); i++ {
		if line[i] >= 0x80 || line[i] == 0x1b || line[i] == '\t' {
			return []string{line}
		}
	}
	if q := quotePrefix.FindString(line); q != "" {
		// a quoted line (a forwarded notice's "> "): its continuations
		// are quoted too, as a mail client folds a quotation
		out := wrapLine(line[len(q):], long-len(q), width-len(q))
		for i := range out {
			out[i] = q + out[i]
		}
		return out
	}
	if replyLine.MatchString(line) {
		return []string{line}
	}
	indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
	words := strings.Fields(line)
	var out []string
	cur, lead := indent, indent
	for _, w := range words {
		if len(cur) > len(lead) && len(cur)+1+len(w) > width {
			out = append(out, cur)
			lead = indent + "    "
			cur = lead
		}
		if len(cur) > len(lead) {
			cur += " "
		}
		cur += w
	}
	return append(out, cur)
}

// rename replaces every labelled recipient's local part and domain by other
// names, consistently in every header and every part (decoded and encoded
// again where it has a transfer encoding): the address, the domain where
// it stands alone or ends a host name, a VERP "local=domain", and the local
// part where a notice names the mailbox by it alone (bareLocal); in the
// bounce's own header, the addresses only. A local part written in
// another case than its lower one is renamed in upper case.
func rename(b []byte, rcpts []string) ([]byte, map[string]string, bool) {
	locals, domains := map[string]string{}, map[string]string{}
	mapping := map[string]string{}
	for _, r := range rcpts {
		l, d, ok := strings.Cut(strings.ToLower(r), "@")
		if !ok || l == "" || d == "" {
			continue
		}
		if _, ok := locals[l]; !ok {
			locals[l] = fmt.Sprintf("rn%dbox", len(locals)+1)
		}
		if _, ok := domains[d]; !ok {
			domains[d] = fmt.Sprintf("renamed%d-mail.net", len(domains)+1)
		}
		mapping[strings.ToLower(r)] = locals[l] + "@" + domains[d]
	}
	if len(mapping) == 0 {
		return nil, nil, false
	}
	// what may follow a name: not a name's character, nor a dot that goes on
	tail := `($|[^a-z0-9.-]|\.$|\.[^a-z0-9-])`
	var res []*regexp.Regexp
	var repl []string
	var locs []string // the local part each pattern matches ("" for a domain)
	for r, n := range mapping {
		l, d, _ := strings.Cut(r, "@")
		nl, nd, _ := strings.Cut(n, "@")
		res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9._%+-])`+regexp.QuoteMeta(l)+`@`+regexp.QuoteMeta(d)+tail))
		repl = append(repl, "${1}"+nl+"@"+nd+"${2}")
		locs = append(locs, l)
		res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9._%+-])`+regexp.QuoteMeta(l)+`=`+regexp.QuoteMeta(d)+tail))
		repl = append(repl, "${1}"+nl+"="+nd+"${2}")
		locs = append(locs, l)
		// the same mailbox written otherwise: at a host of its domain
		// (jsmith@mail.example.org), with an extension (TMDA's
		// jane-confirm-123@), folded after its "@", escaped (RFC 6533)
		// or xtext-encoded (RFC 3461 section 4: "+" as "+2B")
		q, qd := regexp.QuoteMeta(l), regexp.QuoteMeta(d)
		res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9._%+-])`+q+`@((?:[a-z0-9-]+\.)+)`+qd+tail))
		repl = append(repl, "${1}"+nl+"@${2}"+nd+"${3}")
		locs = append(locs, l)
		res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9._%+-])`+q+`([+-][a-z0-9._=-]*@)`+qd+tail))
		repl = append(repl, "${1}"+nl+"${2}"+nd+"${3}")
		locs = append(locs, l)
		res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9._%+-])`+q+`@(\r?\n[ \t]*)`+qd+tail))
		repl = append(repl, "${1}"+nl+"@${2}"+nd+"${3}")
		locs = append(locs, l)
		// RFC 6533's utf-8 address type: non-ASCII as \x{HEX}
		var esc strings.Builder
		for _, c := range l {
			if c >= 0x80 {
				fmt.Fprintf(&esc, `\x{%X}`, c)
			} else {
				esc.WriteRune(c)
			}
		}
		if x := esc.String(); x != l {
			res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9._%+-])`+regexp.QuoteMeta(x)+`@`+qd+tail))
			repl = append(repl, "${1}"+nl+"@"+nd+"${2}")
			locs = append(locs, x)
		}
		if x := strings.NewReplacer("+", "+2B", "=", "+3D").Replace(l); x != l {
			res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9._%+-])`+regexp.QuoteMeta(x)+`@`+qd+tail))
			repl = append(repl, "${1}"+nl+"@"+nd+"${2}")
			locs = append(locs, x)
		}
	}
	nAddr := len(res) // the address patterns come first, then the domains
	for d, nd := range domains {
		res = append(res, regexp.MustCompile(`(?i)(^|[^a-z0-9-])`+regexp.QuoteMeta(d)+tail))
		repl = append(repl, "${1}"+nd+"${2}")
		locs = append(locs, "")
	}
	// a local part standing alone where a notice names a mailbox by it
	// (bareLocal), not where it may be a word of the text
	for l, nl := range locals {
		for _, re := range bareLocal(l) {
			res = append(res, re)
			repl = append(repl, "${1}"+nl+"${2}")
			locs = append(locs, l)
		}
	}
	newLocal := regexp.MustCompile(`rn\d+box`)
	subN := func(s []byte, n int) []byte {
		for i, re := range res[:n] {
			// a local part written in another case than its lower one
			// ("Pat.Doe" beside "pat.doe") renamed in upper case, so
			// that two case forms of one address stay two forms
			lower, upper := []byte(repl[i]), newLocal.ReplaceAllFunc([]byte(repl[i]), bytes.ToUpper)
			f := func(m []byte) []byte {
				idx := re.FindSubmatchIndex(m)
				tmpl := lower
				if l := locs[i]; l != "" && idx != nil && idx[3]+len(l) <= len(m) && string(m[idx[3]:idx[3]+len(l)]) != l {
					tmpl = upper
				}
				return re.Expand(nil, tmpl, m, idx)
			}
			// twice: adjacent matches share their boundary character
			s = re.ReplaceAllFunc(re.ReplaceAllFunc(s, f), f)
		}
		return s
	}
	sub := func(s []byte) []byte { return subN(s, len(res)) }
	root := parseMessage(b)
	var edits []edit
	root.walk(func(p *mpart) {
		if p == root {
			// the bounce's own header says who wrote it (From, Received,
			// Message-ID): there only the addresses are renamed, so that
			// a provider whose domain is the recipient's stays itself
			edits = append(edits, edit{p.start, p.body, subN(b[p.start:p.body], nAddr)})
		} else {
			edits = append(edits, edit{p.start, p.body, sub(b[p.start:p.body])})
		}
		if len(p.kids) > 0 {
			// the preamble, delimiters and epilogue are between the kids
			at := p.body
			for _, k := range p.kids {
				edits = append(edits, edit{at, k.start, sub(b[at:k.start])})
				at = k.end
			}
			edits = append(edits, edit{at, p.end, sub(b[at:p.end])})
			return
		}
		if e, ok := rewriteBody(b, p, "", sub); ok {
			for _, x := range e {
				if x.start == p.body {
					edits = append(edits, x)
				}
			}
		}
	})
	out := applyEdits(b, edits)
	if bytes.Equal(out, b) {
		return nil, nil, false
	}
	return out, mapping, true
}

// bareLocal returns the patterns of the places a notice names a mailbox
// by its local part alone, which rename renames too: a line that is the
// local part alone or starts with it before a gap or a parenthesis
// ("  jdoe", "walter (user not found)", "rhernandez    Mailbox
// unknown", Exchange's "TNGUYEN on DATE"), Sendmail's "local... User unknown", "(expanded from:
// local)", "address: local", a DSN's "RFC822; local" or "X-Unix; local",
// a Received field's "for local;", and "local" quoted or in angle
// brackets. Elsewhere the same letters may be a word of the text ("mailbox
// full", "(vacation)"), which a renamed copy must keep.
func bareLocal(l string) []*regexp.Regexp {
	q := regexp.QuoteMeta(l)
	end := `($|[^a-z0-9._%+@=-]|\.$|\.[^a-z0-9-])`
	var out []*regexp.Regexp
	for _, p := range []string{
		`(?im)^([ \t]*)` + q + `([ \t]*\r?$)`,
		`(?im)^([ \t]*)` + q + `(  |\t| \(| on )`,
		`(?i)(^|[^a-z0-9._%+=-])` + q + `(\.\.\.)`,
		`(?i)(\(expanded from: |address: |rfc822; ?|x-unix; ?)` + q + end,
		`(?i)(\bfor )` + q + `(;)`,
		`(?i)(["<])` + q + `([">])`,
	} {
		out = append(out, regexp.MustCompile(p))
	}
	return out
}

var statusCode = regexp.MustCompile(`^([245])\.\d{1,3}\.\d{1,3}`)

// genericStatus replaces each specific Status of the delivery-status parts
// (5.1.1) by its class's generic code (5.0.0), in the per-recipient groups
// that have a Diagnostic-Code saying the cause in the server's words (a
// group with none would be left with no cause at all).
func genericStatus(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	var edits []edit
	for _, p := range dsnParts(root) {
		fs, ok := dsnFields(b, p)
		if !ok {
			return nil, nil, false
		}
		// the groups: fields parted by an empty line
		var groups [][]dsnField
		for i, f := range fs {
			if i == 0 || fs[i-1].end != f.start {
				groups = append(groups, nil)
			}
			groups[len(groups)-1] = append(groups[len(groups)-1], f)
		}
		for _, g := range groups {
			diag := false
			for _, f := range g {
				if f.name == "diagnostic-code" && len(tokenRe.FindAllString(strings.ToLower(diagWords(f.value)), -1)) >= 3 {
					diag = true
				}
			}
			for _, f := range g {
				if f.name != "status" || !diag {
					continue
				}
				m := statusCode.FindStringSubmatch(f.value)
				if m == nil || strings.HasPrefix(f.value, m[1]+".0.0") {
					continue
				}
				line := string(b[f.start:f.end])
				i := strings.Index(line, m[0])
				edits = append(edits, edit{f.start, f.end, []byte(line[:i] + m[1] + ".0.0" + line[i+len(m[0]):])})
			}
		}
	}
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

var transforms = []transform{
	{"no-diagnostic", "Diagnostic-Code fields dropped where the text part holds their words and codes", noDiagnostic},
	{"no-dsn", "delivery-status part dropped where the text part names every recipient and holds the Diagnostic-Code's words", noDSN},
	{"reencode-base64", "the text part re-encoded base64, same charset", reencode("base64")},
	{"reencode-qp", "the text part re-encoded quoted-printable, same charset", reencode("quoted-printable")},
	{"rewrap", fmt.Sprintf("the text part's ASCII lines longer than %d folded at %d at spaces, reply lines kept", rewrapLong, rewrapWidth), rewrap},
	{"rename", "every recipient's local part and domain renamed, labels rewritten alike", rename},
	{"generic-status", "Status x.y.z replaced by x.0.0 in the recipient groups whose Diagnostic-Code says the cause", genericStatus},
	{"dsn-only", "the text part of a multipart/report dropped where the delivery-status part gives every recipient a Status and a Diagnostic-Code", dsnOnly},
	{"no-original", "the returned message (message/rfc822 or the rfc822 headers part) dropped where the recipients are named elsewhere; not feedback reports or auto-replies", noOriginal},
	{"flat", "a multipart/report made one text/plain body: its text part, then the delivery-status fields as text", flat},
	{"reboundary", "every multipart of the bounce given another boundary: its digits drawn again (none: a suffix)", reboundary},
	{"reorder-headers", "the header fields in another order (trace fields first in their order, the rest reversed), each part's header reversed", reorderHeaders},
	{"crlf", "the other line ending: LF made CRLF, or CRLF made LF", crlf},
	{"mbox", "stored as an mbox entry: a \"From \" separator line first, body lines starting \">*From \" given one more \">\"", mbox},
	{"lower-fields", "every header and delivery-status field name in lower case", lowerFields},
	{"8bit", "the quoted-printable and base64 text and delivery-status parts sent 8bit (7bit if ASCII), where RFC 2045 allows", eightBit},
	{"transcode", "the text/plain parts with non-ASCII text written in another charset that holds it (legacy -> UTF-8, UTF-8 -> ISO-8859-1 or ISO-2022-JP), the charset parameter changed", transcode},
	{"refold", fmt.Sprintf("every header and delivery-status field of the bounce longer than %d unfolded and folded again at other blanks", refoldWidth), refold},
	{"trailing-space", "blanks appended to every line with text of the text part and the delivery-status parts", trailingSpace},
	{"encoded-words", "the bounce's Subject and From display name written as RFC 2047 encoded-words (an encoded Subject decoded and written in B)", encodedWords},
	{"dsn-spacing", "delivery-status fields with no blank after the colon, their address and diagnostic types in upper case", dsnSpacing},
	{"html", "the text part made text/html: each paragraph a <p>, its lines joined by <br>, charset and encoding kept", htmlText},
	{"mime-case", "the MIME fields' type, encoding, disposition and parameter names in upper case, token values quoted and quoted tokens unquoted", mimeCase},
	{"relayed", "Delivered-To, X-Original-To and two Received fields of the last hops to the bounce's To added on top", relayed},
}

// notEligible names, per transform, the messages it may not change
// whatever their structure (their labels say why).
var notEligible = map[string]func([]map[string]any) bool{
	"no-original": notEligibleForNoOriginal,
}

// kidSpan is the bytes of kid k of multipart p with its delimiter line:
// from the line break before that delimiter to the end of the kid (the
// line break before the next delimiter belongs to that one), as no-dsn
// drops a part.
func kidSpan(b []byte, k *mpart) (int, int) {
	start := k.start
	for start > 0 && b[start-1] != '\n' {
		start--
	}
	if start > 0 {
		start-- // the "\n" ending the delimiter line
		for start > 0 && b[start-1] != '\n' {
			start--
		}
		if start > 0 {
			start--
			if start > 0 && b[start-1] == '\r' {
				start--
			}
		}
	}
	return start, k.end
}

// reportPart is the multipart/report of the bounce (the message itself or
// a part of it, never inside a returned message).
func reportPart(root *mpart) *mpart {
	var found *mpart
	root.walk(func(p *mpart) {
		if found == nil && !p.inMessage && p.ctype == "multipart/report" && len(p.kids) > 0 {
			found = p
		}
	})
	return found
}

// isDSN says whether p is a delivery-status part.
func isDSN(p *mpart) bool {
	return p.ctype == "message/delivery-status" || p.ctype == "message/global-delivery-status"
}

// dsnRecipientGroups returns, for each per-recipient group of the
// delivery-status parts, its fields by name (the first of each).
func dsnRecipientGroups(b []byte, root *mpart) ([]map[string]string, bool) {
	var groups []map[string]string
	for _, p := range dsnParts(root) {
		switch p.cte() {
		case "", "7bit", "8bit", "binary":
		default:
			return nil, false
		}
		var cur map[string]string
		for i := p.body; i <= p.end; {
			next, content := i, i
			if i < p.end {
				next, content = lineEnd(b, i, p.end)
			}
			if i == p.end || content == i || strings.TrimSpace(string(b[i:content])) == "" {
				if cur != nil && cur["final-recipient"] != "" {
					groups = append(groups, cur)
				}
				cur = nil
				if i == p.end {
					break
				}
			} else if b[i] != ' ' && b[i] != '\t' {
				if name, value, ok := strings.Cut(string(b[i:content]), ":"); ok {
					if cur == nil {
						cur = map[string]string{}
					}
					n := strings.ToLower(strings.TrimSpace(name))
					if _, ok := cur[n]; !ok {
						cur[n] = strings.TrimSpace(value)
					}
				}
			}
			i = next
		}
	}
	return groups, len(groups) > 0
}

// dsnOnly drops the human-readable part of a multipart/report (its
// delimiter line with it), where the delivery-status part still tells a
// reader everything: a per-recipient group for every labelled recipient,
// each with a Status and a Diagnostic-Code in words.
func dsnOnly(b []byte, rcpts []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	rep := reportPart(root)
	if rep == nil || len(rep.kids) < 2 || isDSN(rep.kids[0]) {
		return nil, nil, false
	}
	first := rep.kids[0]
	if first.ctype != "text/plain" && first.ctype != "multipart/alternative" && first.ctype != "text/html" {
		return nil, nil, false
	}
	hasDSN := false
	for _, k := range rep.kids[1:] {
		hasDSN = hasDSN || isDSN(k)
	}
	groups, ok := dsnRecipientGroups(b, root)
	if !hasDSN || !ok {
		return nil, nil, false
	}
	for _, g := range groups {
		if !statusCode.MatchString(g["status"]) || len(tokenRe.FindAllString(strings.ToLower(diagWords(g["diagnostic-code"])), -1)) < 3 {
			return nil, nil, false
		}
	}
	for _, r := range rcpts {
		found := false
		for _, g := range groups {
			found = found || strings.Contains(strings.ToLower(g["final-recipient"]+" "+g["original-recipient"]), strings.ToLower(r))
		}
		if r == "" || !found {
			return nil, nil, false
		}
	}
	s, e := kidSpan(b, first)
	return applyEdits(b, []edit{{s, e, nil}}), nil, true
}

// noOriginal drops the returned message (message/rfc822, text/rfc822-headers
// or message/rfc822-headers parts of the bounce, their delimiter lines with
// them), where every labelled recipient is still named elsewhere in the
// message. It does not apply to feedback reports and auto-replies, whose
// verdict rests on the message they answer (eligible), nor where the
// attached message is a bounce itself (attachedBounce).
func noOriginal(b []byte, rcpts []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	var edits []edit
	feedback := false
	root.walk(func(p *mpart) {
		if p.ctype == "message/feedback-report" || (p.ctype == "multipart/report" && strings.EqualFold(p.params["report-type"], "feedback-report")) {
			feedback = true
		}
		if p.inMessage || len(p.kids) < 2 || !strings.HasPrefix(p.ctype, "multipart/") {
			return
		}
		for i, k := range p.kids {
			switch k.ctype {
			case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global", "message/global-headers":
				if i == 0 {
					continue // the first part is the notice's own
				}
				if attachedBounce(k) && !attachedBounce(&mpart{kids: []*mpart{root}}) {
					feedback = true // the verdict rests on it
				}
				s, e := kidSpan(b, k)
				edits = append(edits, edit{s, e, nil})
			}
		}
	})
	if feedback || len(edits) == 0 {
		return nil, nil, false
	}
	out := applyEdits(b, edits)
	lower := strings.ToLower(string(out))
	for _, r := range rcpts {
		if r == "" || !strings.Contains(lower, strings.ToLower(r)) {
			return nil, nil, false
		}
	}
	return out, nil, true
}

// attachedBounce says whether the message attached as k is a bounce: from
// a mail system, or a report. Where a message that is not one itself (a
// mailing list's bounce action notice) attaches one, that bounce says why,
// and noOriginal does not drop it.
func attachedBounce(k *mpart) bool {
	if len(k.kids) == 0 {
		return false
	}
	m := k.kids[0]
	from, _ := m.get("from")
	f := strings.ToLower(from.value)
	return strings.Contains(f, "mailer-daemon") || strings.Contains(f, "postmaster") || m.ctype == "multipart/report"
}

// notEligibleForNoOriginal: an auto-reply's or a feedback report's verdict
// rests on the message it answers.
func notEligibleForNoOriginal(recs []map[string]any) bool {
	for _, r := range recs {
		switch r["reason"] {
		case "vacation", "feedback", "delivered":
			return true
		}
	}
	return false
}

// flat turns a multipart/report that is the whole message into one
// text/plain body: the human-readable part's text, then the
// delivery-status parts' fields as text, in the text part's charset and
// transfer encoding, as gateways and forwarders that flatten reports do.
// The returned message goes.
func flat(b []byte, rcpts []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	if root.ctype != "multipart/report" || len(root.kids) < 2 {
		return nil, nil, false
	}
	tp := textPart(root)
	if tp == nil || tp != root.kids[0] {
		return nil, nil, false
	}
	text, ok := decodedBody(b, tp)
	if !ok {
		return nil, nil, false
	}
	nl := eol(b)
	body := strings.TrimRight(string(text), "\r\n") + nl + nl
	n := 0
	for _, k := range root.kids[1:] {
		if !isDSN(k) {
			continue
		}
		d, ok := decodedBody(b, k)
		if !ok {
			return nil, nil, false
		}
		body += strings.TrimRight(string(d), "\r\n") + nl + nl
		n++
	}
	if n == 0 {
		return nil, nil, false
	}
	lower := strings.ToLower(body)
	for _, r := range rcpts {
		if r == "" || !strings.Contains(lower, strings.ToLower(r)) {
			return nil, nil, false
		}
	}
	ct := "Content-Type: text/plain"
	if cs := tp.params["charset"]; cs != "" {
		ct += "; charset=\"" + cs + "\""
	}
	cte := tp.cte()
	edits := []edit{{root.body, root.end, encodeAs([]byte(body), cte, nl)}}
	ctf, _ := root.get("content-type")
	edits = append(edits, edit{ctf.start, ctf.end, []byte(ct + nl)})
	if f, ok := root.get("content-transfer-encoding"); ok {
		edits = append(edits, edit{f.start, f.end, nil})
	}
	if cte != "" && cte != "7bit" {
		at := ctf.end
		edits = append(edits, edit{at, at, []byte("Content-Transfer-Encoding: " + cte + nl)})
	}
	return applyEdits(b, edits), nil, true
}

// redrawBoundary is the boundary another run of the same MTA would draw:
// its letters and punctuation kept (some MTAs sign their reports in them,
// "=_Active!Hunter_"), its digits (the time, queue ID, counter or random
// part) drawn again; one without digits gets a suffix.
func redrawBoundary(old string, n int) string {
	b := []byte(old)
	digits := false
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '0' + (c-'0'+3+byte(n))%10
			digits = true
		}
	}
	if !digits {
		return old + fmt.Sprintf("_%d", n)
	}
	return string(b)
}

// reboundary gives every multipart of the bounce (not of a returned
// message) another boundary, in its Content-Type and its delimiter lines,
// as another run of the MTA would draw it (redrawBoundary).
func reboundary(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	var edits []edit
	n := 0
	root.walk(func(p *mpart) {
		old := p.params["boundary"]
		if p.inMessage || len(p.kids) == 0 || !strings.HasPrefix(p.ctype, "multipart/") || old == "" {
			return
		}
		n++
		nb := redrawBoundary(old, n)
		f, _ := p.get("content-type")
		raw := string(b[f.start:f.end])
		i := strings.Index(raw, old)
		if i < 0 {
			return
		}
		edits = append(edits, edit{f.start + i, f.start + i + len(old), []byte(nb)})
		gaps := [][2]int{}
		at := p.body
		for _, k := range p.kids {
			gaps = append(gaps, [2]int{at, k.start})
			at = k.end
		}
		gaps = append(gaps, [2]int{at, p.end})
		delim := []byte("--" + old)
		for _, g := range gaps {
			for i := g[0]; i < g[1]; {
				next, _ := lineEnd(b, i, g[1])
				if bytes.HasPrefix(b[i:next], delim) {
					edits = append(edits, edit{i + 2, i + 2 + len(old), []byte(nb)})
				}
				i = next
			}
		}
	})
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}

// reorderHeaders writes the bounce's header fields in another order: the
// trace fields (Return-Path, Received) first in their own order (RFC 5322
// section 3.6 keeps their order meaningful), then the others in reverse;
// each MIME part's header of the bounce in reverse. RFC 5322 section 3.6
// gives the other fields no meaning by order.
func reorderHeaders(b []byte, _ []string) ([]byte, map[string]string, bool) {
	root := parseMessage(b)
	var edits []edit
	nl := eol(b)
	root.walk(func(p *mpart) {
		if p.inMessage || len(p.fields) < 2 {
			return
		}
		var trace, rest []field
		for _, f := range p.fields {
			if p == root && (f.name == "received" || f.name == "return-path" || strings.ContainsAny(f.name, " \t")) {
				trace = append(trace, f)
			} else {
				rest = append(rest, f)
			}
		}
		var out []byte
		for _, f := range trace {
			out = append(out, b[f.start:f.end]...)
		}
		for i := len(rest) - 1; i >= 0; i-- {
			fb := b[rest[i].start:rest[i].end]
			out = append(out, fb...)
			if !bytes.HasSuffix(fb, []byte("\n")) {
				out = append(out, nl...)
			}
		}
		s, e := p.fields[0].start, p.fields[len(p.fields)-1].end
		if !bytes.Equal(out, b[s:e]) {
			edits = append(edits, edit{s, e, out})
		}
	})
	if len(edits) == 0 {
		return nil, nil, false
	}
	return applyEdits(b, edits), nil, true
}
