package addrcheck

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestCheck_faults covers every syntax and domain fault with at least two
// addresses: the code must be found, with the suggestion (or none).
func TestCheck_faults(t *testing.T) {
	long := strings.Repeat("a", 65)
	label64 := strings.Repeat("b", 64)
	tests := []struct {
		name, addr string
		code       Code
		suggestion string // "" = none may be derived
	}{
		{"empty", "", CodeEmpty, ""},
		{"empty spaces", "  \u3000 ", CodeEmpty, ""},

		{"full-width all", "ＡＢＣ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ", CodeFullWidth, "ABC@docomo.ne.jp"},
		{"full-width at", "taro＠ezweb.ne.jp", CodeFullWidth, "taro@ezweb.ne.jp"},
		{"ideographic full stop", "hanako@docomo。ne。jp", CodeFullWidth, "hanako@docomo.ne.jp"},
		{"long vowel mark for hyphen", "taroーyamada@au.com", CodeFullWidth, "taro-yamada@au.com"},

		{"zero-width space", "taro\u200b@gmail.com", CodeInvisible, "taro@gmail.com"},
		{"byte order mark", "\ufeffhanako@i.softbank.jp", CodeInvisible, "hanako@i.softbank.jp"},

		{"space inside", "taro yamada@docomo.ne.jp", CodeSpace, "taroyamada@docomo.ne.jp"},
		{"space around", " taro@au.com ", CodeSpace, "taro@au.com"},
		{"ideographic space", "taro@\u3000gmail.com", CodeSpace, "taro@gmail.com"},

		{"comma in domain", "taro@docomo,ne,jp", CodeComma, "taro@docomo.ne.jp"},
		{"comma in local", "taro,yamada@gmail.com", CodeComma, "taro.yamada@gmail.com"},
		{"comma before at", "taro,@ezweb.ne.jp", CodeComma, "taro@ezweb.ne.jp"},

		{"no at", "taro.docomo.example", CodeNoAt, ""},
		{"no at, known domain", "tarodocomo.ne.jp", CodeNoAt, "taro@docomo.ne.jp"},
		{"no at, gmail", "hanakogmail.com", CodeNoAt, "hanako@gmail.com"},
		{"no at, upper case", "TAROEZWEB.NE.JP", CodeNoAt, "TARO@ezweb.ne.jp"},
		{"no at, longest domain", "jirobiz.ezweb.ne.jp", CodeNoAt, "jiro@biz.ezweb.ne.jp"},

		{"doubled at", "taro@@docomo.ne.jp", CodeMultipleAt, "taro@docomo.ne.jp"},
		{"two at", "taro@docomo.ne.jp@ezweb.ne.jp", CodeMultipleAt, ""},
		{"two addresses", "a@example.com@b.example", CodeMultipleAt, ""},

		{"local empty", "@docomo.ne.jp", CodeLocalEmpty, ""},
		{"local only dots", "...@gmail.com", CodeLocalEmpty, ""},

		{"dot before at", "taro.@docomo.ne.jp", CodeDotBeforeAt, "taro@docomo.ne.jp"},
		{"dots before at", "hanako..@ezweb.ne.jp", CodeDotBeforeAt, "hanako@ezweb.ne.jp"},
		{"dot before at, other domain", "a.b.@example.co.jp", CodeDotBeforeAt, "a.b@example.co.jp"},

		{"leading dot", ".taro@docomo.ne.jp", CodeLeadingDot, "taro@docomo.ne.jp"},
		{"leading dots", "..hanako@au.com", CodeLeadingDot, "hanako@au.com"},

		{"consecutive dots", "taro..yamada@docomo.ne.jp", CodeConsecutiveDots, "taro.yamada@docomo.ne.jp"},
		{"three dots", "a...b@ezweb.ne.jp", CodeConsecutiveDots, "a.b@ezweb.ne.jp"},

		{"parenthesis", "ta(ro)@docomo.ne.jp", CodeInvalidCharacter, ""},
		{"angle brackets", "<taro@example.com", CodeInvalidCharacter, ""},
		{"backslash and colon", `ta\ro:@example.com`, CodeInvalidCharacter, ""},
		{"control character", "ta\x1bro@example.com", CodeInvalidCharacter, ""},

		{"kanji local part", "太郎@docomo.ne.jp", CodeNonASCII, ""},
		{"accented local part", "josé@example.com", CodeNonASCII, ""},

		{"slash", "ta/ro@ezweb.ne.jp", CodeUnusualCharacter, ""},
		{"question mark", "taro?@ezweb.ne.jp", CodeUnusualCharacter, ""},
		{"other signs", "a!b#c$@example.com", CodeUnusualCharacter, ""},

		{"quoted", `"taro."@docomo.ne.jp`, CodeQuotedLocal, ""},
		{"quoted with space", `"taro yamada"@example.com`, CodeQuotedLocal, ""},

		{"local 65", long + "@example.com", CodeLocalTooLong, ""},
		{"local 65 dotted", "a." + long[2:] + "b@docomo.ne.jp", CodeLocalTooLong, ""},

		{"domain empty", "taro@", CodeDomainEmpty, ""},
		{"domain only dot", "taro@.", CodeDomainEmpty, ""},

		{"domain trailing dot", "taro@docomo.ne.jp.", CodeDomainDot, "taro@docomo.ne.jp"},
		{"domain double dot", "taro@gmail..com", CodeDomainDot, "taro@gmail.com"},
		{"domain leading dot", "taro@.ezweb.ne.jp", CodeDomainDot, "taro@ezweb.ne.jp"},

		{"underscore in domain", "taro@do_como.ne.jp", CodeDomainCharacter, ""},
		{"slash in domain", "taro@docomo.ne.jp/", CodeDomainCharacter, ""},
		{"symbol in IDN", "taro@例え☃.jp", CodeDomainCharacter, ""},

		{"label starts with hyphen", "taro@-docomo.ne.jp", CodeDomainHyphen, ""},
		{"label ends with hyphen", "taro@example-.com", CodeDomainHyphen, ""},

		{"label 64", "taro@" + label64 + ".com", CodeLabelTooLong, ""},
		{"label 64 inside", "taro@a." + label64 + ".jp", CodeLabelTooLong, ""},

		{"domain 256", "t@" + strings.Repeat("abcdefghi.", 25) + "abcdef", CodeDomainTooLong, ""},
		{"domain 260", "t@" + strings.Repeat("a.", 129) + "jp", CodeDomainTooLong, ""},

		{"address 255", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 62) + "." + strings.Repeat("c", 61) + "." + strings.Repeat("d", 61) + ".com", CodeAddressTooLong, ""},
		{"address 260", strings.Repeat("x", 60) + "@" + strings.Repeat("abcdefghi.", 19) + "example.jp", CodeAddressTooLong, ""},

		{"single label docomo", "taro@docomo", CodeSingleLabel, "taro@docomo.ne.jp"},
		{"single label gmail", "taro@gmail", CodeSingleLabel, "taro@gmail.com"},
		{"single label, dots missing", "taro@docomonejp", CodeSingleLabel, "taro@docomo.ne.jp"},
		{"single label ambiguous", "taro@yahoo", CodeSingleLabel, ""},
		{"single label unknown", "taro@localhost", CodeSingleLabel, ""},

		{"numeric tld", "taro@example.123", CodeNumericTLD, ""},
		{"numeric tld, ip-like", "taro@192.168.0.1", CodeNumericTLD, ""},

		{"ipv4 literal", "taro@[192.0.2.1]", CodeDomainLiteral, ""},
		{"ipv6 literal", "taro@[IPv6:2001:db8::1]", CodeDomainLiteral, ""},

		{"japanese domain", "taro@例え.jp", CodeIDN, ""},
		{"japanese domain 2", "hanako@日本語.jp", CodeIDN, ""},
		{"long vowel mark in a japanese domain", "hanako@ゲーム.jp", CodeIDN, ""},

		{"docomo.ne.jo", "hanako@docomo.ne.jo", CodeDomainTypo, "hanako@docomo.ne.jp"},
		{"ezweb.ne.jo", "taro@ezweb.ne.jo", CodeDomainTypo, "taro@ezweb.ne.jp"},
		{"gmail.co", "taro@gmail.co", CodeDomainTypo, "taro@gmail.com"},
		{"gmai.com", "taro@gmai.com", CodeDomainTypo, "taro@gmail.com"},
		{"yahoo.co.jo", "taro@yahoo.co.jo", CodeDomainTypo, "taro@yahoo.co.jp"},
		{"docomo.co.jp", "taro@docomo.co.jp", CodeDomainTypo, "taro@docomo.ne.jp"},
		{"ambiguous typo", "taro@i.softbank.ne.jp", CodeDomainTypo, ""},
	}
	seen := map[Code]int{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(tc.addr)
			var f *Fault
			for i := range r.Faults {
				if r.Faults[i].Code == tc.code {
					f = &r.Faults[i]
				}
			}
			if f == nil {
				t.Fatalf("Check(%q) faults = %v, want %s", tc.addr, codes(r), tc.code)
			}
			if r.Suggestion != tc.suggestion {
				t.Errorf("Check(%q) suggestion = %q, want %q (faults %v)", tc.addr, r.Suggestion, tc.suggestion, codes(r))
			}
			if f.Message == "" || f.MessageJA == "" || f.Message == string(f.Code) {
				t.Errorf("fault %s has no message: %+v", f.Code, f)
			}
			if f.Severity != tc.code.Severity() {
				t.Errorf("fault %s severity = %s, want %s", f.Code, f.Severity, tc.code.Severity())
			}
			if want := f.Severity != SeverityError; r.Valid && !want {
				t.Errorf("Check(%q).Valid = true with error %s", tc.addr, f.Code)
			}
			if tc.suggestion != "" {
				if s := Check(tc.suggestion); len(s.Faults) != 0 {
					t.Errorf("suggestion %q has faults %v", tc.suggestion, codes(s))
				}
			}
		})
		seen[tc.code]++
	}
	for _, c := range allSyntaxCodes {
		if seen[c] < 2 {
			t.Errorf("code %s has %d test addresses, want at least 2", c, seen[c])
		}
	}
}

var allSyntaxCodes = []Code{
	CodeEmpty, CodeFullWidth, CodeInvisible, CodeSpace, CodeComma, CodeNoAt, CodeMultipleAt,
	CodeLocalEmpty, CodeDotBeforeAt, CodeLeadingDot, CodeConsecutiveDots, CodeInvalidCharacter,
	CodeNonASCII, CodeUnusualCharacter, CodeQuotedLocal, CodeLocalTooLong, CodeDomainEmpty,
	CodeDomainDot, CodeDomainCharacter, CodeDomainHyphen, CodeLabelTooLong, CodeDomainTooLong,
	CodeAddressTooLong, CodeSingleLabel, CodeNumericTLD, CodeDomainLiteral, CodeIDN, CodeDomainTypo,
}

func codes(r Result) []Code {
	var out []Code
	for _, f := range r.Faults {
		out = append(out, f.Code)
	}
	return out
}

func TestCheck_valid(t *testing.T) {
	for _, addr := range []string{
		"taro@docomo.ne.jp", "taro.yamada@ezweb.ne.jp", "t-y_1@au.com", "hanako+shop@gmail.com",
		"TARO@DOCOMO.NE.JP", "a@t.vodafone.ne.jp", "x@biz.ezweb.ne.jp", "y@rakumail.jp",
		strings.Repeat("a", 64) + "@example.com",
	} {
		r := Check(addr)
		if len(r.Faults) != 0 || !r.Valid || r.Suggestion != "" {
			t.Errorf("Check(%q) = %v valid=%v suggestion=%q, want no fault", addr, codes(r), r.Valid, r.Suggestion)
		}
	}
}

func TestCheck_combined(t *testing.T) {
	tests := []struct {
		addr       string
		codes      []Code
		suggestion string
	}{
		{"taro.@docomo.ne.jo", []Code{CodeDotBeforeAt, CodeDomainTypo}, "taro@docomo.ne.jp"},
		{"taro.docomo.ne.jp", []Code{CodeNoAt, CodeDotBeforeAt}, "taro@docomo.ne.jp"},
		{"ＴＡＲＯ．．＠ｅｚｗｅｂ，ｎｅ，ｊｐ", []Code{CodeFullWidth, CodeComma, CodeDotBeforeAt}, "TARO@ezweb.ne.jp"},
		// A fault without a fix: no suggestion at all, though the dot could be fixed.
		{"ta(ro.@docomo.ne.jp", []Code{CodeDotBeforeAt, CodeInvalidCharacter}, ""},
		// A warning does not stop the suggestion.
		{"ta/ro.@ezweb.ne.jp", []Code{CodeDotBeforeAt, CodeUnusualCharacter}, "ta/ro@ezweb.ne.jp"},
		// The long-vowel mark inside a Japanese word is not a hyphen.
		{"hanako@ゲーム.jp", []Code{CodeIDN}, ""},
		{"ｔａｒｏーｙａｍａｄａ@au.com", []Code{CodeFullWidth}, "taro-yamada@au.com"},
	}
	for _, tc := range tests {
		r := Check(tc.addr)
		got := codes(r)
		slices.Sort(got)
		want := slices.Clone(tc.codes)
		slices.Sort(want)
		if !slices.Equal(got, want) || r.Suggestion != tc.suggestion {
			t.Errorf("Check(%q) = %v %q, want %v %q", tc.addr, got, r.Suggestion, want, tc.suggestion)
		}
		for _, f := range r.Faults {
			if f.Severity == SeverityWarning && f.Code == CodeUnusualCharacter && f.Suggestion != "" {
				t.Errorf("unfixable fault %s carries suggestion %q", f.Code, f.Suggestion)
			}
		}
	}
}

// TestCheck_acceptance is the issue's: the fault is named and the fix is
// suggested, in the JSON the CLI and the API print.
func TestCheck_acceptance(t *testing.T) {
	b, _ := json.Marshal(Check("taro.@docomo.ne.jp"))
	for _, want := range []string{`"code":"dot_before_at"`, `"suggestion":"taro@docomo.ne.jp"`, `"carrier":"docomo"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("Check(taro.@docomo.ne.jp) JSON %s lacks %s", b, want)
		}
	}
	r := Check("hanako@docomo.ne.jo")
	if !r.Has(CodeDomainTypo) || r.Suggestion != "hanako@docomo.ne.jp" || !strings.Contains(r.Faults[0].Message, "docomo.ne.jp") {
		t.Errorf("Check(hanako@docomo.ne.jo) = %+v", r)
	}
}

func TestAnnotate(t *testing.T) {
	carrier, faults, sug := Annotate("taro.@docomo.ne.jp")
	if carrier != "docomo" || len(faults) != 1 || faults[0].Code != CodeDotBeforeAt || sug != "taro@docomo.ne.jp" {
		t.Errorf("Annotate(taro.@docomo.ne.jp) = %q %v %q", carrier, faults, sug)
	}
	carrier, faults, sug = Annotate("customer@example.com")
	if carrier != "" || len(faults) != 0 || sug != "" {
		t.Errorf("Annotate(customer@example.com) = %q %v %q", carrier, faults, sug)
	}
}

func BenchmarkCheck(b *testing.B) {
	addrs := []string{"taro.@docomo.ne.jp", "hanako@docomo.ne.jo", "customer@example.com", "ＡＢＣ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ", "x@abc.ocn.ne.jp"}
	for i := 0; b.Loop(); i++ {
		Check(addrs[i%len(addrs)])
	}
}
