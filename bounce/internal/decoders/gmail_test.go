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

// TestGmail_noticeWithoutDSN: Gmail's newer notice read when its
// delivery-status part is gone (a relay or list kept only the readable
// part). The notice names the recipient ("Your message wasn't delivered to
// X", "There was a problem delivering your message to X") and quotes the
// cause after "The response was:", as the package comment above describes.
func TestGmail_noticeWithoutDSN(t *testing.T) {
	head := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: sender@example.org\n" +
		"Subject: Delivery Status Notification (Failure)\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain; charset=UTF-8\n\n"
	tail := "\n--B\nContent-Type: message/rfc822\n\nFrom: sender@example.org\nTo: rcpt@example.net\nSubject: hi\n\nhi\n--B--\n"
	tests := []struct {
		name, notice, rcpt, diag, action string
	}{
		{"domain not found",
			"** Address not found **\n\nYour message wasn't delivered to rcpt@example.net because the domain example.net couldn't be found. Check for typos or unnecessary spaces and try again.\n\nThe response was:\n\nDNS Error: 1234 DNS type 'mx' lookup of example.net responded with code NXDOMAIN\nDomain name not found: example.net\n",
			"rcpt@example.net", "DNS Error: 1234 DNS type 'mx' lookup of example.net responded with code NXDOMAIN Domain name not found: example.net", "failed"},
		{"remote reply",
			"** Address not found **\n\nYour message wasn't delivered to rcpt@example.net because the address couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:\n550 5.1.1 <rcpt@example.net>: Recipient address rejected: User unknown\n",
			"rcpt@example.net", "550 5.1.1 <rcpt@example.net>: Recipient address rejected: User unknown", "failed"},
		{"problem delivering",
			"** Message not delivered **\n\nThere was a problem delivering your message to rcpt@example.net. See the technical details below.\n\nThe response was:\n\nThe message was rejected because it contains prohibited virus or spam content\n",
			"rcpt@example.net", "The message was rejected because it contains prohibited virus or spam content", "failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Decode([]byte(head+tc.notice+tail), testOptions())
			if err != nil || rep == nil || len(rep.Recipients) != 1 {
				t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
			}
			r := rep.Recipients[0]
			if rep.Format != "gmail" || r.Address != tc.rcpt || r.Diagnostic != tc.diag || r.Action != tc.action {
				t.Errorf("got format %q recipient %q diagnostic %q action %q, want gmail %q %q %q", rep.Format, r.Address, r.Diagnostic, r.Action, tc.rcpt, tc.diag, tc.action)
			}
		})
	}
}

func TestGoogleResponse_enterpriseAdministrator(t *testing.T) {
	text := "** Message blocked **\n\nYour message to pat@example.com has been blocked. See technical details below for more information.\n\n" +
		"The response from the recipient enterprise administrator was:\nThe user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent.\n\nLearn more."
	want := "The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent."
	if got := googleResponse(text); got != want {
		t.Errorf("googleResponse() = %q, want %q", got, want)
	}
}

func TestHeadedReply(t *testing.T) {
	text := "Se ha producido un problema temporal.\n\nLa respuesta del servidor remoto ha sido:\n451 4.3.0 Temporary system failure.\nPlease try again later.\n\nfin"
	if got, want := googleResponse(text), "451 4.3.0 Temporary system failure. Please try again later."; got != want {
		t.Errorf("googleResponse() = %q, want %q", got, want)
	}
	if got := headedReply("Hello:\nno code here\n"); got != "" {
		t.Errorf("headedReply() = %q, want empty", got)
	}
}
