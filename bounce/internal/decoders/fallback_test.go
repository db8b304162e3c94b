package decoders

import (
	"slices"
	"strings"
	"testing"
)

func TestNoticeRecipients(t *testing.T) {
	head := "From: postmaster@example.org\nTo: orders@shop.example\nSubject: Undeliverable: Invoice\n\n"
	tests := []struct {
		name, body string
		want       []string
	}{
		{"display names in a list, then the addresses alone in a section of codes",
			"Delivery has failed to these recipients or groups:\n\nAda Lind (ada@example.org)\nNot found.\n\n" +
				"Bo Ek (bo@example.org)\nMailbox full.\n\nDiagnostic information for administrators:\n\n" +
				"ada@example.org\n#550 5.1.1 not found ##\n\nbo@example.org\n#550 5.2.2 mailbox full ##\n",
			[]string{"ada@example.org", "bo@example.org"}},
		{"one sentence naming two addresses",
			"Your message to ada@example.org and bo@example.org could not be delivered.\n",
			[]string{"ada@example.org", "bo@example.org"}},
		{"a sentence, then the same address alone",
			"Your message to ada@example.org could not be delivered.\n\nada@example.org: 550 unknown user\n",
			[]string{"ada@example.org"}},
		{"only the first sentence's addresses when no line starts with one",
			"Your message to ada@example.org could not be delivered.\nPlease tell bo@example.org.\n",
			[]string{"ada@example.org"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := newMessage([]byte(head+tc.body), testOptions(), false)
			if err != nil {
				t.Fatal(err)
			}
			if got := noticeRecipients(m, m.notice()); !slices.Equal(got, tc.want) {
				t.Errorf("noticeRecipients = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRepliesBeneath(t *testing.T) {
	notice := "Delivery has failed to these recipients or groups:\n\nAda Lind (ada@example.org)\nNot found.\n\n" +
		"Diagnostic information for administrators:\n\nGenerating server: mbx1.example.org\n\n" +
		"Ada@example.org\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n\n" +
		"bo@example.org\nRemote Server returned '552 5.2.2 mailbox full'\n\ncy@example.org\n\n"
	got := repliesBeneath(notice)
	want := map[string]string{
		"ada@example.org": "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
		"bo@example.org":  "552 5.2.2 mailbox full",
	}
	if len(got) != len(want) {
		t.Fatalf("repliesBeneath = %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("repliesBeneath[%s] = %q, want %q", k, got[k], v)
		}
	}
	if got := repliesBeneath("Your message to ada@example.org could not be delivered.\n"); len(got) != 0 {
		t.Errorf("repliesBeneath(no section) = %q, want none", got)
	}
}

func TestRejectionMDN(t *testing.T) {
	msg := func(disposition string) string {
		return "From: MAILER-DAEMON@mail.example.org\nTo: shop@shop.example\nSubject: Automatically rejected mail\n" +
			"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\n\n" +
			"--b\nContent-Type: text/plain\n\nThe following reason was given:\nQuota exceeded\n" +
			"--b\nContent-Type: message/disposition-notification\n\n" +
			"Reporting-UA: mail.example.org; Dovecot Mail Delivery Agent\nFinal-Recipient: rfc822; ada@example.org\n" +
			"Disposition: " + disposition + "\n\n--b--\n"
	}
	tests := []struct{ disposition, want string }{
		{"automatic-action/MDN-sent-automatically; deleted", "ada@example.org"},
		{"automatic-action/MDN-sent-automatically; deleted/expired", "ada@example.org"},
		{"manual-action/MDN-sent-manually; deleted", ""},   // a person deleted it unread
		{"manual-action/MDN-sent-manually; displayed", ""}, // a read receipt
		{"automatic-action/MDN-sent-automatically; processed", ""},
	}
	for _, tc := range tests {
		m, err := newMessage([]byte(msg(tc.disposition)), testOptions(), false)
		if err != nil {
			t.Fatal(err)
		}
		if got := rejectionMDN(m); got != tc.want {
			t.Errorf("rejectionMDN(%q) = %q, want %q", tc.disposition, got, tc.want)
		}
	}
}

func TestParagraphBefore(t *testing.T) {
	tests := []struct{ name, notice, want string }{
		{"the lines above it in its paragraph",
			"Hello.\n\nThe mailbox is full.\nRecipient: ada@example.org\n", "The mailbox is full."},
		{"alone in its paragraph: the paragraph before",
			"The mailbox is full.\n\nada@example.org\n", "The mailbox is full."},
		{"below the returned message's From: the paragraph before",
			"The message contained a virus.\n\n   From: shop@shop.example\n   To: ada@example.org\n",
			"The message contained a virus."},
		{"the paragraph before names another address",
			"Write to help@example.org.\n\nada@example.org\n", ""},
	}
	for _, tc := range tests {
		if got := paragraphBefore(tc.notice, "ada@example.org"); got != tc.want {
			t.Errorf("%s: paragraphBefore = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNameLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Lars Berger (lars@example.org)", true},
		{"Berger, Lars <lars@example.org>", true},
		{"\"J. Smith\" <lars@example.org>", true},
		{"王小明 <lars@example.org>", true},
		{"Your message to <lars@example.org>", false},
		{"Lars Berger (lars@example.org) was not found", false},
		{"Please contact <lars@example.org>", false},
		{"Sent To: Lars <lars@example.org>", false},
		{"The Help Desk Team Of Example <lars@example.org>", false}, // too many words
	}
	for _, tc := range tests {
		at := strings.Index(tc.line, "lars@")
		lead := strings.Trim(tc.line[:at], " \t\"'<*-:")
		rest := tc.line[at+len("lars@example.org"):]
		if got := nameLine(lead, rest); got != tc.want {
			t.Errorf("nameLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestSoleErrorLine(t *testing.T) {
	tests := []struct{ notice, want string }{
		{"Error message below:\n550 5.1.1 mailbox unavailable\n\nMessage details:\n  RCPT TO: a@example.org\n", "550 5.1.1 mailbox unavailable"},
		{"a@example.org: 550 unknown\nb@example.org: 552 full\n", ""},
		{"Your message could not be delivered.\n", ""},
	}
	for _, tc := range tests {
		if got := soleErrorLine(tc.notice); got != tc.want {
			t.Errorf("soleErrorLine(%q) = %q, want %q", tc.notice, got, tc.want)
		}
	}
}

func TestAboveAll(t *testing.T) {
	addrs := []string{"a@example.org", "b@example.org"}
	tests := []struct {
		notice, line string
		want         bool
	}{
		{"Error:\n550 unavailable\n\nRCPT TO: a@example.org\n  b@example.org\n", "550 unavailable", true},
		{"a@example.org: no MX\nb@example.org: 550 unknown\n", "b@example.org: 550 unknown", false},
		{"a@example.org\n\n550 unavailable\n\nb@example.org\n", "550 unavailable", false},
	}
	for _, tc := range tests {
		if got := aboveAll(tc.notice, tc.line, addrs); got != tc.want {
			t.Errorf("aboveAll(%q, %q) = %v, want %v", tc.notice, tc.line, got, tc.want)
		}
	}
}

func TestTextDelivered(t *testing.T) {
	head := "From: postmaster@example.org\nTo: shop@shop.example\nSubject: Delivered: Invoice\n\n"
	tests := []struct {
		body string
		want bool
	}{
		{"Your message has been delivered to the following recipients:\n\nAda Lind (ada@example.org)\n", true},
		{"Your message was successfully delivered to the destination(s) listed below.\n\nada@example.org\n", true},
		{"Your message was not delivered to ada@example.org.\n", false},
		{"Your message was delivered to the following server, which refused it:\nada@example.org: 550 5.1.1 unknown\n", false},
		{"Your message to ada@example.org has been delivered to a mailbox that is full.\n", false},
	}
	for _, tc := range tests {
		m, err := newMessage([]byte(head+tc.body), testOptions(), false)
		if err != nil {
			t.Fatal(err)
		}
		if got := textDelivered(m); got != tc.want {
			t.Errorf("textDelivered(%q) = %v, want %v", tc.body, got, tc.want)
		}
	}
}

// TestTextAbout checks that the words after an address start at the
// words: the address's own closing bracket or quote, ASCII or typographic
// (“a@b”, «a@b», 「a@b」), is not part of the diagnostic.
func TestTextAbout(t *testing.T) {
	const want = "mailbox is full (552 5.2.2)"
	for _, notice := range []string{
		"  <ana@example.pt>: mailbox is full (552 5.2.2)",
		"  \"ana@example.pt\" mailbox is full (552 5.2.2)",
		"  'ana@example.pt'\n    mailbox is full (552 5.2.2)",
		"  “ana@example.pt”\n    mailbox is full (552 5.2.2)",
		"  «ana@example.pt» mailbox is full (552 5.2.2)",
		"  「ana@example.pt」 mailbox is full (552 5.2.2)",
		"  （ana@example.pt） mailbox is full (552 5.2.2)",
	} {
		if got := textAbout(notice, "ana@example.pt"); got != want {
			t.Errorf("textAbout(%q) = %q, want %q", notice, got, want)
		}
	}
	if got := textAbout("Rcpt=[<ana@example.pt>] quota", "ana@example.pt"); got != "] quota" {
		t.Errorf("textAbout kept brackets unbalanced: %q, want %q", got, "] quota")
	}
}

// TestDecodeTextNotice_replyApart checks that a notice naming one
// recipient takes the server's reply from its one line with codes when
// the recipient's own words carry none, and leaves it when there are two
// such lines (whose is which is unknown) or when the words have codes.
func TestDecodeTextNotice_replyApart(t *testing.T) {
	head := "From: MAILER-DAEMON@mx.example.net\nTo: orders@shop.example\nSubject: Delivery failure\n\n"
	tests := []struct {
		name, body, status string
	}{
		{"reply in a paragraph of its own",
			"We could not deliver your message to ada@example.org.\n\nThe mailbox does not exist.\n\n" +
				"Remote server said: 550 5.1.1 mailbox unavailable\n", "5.1.1"},
		{"two lines with codes",
			"We could not deliver your message to ada@example.org.\n\nThe mailbox does not exist.\n\n" +
				"First try: 451 4.3.0 try later\nLast try: 550 5.1.1 mailbox unavailable\n", ""},
		{"codes in the recipient's own words",
			"ada@example.org: 550 5.2.2 mailbox full\n\nOther hop said: 554 5.7.1 rejected\n", "5.2.2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := newMessage([]byte(head+tc.body), testOptions(), false)
			if err != nil {
				t.Fatal(err)
			}
			rep := decodeTextNotice(m)
			if rep == nil || len(rep.Recipients) != 1 {
				t.Fatalf("decodeTextNotice = %+v, want one recipient", rep)
			}
			if r := rep.Recipients[0]; r.Status != tc.status {
				t.Errorf("Status = %q (diagnostic %q), want %q", r.Status, r.Diagnostic, tc.status)
			}
		})
	}
}

// TestDecode_textRepliesPerRecipient: a notice that names its
// recipients together (a list, or one sentence), then each again with its
// own reply, gives each its own reply and no other's.
func TestDecode_textRepliesPerRecipient(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"a list, then technical details per recipient (chasquid's)",
			"From: Mail Delivery System <postmaster@mx.example.com>\nTo: sender@example.com\nSubject: Failed delivery\n\n" +
				"Delivery of your message to the following recipient(s) failed permanently:\n\n" +
				"  - full2@example.net\n  - unknown1@example.net\n\n\nTechnical details:\n" +
				"- \"unknown1@example.net\" (EMAIL) failed permanently with error:\n" +
				"    MAIL+RCPT 550 5.1.1 <unknown1@example.net>: Recipient address rejected: User unknown in local recipient table\n" +
				"- \"full2@example.net\" (EMAIL) failed permanently with error:\n" +
				"    MAIL+RCPT 552 5.2.2 <full2@example.net>: Recipient address rejected: Mailbox full, quota exceeded\n"},
		{"a sentence naming every recipient, then a line each (Haraka's)",
			"From: MAILER-DAEMON@mta.example.com\nTo: sender@example.com\nSubject: Delivery failed\n\n" +
				"I'm afraid I wasn't able to deliver your message to the following addresses.\n\n" +
				"Failure Reason: Error: Some recipients failed: <unknown1@example.net>, <full2@example.net>\n\n" +
				"<unknown1@example.net>: 550 5.1.1 <unknown1@example.net>: Recipient address rejected: User unknown in local recipient table\n" +
				"<full2@example.net>: 552 5.2.2 <full2@example.net>: Recipient address rejected: Mailbox full, quota exceeded\n"},
	}
	want := map[string]string{"full2@example.net": "5.2.2", "unknown1@example.net": "5.1.1"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Decode([]byte(tc.raw), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Recipients) != 2 {
				t.Fatalf("recipients %+v, want 2", rep.Recipients)
			}
			for _, r := range rep.Recipients {
				if r.Status != want[r.Address] || strings.Contains(r.Diagnostic, "5.2.2") && strings.Contains(r.Diagnostic, "5.1.1") {
					t.Errorf("%s: status %q diagnostic %q, want %s and its own reply only", r.Address, r.Status, r.Diagnostic, want[r.Address])
				}
			}
		})
	}
}

// A notice that names the recipient by its local part in a paragraph
// written on one line (Google Groups'): the sentence that names it is
// the diagnostic, not the whole line, nor nothing.
func TestLocalPartLine_longLineSentence(t *testing.T) {
	notice := "Hello sender@example.org,\n\n" +
		"We're writing to let you know that the group you tried to contact (team) may not exist, " +
		"or you may not have permission to post messages to the group. A few more details on why " +
		"you weren't able to post:\n\n * You might have spelled the group name incorrectly.\n"
	want := "We're writing to let you know that the group you tried to contact (team) may not exist, " +
		"or you may not have permission to post messages to the group."
	if got := localPartLine(notice, "team@groups.example.com"); got != want {
		t.Errorf("localPartLine() = %q, want %q", got, want)
	}
	ja := "連絡しようとしたグループ（team）が存在しないか、グループにメッセージを投稿する権限がない可能性があります。" +
		"投稿できなかった詳しい理由をいくつか紹介します:\n"
	if got, want := localPartLine(ja, "team@groups.example.com"), "連絡しようとしたグループ（team）が存在しないか、グループにメッセージを投稿する権限がない可能性があります。"; got != want {
		t.Errorf("localPartLine() = %q, want %q", got, want)
	}
	// A short line that names it comes first, wherever it is.
	short := notice + "unknown user: \"team\"\n"
	if got := localPartLine(short, "team@groups.example.com"); got != `unknown user: "team"` {
		t.Errorf("localPartLine() = %q, want the short line", got)
	}
	// A sentence longer than maxSentence is a paragraph: none.
	if got := localPartLine(strings.Repeat("word ", 60)+"team "+strings.Repeat("word ", 60)+"\n", "team@x.example"); got != "" {
		t.Errorf("localPartLine() = %q, want none", got)
	}
}
