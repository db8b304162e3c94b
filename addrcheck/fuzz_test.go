package addrcheck

import (
	"testing"
	"unicode/utf8"
)

// FuzzCheck: Check never panics, Valid agrees with the faults, and a
// suggestion is itself an address without faults of severity error that
// Check leaves as it is.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"taro.@docomo.ne.jp", "ＡＢＣ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ", "taro@docomo,ne,jp", "hanako@docomo.ne.jo",
		`"a b"@example.com`, "a@b@c", "@", "", "taro@[192.0.2.1]", "taro@例え.jp", "x@ゲーム.jp",
		"tarodocomo.ne.jp", "a..b@gmail..com.", "\ufeffa@au.com", "a@@b.example",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		r := Check(s)
		valid := true
		for _, fl := range r.Faults {
			if fl.Severity == SeverityError {
				valid = false
			}
			if fl.Suggestion != "" && fl.Suggestion != r.Suggestion {
				t.Fatalf("Check(%q): fault %s suggests %q, the result %q", s, fl.Code, fl.Suggestion, r.Suggestion)
			}
		}
		if valid != r.Valid {
			t.Fatalf("Check(%q).Valid = %v with faults %v", s, r.Valid, codes(r))
		}
		if r.Suggestion == "" {
			return
		}
		again := Check(r.Suggestion)
		if !again.Valid || again.Suggestion != "" {
			t.Fatalf("Check(%q) suggests %q, which checks as %v (suggestion %q)", s, r.Suggestion, codes(again), again.Suggestion)
		}
	})
}
