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
// The outer message must itself look like a bounce or come from a list's
// administrative address (owner, bounces, request, admin), and the
// attached message must carry the marks of a bounce in its own header:
// a list post that merely forwards a delivery report to the members is
// not one.
func decodeForwarded(m *message) *Report {
	admin := listAdminSender(m.lowerFrom())
	if !admin && (!looksLikeBounce(m) || m.header().Has("list-id") || m.header().Has("list-post")) {
		// A post distributed by a list (RFC 2919 List-Id, RFC 2369
		// List-Post) was written to its members, not to the sender.
		return nil
	}
	p := m.findPart("message/rfc822", "message/global")
	if p == nil || p.Depth > 4 {
		return nil
	}
	im, err := newMessage(mime.TrimLeadingBlankLines(p.Body()), m.opts)
	if err != nil || !looksLikeBounce(im) {
		return nil
	}
	for _, d := range nestedDecoders {
		if d.name == "x5" || d.name == "forwarded" || d.name == "verp" || d.family == familyAutoReply {
			continue
		}
		if d.match != nil && !d.match(im) {
			continue
		}
		if rep := d.decode(im); rep != nil && len(rep.Recipients) > 0 {
			if rep.Format == "" {
				rep.Format = d.name
			}
			return rep
		}
	}
	return nil
}

// listAdminSender reports whether a lower-case From value is a mailing
// list's administrative address: Mailman's LIST-owner and LIST-bounces,
// Majordomo's owner-LIST and LIST-request, LIST-admin.
func listAdminSender(from string) bool {
	for _, w := range []string{"-owner@", "owner-", "-bounces@", "-request@", "-admin@"} {
		if strings.Contains(from, w) {
			return true
		}
	}
	return false
}
