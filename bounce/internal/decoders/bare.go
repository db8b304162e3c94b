package decoders

import (
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Bare local names.
//
// A notice may name a failed recipient by its local part alone: the
// Sendmail local mailer's "jsmith... User unknown" and its "The following
// addresses had permanent fatal errors" list (savemail.c lists the
// address as the mailer saw it, a local user without a domain), a DSN
// whose Final-Recipient is "rfc822; jsmith", CompuServe's and other
// gateways' "Receiver not found: 76543.210", AOL's screen names. Such a
// name is turned into an address only by structure, in this order of
// evidence:
//
//  1. the returned message's own recipient headers (To, Cc,
//     Delivered-To, X-Original-To, Envelope-To) hold an address whose
//     local part is the name: that address;
//  2. the notice was written by the recipient's own system, which is the
//     only one that resolves bare local names: its host (the From
//     mail-system address, the DSN's Reporting-MTA, the host the notice
//     names itself) is the domain, or a host within the domain, that
//     the returned message was addressed to: name@that domain. Without a
//     returned message the notice must say so itself: it is signed by a
//     registrable domain (MAILER-DAEMON@aol.com, postmaster@compuserve.com:
//     RFC 5321 section 4.5.1's postmaster of the domain), or the server
//     it quotes as refusing the name is in the same registrable domain
//     as the reporting host;
//  3. otherwise the name is left out: an address is never invented.
//
// A role or program word (postmaster, MAILER-DAEMON, root, "user",
// "recipient") and a word that is not a valid local part are never
// mapped.

// placeBare returns the address a notice means by the bare local name
// name, or "" when the message holds no evidence of its domain.
func (m *message) placeBare(name string) string {
	if a := m.bareFromOriginal(name); a != "" {
		return a
	}
	return m.bareFromHost(name)
}

// bareName trims what notices put around a bare name ("<jsmith>",
// "jsmith...", quotes) and returns it when it is one: a dot-atom local
// part (RFC 5322 section 3.4.1) of 2 to 64 letters, digits, dots,
// underscores, hyphens and plus signs that is not
// a role or program word and not a number; "" otherwise. Spaces are kept
// for screen names (screenNameDomains).
func bareName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "...")
	s = strings.Trim(s, "<>\"'`,;:()[] \t")
	if len(s) < 2 || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || contains(s, "..") {
		return ""
	}
	letters := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if i == 0 || s[i-1] == ' ' {
				return ""
			}
		case !localPartByte(c):
			// Letters, digits and . _ - + only: the rest of RFC
			// 5322's atext ('/', '|', '=') is a path, a program or
			// a rewritten route here, not a person's name.
			return ""
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letters = true
		}
	}
	if !letters && !contains(s, ".") {
		// A reply code or a count, not a name; CompuServe's numeric
		// user IDs hold a dot ("76543.210").
		return ""
	}
	if roleWords[toLower(strings.ReplaceAll(s, " ", ""))] {
		return ""
	}
	return s
}

// roleWords are local parts of mail systems and words notices use in
// place of a name, lower-case: never a failed person's mailbox. The mail
// system's own (RFC 2142 section 5: postmaster, hostmaster; MAILER-DAEMON,
// root, daemon, nobody as Unix mail systems name themselves) and the
// placeholders of notices' lists.
var roleWords = map[string]bool{
	"postmaster": true, "hostmaster": true, "mailer-daemon": true, "mailer_daemon": true, "mailerdaemon": true,
	"maildaemon": true, "mail-daemon": true, "daemon": true, "root": true, "nobody": true, "uucp": true,
	"mail": true, "smtp": true, "user": true, "users": true, "username": true, "recipient": true,
	"recipients": true, "address": true, "addresses": true, "sender": true, "unknown": true, "mailbox": true,
	"account": true, "host": true, "local": true, "error": true, "errors": true, "reason": true,
	"undisclosed-recipients": true, "undisclosed": true, "none": true, "noreply": true, "no-reply": true,
	"bounce": true, "bounces": true, "admin": true, "administrator": true, "system": true, "the": true,
	"to": true, "cc": true, "bcc": true, "from": true, "following": true, "message": true, "because": true,
}

// originalRecipientHeaders are the returned message's headers that name
// its recipients.
var originalRecipientHeaders = []string{"To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"}

// originalRecipients returns the addresses of the returned message's
// recipient headers, in order.
func (m *message) originalRecipients() []string {
	o := m.original()
	var out []string
	for _, k := range originalRecipientHeaders {
		for _, v := range o.Header(k) {
			for _, a := range findAddresses(v) {
				out = appendUnique(out, a)
			}
		}
	}
	return out
}

// bareFromOriginal returns the address of the returned message's
// recipient headers, or of the "for" clause of its Received fields (RFC
// 5321 section 4.4: the envelope recipient the receiving host took it
// for), whose local part is name (case-insensitively), or "".
func (m *message) bareFromOriginal(name string) string {
	key := strings.ReplaceAll(name, " ", "")
	for _, a := range append(m.originalRecipients(), m.originalReceivedFor()...) {
		at := strings.LastIndexByte(a, '@')
		if at <= 0 || !strings.EqualFold(a[:at], key) {
			continue
		}
		if key != name && !screenNameDomains[a[at+1:]] {
			continue
		}
		return a
	}
	return ""
}

// originalReceivedFor returns the addresses of the "for <a>" clauses of
// the returned message's Received fields, in order.
func (m *message) originalReceivedFor() []string {
	var out []string
	o := m.original()
	for _, v := range o.Header("Received") {
		l := toLower(v)
		i := strings.Index(l, " for ")
		if i < 0 {
			i = strings.Index(l, "\tfor ")
		}
		if i < 0 {
			continue
		}
		rest := strings.TrimSpace(v[i+5:])
		if end := strings.IndexByte(rest, ';'); end >= 0 {
			rest = rest[:end]
		}
		if a := firstAddress(rest); a != "" {
			out = appendUnique(out, a)
		}
	}
	return out
}

// screenNameDomains are the domains whose members' names are screen
// names, which ignore case and spaces: AOL's ("Sunny Day42" is
// sunnyday42@aol.com).
var screenNameDomains = map[string]bool{"aol.com": true}

// bareFromHost returns name at the domain of the notice's own host when
// the message shows that host to be the recipient's (see the rules
// above), or "".
func (m *message) bareFromHost(name string) string {
	hosts := m.noticeHosts()
	if len(hosts) == 0 {
		return ""
	}
	domain := ""
	if rcpts := m.originalRecipients(); len(rcpts) > 0 {
		for _, a := range rcpts {
			d := domainOf(a)
			for _, h := range hosts {
				if hostIs(h, d) {
					if domain != "" && domain != d {
						return "" // two of the recipients' domains: which one?
					}
					domain = d
				}
			}
		}
	} else {
		domain = m.selfSignedDomain(hosts)
	}
	if domain == "" {
		return ""
	}
	return bareAt(name, domain)
}

// bareAt returns name@domain, a screen name without its spaces and in
// lower case; "" for a name with spaces at another domain.
func bareAt(name, domain string) string {
	if screenNameDomains[domain] {
		return toLower(strings.ReplaceAll(name, " ", "")) + "@" + domain
	}
	if contains(name, " ") {
		return ""
	}
	return normalizeAddress(name + "@" + domain)
}

// noticeHosts returns the hosts a notice says wrote it, lower-case: the
// domain of a mail-system From address (MAILER-DAEMON@, postmaster@),
// the delivery-status part's Reporting-MTA, and the host a Postfix-style
// notice names ("This is the mail system at host mx.example.org.").
func (m *message) noticeHosts() []string {
	var out []string
	if m.fromBounceSender() {
		if d := domainOf(firstAddress(m.from)); d != "" {
			out = append(out, d)
		}
	}
	if rm, _ := dsnOf(m); rm != "" {
		out = appendUnique(out, hostOf(rm))
	}
	l := m.lowerNotice()
	for _, w := range []string{"mail system at host ", "program at host "} {
		if i := strings.Index(l, w); i >= 0 {
			if h := hostOf(strings.TrimSuffix(firstWord(l[i+len(w):]), ".")); contains(h, ".") {
				out = appendUnique(out, h)
			}
		}
	}
	return out
}

// selfSignedDomain returns the registrable domain a notice without a
// returned message speaks for, or "": a notice host that is a
// registrable domain itself, or one that shares its registrable domain
// with a server the notice quotes as refusing the recipient (Sendmail's
// "... while talking to air-xa01.mail.aol.com.:", a DSN's Remote-MTA).
// A host name alone (MAILER-DAEMON@relay.isp.example) may be any relay
// on the way: it is not evidence of the recipient's domain.
func (m *message) selfSignedDomain(hosts []string) string {
	for _, h := range hosts {
		if reg := registrable(h); reg != "" && reg == h {
			return reg
		}
	}
	remotes := m.refusingHosts()
	for _, h := range hosts {
		reg := registrable(h)
		if reg == "" {
			continue
		}
		for _, r := range remotes {
			if registrable(r) == reg {
				return reg
			}
		}
	}
	return ""
}

// refusingHosts returns the servers a notice quotes as refusing a
// recipient: Sendmail's "while talking to HOST.:" and the DSN's
// Remote-MTA fields.
func (m *message) refusingHosts() []string {
	var out []string
	l := m.lowerNotice()
	for off := 0; ; {
		i := strings.Index(l[off:], "while talking to ")
		if i < 0 {
			break
		}
		off += i + len("while talking to ")
		if h := hostOf(strings.TrimRight(firstWord(l[off:]), ".:")); contains(h, ".") {
			out = appendUnique(out, h)
		}
	}
	_, rs := dsnOf(m)
	for _, r := range rs {
		if r.RemoteMTA != "" {
			out = appendUnique(out, hostOf(r.RemoteMTA))
		}
	}
	return out
}

// registrable returns a host's registrable domain (the public suffix
// plus one label, by the Public Suffix List), or "".
func registrable(host string) string {
	host = strings.TrimSuffix(toLower(host), ".")
	if !contains(host, ".") {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}

// firstWord returns s up to its first white space.
func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t")
	if i := strings.IndexAny(s, " \t\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// resolveBare replaces each recipient of rep named by a bare local name
// with the address the message shows it to be (placeBare) and drops
// the recipients it cannot place: a decoder may read the name, only the
// message as a whole says its domain.
func (m *message) resolveBare(rep *Report) {
	out := rep.Recipients[:0]
	for _, r := range rep.Recipients {
		if a := strings.TrimSpace(r.Address); a != "" && strings.IndexByte(a, '@') < 0 {
			name := bareName(a)
			if name == "" {
				continue
			}
			if r.Address = m.placeBare(name); r.Address == "" {
				continue
			}
		}
		out = append(out, r)
	}
	rep.Recipients = out
}

// bareNoticeRecipients returns the recipients of a notice that names
// them by bare local names only, each placed by placeBare; names it
// cannot place are left out. It reads the names where notices list
// failed recipients:
//
//   - under a heading that introduces a list of them, one name a line,
//     alone or followed by the cause ("jdoe    Mailbox unknown"):
//     Sendmail's "The following addresses had permanent fatal errors"
//     (savemail.c), AOL's "Your mail to the following recipients could
//     not be delivered because ...", Lotus Notes' "was not delivered
//     to:", "Message not delivered to the following:";
//   - after a label that names the failure ("Receiver not found:",
//     "unknown user:", "User unknown:");
//   - in Sendmail's own line about a recipient, "550 jsmith... User
//     unknown" (its usrerr format: reply, address, "... ", text).
//
// Each diagnostic is the heading or label line, the "(reason: ...)"
// line under the name, and the lines that name it alone.
func bareNoticeRecipients(m *message) []Recipient {
	text := unfoldWrapped(m.text()) // a heading folded by a relay read whole
	var out []Recipient
	var at []int // the line each was found on
	seen := map[string]bool{}
	n := 0
	add := func(raw, diag string) {
		name := bareName(raw)
		if name == "" || seen[toLower(name)] {
			return
		}
		a := m.placeBare(name)
		if a == "" {
			return
		}
		seen[toLower(name)] = true
		out = append(out, Recipient{Address: a, Diagnostic: diag})
		at = append(at, n)
	}
	lines := strings.Split(text, "\n")
	heading, in := "", false
	for i, line := range lines {
		n = i
		t := strings.TrimSpace(line)
		l := toLower(t)
		if strings.HasPrefix(t, "-----") && !bareListHeading(l) {
			in = false
			if isUnsentMarker(l) {
				break // the returned message follows
			}
			continue
		}
		switch {
		case bareListHeading(l):
			heading, in = t, true
			if strings.HasPrefix(t, "-----") {
				heading = "" // Sendmail's ruler says nothing of the cause
			} else if c := strings.LastIndexByte(t, ':'); c >= 0 && c < len(t)-1 {
				// The name on the heading's own line ("Your message
				// was not delivered to: jdoe").
				if rest := strings.TrimSpace(t[c+1:]); !strings.ContainsAny(rest, " \t@") {
					add(rest, t)
				}
			}
			continue
		case in && t == "" && len(out) > 0:
			in = false
			continue
		case in && t == "":
			continue
		case in && strings.HasPrefix(l, "(expanded from:"):
			// Sendmail's "(expanded from: marta)" under the program or
			// file an alias led to ("|/usr/cyrus/bin/deliver ... marta"):
			// the name the message was addressed to is the recipient.
			if name := strings.TrimSpace(strings.TrimSuffix(t[len("(expanded from:"):], ")")); !strings.ContainsAny(name, " \t@") {
				add(name, heading)
			}
			continue
		case in && strings.HasPrefix(t, "(") && len(out) > 0:
			d := &out[len(out)-1].Diagnostic
			*d = strings.TrimSpace(*d + " " + strings.Trim(t, "()"))
			continue
		case in:
			if strings.IndexByte(t, '@') >= 0 {
				continue
			}
			if name, cause, ok := strings.Cut(t, " "); ok && bareName(name) != "" && hasFailureWords(cause) {
				// "jdoe    Mailbox unknown": the name, then why.
				add(name, strings.TrimSpace(heading+" "+t))
				continue
			}
			add(t, heading)
			continue
		}
		if name, ok := bareLabelled(t); ok {
			add(name, t)
			continue
		}
		if name := quotedBareName(t); name != "" {
			add(name, t)
			continue
		}
		if a, rest, codes := sendmailSummary(t); a != "" && rest != "" && codes != "" && strings.IndexByte(a, '@') < 0 {
			add(a, t)
		}
	}
	replies := oneLine(errorLines(m.notice()))
	if len(out) == 1 {
		// One recipient: the whole transcript is about it, its lines
		// that name the name inside a mailbox path too ("+user.marta:
		// Mailbox does not exist", Cyrus' deliver).
		if tr := transcriptText(text); tr != "" && !contains(out[0].Diagnostic, tr) {
			out[0].Diagnostic = strings.TrimSpace(out[0].Diagnostic + " " + tr)
		}
	}
	for i := range out {
		r := &out[i]
		local := r.Address[:strings.LastIndexByte(r.Address, '@')]
		for _, line := range lines {
			t := strings.TrimSpace(line)
			if t != "" && !contains(r.Diagnostic, t) && namesAlone(t, local) && len(t) <= 200 {
				r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + t)
			}
		}
		if !hasFailureWords(r.Diagnostic) {
			// "Your message was not delivered to: jdoe" / "" / "The
			// user does not exist in this post office."
			if next := paragraphFrom(lines, at[i]+1); next != "" && !contains(r.Diagnostic, next) {
				r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + next)
			}
		}
		if !hasFailureWords(r.Diagnostic) && replies != "" && !contains(r.Diagnostic, replies) {
			r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + replies)
		}
		fillCodes(r)
	}
	return out
}

// paragraphFrom returns the first paragraph at or after line i that
// follows a blank line, as one line; "" when it is long, is a ruler or
// names an address (another part of the notice).
func paragraphFrom(lines []string, i int) string {
	for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
		i++ // the rest of the name's own paragraph
	}
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	var p []string
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		p = append(p, strings.TrimSpace(lines[i]))
	}
	s := strings.Join(p, " ")
	if s == "" || len(s) > maxParagraphAfter || strings.HasPrefix(s, "-") || strings.IndexByte(s, '@') >= 0 {
		return ""
	}
	return s
}

// bareListHeadings introduce a list of failed recipients, one a line,
// lower-case.
var bareListHeadings = []string{
	"following addresses had permanent fatal errors", "following recipients could not be delivered",
	"to the following recipients could not be", "was not delivered to:", "not delivered to the following",
	"following recipients did not receive", "following recipient(s) could not be",
}

func bareListHeading(l string) bool {
	return containsAny(l, bareListHeadings)
}

// isUnsentMarker reports whether a ruler line heads the returned
// message (Sendmail's "----- Unsent message follows -----" and kin).
func isUnsentMarker(l string) bool {
	return containsAny(l, sendmailEndMarkers)
}

// transcriptText returns the lines of Sendmail's "----- Transcript of
// session follows -----" section up to the next ruler, as one line, or "".
func transcriptText(notice string) string {
	body, ok := transcriptSection(notice)
	if !ok {
		return ""
	}
	var out []string
	for line := range lineSeq(body) {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "-----") {
			break
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// quotedNameLeads come before a bare name in quotes in a sentence that
// says the recipient failed ("The user 'jmartin' does not exist on this
// server."), lower-case.
var quotedNameLeads = []string{"user ", "mailbox ", "recipient ", "account "}

// quotedBareName returns the name quoted after a lead of quotedNameLeads
// on a line that names a cause, or "".
func quotedBareName(t string) string {
	l := toLower(t)
	for _, lead := range quotedNameLeads {
		i := strings.Index(l, lead)
		if i < 0 || i+len(lead) >= len(t) {
			continue
		}
		q := t[i+len(lead)]
		if q != '\'' && q != '"' {
			continue
		}
		rest := t[i+len(lead)+1:]
		j := strings.IndexByte(rest, q)
		if j <= 0 || strings.ContainsAny(rest[:j], " \t@") || !hasFailureWords(rest[j+1:]) {
			continue
		}
		return rest[:j]
	}
	return ""
}

// bareLabels name, before a colon, the failed recipient that follows
// them on their line, lower-case: CompuServe's and other gateways'
// "Receiver not found:", the Unix local mailers' "unknown user:"
// (mail.local) and their kin.
var bareLabels = []string{
	"receiver not found", "invalid receiver address", "unknown user", "user unknown", "no such user",
	"unknown recipient", "recipient not found", "no such recipient", "invalid recipient",
	// MDaemon's list of failed recipients ("Failed address: ...").
	"failed address",
}

// bareLabelled returns the one word after a bare label's colon on line t
// ("Receiver not found: 76543.210", "mail.local: unknown user: jsmith").
func bareLabelled(t string) (string, bool) {
	l := toLower(t)
	for _, lb := range bareLabels {
		i := strings.Index(l, lb+":")
		if i < 0 {
			continue
		}
		rest := strings.TrimSpace(t[i+len(lb)+1:])
		if rest == "" || strings.ContainsAny(rest, " \t@") {
			return "", false
		}
		return rest, true
	}
	return "", false
}

// namesAlone reports whether line t names local as a word of its own
// (not inside a longer word nor as the local part of an address), as
// localPartLine reads a notice's lines.
func namesAlone(t, local string) bool {
	for off := 0; off < len(t); {
		j := mime.IndexFold(t[off:], local)
		if j < 0 {
			return false
		}
		j += off
		k := j + len(local)
		off = k
		if j > 0 && localPartByte(t[j-1]) || k < len(t) && (localPartByte(t[k]) && t[k] != '.' || t[k] == '@') {
			continue
		}
		return true
	}
	return false
}
