package smtp

import (
	"errors"
	"strings"
	"testing"
)

func TestFindStatus(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550 5.1.1 <a@example.com>: User unknown", "5.1.1"},
		{"#5.2.2 mailbox full", "5.2.2"},
		{"421 4.7.650 The mail server has been temporarily rate limited", "4.7.650"},
		{"refused by 192.5.1.1 today", ""},  // an IP address
		{"server v5.1.1 says no", ""},       // glued to a word
		{"version 5.1.1.3 of the spec", ""}, // a version number
		{"5.1.1User unknown", "5.1.1"},      // QUIRK: no space after the code
		{"5.1.12345 is a number", ""},
		{"status 3.1.1 is not a class", ""}, // no class 3
		{"(5.7.1) blocked", "5.7.1"},        // parenthesised
		{"4.4.7; delivery time expired", "4.4.7"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := FindStatus(tc.in); got != tc.want {
				t.Errorf("FindStatus(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStatusHelpers(t *testing.T) {
	if !IsStatus("5.7.26") || IsStatus("5.7.26 ") || IsStatus("5.7") || IsStatus("") {
		t.Error("IsStatus misreads 5.7.26, a trailing space, 5.7 or the empty string")
	}
	if !GenericStatus("4.0.0") || !GenericStatus("") || GenericStatus("5.1.0") || GenericStatus("5.0.01") {
		t.Error("GenericStatus misreads 4.0.0, the empty string, 5.1.0 or 5.0.01")
	}
	for _, tc := range []struct {
		st, p string
		want  bool
	}{
		{"5.7.26", "5.7.26", true}, {"4.7.26", "x.7.26", true}, {"5.7.1", "5.7.", true},
		{"4.2.2", "x.2.", true}, {"5.7.1", "5.7.10", false}, {"4.7.1", "5.7.", false}, {"", "x.1.", false},
	} {
		if got := StatusMatch(tc.st, tc.p); got != tc.want {
			t.Errorf("StatusMatch(%q, %q) = %v, want %v", tc.st, tc.p, got, tc.want)
		}
	}
}

func TestFindReplyCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550 5.1.1 user unknown", "550"},
		{"host mx.example.com said: 552-5.2.2 over quota", "552"},
		{"remote said (451) try later", "451"},
		{"550-Mailbox unknown", "550"},
		{"at 12:550 the queue ran", ""},         // a clock
		{"refused since 550 2024 messages", ""}, // a number in a sentence
		{"ticket 550-2010", ""},                 // a range
		{"error #550 x", ""},                    // a provider's numbering
		{"id 1550 not a code", ""},
		{"571 delivery not authorized", "571"}, // QUIRK: second digit > 5
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := FindReplyCode(tc.in); got != tc.want {
				t.Errorf("FindReplyCode(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLeadingReplyCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  550 5.1.1 unknown", "550"},
		{"\"421-try later", "421"},
		{"5.1.1 unknown", ""},
		{"5500 bytes", ""},
		{"said 550", ""},
	}
	for _, tc := range tests {
		if got := LeadingReplyCode(tc.in); got != tc.want {
			t.Errorf("LeadingReplyCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in   string
		want Command
	}{
		{"RCPT TO:<a@example.com>", Rcpt},
		{"rcpt_to", Rcpt},
		{"MAIL FROM:<>", Mail},
		{"mailbox full", ""}, // a word that starts like a command
		{"mail server said", ""},
		{"mail:", Mail},
		{"MAIL command", Mail},
		{"end of data", Data},
		{"end-of-data", Data},
		{"BDAT", Data},
		{"database error", ""},
		{"EHLO", Helo}, // EHLO, HELO and LHLO are one stage
		{"helo", Helo},
		{"LHLO mx", Helo},
		{"STARTTLS", StartTLS},
		{"initial connection", Conn},
		{"connecting", Conn},
		{"greeting", Conn},
		{"(AUTH PLAIN)", Auth},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := ParseCommand(tc.in); got != tc.want {
				t.Errorf("ParseCommand(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeAddress(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"rfc822; <Kijitora@Example.JP>", "Kijitora@example.jp", true},
		{"kijitora@example.jp.", "kijitora@example.jp", true},
		{"'x@example.org'", "x@example.org", true},
		{"mailto:x@example.org", "x@example.org", true},
		{`"neko..nyaan"@Example.JP`, `"neko..nyaan"@example.jp`, true},
		{"postmaster@[192.0.2.1]", "postmaster@[192.0.2.1]", true},
		{"root@mx", "root@mx", true},
		{"rfc822; <@gw.example.org,@hub.example.org:Ann.Lee@Example.ORG>", "Ann.Lee@example.org", true},
		{"@hub.example.org:ann@example.org", "ann@example.org", true},
		{"@hub.example.org:", "", false},
		{"a\n@example.com", "", false},
		{"no-at", "", false},
		{"@example.com", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := NormalizeAddress(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("NormalizeAddress(%q) = %q, %v, want %q (ok %v)", tc.in, got, err, tc.want, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidAddress) {
				t.Errorf("NormalizeAddress(%q) error %v is not ErrInvalidAddress", tc.in, err)
			}
		})
	}
}

func TestKey(t *testing.T) {
	// The store's cases: what NormalizeAddress accepts, lower-cased whole.
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"  User@Example.COM ", "user@example.com", true},
		{"<a.b+tag@example.com>", "a.b+tag@example.com", true},
		{`"a@b"@example.com`, `"a@b"@example.com`, true},
		{"a@", "", false},
		{"a\n@example.com", "", false},
	}
	for _, tc := range tests {
		got, err := Key(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Key(%q) = %q, %v, want %q (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// FuzzTrimIn checks trimIn against strings.Trim with the same cutsets.
func FuzzTrimIn(f *testing.F) {
	f.Add(`"<'x@y'>",.`)
	f.Add(" \t(a)\xff[")
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []struct {
			cutset string
			set    *[256]bool
		}{{" \t\"'`<>()[]{}:;,.", &aroundAddress}, {`"'`, &quotes}} {
			if got, want := trimIn(s, c.set), strings.Trim(s, c.cutset); got != want {
				t.Errorf("trimIn(%q, %q) = %q, want %q", s, c.cutset, got, want)
			}
		}
	})
}

// FuzzNormalizePlain checks normalize's fast path: an address
// plainAddress accepts is what the full normalisation returns.
func FuzzNormalizePlain(f *testing.F) {
	for _, s := range []string{"kijitora@example.jp", "Kijitora+x=y_z@mx.example.jp", "a@b.c", ".a@b.c", "a.@b.c", "a@.b", "a@b.", "a@b", "a@@b.c", "a@B.c", "-@-.-", "a@b-.c.", "x.y@localhost"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if plainAddress(s) {
			if got := normalizeSlow(s); got != s {
				t.Errorf("plainAddress(%q) but normalizeSlow gives %q", s, got)
			}
		}
		if normalize(s) != normalizeSlow(s) {
			t.Errorf("normalize(%q) = %q, normalizeSlow %q", s, normalize(s), normalizeSlow(s))
		}
	})
}
