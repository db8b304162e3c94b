package decoders

import "strings"

// OpenSMTPD (https://www.opensmtpd.org) bounces come from "Mailer Daemon
// <MAILER-DAEMON@host>" with the subject "Delivery status notification:
// error" (or "delayed", "warning"), a Received header "(OpenSMTPD)", and a
// notice (smtpd/bounce.c) that lists one recipient a line:
//
//	    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
//
//	    An error has occurred while attempting to deliver a message for
//	    the following list of recipients:
//
//	kijitora@example.jp: 550 5.1.1 <kijitora@example.jp>... User Unknown
//
// Since OpenSMTPD 6.x a message/delivery-status part (RFC 3464) follows,
// but without the server's reply: the notice's line is the diagnostic.

func matchOpenSMTPD(m *message) bool {
	if strings.HasPrefix(m.lowerSubject(), "delivery status notification:") {
		return true
	}
	return receivedHas(m, "(OpenSMTPD)")
}

func decodeOpenSMTPD(m *message) *Report {
	notice := m.notice()
	lower := m.lowerNotice()
	if !contains(lower, "this is the mailer-daemon, please do not reply") {
		return nil
	}
	action := "failed"
	switch {
	case contains(lower, "a message is delayed") || contains(lower, "only a temporary failure report"):
		action = "delayed"
	case contains(lower, "your message was relayed to these recipients"):
		// smtpd/bounce.c's notice for NOTIFY=SUCCESS when the next hop
		// takes no DSN, as in the zoo's success case
		// (testdata/zoo/opensmtpd), the address followed by ": " alone:
		//
		//	    Your message was relayed to these recipients.
		//
		//	ok@example.net:
		action = "relayed"
	case contains(lower, "your message was successfully delivered to these recipients"):
		action = "delivered"
	}
	reporting, rs := dsnOf(m)
	rep := &Report{Kind: KindBounce, Format: "opensmtpd", ReportingMTA: reporting}
	var listed []Recipient
	inList := false
	var lbuf [256]byte
	for _, l := range unfoldLines(splitLines(notice)) {
		t := strings.TrimSpace(l)
		if lt := lowerIn(lbuf[:], t); strings.HasSuffix(lt, "list of recipients:") || strings.HasSuffix(lt, "to these recipients.") {
			inList = true
			continue
		}
		if !inList || t == "" || indentOf(l) > 0 {
			if inList && indentOf(l) > 0 && len(listed) > 0 {
				inList = false
			}
			continue
		}
		c := strings.Index(t, ": ")
		if c <= 0 && action != "failed" && action != "delayed" && strings.HasSuffix(t, ":") {
			c = len(t) - 1 // a success line gives no reason
		}
		if c <= 0 {
			continue
		}
		a := normalizeAddress(t[:c])
		if a == "" {
			continue
		}
		diag := ""
		if c+2 <= len(t) {
			diag = strings.TrimSpace(t[c+2:])
		}
		listed = append(listed, Recipient{Address: a, Action: action, Diagnostic: diag})
	}
	if len(rs) == 0 {
		rs = listed
	} else {
		for i := range rs {
			if j := findRecipient(listed, rs[i].Address); j >= 0 && (rs[i].Diagnostic == "" || len(listed[j].Diagnostic) > len(rs[i].Diagnostic)) {
				rs[i].Diagnostic = listed[j].Diagnostic
			}
			if rs[i].Action == "" {
				rs[i].Action = action
			}
		}
	}
	rep.Recipients = finishRecipients(rs, openSMTPDExpired)
	return rep
}

// openSMTPDExpired reads OpenSMTPD's report of an envelope that reached
// its queue ttl (smtpd.conf(5): "queue ttl delay: Set the default
// expiration time for temporarily undeliverable messages"). OpenSMTPD
// 6.8 removes the envelope then ("relay: Expire for ...: stat=Envelope
// expired" in its log, nothing left in `smtpctl show queue`), but its
// notice uses the delay template and the DSN says "delayed", as in the
// zoo's greylist case (testdata/zoo/opensmtpd):
//
//	    A message is delayed for more than 0 seconds for the following
//	    list of recipients:
//
//	grey@example.net: Envelope expired
//
//	Final-Recipient: rfc822; grey@example.net
//	Action: delayed
//	Status: 4.4.7
//
// 4.4.7 is "Delivery time expired" (RFC 3463 section 3.5): the message
// will not be tried again, so the recipient failed. Without the DSN part
// the notice's "Envelope expired" says the same.
func openSMTPDExpired(r *Recipient) {
	if strings.EqualFold(r.Action, "delayed") && (r.Status == "4.4.7" || r.Status == "") && contains(toLower(r.Diagnostic), "envelope expired") {
		r.Action = "failed"
	}
}
