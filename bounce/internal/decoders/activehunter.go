package decoders

// Active!Hunter, a Japanese mail-filtering gateway by Prism Solutions,
// marks its reports with an X-AHMAILID header and a MIME boundary
// containing "Active!Hunter". Although the report is labelled
// multipart/report it carries no delivery-status part: the text part is
// Sendmail-like, with "----- The following addresses had permanent fatal
// errors -----" followed by ">>> addr <addr>" lines, then "----- Transcript
// of session follows -----" and the remote server's reply.

func matchActiveHunter(m *message) bool {
	// QUIRK: X-AHMAILID is stamped on every message the gateway passes,
	// other servers' bounces included; only its own reports use its MIME
	// boundary.
	return containsFold(m.getField("content-type"), "active!hunter")
}

func decodeActiveHunter(m *message) *Report {
	if rep := dsnWithCommands(m, "activehunter"); rep != nil {
		return rep
	}
	addrs, diag := noticeSections(m.text(), "the following addresses had permanent fatal errors", "transcript of session follows")
	cmd := commandIn(diag)
	return failedReport("activehunter", addrs, diag, func(r *Recipient) { r.Command = cmd }, Original{})
}
