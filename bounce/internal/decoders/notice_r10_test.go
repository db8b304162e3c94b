package decoders

import "testing"

// TestNoticeR10Helpers has cases for the helpers the tenth round of
// testdata/unseen added: transcripts with MDaemon's marks, the causes
// above a recipient, a notice's replies that name no other recipient,
// header-like lines and quoted bare names.
func TestNoticeR10Helpers(t *testing.T) {
	tr := noticeTranscript(" Wed 2003-10-15 11:40:00: --> RCPT To:<a@example.nl>\n" +
		" Wed 2003-10-15 11:40:01: <-- 550 5.1.1 <a@example.nl>: User unknown\n" +
		">>> RCPT To:<b@example.org>\n<<< 452 4.2.2 Over quota\n" +
		"see the log: --> not a mark\n")
	if got := tr["a@example.nl"]; got != [2]string{"RCPT", "550 5.1.1 <a@example.nl>: User unknown"} {
		t.Errorf("noticeTranscript(MDaemon) = %q", got)
	}
	if got := tr["b@example.org"]; got[1] != "452 4.2.2 Over quota" {
		t.Errorf("noticeTranscript(Sendmail) = %q", got)
	}
	if _, ok := transcriptMark("a sentence that says --> here", "-->"); ok {
		t.Error("transcriptMark took a mark inside a sentence")
	}

	notice := "This Message was undeliverable due to the following reason:\n\n" +
		"Your message was not delivered because the destination computer was\nnot found.\n\n" +
		"     Host h.example not found\n\n" +
		"The following recipients did not receive this message:\n\n     <m@h.example>\n"
	if got, want := causesAbove(notice, "m@h.example"), "Your message was not delivered because the destination computer was not found. Host h.example not found"; got != want {
		t.Errorf("causesAbove() = %q, want %q", got, want)
	}
	if got := causesAbove("<m@h.example>\n", "m@h.example"); got != "" {
		t.Errorf("causesAbove(first paragraph) = %q, want \"\"", got)
	}

	two := "<-- 250 Ok\n<-- 550 5.1.1 <a@example.nl>: User unknown\n<-- 554 5.7.1 blocked\n"
	if got, want := errorLinesFor(two, "b@example.net", []string{"a@example.nl", "b@example.net"}), "<-- 554 5.7.1 blocked"; got != want {
		t.Errorf("errorLinesFor() = %q, want %q", got, want)
	}

	for s, want := range map[string]bool{"Received": true, "X-Original-To": true, "+user.marta": false, "c": false, "1abc": false} {
		if got := headerNameLike(s); got != want {
			t.Errorf("headerNameLike(%q) = %v, want %v", s, got, want)
		}
	}

	for line, want := range map[string]string{
		"The user 'jmartin' does not exist on this server.": "jmartin",
		`Mailbox "kim" is full`:                             "kim",
		"The user 'jmartin' sent you this":                  "",
		"user 'two words' does not exist":                   "",
	} {
		if got := quotedBareName(line); got != want {
			t.Errorf("quotedBareName(%q) = %q, want %q", line, got, want)
		}
	}
}
