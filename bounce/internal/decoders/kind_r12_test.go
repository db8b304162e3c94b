package decoders

import "testing"

// The twelfth blind round (testdata/unseen r12-*): the kind of mail.
func TestKind_r12(t *testing.T) {
	tests := []kindCase{
		{"masqmail warning", "From: MAILER-DAEMON@mx.example.de\nSubject: Warning: could not yet send message\n\n" +
			"Sorry, but your mail could not yet be delivered to all recipients.\nDelivery to the following recipients has been defered:\n\n\ta@example.de\n\n" +
			"Delivery will be tried again, until it is either successful or a\ntimeout has been reached.\n\n" +
			"host=mx.example.de [192.0.2.1]: 452 4.2.2 Mailbox full\n", KindDelay, ""},
		{"german delay", "From: MAILER-DAEMON@mx.example.de\nSubject: Verzoegerte Zustellung\n\n" +
			"Ihre Nachricht konnte nicht zugestellt werden. Die Zustellung wird weiterhin versucht.\n\n" +
			"<a@example.de>: host mx.example.de said: 452 4.2.2 Mailbox full\n", KindDelay, ""},
		{"german final", "From: MAILER-DAEMON@mx.example.de\nSubject: Unzustellbar\n\n" +
			"Ihre Nachricht konnte nicht zugestellt werden. Die Zustellung wird nicht weiter versucht.\n\n" +
			"<a@example.de>: host mx.example.de said: 550 5.1.1 User unknown\n", KindBounce, ""},
		{"german not yet delivered", "From: Mailer-Daemon@mail.example.de\nSubject: Warnung: Nachricht verzoegert\n\n" +
			"Noch nicht zugestellt an:\n\n  a@example.de\n    Grund: 452 4.2.2 Mailbox full\n\nDie Zustellung wird erneut versucht.\n", KindDelay, ""},
		{"german not tried again", "From: Mailer-Daemon@mail.example.de\nSubject: Unzustellbar\n\n" +
			"Nachricht an a@example.de konnte nicht zugestellt werden: 550 5.1.1 User unknown. Sie wird nicht erneut versucht.\n", KindBounce, ""},
		{"french not yet delivered", "From: postmaster@example.fr\nSubject: Remise différée\n\n" +
			"Ce message n'a pas encore été remis.\n\na@example.be\nLe serveur a retourné '452 4.2.2 Mailbox is full'\n", KindDelay, ""},
		{"german warning only", "From: postmaster@mail.example.de\nSubject: Verzoegerung\n\n" +
			"DIES IST NUR EINE WARNUNG.\n\nDie Übermittlung an folgende Empfänger wurde verzögert.\n\n       a@example.ch\n", KindDelay, ""},
		{"spanish warning only", "From: MAILER-DAEMON@correo.example.ar\nSubject: Correo retrasado\n\n" +
			"ESTO ES SOLO UNA ADVERTENCIA. Se seguirá intentando.\n\n<a@example.ar>: host mx said: 452 4.2.2 Mailbox full\n", KindDelay, ""},
		{"text read receipt", "From: a@example.pl\nSubject: Potwierdzenie przeczytania: Order\nAuto-Submitted: auto-replied\n\n" +
			"Twoja wiadomość została przeczytana.\n", KindNotBounce, ""},
		{"outlook read receipt in text", "From: a@example.de\nSubject: Gelesen: Angebot\nAuto-Submitted: auto-replied\n\nwurde gelesen.\n", KindNotBounce, ""},
		{"vacation about a read subject", "From: a@example.de\nSubject: Automatische Antwort: Gelesen: x\nAuto-Submitted: auto-replied\n\nIch bin nicht da.\n", KindAutoReply, "a@example.de"},
		{"sympa robot", "From: SYMPA <sympa@lists.example.fr>\nX-Loop: sympa@lists.example.fr\nSubject: Results\nAuto-Submitted: auto-replied\n\n" +
			"Your message for list 'x' has been forwarded to the moderator(s).\n", KindNotBounce, ""},
		{"sympa name without its loop mark", "From: sympa@example.fr\nSubject: Absent\nAuto-Submitted: auto-replied\n\nJe suis absent.\n", KindAutoReply, "sympa@example.fr"},
		{"challenge by body words alone", "From: notify@boxbe.example\nSubject: Request to join Rosa's Guest List\nAuto-Submitted: auto-replied\n\n" +
			"Your message to rosa@example.net was waitlisted. Rosa uses Boxbe.\n", KindAutoReply, "rosa@example.net"},
		{"challenge delivered to", "From: verify@cr.example\nSubject: Re: x [Verify Your Email]\nAuto-Submitted: auto-replied\n\n" +
			"To have your message delivered to dale@example.com, please click the link (Spam Arrest).\n", KindAutoReply, "dale@example.com"},
		{"german challenge", "From: b@filter.example.de\nSubject: Bitte bestaetigen\nAuto-Submitted: auto-replied\n\n" +
			"Sie haben eine Nachricht an tom@example.de gesendet. Dieses Postfach nimmt nur Nachrichten von bestätigten Absendern an.\n", KindAutoReply, "tom@example.de"},
	}
	checkKinds(t, tests)
}

// kindCase is a message and the kind Decode must give it.
type kindCase struct {
	name, raw string
	kind      Kind
	addr      string // the auto-reply's address, when kind is KindAutoReply
}

// checkKinds decodes each case's message and checks its kind, and the
// auto-reply's address where the case names one.
func checkKinds(t *testing.T, tests []kindCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Decode([]byte(tc.raw), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Kind != tc.kind {
				t.Fatalf("Decode() kind = %v (format %s), want %v", rep.Kind, rep.Format, tc.kind)
			}
			if tc.addr != "" && rep.AutoReplyFrom != tc.addr {
				t.Errorf("Decode() auto-reply address = %q, want %q", rep.AutoReplyFrom, tc.addr)
			}
		})
	}
}
