package decoders

import "testing"

// TestEximUnescape checks that Exim's \ooo escapes of a UTF-8 reply are
// read back and that nothing else changes.
func TestEximUnescape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`550 5.7.1 \345\217\227\344\277\241`, "550 5.7.1 受信"},
		{`550 5.7.1 caf\303\251 ok`, "550 5.7.1 café ok"},
		{`550 path C:\temp\123 not found`, `550 path C:\temp\123 not found`}, // ASCII: not Exim's
		{`550 \377\376 broken`, `550 \377\376 broken`},                       // not UTF-8: kept
		{`550 5.1.1 no escapes`, "550 5.1.1 no escapes"},
		{`trailing \34`, `trailing \34`},
	} {
		if got := eximUnescape(c.in); got != c.want {
			t.Errorf("eximUnescape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDSNAddress_unitext checks that a utf-8 address's RFC 6533 escapes
// ("\x{E9}") are decoded, and that malformed ones are kept as written.
func TestDSNAddress_unitext(t *testing.T) {
	tests := []struct{ in, want string }{
		{`utf-8; ren\x{E9}@example.fr`, "rené@example.fr"},
		{`utf-8; \x{738B}\x{4F1F}@example.cn`, "王伟@example.cn"},
		{`UTF-8; jürgen@example.de`, "jürgen@example.de"},
		{`rfc822; a\x{E9}@example.fr`, `a\x{E9}@example.fr`},            // only the utf-8 type escapes
		{`utf-8; a\x{D800}b@example.fr`, `a\x{D800}b@example.fr`},       // a surrogate: kept as written
		{`utf-8; a\x{1234567}b@example.fr`, `a\x{1234567}b@example.fr`}, // too many digits: kept
		{`utf-8; a\x{E9@example.fr`, `a\x{E9@example.fr`},               // no closing brace: kept
	}
	for _, tc := range tests {
		if got := dsnAddress(tc.in); got != tc.want {
			t.Errorf("dsnAddress(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
