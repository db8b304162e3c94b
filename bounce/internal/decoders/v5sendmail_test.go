package decoders

import "testing"

// TestSendmailLocalUser: a bare user name of a sendmail transcript is the
// returned message's recipient with that local part, only when exactly
// one has it.
func TestSendmailLocalUser(t *testing.T) {
	o := originalFromHeader(headerOf("To: mizuki@mail.example.co.jp, Taro <taro@example.ne.jp>, kai@a.example, kai@b.example\n\n"))
	for _, c := range []struct{ who, want string }{
		{"mizuki", "mizuki@mail.example.co.jp"},
		{"MIZUKI", "mizuki@mail.example.co.jp"},
		{"taro", "taro@example.ne.jp"},
		{"kai", ""},           // two recipients have it
		{"nobody", ""},        // none has it
		{"example.ne.jp", ""}, // no local part of any recipient
		{"a b", ""},           // no plain name
		{"", ""},
	} {
		if got := sendmailLocalUser(c.who, o); got != c.want {
			t.Errorf("sendmailLocalUser(%q) = %q, want %q", c.who, got, c.want)
		}
	}
}
