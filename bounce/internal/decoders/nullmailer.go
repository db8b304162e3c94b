package decoders

import "strings"

// nullmailer (https://untroubled.org/nullmailer/), a relay-only MTA that
// sends everything to a smarthost, bounces with a message that its
// nullmailer-dsn writes (src/dsn.cc), with a Received header "(nullmailer
// pid N invoked by uid N)", From "Message Delivery Subsystem
// <MAILER-DAEMON@host>" and an RFC 3464 report:
//
//	This is the nullmailer delivery system.  The message attached below
//	could not be delivered to one or more of the intended recipients:
//
//		<unknown@example.net>
//
//	Final-Recipient: rfc822; unknown@example.net
//	Action: failed
//	Status: 5.1.1
//	Remote-MTA: dns; 127.0.0.1
//	Diagnostic-Code: SMTP; 550 5.1.1 <unknown@example.net>: ... User unknown
//
// Two quirks of nullmailer 2.x, seen in the zoo (testdata/zoo/nullmailer):
//
//   - nullmailer-send runs nullmailer-dsn only from bounce_msg (src/send.cc),
//     right after "Moving message ... into failed", for a permanent failure
//     or for a temporary one once the message is older than queuelifetime;
//     the status it passes is the first x.y.z of the smarthost's reply. For
//     a 4.x.x status nullmailer-dsn writes its delay template ("has not been
//     delivered", "Action: delayed", "A final delivery status notification
//     will be generated ..."), yet no other report follows: the message is
//     in the failed queue and is never tried again. So a delayed recipient
//     without a Will-Retry-Until (which nullmailer-send never asks for) has
//     failed.
//   - The report is one per message: nullmailer-dsn gives every recipient
//     the same Status and Diagnostic-Code, and nullmailer's smtp module
//     (protocols/smtp.cc) gives up on the whole message at the first refused
//     RCPT TO, so the recipients after it were never tried. A diagnostic
//     that quotes another recipient of the report (and not this one) is not
//     this recipient's: its status and reply are dropped, the recipient
//     stays failed with no known cause.

func matchNullmailer(m *message) bool {
	return receivedHas(m, "(nullmailer pid ")
}

func decodeNullmailer(m *message) *Report {
	// The notice is nullmailer-dsn's one human part: a report relayed
	// without it (a gateway keeping only the machine part) is still
	// nullmailer's, its Received field says who injected it.
	if n := m.lowerNotice(); n != "" && !contains(n, "this is the nullmailer delivery system") {
		return nil
	}
	rep := dsnAs(m, "nullmailer")
	if rep == nil {
		return nil
	}
	// the delivery-status fields: the part's, or those of a report
	// flattened into its text
	fields := ""
	if p := m.dsnPart(); p != nil {
		fields = p.Text()
	} else {
		_, fields = inlineDSN(m.text())
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if strings.EqualFold(r.Action, "delayed") && !containsLower(fields, "will-retry-until:") {
			r.Action = "failed"
		}
		if len(rep.Recipients) > 1 && nullmailerOthersDiagnostic(r, rep.Recipients) {
			r.Status, r.ReplyCode, r.Diagnostic, r.DiagnosticType, r.Command = "", "", "", "", ""
		}
	}
	return rep
}

// nullmailerOthersDiagnostic reports whether r's diagnostic quotes
// another recipient of rs in angle brackets and not r itself.
func nullmailerOthersDiagnostic(r *Recipient, rs []Recipient) bool {
	d := toLower(r.Diagnostic)
	if d == "" || contains(d, "<"+toLower(r.Address)+">") {
		return false
	}
	for _, o := range rs {
		if o.Address != r.Address && contains(d, "<"+toLower(o.Address)+">") {
			return true
		}
	}
	return false
}
