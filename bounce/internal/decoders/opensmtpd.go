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
	if !strings.Contains(lower, "this is the mailer-daemon, please do not reply") {
		return nil
	}
	action := "failed"
	if strings.Contains(lower, "a message is delayed") || strings.Contains(lower, "only a temporary failure report") {
		action = "delayed"
	}
	reporting, rs := dsnOf(m)
	rep := &Report{Kind: KindBounce, Format: "opensmtpd", ReportingMTA: reporting}
	var listed []Recipient
	inList := false
	for _, l := range splitLines(notice) {
		t := strings.TrimSpace(l)
		if strings.HasSuffix(strings.ToLower(t), "list of recipients:") {
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
		if c <= 0 {
			continue
		}
		a := normalizeAddress(t[:c])
		if a == "" {
			continue
		}
		listed = append(listed, Recipient{Address: a, Action: action, Diagnostic: strings.TrimSpace(t[c+2:])})
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
	for i := range rs {
		finishRecipient(&rs[i])
	}
	rep.Recipients = rs
	return rep
}
