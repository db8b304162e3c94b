package decoders

import "testing"

func TestGmailDetails(t *testing.T) {
	const intro = "Google tried to deliver your message, but it was rejected by the recipient domain. The error that the other server returned was: "
	tests := []struct {
		name, in                    string
		diag, code, command, remote string
	}{
		{"state and doubled code", intro + "550 550 5.1.1 user unknown (state 14).", "550 5.1.1 user unknown", "550", "RCPT", ""},
		{"single code", intro + "500 Remote server does not support TLS (state 6).", "500 Remote server does not support TLS", "500", "STARTTLS", ""},
		{"named server", "Google tried to deliver your message, but it was rejected by the server for the recipient domain example.jp by mx.example.jp. [192.0.2.2].\n\nThe error that the other server returned was:\n550 5.2.2 <a@example.jp>... Mailbox Full\n",
			"550 5.2.2 <a@example.jp>... Mailbox Full", "550", "", "mx.example.jp"},
		{"own words", "Storage quota exceeded", "Storage quota exceeded", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r Recipient
			gmailDetails(&r, tc.in)
			if r.Diagnostic != tc.diag || r.ReplyCode != tc.code || r.Command != tc.command || r.RemoteMTA != tc.remote {
				t.Errorf("gmailDetails() = (%q, %q, %q, %q), want (%q, %q, %q, %q)",
					r.Diagnostic, r.ReplyCode, r.Command, r.RemoteMTA, tc.diag, tc.code, tc.command, tc.remote)
			}
		})
	}
}
