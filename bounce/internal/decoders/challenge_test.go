package decoders

import "testing"

func TestStripConfirm(t *testing.T) {
	for in, want := range map[string]string{
		"john-confirm-1234.abcd@example.com":         "john@example.com",
		"john-confirm-1715590800.4242.9f3a2c@x.org":  "john@x.org",
		"John.Doe+confirm+1715590800.9f3a2c@x.org":   "John.Doe@x.org", // RECIPIENT_DELIMITER "+"
		"ann-confirm-accept.1715590800.9f3a2c@x.org": "ann@x.org",
		"john@example.com":                           "john@example.com",
		"confirm-1234@example.com":                   "confirm-1234@example.com",     // no user before it
		"john-confirm-now@example.com":               "john-confirm-now@example.com", // no cookie: a word
		"orders-confirm-team@example.com":            "orders-confirm-team@example.com",
		"john-confirm-12.ab_cd@example.com":          "john-confirm-12.ab_cd@example.com",
	} {
		if got := stripConfirm(in); got != want {
			t.Errorf("stripConfirm(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentToAddress(t *testing.T) {
	own := map[string]bool{"shop@shop.example": true}
	for s, want := range map[string]string{
		"Your message to <eve@example.org> is being held":             "eve@example.org",
		"The message you sent to bob@example.net awaits confirmation": "bob@example.net",
		"Your mail addressed to \"cy@example.org\" was held":          "cy@example.org",
		"Please reply to shop@shop.example to confirm":                "",                // a reply address, no phrase
		"Your message to shop@shop.example is held":                   "",                // the shop itself
		"send an empty message to john-confirm-12.ab@example.com":     "",                // the confirm address
		"your message to the list; sent to dee@example.org":           "dee@example.org", // the address must follow the phrase
	} {
		if got := sentToAddress(s, own); got != want {
			t.Errorf("sentToAddress(%q) = %q, want %q", s, got, want)
		}
	}
}
