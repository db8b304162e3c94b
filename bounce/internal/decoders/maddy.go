package decoders

import "strings"

// maddy (https://maddy.email), a mail server in Go, bounces from its queue
// (internal/target/queue, emitDSN) with a report that internal/dsn/dsn.go
// writes in Postfix's likeness: the subject "Undelivered Mail Returned to
// Sender", From MAILER-DAEMON@host, and a notice that opens "This is the
// mail delivery system at HOST." like Postfix's, then one line a
// recipient, and a delivery-status part with maddy's own fields
// (X-Maddy-MsgID, X-Maddy-Sender), as in the zoo (testdata/zoo/maddy):
//
//	Delivery to unknown@example.net failed with error: SMTP error 550: <unknown@example.net>: ... User unknown ...
//
//	X-Maddy-Msgid: b59d0ce1
//	X-Maddy-Sender: rfc822; sender@example.com
//	Diagnostic-Code: smtp; 550 5.0.0 <unknown@example.net>: ... User unknown ...
//	Status: 5.0.0
//	Action: failed
//	Final-Recipient: rfc822; unknown@example.net
//
// Neither part says which SMTP command the server refused. The
// delivery-status part decides; the notice's lines stand in for it when
// it is gone.

func sniffMaddy(m *message) bool {
	if p := m.dsnPart(); p != nil {
		return containsLower(p.Text(), "\nx-maddy-msgid:")
	}
	return contains(m.lowerNotice(), " failed with error: ")
}

func decodeMaddy(m *message) *Report {
	if !contains(m.lowerNotice(), "this is the mail delivery system at ") {
		return nil
	}
	if rep := dsnAs(m, "maddy"); rep != nil {
		return rep
	}
	rep := &Report{Kind: KindBounce, Format: "maddy"}
	rep.Original = m.original()
	for l := range lineSeq(m.notice()) {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "Delivery to ") {
			continue
		}
		rest := t[len("Delivery to "):]
		i := strings.Index(rest, " failed with error: ")
		if i <= 0 {
			continue
		}
		a := normalizeAddress(rest[:i])
		if a == "" {
			continue
		}
		// "SMTP error 550: TEXT" (the error's own Error(), from
		// go-smtp's SMTPError) is the reply "550 TEXT".
		diag := rest[i+len(" failed with error: "):]
		if d, ok := strings.CutPrefix(diag, "SMTP error "); ok {
			if c := strings.Index(d, ": "); c == 3 {
				diag = d[:3] + " " + d[c+2:]
			}
		}
		rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed", Diagnostic: diag})
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	rep.Recipients = finishRecipients(rep.Recipients)
	return rep
}
