package decoders

import "strings"

// X3 is an unidentified MTA whose notices ("Delivery status
// notification" from "Mail Delivery System") frame their text with lines
// of "=" signs:
//
//	      This is an automatically generated Delivery Status Notification.
//
//	Delivery to the following recipients failed permanently:
//
//	   * kijitora@example.com
//
//	                             Technical details:
//
//	SMTP:RCPT host 192.0.2.8: 553 5.3.0 <kijitora@example.com>... No such user here
//
// "Delevery to the following recipients was aborted after N hour(s):"
// (sic) reports a message that expired. Some versions add a
// message/delivery-status part, whose status is used.

func matchX3(m *message) bool {
	return strings.HasPrefix(m.lowerSubject(), "delivery status notification") && mailerDaemonFrom(m)
}

func decodeX3(m *message) *Report {
	notice := m.notice()
	lower := m.lowerNotice()
	if !contains(lower, "this is an automatically generated delivery status notification") {
		return nil
	}
	reporting, dsn := dsnOf(m)
	rep := &Report{Kind: KindBounce, Format: "x3", ReportingMTA: reporting}
	inList, inDetails := false, false
	expired := false
	var details []string
	prevBlank := true
	for l := range lineSeq(notice) {
		t := strings.TrimSpace(l)
		lt := toLower(t)
		blankBefore := prevBlank
		prevBlank = t == ""
		switch {
		case contains(lt, "to the following recipients"):
			inList, inDetails = true, false
			expired = contains(lt, "aborted after")
			continue
		case strings.HasPrefix(lt, "technical details"):
			inList, inDetails = false, true
			continue
		case strings.HasPrefix(t, "====="):
			inList = false
			continue
		}
		if inList && strings.HasPrefix(t, "* ") {
			if a := normalizeAddress(t[2:]); a != "" {
				rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed"})
			}
			continue
		}
		if inDetails && t != "" {
			if n := len(details); n > 0 && !blankBefore && (l[0] == ' ' || l[0] == '\t') {
				// a detail folded onto an indented line
				details[n-1] += " " + t
			} else {
				details = append(details, t)
			}
		}
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		for _, d := range details {
			// "SMTP:RCPT host 192.0.2.8: 553 ...", "Routing: Could not find a gateway for X"
			if len(details) > 1 && !contains(toLower(d), toLower(r.Address)) {
				continue
			}
			ld := toLower(d)
			if strings.HasPrefix(ld, "smtp:") {
				rest := d[5:]
				if sp := strings.IndexByte(rest, ' '); sp > 0 {
					r.Command = smtpCommand(rest[:sp])
					rest = rest[sp+1:]
				}
				if h, after, ok := hostAndRest(rest); ok {
					r.RemoteMTA = h
					rest = after
				}
				r.Diagnostic = strings.TrimSpace(rest)
			} else {
				r.Diagnostic = d
			}
			break
		}
		if j := findRecipient(dsn, r.Address); j >= 0 {
			r.Status = dsn[j].Status
			if r.Diagnostic == "" {
				r.Diagnostic = dsn[j].Diagnostic
			}
		}
		if expired && r.Diagnostic == "" {
			r.ReasonHint = "expired"
		}
		finishRecipient(r)
	}
	return rep
}
