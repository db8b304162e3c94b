package decoders

import "testing"

// The eighteenth blind round (testdata/unseen r18-*): help-desk
// acknowledgements (ticketack.go) and a person forwarding the bounce of
// their own mail (ownBounceForwarded).
func TestKind_r18(t *testing.T) {
	tests := []kindCase{
		{"ack numbered, no header", "From: Desk <desk@vendor.example>\nTo: a@shop.example\nSubject: Anfrage erhalten: x\n\n" +
			"Ihre Anfrage (48877) ist eingegangen und wird geprüft.\n", KindAutoReply, "desk@vendor.example"},
		{"ack by precedence", "From: desk@vendor.example\nTo: a@shop.example\nSubject: RE: x\nPrecedence: bulk\nX-OTRS-Loop: desk@vendor.example\n\n" +
			"Ihre E-Mail ist bei uns eingegangen.\n", KindAutoReply, "desk@vendor.example"},
		{"ack by x-auto-response-suppress", "From: hi@vendor.example\nTo: a@shop.example\nSubject: Re: x\nX-Auto-Response-Suppress: All\n\n" +
			"Merci ! Nous l'avons bien reçu.\n", KindAutoReply, "hi@vendor.example"},
		{"ack subject number", "From: help@vendor.example\nTo: a@shop.example\nSubject: Ticket Received - x [#90217]\n\n" +
			"We would like to acknowledge that we have received your request and a ticket has been created.\n", KindAutoReply, "help@vendor.example"},
		// A person's reply with the same words but no number and no mark.
		{"person's words, no number, no mark", "From: bob@vendor.example\nTo: a@shop.example\nSubject: Re: x\n\n" +
			"Thanks, we have received your request and will ship on Monday.\n", KindNotBounce, ""},
		// A failure notice with an acknowledgement's words stays a failure.
		{"failure with ack words", "From: MAILER-DAEMON@mx.example.org\nTo: a@shop.example\nSubject: Undeliverable [#123]\n\n" +
			"Your email has been received but could not be delivered: 550 5.1.1 <b@example.org> User unknown\n", KindBounce, ""},
		// The customer's words quoted below the acknowledgement.
		{"ack quoting a failure", "From: desk@vendor.example\nTo: a@shop.example\nSubject: [Ticket#1000581] x\nPrecedence: bulk\n\n" +
			"Your e-mail has been received.\n\n> The parcel could not be delivered, address not found.\n", KindAutoReply, "desk@vendor.example"},
		// A list's confirmation request: no ticket.
		{"mailman registration", "From: l-confirm@lists.example\nTo: a@shop.example\nSubject: confirm 3f9a\nAuto-Submitted: auto-generated\nX-List-Administrivia: yes\n\n" +
			"We have received a registration request for the email address\n", KindNotBounce, ""},
		{"own bounce forwarded inline", "From: Hans <h@example.at>\nTo: service@shop.example\nSubject: Fwd: Undeliverable: x\n\n" +
			"My mail came back.\n\n-----Original Message-----\nFrom: Microsoft Outlook <postmaster@example.at>\nSent: Wednesday, December 2, 2026 1:10 PM\n" +
			"To: Hans <h@example.at>\nSubject: Undeliverable: x\n\nDelivery has failed to these recipients or groups:\n\nold@shop-old.example\n" +
			"Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n", KindNotBounce, ""},
		// The shop's own desk forwarding its bounce to its postmaster: the
		// shop's failure (r6-forwarded-dsn).
		{"own bounce forwarded within the domain", "From: Sales <sales@shop.example>\nTo: postmaster@shop.example\nSubject: Fwd: Undelivered Mail\n\n" +
			"Please remove.\n\n---------- Forwarded message ----------\nFrom: MAILER-DAEMON@mx.example.net\nTo: sales@shop.example\n" +
			"Subject: Undelivered Mail Returned to Sender\n\n<c@example.net>: host mx.example.net said: 550 5.1.1 <c@example.net>: User unknown\n", KindBounce, ""},
		// A person forwarding their bounce to their own mailbox at another
		// domain (the shared corpus's lhost-sendmail-14): a bounce.
		{"own bounce forwarded to oneself", "From: Nyanko <nyanko@example.jp>\nTo: nyanko@other.example.ne.jp\nSubject: Fwd: Returned mail\n\n" +
			"---------- Forwarded message ----------\nFrom: MAILER-DAEMON@mx.example.jp\nTo: nyanko@example.jp\n" +
			"Subject: Returned mail: see transcript for details\n\n<c@example.net>: host mx.example.net said: 550 5.1.1 <c@example.net>: User unknown\n", KindBounce, ""},
	}
	checkKinds(t, tests)
}
