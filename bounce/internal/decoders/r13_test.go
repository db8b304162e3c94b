package decoders

import (
	"strings"
	"testing"
)

// The thirteenth blind round (testdata/unseen/r13-*): localised notices
// around the structures the decoders read.

// TestDecode_translatedNotices: a Postfix DSN whose notice was
// translated (bounce_template_file) and whose bounce has no Received line
// of its own still gives the SMTP command of Postfix's reply footer; an
// Exim bounce whose text above the list was translated
// (bounce_message_file) is read from its list of addresses, found by
// X-Failed-Recipients; the O365-style line "error: 550 5.0.0 <ADDR>: ..."
// gives a recipient whose first mention says nothing after the address.
func TestDecode_translatedNotices(t *testing.T) {
	postfix := "From: MAILER-DAEMON@mx.example.de\nTo: s@example.org\nSubject: Unzustellbar\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain; charset=utf-8\n\n" +
		"Dies ist das Mailsystem auf dem Rechner mx.example.de.\n\n<jo@example.de>: host mail.example.de[192.0.2.1] said: 550\n    Benutzer unbekannt (in reply to RCPT TO command)\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.de\nX-Postfix-Queue-ID: 4Vb\n\nFinal-Recipient: rfc822; jo@example.de\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 Benutzer unbekannt\n\n--B--\n"
	exim := "From: Mail Delivery System <Mailer-Daemon@mail.example.pl>\nTo: s@example.org\nSubject: Zwrot\nX-Failed-Recipients: pawel@example.pl\n\n" +
		"Ta wiadomość została wygenerowana automatycznie przez system pocztowy.\nNastępujące adresy zawiodły:\n\n" +
		"  pawel@example.pl\n    host mx.example.pl [192.0.2.2]\n    SMTP error from remote mail server after RCPT TO:<pawel@example.pl>:\n    550 Nie ma takiego uzytkownika\n"
	o365 := "From: Microsoft Outlook <postmaster@example.com>\nTo: s@example.org\nSubject: Niedostarczalne\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain; charset=utf-8\n\n" +
		"Nie można dostarczyć wiadomości do adresata jerzy@example.pl.\n\nKod stanu: 550 5.0.0\n\nZgłoszony błąd: 550 5.0.0 <jerzy@example.pl>: skrzynka adresata jest przepełniona\n\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822;jerzy@example.pl\nAction: failed\nStatus: 5.0.0\n\n--B--\n"
	tests := []struct{ name, msg, addr, cmd, diag string }{
		{"postfix footer", postfix, "jo@example.de", "RCPT", "550 Benutzer unbekannt"},
		{"exim translated", exim, "pawel@example.pl", "RCPT", "550 Nie ma takiego uzytkownika"},
		{"coded line naming", o365, "jerzy@example.pl", "", "550 5.0.0 skrzynka adresata jest przepełniona"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Decode([]byte(tc.msg), testOptions())
			if err != nil || rep == nil || len(rep.Recipients) != 1 {
				t.Fatalf("Decode = %+v, %v; want one recipient", rep, err)
			}
			r := rep.Recipients[0]
			if r.Address != tc.addr || r.Command != tc.cmd || !strings.Contains(r.Diagnostic, tc.diag) {
				t.Errorf("got %s %q %q, want %s %q %q (format %s)", r.Address, r.Command, r.Diagnostic, tc.addr, tc.cmd, tc.diag, rep.Format)
			}
		})
	}
}

// TestTextDelayed_frenchGerman: a text notice saying in French or German
// that the message has not yet been delivered, or that delivery is still
// being tried, warns of a delay.
func TestTextDelayed_frenchGerman(t *testing.T) {
	for _, text := range []string{
		"Votre message n'a pas encore pu être distribué à un ou plusieurs destinataires.",
		"DIES IST NUR EINE WARNUNG. Es wird weiter versucht, bis die Nachricht 5 Tage alt ist.",
	} {
		m, err := newMessage([]byte("From: MAILER-DAEMON@example.org\nTo: s@example.org\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n"+text+"\n"), testOptions(), false)
		if err != nil {
			t.Fatal(err)
		}
		if !textDelayed(m) {
			t.Errorf("textDelayed(%q) = false, want true", text)
		}
	}
}
