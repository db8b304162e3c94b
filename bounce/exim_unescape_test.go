package bounce

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
