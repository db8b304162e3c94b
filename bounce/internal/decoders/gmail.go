package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Gmail (Google's outbound mail servers) delivery status notifications.
//
// Recognised by the sender, "Mail Delivery Subsystem
// <mailer-daemon@googlemail.com>" (or @google.com). Google has written two
// formats:
//
// Until about 2016, a plain-text notice:
//
//	Delivery to the following recipient failed permanently:
//	     kijitora@example.co.jp
//	Technical details of permanent failure:
//	Google tried to deliver your message, but it was rejected by the
//	recipient domain. ... The error that the other server returned was:
//	550 550 5.1.1 user unknown (UserSearch) (state 14).
//
// where Gmail repeats the reply code and appends its SMTP client's state,
// which says at which command the server refused (gmailStates). Delays
// read "Delivery to the following recipient has been delayed" and
// "Technical details of temporary failure".
//
// Since then, an RFC 3464 report whose notice says "** Address not found
// **", "Your message wasn't delivered to X because ..." and "The response
// (from the remote server) was:" followed by the reply; its
// delivery-status part has Remote-MTA and Diagnostic-Code for remote
// rejections, and Gmail's own words (DNS errors, connection failures)
// otherwise.

func matchGmail(m *message) bool {
	d := domainOf(fromAddress(m))
	return hostIs(d, "googlemail.com") || hostIs(d, "google.com")
}

// gmailStates maps the "(state N)" of Gmail's old notices to the SMTP
// command its client had sent. Collected from Gmail notices by Sisimai's
// Gmail module; the numbers are Gmail's, undocumented.
var gmailStates = map[string]string{
	"6":  "STARTTLS", // "500 Remote server does not support TLS (state 6)."
	"8":  "AUTH",     // "535 SMTP AUTH failed with the remote server. (state 8)."
	"9":  "STARTTLS", // "454 454 TLS missing certificate ... (state 9)."
	"12": "AUTH",     // "500 Remote server does not support SMTP Authenticated Relay (state 12)."
	"13": "HELO",     // EHLO: "550 550 5.7.1 <...>... Access denied (state 13)."
	"14": "RCPT",     // "550 550 5.1.1 <...>... User Unknown (state 14)."
	"15": "DATA",     // "554 554 Error: no valid recipients (state 15)."
	"17": "DATA",     // "550 550 5.7.1 Message rejected by InterScan MSS (state 17)."
	"18": "DATA",     // "550 550 Unknown user ... (state 18)."
}

func decodeGmail(m *message) *Report {
	if m.dsnPart() != nil {
		return decodeGmailDSN(m)
	}
	if rep := decodeGmailText(m); rep != nil {
		return rep
	}
	return decodeGmailNotice(m)
}

// decodeGmailNotice reads the notice of Gmail's newer reports when the
// delivery-status part is missing (a relay or a list kept only the
// readable parts): the recipients are X-Failed-Recipients or the address
// the notice's sentence names ("Your message wasn't delivered to X",
// "There was a problem delivering your message to X"), and the diagnostic
// is the quoted response, else that sentence's paragraph.
func decodeGmailNotice(m *message) *Report {
	text := m.notice()
	addrs := m.failedRecipients()
	if len(addrs) == 0 {
		// "** Message blocked **" notices say "Your message to X has
		// been blocked. See technical details below for more
		// information." above the response.
		for _, lead := range []string{" delivered to ", " delivering your message to ", "your message to "} {
			if i := mime.IndexFold(text, lead); i >= 0 {
				rest := text[i+len(lead):]
				if a := firstAddress(rest[:min(len(rest), 320)]); a != "" {
					addrs = append(addrs, a)
					break
				}
			}
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	action := "failed"
	if containsFold(m.lowerSubject(), "(delay)") || containsFold(text, "temporary problem delivering") {
		action = "delayed"
	}
	response := googleResponse(text)
	rep := &Report{Kind: KindBounce, Format: "gmail"}
	for _, a := range addrs {
		r := Recipient{Address: a, Action: action}
		if response != "" {
			setReply(&r, response)
		} else if p := paragraphAbout(text, a); p != "" {
			r.Diagnostic = p
		}
		gmailConnection(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}

// decodeGmailDSN reads Gmail's RFC 3464 reports, taking what the
// delivery-status part leaves out from the notice.
func decodeGmailDSN(m *message) *Report {
	rep := &Report{Kind: KindBounce, Format: "gmail"}
	rep.ReportingMTA, rep.Recipients = dsnOf(m)
	if len(rep.Recipients) == 0 {
		return nil
	}
	// Without a Diagnostic-Code (Gmail writes none when the address or
	// domain was not found), the notice's quoted response, else its
	// sentence about the recipient, is the diagnostic.
	text := m.notice()
	response := googleResponse(text)
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if r.Diagnostic == "" {
			if response != "" {
				setReply(r, response)
			} else if p := paragraphAbout(text, r.Address); p != "" {
				r.Diagnostic = p
			}
		}
		gmailConnection(r)
	}
	return rep
}

// googleResponse returns the reply Google's notices quote after "The
// response was:", "The response from the remote server was:" or (a
// Google Workspace domain's own rule) "The response from the recipient
// enterprise administrator was:", or "".
func googleResponse(text string) string {
	lower := toLower(text)
	i := strings.Index(lower, "the response from the remote server was:")
	n := len("the response from the remote server was:")
	if i < 0 {
		i = strings.Index(lower, "the response from the recipient enterprise administrator was:")
		n = len("the response from the recipient enterprise administrator was:")
	}
	if i < 0 {
		i = strings.Index(lower, "the response was:")
		n = len("the response was:")
	}
	if i < 0 {
		return headedReply(text)
	}
	rest := strings.TrimLeft(text[i+n:], " \t\n")
	if end := strings.Index(rest, "\n\n"); end >= 0 {
		rest = rest[:end]
	}
	return oneLine(rest)
}

// headedReply returns, on one line, the paragraph that follows a line
// ending in a colon and begins with an SMTP reply code, or "": Gmail's
// quoted response under its heading in another language ("La respuesta
// del servidor remoto ha sido:").
func headedReply(text string) string {
	lines := strings.Split(text, "\n")
	for i := 0; i+1 < len(lines); i++ {
		if !strings.HasSuffix(strings.TrimSpace(lines[i]), ":") {
			continue
		}
		next := strings.TrimSpace(lines[i+1])
		if leadingReplyCode(next) == "" {
			continue
		}
		var p []string
		for _, l := range lines[i+1:] {
			if strings.TrimSpace(l) == "" {
				break
			}
			p = append(p, l)
		}
		return oneLine(strings.Join(p, "\n"))
	}
	return ""
}

// paragraphAbout returns, on one line, the paragraph of text that names
// addr, or "".
func paragraphAbout(text, addr string) string {
	i := strings.Index(toLower(text), toLower(addr))
	if i < 0 {
		return ""
	}
	start, end := boundsOf(text, i, i, "\n\n")
	return oneLine(text[start:end])
}

// decodeGmailText reads Gmail's plain-text notices.
func decodeGmailText(m *message) *Report {
	body, ok := sectionFrom(m.notice(), "delivery to the following recipient")
	if !ok {
		return nil
	}
	action := "failed"
	if containsFold(body[:min(len(body), 80)], "delayed") {
		action = "delayed"
	}
	// The recipients are the indented addresses after the first line,
	// up to the technical details.
	details := ""
	if j := mime.IndexFold(body, "technical details of "); j >= 0 {
		details = body[j:]
		body = body[:j]
		if c := strings.IndexByte(details, ':'); c >= 0 {
			details = details[c+1:]
		}
	}
	var addrs []string
	for _, line := range trimmedLines(body)[1:] {
		if a := bareAddress(line); a != "" {
			addrs = appendUnique(addrs, a)
		}
	}
	if len(addrs) == 0 {
		addrs = m.failedRecipients()
	}
	if len(addrs) == 0 {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "gmail"}
	for _, a := range addrs {
		r := Recipient{Address: a, Action: action}
		gmailDetails(&r, details)
		gmailConnection(&r)
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}

// gmailDetails reads the "Technical details" of an old Gmail notice into r.
func gmailDetails(r *Recipient, details string) {
	details = strings.TrimSpace(details)
	ld := toLower(details)
	const said = "the error that the other server returned was:"
	i := strings.Index(ld, said)
	if i < 0 {
		r.Diagnostic = oneLine(details)
		fillCodes(r)
		return
	}
	// "... rejected by the server for the recipient domain D by HOST. [IP]."
	if k := strings.Index(ld[:i], " by "); k >= 0 && contains(ld[:i], "for the recipient domain") {
		if k2 := strings.LastIndex(ld[:i], " by "); k2 > k {
			k = k2
		}
		if f := strings.Fields(details[k+4 : i]); len(f) > 0 {
			r.RemoteMTA = strings.TrimRight(f[0], ".")
		}
	}
	reply := oneLine(details[i+len(said):])
	// QUIRK: Gmail appends its client's state, "(state 14).", and writes
	// the reply code twice, "550 550 5.1.1 ...".
	if j := strings.LastIndex(reply, "(state "); j >= 0 {
		st := reply[j+len("(state "):]
		if e := strings.IndexByte(st, ')'); e > 0 {
			r.Command = gmailStates[strings.TrimSpace(st[:e])]
		}
		reply = strings.TrimSpace(reply[:j])
	}
	if rc := leadingReplyCode(reply); rc != "" && strings.HasPrefix(strings.TrimSpace(reply[3:]), rc+" ") {
		reply = rc + " " + strings.TrimSpace(strings.TrimSpace(reply[3:])[3:])
	}
	setReply(r, reply)
}

// gmailConnection completes a recipient whose failure was a connection
// failure Gmail describes in its own words ("The recipient server did not
// accept our requests to connect. ... [host ip: timed out]"): the host
// Gmail tried and, for a permanent failure after Gmail's retries, that the
// message expired. No command is set: the server refused none, it never
// answered.
func gmailConnection(r *Recipient) {
	ld := toLower(r.Diagnostic)
	if !contains(ld, "did not accept our requests to connect") {
		return
	}
	if r.RemoteMTA == "" {
		// "[(0) 9jo.example.jp. [192.0.2.135]:25: socket error]" or
		// "[libsisimai.org 192.30.252.153: socket error]"
		if i := strings.IndexByte(r.Diagnostic, '['); i >= 0 {
			f := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(r.Diagnostic[i+1:], "(0)"), " "))
			if len(f) > 0 {
				if h := strings.TrimRight(f[0], ".:"); looksLikeHost(h) {
					r.RemoteMTA = h
				}
			}
		}
	}
	if r.Action == "failed" {
		// Gmail only gives up on unreachable hosts after days of retries.
		r.ReasonHint = "expired"
	}
}
