package decoders

import (
	"slices"
	"strings"
)

// The helpers below build reports: failed recipients from words,
// Sendmail-like sections, a delivery-status part read under a format's
// name, and the original message a text notice carries.

// failedRecipient builds a failed recipient from an address and the remote
// server's words, reading the codes from the words.
func failedRecipient(addr, diag string) Recipient {
	r := Recipient{Address: addr, Action: "failed", Diagnostic: oneLine(diag)}
	fillCodes(&r)
	return r
}

// failedReport returns a bounce report in format with one recipient per
// address of addrs (failedRecipient with diag, then set, when not nil), and
// original; nil when addrs is empty.
func failedReport(format string, addrs []string, diag string, set func(*Recipient), original Original) *Report {
	if len(addrs) == 0 {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: format, Original: original}
	for _, a := range addrs {
		r := failedRecipient(a, diag)
		if set != nil {
			set(&r)
		}
		rep.Recipients = append(rep.Recipients, r)
	}
	return rep
}

// noticeSections reads the Sendmail-like notices made of sections that open
// at a line containing a marker (lower case) and close at a "-----" line:
// it returns the addresses found in the addrMarker section (lines may
// start with ">>>"), and the non-empty lines of the textMarker section
// joined with spaces.
func noticeSections(text, addrMarker, textMarker string) (addrs []string, diag string) {
	var lines []string
	state := 0 // 1: addresses, 2: text
	for line := range lineSeq(text) {
		t := strings.TrimSpace(line)
		lt := toLower(t)
		switch {
		case contains(lt, addrMarker):
			state = 1
			continue
		case contains(lt, textMarker):
			state = 2
			continue
		case strings.HasPrefix(t, "-----"):
			state = 0
			continue
		}
		switch {
		case state == 1:
			if a := firstAddress(strings.TrimLeft(t, ">")); a != "" {
				addrs = appendUnique(addrs, a)
			}
		case state == 2 && t != "":
			lines = append(lines, t)
		}
	}
	return addrs, strings.Join(lines, " ")
}

// dsnWithCommands decodes the message/delivery-status part of a product that
// writes one, and completes each recipient with what the notice says
// about it: the command from a transcript or Postfix-style "in reply to"
// phrase. It returns nil when there is no usable delivery-status part.
func dsnWithCommands(m *message, format string) *Report {
	rep := decodeRFC3464(m)
	if rep == nil {
		return nil
	}
	rep.Format = format
	notice := m.notice()
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if r.Command == "" {
			if t := textAbout(notice, r.Address); t != "" {
				r.Command = commandIn(t)
			}
		}
	}
	return rep
}

// dsnAs reads the message's delivery-status part like the generic
// RFC 3464 decoder, under the name of a provider's format. It returns nil
// when there is no delivery-status part or it names no recipient.
func dsnAs(m *message, format string) *Report {
	rep := decodeRFC3464(m)
	if rep == nil {
		return nil
	}
	rep.Format = format
	return rep
}

// dsnOf returns the recipients of the message's delivery-status part,
// with the reporting MTA, or nil.
func dsnOf(m *message) (string, []Recipient) {
	if !m.dsnDone {
		m.dsnDone = true
		if p := m.dsnPart(); p != nil {
			m.dsnReporting, m.dsnRecipients = dsnRecipients(m, p.Text())
		} else if _, body := inlineDSN(m.text()); body != "" {
			// A report flattened into one text body (as gateways and
			// forwarders pass it on) keeps its delivery-status fields as
			// lines of the text: RFC 3464 section 2's fields, read alike.
			m.dsnReporting, m.dsnRecipients = dsnRecipients(m, body)
		}
	}
	// A copy: decoders complete the recipients they are given.
	return m.dsnReporting, slices.Clone(m.dsnRecipients)
}

// findRecipient returns the index of the recipient in rs with address a
// (or original recipient a), or -1.
func findRecipient(rs []Recipient, a string) int {
	a = toLower(normalizeAddress(a))
	if a == "" {
		return -1
	}
	for i := range rs {
		if toLower(normalizeAddress(rs[i].Address)) == a || rs[i].OriginalRecipient != "" && toLower(normalizeAddress(rs[i].OriginalRecipient)) == a {
			return i
		}
	}
	return -1
}

// originalRecipients returns the addresses of the To header of the
// returned message, for notices that do not name the failed recipient.
func originalRecipients(m *message) []string {
	return toAddresses(m.original())
}

// toAddresses returns the addresses of an Original's To header.
func toAddresses(o Original) []string {
	var out []string
	for _, v := range o.Header("To") {
		for _, a := range findAddresses(v) {
			out = appendUnique(out, a)
		}
	}
	return out
}

// originalAfter reads the returned message that a plain-text notice
// carries after one of the lower-case marker lines, or the zero Original.
func originalAfter(text string, markers []string) Original {
	_, rest := splitAtMarkerFrom(text, markers)
	rest = strings.TrimLeft(rest, "\n")
	if i := strings.IndexByte(rest, ':'); i <= 0 || i > 40 {
		return Original{}
	}
	h := headerOf(rest)
	return originalFromHeader(h)
}

// originalAfterLine returns the description of the returned message that
// follows the first line of text containing marker (lower-case), or the
// zero Original.
func originalAfterLine(text, marker string) Original {
	i := strings.Index(toLower(text), marker)
	if i < 0 {
		return Original{}
	}
	rest := text[i:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		return Original{}
	}
	rest = strings.TrimLeft(rest[nl+1:], "\n")
	// QUIRK: a ruler of dashes or equals signs often follows the marker.
	if strings.HasPrefix(rest, "---") || strings.HasPrefix(rest, "===") {
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = strings.TrimLeft(rest[nl+1:], "\n")
		}
	}
	h := headerOf(rest)
	return originalFromHeader(h)
}
