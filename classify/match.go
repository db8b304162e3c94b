package classify

import (
	"fmt"
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// This file holds the text helpers of the rule tables: normalisation of the
// diagnostic (done once per call) and the pattern matcher.

// maxGap is how far apart (in bytes of normalised text) the pieces of a
// gapped pattern ("this user doesn't have a * account") may be.
const maxGap = 100

// pattern is one compiled wording. Its source syntax (see the package doc):
//
//	"user unknown"     plain substring of the normalised text
//	"|spam|"           the word "spam", not inside a longer word, an e-mail
//	                   address, a host name or a URL ('|' at either end
//	                   asks for a boundary on that side only)
//	"user * unknown"   pieces in this order, at most maxGap bytes apart
//	"^: user unknown"  only at the start of the text
type pattern struct {
	src    string
	pieces []string
	anchor bool // the first piece must start the text
	wordL  bool // boundary required before the first piece
	wordR  bool // boundary required after the last piece
	grams  []uint16
}

// bigrams is a 4096-bit set of the hashed byte pairs of a text: a pattern
// whose pairs are not all in the set cannot occur in the text, which
// spares most substring searches (the tables hold hundreds of wordings).
type bigrams [64]uint64

func gramOf(a, b byte) uint16 { return (uint16(a)<<5 ^ uint16(b)) & 4095 }

func (g *bigrams) add(s string) {
	for i := 0; i+1 < len(s); i++ {
		h := gramOf(s[i], s[i+1])
		g[h>>6] |= 1 << (h & 63)
	}
}

func (g *bigrams) has(h uint16) bool { return g[h>>6]&(1<<(h&63)) != 0 }

// index is a normalised text and its byte pairs.
type index struct {
	s     string
	grams bigrams
}

func newIndex(s string) index {
	x := index{s: s}
	x.grams.add(s)
	return x
}

// parsePattern compiles one wording of the syntax above, or says what is
// wrong with it.
func parsePattern(src string) (pattern, error) {
	p := pattern{src: src}
	s := src
	if strings.HasPrefix(s, "^") {
		p.anchor, s = true, s[1:]
	}
	if strings.HasPrefix(s, "|") {
		p.wordL, s = true, s[1:]
	}
	if strings.HasSuffix(s, "|") && len(s) > 1 {
		p.wordR, s = true, s[:len(s)-1]
	}
	for _, piece := range strings.Split(s, " * ") {
		if piece != "" {
			p.pieces = append(p.pieces, foldSpelling(piece))
		}
	}
	if len(p.pieces) == 0 || strings.TrimSpace(s) == "" {
		return p, fmt.Errorf("empty wording %q", src)
	}
	if strings.ToLower(s) != s {
		return p, fmt.Errorf("wording %q must be lower case (texts are matched lower-cased)", src)
	}
	if strings.ContainsAny(s, "\t\n") || strings.Contains(s, "  ") {
		return p, fmt.Errorf("wording %q holds a tab, a newline or two spaces (texts are matched with white space folded)", src)
	}
	// Up to six byte pairs spread over the pieces.
	for _, piece := range p.pieces {
		for i := 0; i+1 < len(piece); i += 1 + len(piece)/4 {
			if len(p.grams) < 6 {
				p.grams = append(p.grams, gramOf(piece[i], piece[i+1]))
			}
		}
	}
	return p, nil
}

// compilePattern is parsePattern for the wordings written in Go.
func compilePattern(src string) pattern {
	p, err := parsePattern(src)
	if err != nil {
		panic("classify: " + err.Error())
	}
	return p
}

// in reports whether p occurs in the indexed text x.
func (p *pattern) in(x *index) bool { return p.mayOccur(x) && p.match(x.s) }

// mayOccur reports whether every byte pair p was indexed by is in x.
func (p *pattern) mayOccur(x *index) bool {
	for _, h := range p.grams {
		if !x.grams.has(h) {
			return false
		}
	}
	return true
}

// match reports whether p occurs in the normalised text s.
func (p *pattern) match(s string) bool {
	first := p.pieces[0]
	if p.anchor {
		if !strings.HasPrefix(s, first) {
			return false
		}
		if len(p.pieces) == 1 {
			return !p.wordR || boundaryAfter(s, len(first))
		}
		return p.matchRest(s, len(first))
	}
	from := 0
	for from <= len(s) {
		i := strings.Index(s[from:], first)
		if i < 0 {
			return false
		}
		i += from
		from = i + 1
		if p.wordL && !boundaryBefore(s, i) {
			continue
		}
		end := i + len(first)
		if len(p.pieces) == 1 {
			if p.wordR && !boundaryAfter(s, end) {
				continue
			}
			return true
		}
		if p.matchRest(s, end) {
			return true
		}
	}
	return false
}

// matchRest matches pieces[1:] in order after position at.
func (p *pattern) matchRest(s string, at int) bool {
	for k := 1; k < len(p.pieces); k++ {
		piece := p.pieces[k]
		last := k == len(p.pieces)-1
		window := s[at:]
		if len(window) > maxGap+len(piece) {
			window = window[:maxGap+len(piece)]
		}
		found := false
		off := 0
		for {
			j := strings.Index(window[off:], piece)
			if j < 0 {
				break
			}
			j += off
			end := at + j + len(piece)
			if last && p.wordR && !boundaryAfter(s, end) {
				off = j + 1
				continue
			}
			at, found = end, true
			break
		}
		if !found {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// isJoiner reports whether c joins the parts of a host name, an address or
// a URL when it stands between two alphanumerics.
func isJoiner(c byte) bool {
	switch c {
	case '.', '-', '_', '@', '/', '=', '+', '%', '#', '?', '&':
		return true
	}
	return false
}

// boundaryBefore reports whether position i starts a word: the byte before
// is not alphanumeric and not a joiner preceded by an alphanumeric (so
// "spam" in "no-spam.example" or "x@spam.org" does not start a word).
func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	c := s[i-1]
	if isAlnum(c) {
		return false
	}
	if isJoiner(c) && i >= 2 && isAlnum(s[i-2]) {
		return false
	}
	return true
}

// boundaryAfter reports whether position i ends a word (see boundaryBefore).
func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	c := s[i]
	if isAlnum(c) {
		return false
	}
	if isJoiner(c) && i+1 < len(s) && isAlnum(s[i+1]) {
		return false
	}
	return true
}

// normalize lower-cases the diagnostic, folds every run of white space into
// one space, drops the reply-code prefixes of continued SMTP reply lines
// ("550-5.7.1 ", "550 5.7.1 " in the middle of the text) so that a wording
// split across lines reads as one, and replaces every e-mail address by "@"
// so that words inside addresses ("spam@", "full.name@") match nothing.
func normalize(text string) string {
	if text == "" {
		return ""
	}
	s := strings.ToLower(text)
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading white space
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n', '\v', '\f':
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		if space && b.Len() > 0 {
			if n := continuationPrefix(s, i); n > 0 {
				i += n - 1
				continue
			}
		}
		space = false
		b.WriteByte(c)
	}
	out := strings.TrimRight(b.String(), " ")
	if strings.IndexByte(out, '@') >= 0 {
		out = maskAddresses(out)
	}
	return foldSpelling(out)
}

// foldSpelling reads spellings of one word alike, in texts and in
// wordings (parsePattern), so that one wording matches them all: "e-mail"
// as "email" (Exchange 2010 writes "The e-mail address you entered
// couldn't be found" where Exchange Online writes "email"), "mail box" as
// "mailbox", British -ise and -our spellings of the words servers use as
// the American ones ("unrecognised", "authorised", "organisation",
// "behaviour"), the typographic apostrophe as the straight one, and the
// contractions as the words they stand for ("couldn't" as "could not",
// "can't" and "can not" as "cannot", "won't" as "will not").
func foldSpelling(s string) string {
	if !spellingMark(s) {
		return s
	}
	return spellings.Replace(s)
}

// spellingMark reports whether s may hold a spelling foldSpelling changes.
func spellingMark(s string) bool {
	for _, m := range []string{"e-mail", "mail box", "mail-box", "n't", "\u2019", "can not", "authoris", "recognis", "organis", "behaviour"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

var spellings = strings.NewReplacer(
	"e-mail", "email",
	"mail box", "mailbox", "mail-box", "mailbox",
	"authoris", "authoriz", "recognis", "recogniz", "organis", "organiz", "behaviour", "behavior",
	"can't", "cannot", "can\u2019t", "cannot", "can not", "cannot",
	"won't", "will not", "won\u2019t", "will not",
	"n't", " not", "n\u2019t", " not",
	"\u2019", "'",
)

// continuationPrefix returns the length of a reply-code prefix that starts
// at s[i] in the middle of a text ("550-", "550-5.7.1 ", "550 5.7.1 "), or 0.
func continuationPrefix(s string, i int) int {
	if i+4 > len(s) || !smtp.IsReplyCode(s[i:i+3]) {
		return 0
	}
	sep := s[i+3]
	if sep != '-' && sep != ' ' {
		return 0
	}
	j := i + 4
	n := smtp.StatusLen(s[j:])
	if n == 0 {
		if sep == '-' && (j == len(s) || s[j] == ' ') {
			return skipSpace(s, j) - i
		}
		return 0
	}
	j += n
	if j < len(s) && s[j] != ' ' {
		return 0
	}
	return skipSpace(s, j) - i
}

func skipSpace(s string, j int) int {
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
		j++
	}
	return j
}

func isLocalChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0
}

func isDomainChar(c byte) bool {
	return isAlnum(c) || c == '.' || c == '-' || c == '[' || c == ']' || c == ':'
}

// maskAddresses replaces every local@domain in s by "@".
func maskAddresses(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		l := i
		for l > last && isLocalChar(s[l-1]) {
			l--
		}
		r := i + 1
		for r < len(s) && isDomainChar(s[r]) {
			if s[r] == ':' && s[i+1] != '[' {
				break // a colon ends a domain name; only an address literal ("[IPv6:...]") holds one
			}
			r++
		}
		for r > i+1 && (s[r-1] == '.' || s[r-1] == ':' || s[r-1] == '-') {
			r-- // a sentence's full stop or a colon after the address
		}
		if l == i || r == i+1 {
			continue
		}
		b.WriteString(s[last:l])
		b.WriteByte('@')
		last = r
		i = r - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
