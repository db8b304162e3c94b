package decoders

import (
	"reflect"
	"testing"
)

// TestNoticeLineHelpers has one case or more for each line helper the
// decoders share.
func TestNoticeLineHelpers(t *testing.T) {
	text := "Header line\n\n  first@example.com\n  second@example.com\n\nafter the block\n"
	if got, ok := sectionFrom(text, "AFTER the"); !ok || got != "after the block\n" {
		t.Errorf("sectionFrom() = %q, %v, want the text from the marker", got, ok)
	}
	if got, ok := sectionFrom(text, "missing"); ok || got != "" {
		t.Errorf("sectionFrom(missing) = %q, %v, want \"\", false", got, ok)
	}
	if got, want := blockAfter(text), []string{"first@example.com", "second@example.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("blockAfter() = %q, want %q", got, want)
	}
	if got, want := nonBlankLines(text), []string{"Header line", "first@example.com", "second@example.com", "after the block"}; !reflect.DeepEqual(got, want) {
		t.Errorf("nonBlankLines() = %q, want %q", got, want)
	}
	lines := splitLines("sent <<< RCPT TO:<a@b.example>\n received >>> 550 5.1.1 unknown\nreceived >>> 550 more\nother\n")
	taken, last := takeLines(lines, 1, func(u string) bool { return containsFold(u, "RECEIVED >>>") })
	if want := []string{"received >>> 550 5.1.1 unknown", "received >>> 550 more"}; !reflect.DeepEqual(taken, want) || last != 2 {
		t.Errorf("takeLines() = %q, %d, want %q, 2", taken, last, want)
	}
	if taken, last := takeLines(lines, 3, func(string) bool { return false }); taken != nil || last != 2 {
		t.Errorf("takeLines(none taken) = %q, %d, want nil, 2", taken, last)
	}
	if got := indentOf("\t  x"); got != 3 {
		t.Errorf("indentOf() = %d, want 3", got)
	}
}

// TestAddressParagraphs reads the same notice in qmail's and Courier's
// styles, which differ at rulers and at indented address lines.
func TestAddressParagraphs(t *testing.T) {
	notice := "<a@example.com>:\nSorry, no mailbox here by that name.\n\n" +
		"<b@example.com>:\n-----\n  <c@example.com>:\nnested\n--- Below this line is a copy of the message.\n<d@example.com>:\nx\n"
	tests := []struct {
		style paraStyle
		want  []addrPara
	}{
		{qmailStyle, []addrPara{
			{addr: "a@example.com", lines: []string{"Sorry, no mailbox here by that name."}},
			{addr: "b@example.com"}, // a "---" ruler ends qmail's list
		}},
		{courierStyle, []addrPara{
			{addr: "a@example.com", lines: []string{"Sorry, no mailbox here by that name."}},
			{addr: "b@example.com"},
			{addr: "d@example.com", lines: []string{"x"}},
		}},
	}
	for _, tc := range tests {
		if got := addressParagraphs(notice, tc.style); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("addressParagraphs(style %d) = %+v, want %+v", tc.style, got, tc.want)
		}
	}
}

// TestAddressParagraphs_replyLine: a reply line that starts and ends with
// an address in angle brackets (Haraka's "<a>: 550 5.1.1 <a>:" folded
// after its second) opens no paragraph.
func TestAddressParagraphs_replyLine(t *testing.T) {
	notice := "<a@example.net>: 550 5.1.1 <a@example.net>:\n    Recipient address rejected: User unknown\n<b@example.net>: 552 5.2.2 Mailbox full\n"
	if got := addressParagraphs(notice, qmailStyle); len(got) != 0 {
		t.Errorf("addressParagraphs = %+v, want none", got)
	}
}

// TestBoundsOf checks the line and the paragraph around a match, at the
// edges of the text too.
func TestBoundsOf(t *testing.T) {
	text := "first line\nsecond a@b.example line\n\nnext paragraph"
	i := len("first line\nsecond ")
	j := i + len("a@b.example")
	if s, e := lineBounds(text, i, j); text[s:e] != "second a@b.example line" {
		t.Errorf("lineBounds() = %q, want the second line", text[s:e])
	}
	if s, e := boundsOf(text, i, j, "\n\n"); text[s:e] != "first line\nsecond a@b.example line" {
		t.Errorf("boundsOf(paragraph) = %q, want the first paragraph", text[s:e])
	}
	k := len(text) - len("paragraph")
	if s, e := lineBounds(text, k, k); text[s:e] != "next paragraph" {
		t.Errorf("lineBounds(last line) = %q, want the last line without a newline", text[s:e])
	}
	if s, e := lineBounds(text, 0, 0); text[s:e] != "first line" {
		t.Errorf("lineBounds(0) = %q, want the first line", text[s:e])
	}
}

// TestFinishRecipients checks that every recipient is finished and that
// each quirk runs on each, in order.
func TestFinishRecipients(t *testing.T) {
	rs := []Recipient{{Address: "a@b.example", Diagnostic: "550 5.1.1 <a@b.example>: unknown\n  user"}, {Address: "c@d.example"}}
	var seen []string
	out := finishRecipients(rs, func(r *Recipient) { seen = append(seen, "1:"+r.Address) }, func(r *Recipient) { seen = append(seen, "2:"+r.Address) })
	if out[0].ReplyCode != "550" || out[0].Status != "5.1.1" {
		t.Errorf("finishRecipients()[0] = %+v, want the codes read from the diagnostic", out[0])
	}
	if want := []string{"1:a@b.example", "2:a@b.example", "1:c@d.example", "2:c@d.example"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("quirks ran as %q, want %q", seen, want)
	}
}

// TestContainsAny checks the word-list helpers the decoders share.
func TestContainsAny(t *testing.T) {
	words := []string{"mailbox full", "over quota"}
	if !containsAny("550 user is over quota", words) || containsAny("550 user unknown", words) || containsAny("x", nil) {
		t.Error("containsAny: want true only when one of the words occurs")
	}
	prefixes := []string{"undelivered mail", "delayed mail"}
	if !hasPrefixAny("delayed mail (still being retried)", prefixes) || hasPrefixAny("re: delayed mail", prefixes) {
		t.Error("hasPrefixAny: want true only for a prefix")
	}
}
