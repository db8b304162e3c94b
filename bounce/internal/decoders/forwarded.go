package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// decodeForwarded reads a bounce that mailing-list software or a list
// owner passes on as an attached message: Mailman's "Uncaught bounce
// notification" (Mailman 2 Bouncer: "The attached message was received
// as a bounce, but either the bounce format was not recognized, or no
// member addresses could be extracted from it"), the bounces Majordomo
// and ezmlm forward to their owners, a person's "Fwd:" of a bounce as an
// attachment:
//
//	From: news-bounces@lists.example
//	Subject: Uncaught bounce notification
//	Content-Type: multipart/mixed
//
//	--b
//	Content-Type: text/plain
//	The attached message was received as a bounce, ...
//	--b
//	Content-Type: message/rfc822
//	From: MAILER-DAEMON@mx.example.org
//	Subject: Mail delivery failed
//	...
//
// A bounce forwarded inline, under a "---------- Forwarded message
// ----------" or "-----Original Message-----" line followed by its
// header fields (From:, Date:, Subject:, To:), or quoted line by line
// with "> ", is read the same way, from those fields and the text after
// them.
//
// The outer message must itself look like a bounce or come from a list's
// administrative address (owner, bounces, request, admin), and the
// attached message must carry the marks of a bounce in its own header:
// a list post that merely forwards a delivery report to the members is
// not one.
func decodeForwarded(m *message) *Report {
	admin := listAdminSender(m.lowerFrom()) || ezmlmNotice(m)
	if !admin && (!looksLikeBounce(m) || m.hasField("list-id") || m.hasField("list-post")) {
		// A post distributed by a list (RFC 2919 List-Id, RFC 2369
		// List-Post) was written to its members, not to the sender.
		return nil
	}
	var raw []byte
	if p := m.findPart("message/rfc822", "message/global"); p != nil && p.Depth <= 4 {
		raw = mime.TrimLeadingBlankLines(p.Body())
	} else if raw = inlineForward(m.text()); raw == nil {
		return nil
	}
	im, err := newMessage(raw, m.opts, false)
	if err != nil || !looksLikeBounce(im) {
		return nil
	}
	return decodeNested(im, func(d *decoder) bool {
		return d.name == "x5" || d.name == "forwarded" || d.name == "verp" || d.family == familyAutoReply
	})
}

// listAdminSender reports whether a lower-case From value is a mailing
// list's administrative address: Mailman's LIST-owner and LIST-bounces,
// Majordomo's owner-LIST and LIST-request, LIST-admin.
//
// LISTSERV passes on what reached owner-LIST from its own address
// ("The enclosed message has been identified as a delivery error for
// the LIST list because it was sent to 'owner-LIST@...'", University of
// Iowa's LISTSERV owner help), and ezmlm warns a subscriber whose mail
// bounces from LIST-help@ (ezmlm-make's "contact LIST-help@HOST; run by
// ezmlm"; ezmlmNotice), the bounce inline below its text/bounce-bottom
// line.
func listAdminSender(from string) bool {
	for _, w := range []string{"-owner@", "owner-", "-bounces@", "-request@", "-admin@", "listserv@"} {
		if contains(from, w) {
			return true
		}
	}
	return false
}

// ezmlmNotice reports whether a message is one of ezmlm's own notices:
// ezmlm writes "Mailing-List: contact LIST-help@HOST; run by ezmlm" in
// them (ezmlm-make's mailinglist file).
func ezmlmNotice(m *message) bool {
	return contains(toLower(m.getField("mailing-list")), "run by ezmlm")
}

// forwardMarkers are the lines mail programs write above a message they
// forward inline (Gmail, Thunderbird, Outlook), lower-case.
var forwardMarkers = []string{"forwarded message", "original message", "message transféré", "weitergeleitete nachricht",
	// ezmlm's text/bounce-bottom: "--- Below this line is a copy of the
	// bounce message I received."
	"copy of the bounce message"}

// inlineForward returns the message a text forwards inline, rebuilt as
// a message (its header fields, a blank line, the rest), or nil: after a
// forward marker line (or at the start of a text quoted with "> "), at
// least two header fields, one of them From.
func inlineForward(text string) []byte {
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		t := toLower(strings.TrimSpace(l))
		if strings.HasPrefix(t, "---") || strings.HasPrefix(t, "***") {
			for _, mk := range forwardMarkers {
				if contains(t, mk) {
					start = i + 1
					break
				}
			}
		} else if strings.HasPrefix(t, "> from:") || strings.HasPrefix(t, ">from:") {
			start = i
		}
		if start >= 0 {
			break
		}
	}
	if start < 0 {
		return nil
	}
	rest := lines[start:]
	quoted := len(rest) > 0 && strings.HasPrefix(strings.TrimSpace(rest[0]), ">")
	var b strings.Builder
	fields, from, inHeader := 0, false, true
	for _, l := range rest {
		if quoted {
			t := strings.TrimLeft(l, " \t")
			if !strings.HasPrefix(t, ">") {
				if strings.TrimSpace(t) == "" {
					b.WriteByte('\n')
					continue
				}
				break
			}
			l = strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
		}
		if inHeader {
			t := strings.TrimSpace(l)
			if t == "" {
				if fields == 0 {
					continue
				}
				inHeader = false
				b.WriteByte('\n')
				continue
			}
			c := strings.IndexByte(t, ':')
			if c <= 0 || c > 30 || strings.ContainsAny(t[:c], " \t") {
				if fields == 0 {
					return nil
				}
				// Mail programs end the forwarded header without a blank line.
				inHeader = false
				b.WriteByte('\n')
			} else {
				fields++
				from = from || strings.EqualFold(t[:c], "from")
				b.WriteString(t)
				b.WriteByte('\n')
				continue
			}
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if fields < 2 || !from {
		return nil
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// forwardPrefixes begin the subject of a message a person forwards, as
// mail programs write it (English "Fwd:" and "Fw:", German "WG:", French
// "TR:", Spanish "RV:", Portuguese "Enc:"), lower-case.
var forwardPrefixes = []string{"fwd:", "fw:", "wg:", "tr:", "rv:", "enc:"}

// ownBounceForwarded reports whether a person forwards a bounce of a
// message they sent themselves: a "Fwd:" subject, no mark of a mail
// system (sender, null reverse-path, report part, X-Failed-Recipients,
// Auto-Submitted), sent to another domain than the forwarder's, and a
// forwarded message (attached or inline) whose To is the forwarder's own
// address. The bounce was theirs (a customer
// writing "my mail to you came back"): the address that failed is one
// they wrote to, not one the shop mailed, and nothing the shop sent
// failed.
func ownBounceForwarded(m *message) bool {
	if !hasPrefixAny(m.lowerSubject(), forwardPrefixes) || m.fromBounceSender() || nullReversePath(m) ||
		m.dsnPart() != nil || m.hasField("x-failed-recipients") || autoSubmitted(m) {
		return false
	}
	from := firstAddress(m.from)
	at := strings.LastIndexByte(from, '@')
	if at < 0 {
		return false
	}
	// The forward goes out of the forwarder's domain: someone outside
	// writes to the shop. Within one domain (a shop's desk forwarding its
	// own bounce to its postmaster) the bounce is the shop's.
	// A forward to the forwarder's own mailbox elsewhere (the same local
	// part at another domain) keeps the bounce for its reader, who sent
	// the message that failed: the bounce is theirs to act on.
	for _, a := range findAddresses(m.getField("to")) {
		i := strings.LastIndexByte(a, '@')
		if i < 0 || strings.EqualFold(a[i:], from[at:]) || strings.EqualFold(a[:i], from[:at]) {
			return false
		}
	}
	var raw []byte
	if p := m.findPart("message/rfc822", "message/global"); p != nil && p.Depth <= 4 {
		raw = mime.TrimLeadingBlankLines(p.Body())
	} else if raw = inlineForward(m.text()); raw == nil {
		return false
	}
	im, err := newMessage(raw, m.opts, false)
	if err != nil || !looksLikeBounce(im) {
		return false
	}
	for _, a := range findAddresses(im.getField("to")) {
		if strings.EqualFold(a, from) {
			return true
		}
	}
	return false
}
