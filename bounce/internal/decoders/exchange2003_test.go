package decoders

import "testing"

func TestExchangeErrorCode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown recipient", "MSEXCH:IMS:NNN:CAT:NEKO 0 (000C05A6) Unknown Recipient", "000C05A6"},
		{"lower case", "MSEXCH:IMS:X:Y:Z 2 (00120270) Too Many Hops", "00120270"},
		{"not hex first", "(see below) MSEXCH:IMS:X (000b09aa) Unable to relay", "000B09AA"},
		{"none", "MSEXCH:IMC:NEKO:KIJITORA:CAT", ""},
		{"too short", "(12345) nothing", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := exchangeErrorCode(tc.in); got != tc.want {
				t.Errorf("exchangeErrorCode(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseExchangeDiagnostics(t *testing.T) {
	text := "Diagnostic information for administrators:\n\nGenerating server: ex1.example.com\n\n" +
		"a@example.net\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n\n" +
		"b@example.org\nmx.example.org\nRemote Server returned '550 5.7.1 Relay denied'\n\n" +
		"c@example.jp\n6/19/2018 7:32:05 AM - Server at ex1.example.com returned '550 5.4.316 Message expired'\n" +
		"6/19/2018 7:26:11 AM - Server at mx.example.jp (192.0.2.1) returned '450 4.4.316 Connection refused'\n"
	gen, got := parseExchangeDiagnostics(text)
	if gen != "ex1.example.com" {
		t.Errorf("generating server = %q, want ex1.example.com", gen)
	}
	want := []exchangeDiag{
		{"a@example.net", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", ""},
		{"b@example.org", "550 5.7.1 Relay denied", "mx.example.org"},
		{"c@example.jp", "550 5.4.316 Message expired", "mx.example.jp"},
	}
	if len(got) != len(want) {
		t.Fatalf("parseExchangeDiagnostics() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("parseExchangeDiagnostics()[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
