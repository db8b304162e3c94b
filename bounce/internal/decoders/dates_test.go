package decoders

import (
	"net/mail"
	"strings"
	"testing"
	"time"
)

// dateCases are dates net/mail's ParseDate is asked about when
// parseDateFast cannot read them (the corpus's six, and their kin).
var dateCases = []string{
	"Sat, 08 Feb 2025 11:22:28 GMT",
	"Sat, 8 Feb 2025 11:22:28 GMT",
	"8 Feb 2025 11:22 GMT",
	"Thu, 08 Feb 2025 11:22:28 UT",
	"Tue, 08 Feb 2025 11:22:28 UTC",
	"sat, 08 feb 2025 11:22:28 GMT",
	"Sat, 08 OCT 2025 11:22:28 GMT", // ParseDate cuts at OCT's T: refused
	"SAT, 08 Feb 2025 11:22:28 GMT", // the same at SAT's T
	"Sat, 31 Apr 2025 11:22:28 GMT", // no such day
	"Sat, 29 Feb 2024 11:22:28 GMT",
	"Sat, 29 Feb 2025 11:22:28 GMT",
	"Sat, 08 Feb 2025 11:22:60 GMT",
	"Sat,08 Feb 2025 11:22:28 GMT",
	"Sat, 08 Feb 2025\t11:22:28 GMT",
	"Foo, 08 Feb 2025 11:22:28 GMT",
	"Sat, 08 Feb 2025 11:22:28 GMT (Greenwich)",
	"Sat, 08 Feb 2025 11:22:28 gmt",
	"Sat, 00 Feb 2025 11:22:28 GMT",
	"Thu, 9 Apr 2006 23:34:45 JST",
	"29-04-2017 23:34",
	"Thu 29 Apr 2010 23:34:45 +0900",
	"Tue, 029 Apr 2019 23:34:45 -0800 (PST)",
	"Wed, 3 May 2007 23:34:45",
	"Wed, 3 May 2007 23:34:45 XX",
	"Wed, 3 May 2007 23:34:45 ChST",
	"2007-05-03T23:34:45Z",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 06 15:04 +0100",
}

// TestDateOf_likeNetMail checks that the date parsers tried before
// net/mail (parseDateGMT, dateRefused) give what ParseDate gives.
func TestDateOf_likeNetMail(t *testing.T) {
	for _, s := range dateCases {
		checkDateLikeNetMail(t, s)
	}
	// The forms each is for are read without net/mail.
	if _, ok := parseDateGMT("Sat, 08 Feb 2025 11:22:28 GMT"); !ok {
		t.Error("parseDateGMT refuses a GMT date")
	}
	for _, s := range []string{"29-04-2017 23:34", "Thu 29 Apr 2010 23:34:45 +0900", "Wed, 3 May 2007 23:34:45"} {
		if !dateRefused(s) {
			t.Errorf("dateRefused(%q) = false, want true", s)
		}
	}
	if got, want := dateOf("Sat, 08 Feb 2025 11:22:28 GMT"), time.Date(2025, 2, 8, 11, 22, 28, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("dateOf(GMT) = %v, want %v", got, want)
	}
}

// TestDateOf_allocs checks that a GMT date and a date net/mail refuses
// are read without its layouts (a parse error, and allocations, each).
func TestDateOf_allocs(t *testing.T) {
	for _, s := range []string{"Sat, 08 Feb 2025 11:22:28 GMT", "Wed, 3 May 2007 23:34:45", "29-04-2017 23:34"} {
		if n := testing.AllocsPerRun(20, func() { dateOf(s) }); n > 1 {
			t.Errorf("dateOf(%q): %v allocations, want at most 1", s, n)
		}
	}
}

func checkDateLikeNetMail(t *testing.T, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	want, err := mail.ParseDate(s)
	if got, ok := parseDateGMT(s); ok {
		if err != nil {
			t.Fatalf("parseDateGMT(%q) = %v; ParseDate refuses it: %v", s, got, err)
		}
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("parseDateGMT(%q) = %v, ParseDate %v", s, got, want)
		}
	}
	if dateRefused(s) && err == nil {
		t.Fatalf("dateRefused(%q), ParseDate reads %v", s, want)
	}
}

// FuzzDateOf checks parseDateGMT and dateRefused against net/mail's
// ParseDate on any text.
func FuzzDateOf(f *testing.F) {
	for _, s := range dateCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkDateLikeNetMail(t, s)
	})
}
