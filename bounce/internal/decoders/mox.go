package decoders

import "strings"

// mox (https://www.xmox.nl), a mail server in Go, writes its DSNs into the
// sender's own mailbox (queue/dsn.go, deliverDSN: it queues DSNs only for
// mail its authenticated users submitted), one report a recipient, with
// the subject "mail delivery failed" or "mail delivery delayed", From
// postmaster@HOST, a notice that names the recipient and quotes the last
// error, and a delivery-status part (RFC 3464) whose Status carries the
// same error as a comment, as in the zoo (testdata/zoo/mox):
//
//	Delivery has failed permanently for your email to:
//
//		unknown1@example.net
//
//	No further deliveries will be attempted.
//
//	Error during the last delivery attempt:
//
//		delivering message to sink.example.net:2526: no recipients accepted in pipelined transaction, transient, transient
//
// The error is mox's smtpclient.Error, whose Error() ends in
// "permanent" or "transient" (smtpclient/client.go). A recipient that
// failed after a transient error was given up when its attempts ran out
// (queue/dsn.go: the 8th attempt, unless the message sets another
// maximum): it expired. The delivery-status part decides the rest.

func sniffMox(m *message) bool {
	n := m.lowerNotice()
	// Both end in "of your email to:" / "for your email to:": most
	// notices, without it, are told by one search.
	return contains(n, " your email to:") && (contains(n, "delivery has failed permanently for your email to:") ||
		contains(n, "delivery has been delayed of your email to:"))
}

func decodeMox(m *message) *Report {
	rep := dsnAs(m, "mox")
	if rep == nil {
		return nil
	}
	n := m.lowerNotice()
	_, last, ok := strings.Cut(n, "error during the last delivery attempt:")
	if !ok || !contains(n, "delivery has failed permanently for your email to:") {
		return rep
	}
	last, _, _ = strings.Cut(strings.TrimSpace(last), "\n")
	if !contains(last, ", transient") && !strings.HasPrefix(last, "transient") && !contains(last, ": transient") {
		return rep
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if r.ReasonHint == "" && strings.EqualFold(r.Action, "failed") && (r.ReplyCode == "" || strings.HasPrefix(r.ReplyCode, "4")) {
			r.ReasonHint = "expired"
		}
	}
	return rep
}
