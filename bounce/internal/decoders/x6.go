package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// X6 is an unidentified MTA whose notices ("There was an error sending
// your mail" from a bare "mailer-daemon") read:
//
//	We had trouble delivering your message. Full details follow:
//
//	1 error(s):
//
//	SMTP Server <mx.example.org> rejected recipient <kijitora@example.org>
//	(Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]
//
// or "The following recipients returned permanent errors: ADDRESS.
// Reason: SMTP Server <192.0.2.223> refused to accept your message (DATA),
// with the following error message: [554 ...]". The server's reply is the
// text in brackets; the original headers are attached as a text file.

func matchX6(m *message) bool {
	return strings.HasPrefix(m.lowerSubject(), "there was an error sending your mail")
}

func decodeX6(m *message) *Report {
	section, ok := sectionFrom(m.text(), "we had trouble delivering your message")
	if !ok {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "x6"}
	for _, t := range x6Paragraphs(section) {
		lt := toLower(t)
		var addrs []string
		switch {
		case contains(lt, "rejected recipient <"):
			j := strings.Index(lt, "rejected recipient <") + len("rejected recipient ")
			if a := normalizeAddress(t[j : j+strings.IndexByte(t[j:], '>')+1]); a != "" {
				addrs = append(addrs, a)
			}
		case contains(lt, "returned permanent errors: "), contains(lt, "returned temporary errors: "):
			j := strings.Index(lt, "errors: ") + len("errors: ")
			list := t[j:]
			if k := mime.IndexFold(list, ". reason:"); k >= 0 {
				list = list[:k]
			}
			for _, a := range strings.Split(list, ",") {
				if n := normalizeAddress(a); n != "" {
					addrs = append(addrs, n)
				}
			}
		default:
			continue
		}
		r := Recipient{Action: "failed"}
		if contains(lt, "temporary errors") {
			r.Action = "delayed"
		}
		if j := strings.Index(lt, "smtp server <"); j >= 0 {
			h := t[j+len("smtp server <"):]
			if k := strings.IndexByte(h, '>'); k > 0 {
				r.RemoteMTA = h[:k]
			}
		}
		switch {
		case contains(lt, "(error following rcpt command)"), contains(lt, "rejected recipient"), contains(lt, "(rcpt to)"):
			r.Command = "RCPT"
		case contains(lt, "(data)"):
			r.Command = "DATA"
		case contains(lt, "(mail from)"), contains(lt, "(error following mail command)"):
			r.Command = "MAIL"
		}
		if j := strings.LastIndexByte(t, '['); j >= 0 {
			r.Diagnostic = strings.TrimSuffix(strings.TrimSpace(t[j+1:]), "]")
		}
		for _, a := range addrs {
			rr := r
			rr.Address = a
			finishRecipient(&rr)
			rep.Recipients = append(rep.Recipients, rr)
		}
	}
	return rep
}

// x6Paragraphs returns the paragraphs of an X6 notice, each one line: an
// error is one paragraph, which a relay may have folded (a list of
// addresses cut after "errors:", the bracketed reply on a line of its
// own).
func x6Paragraphs(section string) []string {
	var out []string
	var cur []string
	for _, l := range append(splitLines(section), "") {
		if t := strings.TrimSpace(l); t != "" {
			cur = append(cur, t)
			continue
		}
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	return out
}
