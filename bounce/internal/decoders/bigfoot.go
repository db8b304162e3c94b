package decoders

// Bigfoot, a forwarding service, runs "LiteMail": its reports come from
// MAILER-DAEMON@bigfoot.com through Received lines "(LiteMail v3.03...)",
// with a Sendmail-like text part (">>> RCPT TO:<a@b>" / "<<< 553 ...") and
// a message/delivery-status part.

func matchBigfoot(m *message) bool {
	if m.fromHas("bigfoot.com") {
		return true
	}
	return headerHas(m, "received", "litemail")
}

func decodeBigfoot(m *message) *Report {
	rep := dsnWithCommands(m, "bigfoot")
	if rep == nil {
		return nil
	}
	// The whole text: the notice ends at Sendmail's headings, which
	// Bigfoot's text has, and the transcript is below them.
	tr := sessionTranscript(m.text())
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if t, ok := tr[r.Address]; ok {
			r.Command = t[0]
			if r.Diagnostic == "" {
				r.Diagnostic = t[1]
				fillCodes(r)
			}
		}
	}
	return rep
}
