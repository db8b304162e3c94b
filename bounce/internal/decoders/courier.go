package decoders

import "strings"

// Courier (https://www.courier-mta.org) bounces have a Message-ID
// "<courier.HEX.HEX@host>", the subject "NOTICE: mail delivery status.",
// and a notice "This is a delivery status notification from HOST, running
// the Courier mail server, version X." with a DSN part (RFC 3464) after
// it. The notice quotes the SMTP dialogue of each recipient:
//
//	<kijitora@example.co.jp>:
//	    mx.example.co.jp [192.0.2.95]:
//	>>> RCPT TO:<kijitora@example.co.jp>
//	<<< 550 5.1.1 <kijitora@example.co.jp>... User Unknown
//
// which gives the command and the server's complete reply.

func matchCourier(m *message) bool {
	if strings.HasPrefix(toLower(strings.Trim(m.getField("message-id"), "<> ")), "courier.") {
		return true
	}
	s := m.lowerSubject()
	if strings.HasPrefix(s, "notice: mail delivery status") {
		return true
	}
	return receivedHas(m, "with dsn;") && mailerDaemonFrom(m)
}

func decodeCourier(m *message) *Report {
	notice := m.notice()
	lower := m.lowerNotice()
	if !contains(lower, "running the courier mail server") && !contains(lower, "courier mail server") {
		if !strings.HasPrefix(toLower(strings.Trim(m.getField("message-id"), "<> ")), "courier.") {
			return nil
		}
	}
	reporting, rs := dsnOf(m)
	action := "failed"
	if contains(lower, "delayed mail") || contains(lower, "has not been delivered") && !contains(lower, "cannot be delivered") ||
		contains(lower, "delays in delivering your message") {
		// Courier 1.0's delay notice (its dsndelayed.txt template), as in
		// the zoo's greylist case (testdata/zoo/courier):
		//
		//	                     DELAYS IN DELIVERING YOUR MESSAGE
		//
		//	The delivery of the following E-mail message has been delayed.  This is an
		//	advisory notice only; ...
		action = "delayed"
	}
	switch {
	case contains(lower, "message delivered successfully"):
		// Courier 1.0's success notice (its dsndelivered.txt template),
		// as in the zoo's success-local case (testdata/zoo/courier), a
		// local mailbox's delivery with NOTIFY=SUCCESS:
		//
		//	                    MESSAGE DELIVERED SUCCESSFULLY
		//
		//	Your E-mail requested a delivery notice/return receipt for the following
		//	addresses:
		//
		//	<ok@virt.example.com>:
		//	 <<< Message delivered.
		action = "delivered"
	case contains(lower, "message delivered to a mail gateway"):
		// its relayed notice (dsnrelayed.txt), as in the zoo's success
		// and success-expanded cases: "your message has been transferred
		// to an intermediate mail gateway that is not capable of
		// generating delivery acknowledgements"
		action = "relayed"
	}
	paras := addressParagraphs(notice, courierStyle)
	if len(rs) == 0 {
		for _, p := range paras {
			rs = append(rs, Recipient{Address: p.addr, Action: action})
		}
	}
	for i := range rs {
		r := &rs[i]
		for _, p := range paras {
			if !strings.EqualFold(p.addr, r.Address) {
				continue
			}
			host, cmd, reply := courierDialogue(p.lines)
			if r.RemoteMTA == "" {
				r.RemoteMTA = host
			}
			if r.Command == "" {
				r.Command = cmd
			}
			if reply != "" && (r.Diagnostic == "" || len(reply) > len(r.Diagnostic)) {
				r.Diagnostic = reply
			}
			if reply != "" && host == "" && cmd == "" && (r.DiagnosticType == "" || strings.EqualFold(r.DiagnosticType, "unknown")) {
				// "<<<" lines with no host and no command: Courier's
				// local delivery (courierlocal), the words a maildir's
				// or a program's (the zoo's prog-nouser: "<<< no such
				// user here", "Diagnostic-Code: unknown; ..."), as
				// Postfix's local(8) says with x-unix: the address was
				// accepted and delivered locally, no remote refused it.
				r.DiagnosticType = "x-unix"
			}
			break
		}
		finishRecipient(r)
		courierExpired(r)
	}
	return &Report{Kind: KindBounce, Format: "courier", ReportingMTA: reporting, Recipients: rs}
}

// courierDialogue reads "host [ip]:", ">>> COMMAND" and "<<< reply" lines.
func courierDialogue(ls []string) (host, cmd, reply string) {
	var said []string
	for _, t := range ls {
		switch {
		case strings.HasPrefix(t, ">>>"):
			cmd = smtpCommand(strings.TrimSpace(t[3:]))
			said = nil
		case strings.HasPrefix(t, "<<<"):
			said = append(said, strings.TrimSpace(t[3:]))
		case strings.HasSuffix(t, ":") && len(said) == 0:
			if h, _, ok := hostAndRest(strings.TrimSuffix(t, ":")); ok {
				host = h
			}
		}
	}
	return host, cmd, joinReply(said)
}

// courierExpired reads a recipient that Courier returned as undeliverable
// while the server's last word was a temporary (4xx) reply: Courier tried
// it until the message's queuetime ran out (courier(8): "queuetime ...
// how long a message stays in the queue ... before it is returned as
// undeliverable") and reports the generic 5.0.0 with the last deferral, as
// in the zoo's greylist case (testdata/zoo/courier):
//
//	Your message to the following recipients cannot be delivered:
//
//	<grey@example.net>:
//	     [127.0.0.1] [127.0.0.1]:
//	 >>> RCPT TO:<grey@example.net>
//	 <<< 450 4.7.1 <grey@example.net>: Recipient address rejected: Greylisted, please try again later
//
//	Action: failed
//	Status: 5.0.0
//
// The hint says it expired; a reply whose words a rule knows (452 4.2.2
// "mailbox full") still decides.
func courierExpired(r *Recipient) {
	if r.ReasonHint == "" && strings.EqualFold(r.Action, "failed") && strings.HasPrefix(r.ReplyCode, "4") {
		r.ReasonHint = "expired"
	}
}
