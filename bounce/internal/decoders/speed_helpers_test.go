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

// TestOriginalMarkers_lowerASCII: splitAtMarker compares the markers
// with IndexFold, which lowers only ASCII letters.
func TestOriginalMarkers_lowerASCII(t *testing.T) {
	for _, mk := range originalMarkers {
		for i := 0; i < len(mk); i++ {
			if c := mk[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
				t.Errorf("marker %q is not lower-case ASCII", mk)
				break
			}
		}
	}
}

func TestAsciiLowerTo(t *testing.T) {
	for _, s := range []string{"", "------ This Is A Copy", "É-Été X", strings.Repeat("AbC", 100)} {
		var buf [256]byte
		if got, want := asciiLowerTo(buf[:0], s), asciiLower(s); got != want {
			t.Errorf("asciiLowerTo(%q) = %q, want %q", s, got, want)
		}
	}
}

// dashMarkerIndexRef is what dashMarkerIndex computes, searched for as
// it was: each marker in the whole line.
func dashMarkerIndexRef(lower string) int {
	best := -1
	for _, mk := range originalMarkers {
		if strings.HasPrefix(mk, "---") {
			if i := strings.Index(lower, mk); i >= 0 && (best < 0 || i < best) {
				best = i
			}
		} else if strings.HasPrefix(lower, mk) {
			best = 0
		}
	}
	return best
}

func FuzzDashMarkerIndex(f *testing.F) {
	for _, mk := range originalMarkers {
		f.Add("xx " + mk + " --- " + mk)
		f.Add("-" + mk)
	}
	f.Add("------------ forwarded message ----------")
	f.Add("--- --- below this line is a copy of the message.")
	f.Fuzz(func(t *testing.T, s string) {
		if !strings.Contains(s, "---") {
			s += "---" // what splitAtMarker hands it
		}
		if got, want := dashMarkerIndex(s), dashMarkerIndexRef(s); got != want {
			t.Errorf("dashMarkerIndex(%q) = %d, want %d", s, got, want)
		}
	})
}

// splitAtMarkerRef is splitAtMarker as it was, each line searched for
// "---" itself.
func splitAtMarkerRef(body string) (string, string) {
	for off := 0; off < len(body); {
		end := len(body)
		if nl := strings.IndexByte(body[off:], '\n'); nl >= 0 {
			end = off + nl + 1
		}
		line := body[off:end]
		off = end
		if !strings.Contains(line, "---") {
			if len(line) < 20 || (line[0]|0x20) != 'o' && (line[0]|0x20) != 't' {
				continue
			}
			for _, mk := range originalMarkers {
				if !strings.HasPrefix(mk, "---") && len(line) >= len(mk) && strings.EqualFold(line[:len(mk)], mk) {
					return body[:end-len(line)], body[end:]
				}
			}
			continue
		}
		if best := dashMarkerIndexRef(asciiLower(line)); best >= 0 {
			return body[:end-len(line)+best], body[end:]
		}
	}
	return body, ""
}

func FuzzSplitAtMarker(f *testing.F) {
	f.Add("notice\n--- x\nmore\n----- Original Message -----\nFrom: a\n")
	f.Add("a\nThe original message was:\n\nx")
	f.Add("---\n---\n--\n-\n------ This is a copy of the message, including all the headers. ------\nb")
	f.Fuzz(func(t *testing.T, body string) {
		n, r := splitAtMarker(body)
		wn, wr := splitAtMarkerRef(body)
		if n != wn || r != wr {
			t.Errorf("splitAtMarker(%q) = %q, %q, want %q, %q", body, n, r, wn, wr)
		}
	})
}

// TestMarkerIndex checks markerIndex, which tries each run of dashes,
// against markerIndexLowered, which searches the lowered text for each
// marker, on Sendmail's markers and on markers without dashes.
func TestMarkerIndex(t *testing.T) {
	texts := []string{
		"",
		"no marker here\n",
		"   ----- Transcript of session follows -----\n... while talking\n   ----- Original message follows -----\nFrom: a\n",
		"----- UNSENT MESSAGE FOLLOWS -----\n",
		"------- Returned Message --------\n", // the 7-dash marker, not the 5-dash one inside it
		"xx------- returned message -----\n",
		"--- ----- message header follows -----",
		"----------------------------- original message follows -----",
		"---- original message follows ----- (four dashes: none)",
		"----- unsent message headers follow ----- ----- original message follows -----",
		"Original message follows.\n",
	}
	for _, text := range texts {
		for _, markers := range [][]string{sendmailEndMarkers, dragonflyEndMarkers, {"---", "----- x"}} {
			if got, want := markerIndex(text, markers), markerIndexLowered(text, markers); got != want {
				t.Errorf("markerIndex(%q, %q) = %d, want %d", text, markers, got, want)
			}
		}
	}
	if got := markerIndex("a\n----- Original message follows -----\n", sendmailEndMarkers); got != 2 {
		t.Errorf("markerIndex of a marker = %d, want 2", got)
	}
}

// FuzzMarkerIndex checks markerIndex against markerIndexLowered on any
// text, with Sendmail's markers.
func FuzzMarkerIndex(f *testing.F) {
	for _, mk := range sendmailEndMarkers {
		f.Add("x\n" + strings.ToUpper(mk) + "\n" + mk)
		f.Add("--" + mk)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := markerIndex(text, sendmailEndMarkers), markerIndexLowered(text, sendmailEndMarkers); got != want {
			t.Errorf("markerIndex(%q) = %d, want %d", text, got, want)
		}
	})
}

// TestEximMarkers_share checks that every marker of Exim's lists holds
// the words decodeExim searches for first: a marker without them would
// never be found.
func TestEximMarkers_share(t *testing.T) {
	for _, mk := range eximFailedMarkers {
		if !strings.Contains(mk, eximFailedShared) {
			t.Errorf("failed marker %q does not hold %q", mk, eximFailedShared)
		}
	}
	for _, mk := range eximDelayedMarkers {
		if !strings.Contains(mk, eximDelayedShared) {
			t.Errorf("delayed marker %q does not hold %q", mk, eximDelayedShared)
		}
	}
}

// TestLowerLine checks lowerLine against toLower: ASCII lines lowered in
// the buffer, others (and long ones) by toLower, the same bytes.
func TestLowerLine(t *testing.T) {
	var buf [256]byte
	for _, s := range []string{"", "RCPT To:<A@B>", "... while talking to MX.Example.COM.:", "550 Ünknown USER", "\xffBAD", strings.Repeat("AB", 200), "İK"} {
		if got, want := lowerLine(&buf, s), toLower(s); got != want {
			t.Errorf("lowerLine(%q) = %q, want %q", s, got, want)
		}
	}
	if n := testing.AllocsPerRun(20, func() { lowerLine(&buf, "<<< 550 5.1.1 <A@B.EXAMPLE>... User Unknown") }); n != 0 {
		t.Errorf("lowerLine of a short ASCII line: %v allocations, want 0", n)
	}
}

// FuzzLowerLine checks lowerLine against toLower on any text.
func FuzzLowerLine(f *testing.F) {
	f.Add("RCPT To:<A@B>")
	f.Add("550 Ünknown USER")
	f.Fuzz(func(t *testing.T, s string) {
		var buf [256]byte
		if got, want := lowerLine(&buf, s), toLower(s); got != want {
			t.Errorf("lowerLine(%q) = %q, want %q", s, got, want)
		}
	})
}
