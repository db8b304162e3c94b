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
