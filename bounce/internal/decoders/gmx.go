package decoders

// GMX (and mail.com) reports come from MAILER-DAEMON@mail.gmx.com or
// another GMX host, with X-GMX-Antispam and X-UI-Out-Filterresults
// headers. Their text is that of 1&1, with whom GMX shares its platform:
// each recipient is a quoted address line at the left margin followed by
// "SMTP error from remote server after RCPT command:", "host: mx.example.jp"
// and the remote reply on its own line (see einsundeins.go).

func matchGMX(m *message) bool {
	if !m.fromBounceSender() {
		return false
	}
	if m.hasField("x-gmx-antispam") || m.hasField("x-gmx-antivirus") {
		return true
	}
	return m.fromHas("gmx.")
}

func decodeGMX(m *message) *Report {
	return decodeUnitedInternet(m, "gmx")
}
