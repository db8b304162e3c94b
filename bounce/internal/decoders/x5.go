package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// X5 is an unidentified gateway (a mail filter appliance, seen with
// "TMMSG_" MIME boundaries) that, refused by the next hop, returns the
// bounce it received attached to a notice of its own whose list of
// addresses is empty:
//
//	----- The following addresses had permanent delivery errors -----
//
//	[message/rfc822: the next hop's bounce, with its delivery-status part]
//
// The decoder reads the attached bounce: the report is that bounce's,
// decoded by whichever decoder knows its format.

// nestedDecoders is the registry as seen from decodeX5 (which skips
// itself, auto-replies and the last resorts), set at
// initialisation (the registry holds decodeX5 itself).
var nestedDecoders []decoder

func init() { nestedDecoders = registry }

func matchX5(m *message) bool {
	return mailerDaemonFrom(m) && m.dsnPart() == nil
}

func decodeX5(m *message) *Report {
	p := m.originalPart()
	if p == nil || len(p.Children) == 0 || p.Depth > 4 {
		return nil
	}
	// Parse the attached message on its own, so that its parts are not
	// "inside an attached message".
	im, err := newMessage(mime.TrimLeadingBlankLines(p.Body()), m.opts, false)
	if err != nil || !isBounceSender(im.from) || im.dsnPart() == nil {
		return nil
	}
	if id := strings.TrimSpace(im.getField("message-id")); id != "" && strings.EqualFold(id, strings.TrimSpace(m.getField("message-id"))) {
		return nil
	}
	return decodeNested(im, func(d *decoder) bool {
		return d.name == "x5" || d.family == familyAutoReply || d.family == familyFallback
	})
}

// decodeNested runs the registry, without the stages skip names, over
// im, a message another one carries (an attached or forwarded bounce),
// and returns the first report that names a recipient, or nil. The
// report's original message is the one im returns, not im itself (which
// the outer message's finish would take for it).
func decodeNested(im *message, skip func(d *decoder) bool) *Report {
	for i := range nestedDecoders {
		d := &nestedDecoders[i]
		if skip(d) || d.match != nil && !d.match(im) {
			continue
		}
		if rep := d.decode(im); rep != nil && len(rep.Recipients) > 0 {
			if rep.Format == "" {
				rep.Format = d.name
			}
			if rep.Original.MessageID == "" && !rep.Original.known {
				rep.Original = im.original()
			}
			return rep
		}
	}
	return nil
}
