package decoders

import "testing"

func TestYahooReply(t *testing.T) {
	tests := []struct {
		in                          string
		diag, code, status, command string
	}{
		{"Remote host said: 550 5.1.1 <a@example.org>... User Unknown [RCPT_TO]", "550 5.1.1 <a@example.org>... User Unknown", "550", "5.1.1", "RCPT"},
		{"550: : User unknown", "550 : User unknown", "550", "5.0.0", ""},
		{"501: 5.1.8 Sender address rejected", "501 5.1.8 Sender address rejected", "501", "5.1.8", ""},
		{"Remote host said: 554 Message rejected [DATA]", "554 Message rejected", "554", "5.0.0", "DATA"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var r Recipient
			yahooReply(&r, tc.in)
			if r.Diagnostic != tc.diag || r.ReplyCode != tc.code || r.Status != tc.status || r.Command != tc.command {
				t.Errorf("yahooReply(%q) = (%q, %q, %q, %q), want (%q, %q, %q, %q)", tc.in,
					r.Diagnostic, r.ReplyCode, r.Status, r.Command, tc.diag, tc.code, tc.status, tc.command)
			}
		})
	}
}
