package decoders

import (
	"strings"
	"testing"
)

// FuzzHostIs checks hostIs against its definition: host lower-cased,
// without a final dot, is domain or ends in "." and domain.
func FuzzHostIs(f *testing.F) {
	f.Add("MX1.Google.COM.", "google.com")
	f.Add("google.com", "google.com")
	f.Add("xgoogle.com", "google.com")
	f.Add("\u212addi.jp", "kddi.jp")
	f.Fuzz(func(t *testing.T, host, domain string) {
		h := toLower(strings.TrimSuffix(host, "."))
		want := h == domain || strings.HasSuffix(h, "."+domain)
		if got := hostIs(host, domain); got != want {
			t.Errorf("hostIs(%q, %q) = %v, want %v", host, domain, got, want)
		}
	})
}
