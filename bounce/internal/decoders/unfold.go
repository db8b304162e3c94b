package decoders

import "strings"

// unfoldLines joins each line with the lines after it that begin with a
// space or a tab, its continuation (as RFC 5322 section 2.2.3 folds a
// header field, and as mail software folds a long line), for formats that
// write each entry on one line of their own at the left margin.
func unfoldLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1] != "" && l != "" && (l[0] == ' ' || l[0] == '\t') && strings.TrimSpace(l) != "" {
			out[n-1] = strings.TrimRight(out[n-1], " \t") + " " + strings.TrimSpace(l)
			continue
		}
		out = append(out, l)
	}
	return out
}

// foldWidth is the narrowest width a gateway folds a notice's long lines
// at (RFC 5322 section 2.1.1 recommends 78 characters; relays and
// Postfix fold at 64 to 76).
const foldWidth = 60

// unfoldWrapped joins the lines of a notice that a relay folded at spaces
// back to the line they were cut from: a continuation is indented deeper
// than the line before it, and its first word would not have fitted on
// that line within foldWidth (so the line was cut there, not ended). A
// heading and the indented list under it stay apart: the list's first
// item fits beside a heading that is short, is an address alone, or
// follows a ruler or a heading that ends in a colon (unless the colon is
// inside a quoted reply).
func unfoldWrapped(text string) string {
	if !contains(text, "\n ") && !contains(text, "\n\t") {
		return text
	}
	lines := splitLines(text)
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if n := len(out); n > 0 && foldedOnto(out[n-1], l) {
			out[n-1] = strings.TrimRight(out[n-1], " \t\r") + " " + strings.TrimSpace(l)
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// foldedOnto reports whether line l continues line prev, folded.
func foldedOnto(prev, l string) bool {
	t := strings.TrimSpace(l)
	p := strings.TrimRight(prev, " \t\r")
	if t == "" || strings.TrimSpace(p) == "" || indentOf(l) <= indentOf(prev) {
		return false
	}
	word := t
	if i := strings.IndexAny(t, " \t"); i >= 0 {
		word = t[:i]
	}
	if len(p)+1+len(word) <= foldWidth || bareAddress(t) != "" {
		return false
	}
	if strings.IndexByte("-=*_|#~+", p[len(p)-1]) >= 0 {
		return false // a ruler ("|----- Failed addresses follow: -----|") heads what is under it
	}
	// a heading ending in a colon introduces what is under it, unless
	// the colon is inside a quoted reply still open
	return !strings.HasSuffix(p, ":") || quoteOpen(p)
}

// quoteOpen reports whether s opens a quotation (' or " after a space or
// at its start) that it does not close; an apostrophe inside a word
// ("couldn't") neither opens nor closes one.
func quoteOpen(s string) bool {
	open := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' && s[i] != '"' {
			continue
		}
		before := i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '('
		after := i+1 == len(s) || strings.IndexByte(" \t.,;:)", s[i+1]) >= 0
		switch {
		case before && !after:
			open++
		case after && !before && open > 0:
			open--
		}
	}
	return open > 0
}

// joinBrokenAddresses rejoins an address in angle brackets that a line
// break cut at its "@" ("<christopher.montgomery-wellington@" and, on the
// next line, "example.co.uk>:"), as a relay re-wrapping long lines leaves
// it: an address holds no white space (RFC 5321 section 4.1.2), so the
// break and the indentation after it are removed. Only a break next to
// the "@" of an open "<" whose other half closes it on the next line is
// joined; text without one is returned as is.
func joinBrokenAddresses(text string) string {
	if !hasAtLineEnd(text) {
		return text
	}
	var b strings.Builder
	rest := text
	for {
		k := strings.Index(rest, "@\n")
		cr := false
		if j := strings.Index(rest, "@\r\n"); j >= 0 && (k < 0 || j < k) {
			k, cr = j, true
		}
		if k < 0 {
			break
		}
		head := rest[:k+1] // up to and including the "@"
		next := rest[k+2:]
		if cr {
			next = rest[k+3:]
		}
		tail := strings.TrimLeft(next, " \t")
		if brokenAtSign(head, tail) {
			b.WriteString(head)
			rest = tail
			continue
		}
		b.WriteString(rest[:k+1])
		rest = rest[k+1:]
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(rest)
	return b.String()
}

// brokenAtSign reports whether head ends in "<local@" (an open angle
// bracket, then a local part) and tail starts with "domain>".
func brokenAtSign(head, tail string) bool {
	l := len(head) - 1 // the "@"
	i := l
	for i > 0 && localChars[head[i-1]] {
		i--
	}
	if i == l || i == 0 || head[i-1] != '<' {
		return false
	}
	j := 0
	for j < len(tail) && domainChars[tail[j]] {
		j++
	}
	return j > 0 && j < len(tail) && tail[j] == '>' && contains(tail[:j], ".")
}

// hasAtLineEnd reports whether text holds "@\n" or "@\r\n": one scan
// for the at signs rather than one for each.
func hasAtLineEnd(text string) bool {
	for i := 0; ; {
		k := strings.IndexByte(text[i:], '@')
		if k < 0 {
			return false
		}
		i += k + 1
		if rest := text[i:]; strings.HasPrefix(rest, "\n") || strings.HasPrefix(rest, "\r\n") {
			return true
		}
	}
}
