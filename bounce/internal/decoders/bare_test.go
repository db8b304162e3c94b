package decoders

import "testing"

func TestPlaceBare(t *testing.T) {
	notice := func(from, original string) string {
		s := "From: " + from + "\nTo: orders@shop.example\nSubject: Returned mail: User unknown\n\n" +
			"   ----- The following addresses had permanent fatal errors -----\njsmith\n\n"
		if original != "" {
			s += "   ----- Unsent message follows -----\n" + original + "\nHello\n"
		}
		return s
	}
	tests := []struct{ name, raw, want string }{
		{"the returned message's Cc has the local part", notice("MAILER-DAEMON@relay.isp.example",
			"From: orders@shop.example\nTo: a@example.org\nCc: J Smith <JSmith@example.net>\n"), "JSmith@example.net"},
		{"Delivered-To counts as a recipient header", notice("MAILER-DAEMON@mx.example.org",
			"From: orders@shop.example\nDelivered-To: jsmith@example.com\nTo: list@example.org\n"), "jsmith@example.com"},
		{"a host within the domain the message went to", notice("MAILER-DAEMON@mx2.mail.example.org",
			"From: orders@shop.example\nTo: staff@example.org\n"), "jsmith@example.org"},
		{"recipients at two domains the host belongs to", notice("MAILER-DAEMON@mx.mail.example.org",
			"From: orders@shop.example\nTo: staff@example.org, team@mail.example.org\n"), ""},
		{"a relay, the message addressed elsewhere", notice("MAILER-DAEMON@relay.isp.example",
			"From: orders@shop.example\nTo: staff@example.org\n"), ""},
		{"no returned message, signed by the domain", notice("MAILER-DAEMON@example.org", ""), "jsmith@example.org"},
		{"no returned message, signed by a host", notice("MAILER-DAEMON@mail.example.org", ""), ""},
		{"no returned message, a person's From", notice("jane@example.org", ""), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := newMessage([]byte(tc.raw), testOptions(), false)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.placeBare("jsmith"); got != tc.want {
				t.Errorf("placeBare(jsmith) = %q, want %q", got, tc.want)
			}
		})
	}
}
