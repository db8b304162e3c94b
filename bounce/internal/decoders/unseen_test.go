package decoders

import (
	"strings"
	"testing"
)

func TestBareName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"jsmith", "jsmith"},
		{"<jsmith>", "jsmith"},
		{"jsmith...", "jsmith"},
		{"76543.210", "76543.210"}, // a CompuServe user ID
		{"CoolDude77", "CoolDude77"},
		{"Sunny Day42", "Sunny Day42"}, // a screen name: bareAt decides
		{"postmaster", ""},             // role and program words
		{"MAILER-DAEMON", ""},
		{"root", ""},
		{"User", ""},
		{"recipient", ""},
		{"550", ""},       // a reply code
		{"a", ""},         // too short
		{".jsmith", ""},   // not a dot-atom
		{"j..smith", ""},  // not a dot-atom
		{"j smith@x", ""}, // an address, not a name
		{"(reason: 550)", ""},
	}
	for _, tc := range tests {
		if got := bareName(tc.in); got != tc.want {
			t.Errorf("bareName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ name, domain, want string }{
		{"CoolDude77", "aol.com", "cooldude77@aol.com"},
		{"Sunny Day42", "aol.com", "sunnyday42@aol.com"},
		{"Sunny Day42", "example.com", ""}, // spaces only in screen names
		{"JSmith", "example.org", "JSmith@example.org"},
	} {
		if got := bareAt(tc.name, tc.domain); got != tc.want {
			t.Errorf("bareAt(%q, %q) = %q, want %q", tc.name, tc.domain, got, tc.want)
		}
	}
}

func TestRecipientLabel(t *testing.T) {
	for lead, want := range map[string]bool{
		"":                   false, // handled by the caller: nothing before the address
		"To":                 true,
		"RCPT TO":            true,
		"Recipient":          true,
		"Recipient address:": true,
		"Failed address":     true,
		"Empfänger":          true,
		"Reason":             false,
		"Please reply to":    false,
		"Your message to":    false,
		"To: a very long sentence before the recipient that is no label at all": false,
	} {
		if got := recipientLabel(lead); got != want {
			t.Errorf("recipientLabel(%q) = %v, want %v", lead, got, want)
		}
	}
}

func TestLocalPartLine(t *testing.T) {
	notice := "unknown user: \"vera\"\n\nTo: vera@example.net\nveronica (ok)\n"
	if got := localPartLine(notice, "vera@example.net"); got != `unknown user: "vera"` {
		t.Errorf("localPartLine() = %q", got)
	}
	if got := localPartLine("veronica is away\nvera@example.net\n", "vera@example.net"); got != "" {
		t.Errorf("localPartLine() = %q, want none: a longer word and the address itself do not count", got)
	}
}

func TestParagraphs(t *testing.T) {
	notice := "This Message was undeliverable due to the following reason:\n\nThe account is over quota.\n\n<a@example.com>\n\nPlease reply to <postmaster@example.com>\n"
	if got := paragraphBefore(notice, "a@example.com"); got != "The account is over quota." {
		t.Errorf("paragraphBefore() = %q", got)
	}
	if got := paragraphAfter(notice, "a@example.com"); got != "Please reply to <postmaster@example.com>" {
		t.Errorf("paragraphAfter() = %q", got)
	}
	same := "The message could not be delivered because the mailbox is full.\nRecipient: a@example.com\n"
	if got := paragraphBefore(same, "a@example.com"); got != "The message could not be delivered because the mailbox is full." {
		t.Errorf("paragraphBefore() = %q, want the lines before the address in its paragraph", got)
	}
	if got := cutAtOther("a@example.com\nb@example.com\n", "b@example.com is next", "a@example.com", []string{"a@example.com", "b@example.com"}); got != "" {
		t.Errorf("cutAtOther() = %q, want nothing", got)
	}
}

func TestListAdminSender(t *testing.T) {
	for from, want := range map[string]bool{
		"news-bounces@lists.example": true,
		"owner-news@lists.example":   true,
		"news-owner@lists.example":   true,
		"news-request@lists.example": true,
		"listserv@lists.example.edu": true, // LISTSERV's own address
		"peter@example.org":          false,
		"downer@example.org":         false,
	} {
		if got := listAdminSender(from); got != want {
			t.Errorf("listAdminSender(%q) = %v, want %v", from, got, want)
		}
	}
}

func TestAutoReply_failureNoticeAndChallenge(t *testing.T) {
	tests := []struct {
		name, raw string
		kind      Kind
	}{
		{"vacation", "From: a@example.org\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nI am away until Monday.\n", KindAutoReply},
		{"rejection marked auto-replied", "From: gw@example.org\nSubject: Re: x\nAuto-Submitted: auto-replied\n\n" +
			"Your message could not be delivered to:\n\n  b@example.org\n\n550 5.1.1 no such user\n", KindBounce},
		{"vacation quoting a code without failure words", "From: a@example.org\nSubject: Automatic reply: x\n\nBack on 5.1.2025.\n", KindAutoReply},
		{"challenge without headers", "From: v@example.org\nSubject: Please confirm your message\n\n" +
			"Your message is held pending confirmation. Reply to deliver it.\n", KindAutoReply},
		{"auto-generated rejection in words", "From: gw@example.org\nSubject: Re: x\nAuto-Submitted: auto-generated\n\n" +
			"Your message to b@example.org could not be delivered: the recipient does not exist.\n", KindBounce},
		{"auto-generated notice without a failure", "From: gw@example.org\nSubject: Re: x\nAuto-Submitted: auto-generated\n\n" +
			"Your message to b@example.org was received and will be answered.\n", KindNotBounce},
		{"confirm subject without a challenge", "From: shop@example.org\nSubject: Please confirm your order\n\nThanks for your order.\n", KindNotBounce},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Decode([]byte(tc.raw), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Kind != tc.kind {
				t.Errorf("Decode() kind = %v (format %s), want %v", rep.Kind, rep.Format, tc.kind)
			}
		})
	}
}

func TestInlineForward(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // "" for nil
	}{
		{"gmail marker", "FYI\n\n---------- Forwarded message ----------\nFrom: MAILER-DAEMON@x.example\nSubject: failure notice\n\nbody\n",
			"From: MAILER-DAEMON@x.example\nSubject: failure notice\n\nbody\n"},
		{"quoted", "See:\n\n> From: a@x.example\n> Subject: s\n>\n> body\n", "From: a@x.example\nSubject: s\n\nbody\n"},
		{"no header after the marker", "-----Original Message-----\nhello there\n", ""},
		{"no from", "---------- Forwarded message ----------\nSubject: s\nDate: d\n\nbody\n", ""},
		{"no marker", "From: a@x.example\nSubject: s\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(inlineForward(tc.text)); got != tc.want {
				t.Errorf("inlineForward() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSenderLead(t *testing.T) {
	for lead, want := range map[string]bool{
		"Your message from": true,
		"Sender:":           true,
		"MAIL FROM:":        true,
		"Your message to":   false,
		"Recipient:":        false,
		"a sentence that goes on for a long while and then says from": true,
	} {
		if got := senderLead(lead); got != want {
			t.Errorf("senderLead(%q) = %v, want %v", lead, got, want)
		}
	}
}

func TestNoticeRecipients_labelledList(t *testing.T) {
	raw := "From: MAILER-DAEMON@x.example\nSubject: failure notice\n\n" +
		"Intended Recipients: <a@example.net>, <b@example.net> and c@example.net\n" +
		"Please reply to d@example.net, e@example.net\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Recipients {
		got = append(got, r.Address)
	}
	if want := "a@example.net b@example.net c@example.net"; strings.Join(got, " ") != want {
		t.Errorf("Decode() recipients = %v, want %s", got, want)
	}
	for s, want := range map[string]bool{">, <": true, " and ": true, "; ": true, " or ": false, " then ": false} {
		if listSeparators(s) != want {
			t.Errorf("listSeparators(%q) = %v, want %v", s, !want, want)
		}
	}
}
