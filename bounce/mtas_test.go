package bounce

import "testing"

func TestTidyReply(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"single line", "550 5.1.1 User unknown", "550 5.1.1 User unknown"},
		{"multi line with status", "550-5.7.26 Unauthenticated email 550-5.7.26 DMARC policy. 550 5.7.26 See https://example.com", "550 5.7.26 Unauthenticated email DMARC policy. See https://example.com"},
		{"multi line without status", "554-mail.example.com no service 554-Bad DNS PTR 554 For explanation visit x", "554 mail.example.com no service Bad DNS PTR For explanation visit x"},
		{"number in text kept", "552 Message exceeds 550 recipients", "552 Message exceeds 550 recipients"},
		{"no code", "Connection timed out", "Connection timed out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tidyReply(tc.in); got != tc.want {
				t.Errorf("tidyReply(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSMTPCommand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"RCPT TO:<a@example.jp>", "RCPT"},
		{"MAIL FROM:<a@example.jp> SIZE=1543", "MAIL"},
		{"end of data", "DATA"},
		{"final DATA", "DATA"},
		{"initial connection", "CONN"},
		{"EHLO", "HELO"}, // EHLO, HELO and LHLO are one stage (smtp.Helo)
		{"STARTTLS", "STARTTLS"},
		{"QUIT", ""},
	}
	for _, tc := range tests {
		if got := smtpCommand(tc.in); got != tc.want {
			t.Errorf("smtpCommand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHostAndRest(t *testing.T) {
	tests := []struct{ in, host, rest string }{
		{"host mx.example.jp[192.0.2.22] said: 550 5.1.1 unknown", "mx.example.jp", "550 5.1.1 unknown"},
		{"host mx.example.jp [192.0.2.20]: 554 5.7.0 Header error", "mx.example.jp", "554 5.7.0 Header error"},
		{"example.org[192.0.2.1]:25: Connection timed out", "example.org", "Connection timed out"},
		{"mail-inbound.example.net [192.0.2.25]", "mail-inbound.example.net", ""},
	}
	for _, tc := range tests {
		h, r, ok := hostAndRest(tc.in)
		if !ok || h != tc.host || r != tc.rest {
			t.Errorf("hostAndRest(%q) = %q, %q, %v; want %q, %q", tc.in, h, r, ok, tc.host, tc.rest)
		}
	}
}
