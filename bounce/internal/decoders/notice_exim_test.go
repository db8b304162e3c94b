package decoders

import "testing"

func TestApplRemoteError(t *testing.T) {
	tests := []struct {
		name, in         string
		cmd, host, reply string
		ok               bool
	}{
		{"exim rcpt", "SMTP error from remote mail server after RCPT TO:<a@example.jp>: host mx.example.jp [192.0.2.1]: 550 5.1.1 <a@example.jp>... User Unknown",
			"RCPT", "mx.example.jp", "550 5.1.1 <a@example.jp>... User Unknown", true},
		{"exim data", "SMTP error from remote mail server after end of data: host mx.example.jp [192.0.2.1]: 554 5.7.1 rejected",
			"DATA", "mx.example.jp", "554 5.7.1 rejected", true},
		{"exim mail", "SMTP error from remote mail server after MAIL FROM:<s@example.ru> SIZE=2779: host mx.example.jp [192.0.2.1]: 501 5.1.8 Sender address rejected",
			"MAIL", "mx.example.jp", "501 5.1.8 Sender address rejected", true},
		{"gmx", "SMTP error from remote server after RCPT command: host: mx.example.jp 5.2.2 <a@example.jp>... Mailbox Full",
			"RCPT", "mx.example.jp", "5.2.2 <a@example.jp>... Mailbox Full", true},
		{"1and1", "SMTP error from remote server for TEXT command, host: mx.example.fr (192.0.2.65) reason: 550 5.2.0 Mail rejected",
			"DATA", "mx.example.fr", "550 5.2.0 Mail rejected", true},
		{"host only", "host mx.example.jp [192.0.2.1]: 550 User unknown", "", "mx.example.jp", "550 User unknown", true},
		{"none", "retry timeout exceeded", "", "", "retry timeout exceeded", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd, host, reply, ok := remoteError(tc.in)
			if cmd != tc.cmd || host != tc.host || reply != tc.reply || ok != tc.ok {
				t.Errorf("remoteError() = %q, %q, %q, %v, want %q, %q, %q, %v", cmd, host, reply, ok, tc.cmd, tc.host, tc.reply, tc.ok)
			}
		})
	}
}

func TestApplAddressLead(t *testing.T) {
	tests := []struct {
		in, addr, rest string
		ok             bool
	}{
		{`"a@example.jp":`, "a@example.jp", "", true},
		{"<a@example.jp>: 550 unknown user", "a@example.jp", "550 unknown user", true},
		{"a@Example.JP", "a@example.jp", "", true},
		{"b@example.co.jp Invalid Address, ERROR_CODE :550", "b@example.co.jp", "Invalid Address, ERROR_CODE :550", true},
		{"SMTP error from remote server", "", "", false},
		{"(generated from c@example.com)", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			addr, rest, ok := addressLead(tc.in)
			if addr != tc.addr || rest != tc.rest || ok != tc.ok {
				t.Errorf("addressLead(%q) = %q, %q, %v, want %q, %q, %v", tc.in, addr, rest, ok, tc.addr, tc.rest, tc.ok)
			}
		})
	}
}

func TestApplCommand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550 5.1.1 unknown (in reply to RCPT TO command)", "RCPT"},
		{"(in reply to end of DATA command)", "DATA"},
		{"SMTP error from remote mail server after MAIL FROM:<a@b.example>", "MAIL"},
		{">>> RCPT To:<a@example.jp>", "RCPT"},
		{"Connection timed out", ""},
	}
	for _, tc := range tests {
		if got := commandIn(tc.in); got != tc.want {
			t.Errorf("commandIn(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestApplExim_delay(t *testing.T) {
	text := "This message was created automatically by mail delivery software.\n" +
		"A message that you sent has not yet been delivered to one or more of its\n" +
		"recipients after more than 24 hours on the queue on mx.example.org.\n\n" +
		"The address to which the message has not yet been delivered is:\n\n" +
		"  a@example.jp\n" +
		"    Delay reason: SMTP error from remote mail server after RCPT TO:<a@example.jp>:\n" +
		"    host mx.example.jp [192.0.2.1]: 451 4.3.0 Try again later\n\n" +
		"No action is required on your part.\n"
	rs := eximList(text)
	if len(rs) != 1 {
		t.Fatalf("eximList() = %d recipients, want 1", len(rs))
	}
	r := rs[0]
	if r.Address != "a@example.jp" || r.Action != "delayed" || r.Command != "RCPT" || r.RemoteMTA != "mx.example.jp" || r.Diagnostic != "451 4.3.0 Try again later" || r.Status != "4.3.0" {
		t.Errorf("eximList() = %+v", r)
	}
}
