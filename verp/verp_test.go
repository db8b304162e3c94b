package verp

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const testPattern = "bounces+{token}+{local}={domain}@shop.example"

var (
	keyOld = []byte("0123456789abcdef0123456789abcdef")
	keyNew = []byte("fedcba9876543210fedcba9876543210")
	today  = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
)

func newSigner(t testing.TB, maxAge time.Duration, keys ...[]byte) *Signer {
	t.Helper()
	s, err := New(Config{Pattern: testPattern, Secrets: keys, MaxAge: maxAge, Now: func() time.Time { return today }})
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	return s
}

func TestSign_roundTrip(t *testing.T) {
	s := newSigner(t, 0, keyNew)
	for _, tc := range []struct {
		name, rcpt, sendID, wantRcpt string
	}{
		{"plain", "taro@docomo.ne.jp", "", "taro@docomo.ne.jp"},
		{"send id", "taro@docomo.ne.jp", "spring-sale_2026", "taro@docomo.ne.jp"},
		{"mixed case", "<Hanako.Yamada@Example.COM>", "", "hanako.yamada@example.com"},
		{"plus and equals in the local part", "a+b=c@example.net", "", "a+b=c@example.net"},
		{"carrier dots", "taro..x.@ezweb.ne.jp", "", "taro..x.@ezweb.ne.jp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp, err := s.Sign(tc.rcpt, Options{SendID: tc.sendID})
			if err != nil {
				t.Fatalf("Sign() = %v", err)
			}
			if rp != strings.ToLower(rp) || !strings.HasPrefix(rp, "bounces+") || !strings.HasSuffix(rp, "@shop.example") {
				t.Errorf("Sign() = %q, want a lower-case bounces+...@shop.example", rp)
			}
			a, err := s.Verify(rp)
			if err != nil {
				t.Fatalf("Verify(%q) = %v", rp, err)
			}
			if a.Recipient != tc.wantRcpt || a.SendID != strings.ToLower(tc.sendID) || a.Key != 0 || !a.Day.Equal(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("Verify(%q) = %+v, want %s, send id %q, key 0, day 2026-12-02", rp, a, tc.wantRcpt, tc.sendID)
			}
		})
	}
}

func TestSign_layout(t *testing.T) {
	s := newSigner(t, 0, keyNew)
	rp, err := s.Sign("taro@docomo.ne.jp", Options{SendID: "c42"})
	if err != nil {
		t.Fatal(err)
	}
	local, _, _ := strings.Cut(rp, "@")
	parts := strings.Split(local, "+")
	if len(parts) != 3 || parts[0] != "bounces" || parts[2] != "taro=docomo.ne.jp" {
		t.Fatalf("Sign() = %q, want bounces+<token>.c42+taro=docomo.ne.jp@shop.example", rp)
	}
	tok, id, _ := strings.Cut(parts[1], ".")
	if len(tok) != TokenLen || id != "c42" || strings.Trim(tok, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		t.Errorf("token %q send id %q, want 16 base32 characters and c42", tok, id)
	}
	if n := LocalPartLen(rp); n > MaxLocalLen {
		t.Errorf("local part of %q is %d octets, want at most %d", rp, n, MaxLocalLen)
	}
	// docs/verp.md: recipients up to 39 characters fit in 64 octets.
	r39 := strings.Repeat("x", 39-len("@example.com")) + "@example.com"
	for rcpt, want := range map[string]int{r39: 64, "x" + r39: 65} {
		rp, _ := s.Sign(rcpt, Options{})
		if n := LocalPartLen(rp); n != want {
			t.Errorf("LocalPartLen(Sign(%d characters)) = %d, want %d", len(rcpt), n, want)
		}
	}
}

func TestVerify_caseFolded(t *testing.T) {
	s := newSigner(t, 0, keyNew)
	rp, _ := s.Sign("Taro@docomo.ne.jp", Options{SendID: "x1"})
	// Upper-cased whole (an MTA that folds the other way), and with the
	// local part's case mixed as a relay might.
	for _, v := range []string{strings.ToUpper(rp), "<" + strings.ToUpper(rp[:20]) + rp[20:] + ">"} {
		a, err := s.Verify(v)
		if err != nil || a.Recipient != "taro@docomo.ne.jp" || a.SendID != "x1" {
			t.Errorf("Verify(%q) = %+v, %v; want taro@docomo.ne.jp, x1, nil", v, a, err)
		}
	}
}

func TestVerify_changedRecipientRejected(t *testing.T) {
	s := newSigner(t, 0, keyNew)
	rp, _ := s.Sign("attacker@evil.example", Options{SendID: "c1"})
	for _, tc := range []struct{ name, addr string }{
		{"other local part", strings.Replace(rp, "attacker=", "victim=", 1)},
		{"other domain", strings.Replace(rp, "=evil.example", "=example.com", 1)},
		{"other send id", strings.Replace(rp, ".c1+", ".c2+", 1)},
		{"send id dropped", strings.Replace(rp, ".c1+", "+", 1)},
		{"made up token", "bounces+aaaaaaaaaaaaaaaa+victim=example.com@shop.example"},
		{"short token", "bounces+abc+victim=example.com@shop.example"},
		{"not base32", "bounces+0000000000000000+victim=example.com@shop.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := s.Verify(tc.addr)
			if !errors.Is(err, ErrBadSignature) {
				t.Errorf("Verify(%q) = %+v, %v; want ErrBadSignature", tc.addr, a, err)
			}
			if a.Key != -1 {
				t.Errorf("Verify(%q).Key = %d, want -1", tc.addr, a.Key)
			}
		})
	}
	// Every single-character change of the token is caught.
	at := len("bounces+")
	for i := at; i < at+TokenLen; i++ {
		c := byte('a')
		if rp[i] == 'a' {
			c = 'b'
		}
		v := rp[:i] + string(c) + rp[i+1:]
		if _, err := s.Verify(v); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify(%q) = %v, want ErrBadSignature", v, err)
		}
	}
}

func TestVerify_unsigned(t *testing.T) {
	s := newSigner(t, 0, keyNew)
	for _, addr := range []string{
		"bounces+victim=example.com@shop.example", // the plain VERP of before
		"bounces@shop.example",
		"someone@example.com",
		"bounces+tok+victim=example.com@other.example",
		"",
	} {
		if _, err := s.Verify(addr); !errors.Is(err, ErrUnsigned) {
			t.Errorf("Verify(%q) = %v, want ErrUnsigned", addr, err)
		}
		if s.Fits(addr) {
			t.Errorf("Fits(%q) = true, want false", addr)
		}
	}
}

func TestVerify_oldKeyAccepted(t *testing.T) {
	old := newSigner(t, 0, keyOld)
	rp, _ := old.Sign("taro@docomo.ne.jp", Options{})
	rotated := newSigner(t, 0, keyNew, keyOld)
	a, err := rotated.Verify(rp)
	if err != nil || a.Key != 1 {
		t.Errorf("Verify() with the old key second = %+v, %v; want key 1, nil", a, err)
	}
	// The rotated signer signs with the new key only.
	rp2, _ := rotated.Sign("taro@docomo.ne.jp", Options{})
	if _, err := old.Verify(rp2); !errors.Is(err, ErrBadSignature) {
		t.Errorf("old signer Verify(new token) = %v, want ErrBadSignature", err)
	}
	if a, err := newSigner(t, 0, keyNew).Verify(rp); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify() after the old key is dropped = %+v, %v; want ErrBadSignature", a, err)
	}
}

func TestVerify_expired(t *testing.T) {
	s := newSigner(t, 30*24*time.Hour, keyNew)
	for _, tc := range []struct {
		name string
		day  time.Time
		want error
	}{
		{"today", today, nil},
		{"30 days old", today.AddDate(0, 0, -30), nil},
		{"31 days old", today.AddDate(0, 0, -31), ErrExpired},
		{"a year old", today.AddDate(-1, 0, 0), ErrExpired},
		{"tomorrow (clock skew)", today.AddDate(0, 0, 1), nil},
		{"next week", today.AddDate(0, 0, 7), ErrExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp, err := s.Sign("taro@docomo.ne.jp", Options{Day: tc.day})
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Verify(rp)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Verify() = %v, want %v", err, tc.want)
			}
			if a.Recipient != "taro@docomo.ne.jp" || a.Key != 0 {
				t.Errorf("Verify() = %+v, want the recipient and key 0 even when expired", a)
			}
		})
	}
	// Without MaxAge, age does not matter.
	rp, _ := s.Sign("taro@docomo.ne.jp", Options{Day: today.AddDate(-3, 0, 0)})
	if _, err := newSigner(t, 0, keyNew).Verify(rp); err != nil {
		t.Errorf("Verify() of a 3-year-old token without MaxAge = %v, want nil", err)
	}
}

func TestSign_invalid(t *testing.T) {
	s := newSigner(t, 0, keyNew)
	for _, tc := range []struct {
		name, rcpt, sendID string
		want               error
	}{
		{"no at", "taro", "", ErrInvalidRecipient},
		{"space", "ta ro@example.com", "", ErrInvalidRecipient},
		{"quoted", `"ta ro"@example.com`, "", ErrInvalidRecipient},
		{"non-ascii", "太郎@example.jp", "", ErrInvalidRecipient},
		{"equals in the domain", "taro@exa=mple.com", "", ErrInvalidRecipient},
		{"send id with a dot", "taro@example.com", "a.b", ErrInvalidSendID},
		{"send id with a plus", "taro@example.com", "a+b", ErrInvalidSendID},
		{"send id too long", "taro@example.com", strings.Repeat("x", 33), ErrInvalidSendID},
		{"too long", strings.Repeat("x", 230) + "@example.com", "", ErrTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := s.Sign(tc.rcpt, Options{SendID: tc.sendID}); !errors.Is(err, tc.want) {
				t.Errorf("Sign(%q, %q) = %q, %v; want %v", tc.rcpt, tc.sendID, got, err, tc.want)
			}
		})
	}
}

// TestSign_longRecipient: a recipient too long for a 64-octet local part is
// signed whole, never truncated, and still verifies.
func TestSign_longRecipient(t *testing.T) {
	s := newSigner(t, 0, keyNew)
	rcpt := "a.very.long.customer.address.for.testing@subdomain.example.co.jp"
	rp, err := s.Sign(rcpt, Options{SendID: "newsletter-2026-12"})
	if err != nil {
		t.Fatal(err)
	}
	if LocalPartLen(rp) <= MaxLocalLen {
		t.Fatalf("LocalPartLen(%q) = %d, want over %d for this test", rp, LocalPartLen(rp), MaxLocalLen)
	}
	if a, err := s.Verify(rp); err != nil || a.Recipient != rcpt {
		t.Errorf("Verify(%q) = %+v, %v; want %s", rp, a, err, rcpt)
	}
}

func TestParsePattern(t *testing.T) {
	for _, tc := range []struct {
		pat string
		ok  bool
	}{
		{testPattern, true},
		{"Bounces+{token}+{local}={domain}@Shop.Example", true},
		{"{token}+{local}={domain}@bounce.shop.example", true},
		{"b={token}={local}={domain}@shop.example", true},
		{"bounces+{local}={domain}@shop.example", false},        // no token
		{"bounces+{token}{local}={domain}@shop.example", false}, // no separator
		{"bounces-{token}-{local}={domain}@shop.example", false},
		{"bounces+{token}.{local}={domain}@shop.example", false},
		{"bounces+{token}+{local}.{domain}@shop.example", false},
		{"bounces+{token}+{local}-{domain}@shop.example", false},
		{"bounces+{local}+{token}={domain}@shop.example", false},
		{"bounces+{token}+{local}={domain}", false},
		{"bounces+{token}+{local}={domain}@", false},
		{"bounces+{token}+{local}={domain}@shop@example", false},
		{"bou nces+{token}+{local}={domain}@shop.example", false},
		{"bounces+{token}+{token}+{local}={domain}@shop.example", false},
		{"bounces+{token}+{local}={domain}@shop_example", false},
	} {
		_, err := ParsePattern(tc.pat)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalidPattern)) {
			t.Errorf("ParsePattern(%q) = %v, want ok=%v", tc.pat, err, tc.ok)
		}
	}
}

func TestCheckSecret(t *testing.T) {
	for _, tc := range []struct {
		name   string
		secret string
		ok     bool
	}{
		{"32 hex", "0123456789abcdef0123456789abcdef", true},
		{"openssl rand -base64 32", "q3N0Zq1mF0pJ9w2b8m4V6xYc1d2e3f4g5h6i7j8k9l0=", true},
		{"empty", "", false},
		{"31 characters", "0123456789abcdef0123456789abcde", false},
		{"one character repeated", strings.Repeat("a", 64), false},
		{"seven characters repeated", strings.Repeat("abcdefg", 10), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckSecret([]byte(tc.secret))
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrWeakSecret)) {
				t.Errorf("CheckSecret() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	if _, err := New(Config{Pattern: testPattern, Secrets: [][]byte{keyNew, []byte("short")}}); !errors.Is(err, ErrWeakSecret) {
		t.Errorf("New() with a weak second secret = %v, want ErrWeakSecret", err)
	}
	if _, err := New(Config{Pattern: testPattern}); !errors.Is(err, ErrWeakSecret) {
		t.Errorf("New() without a secret = %v, want ErrWeakSecret", err)
	}
}

// FuzzVerify feeds arbitrary addresses to Parse and Verify: they never
// panic, and whatever verifies is exactly what Sign makes for what it read.
func FuzzVerify(f *testing.F) {
	s := newSigner(f, 0, keyNew, keyOld)
	for _, r := range []string{"taro@docomo.ne.jp", "a+b=c@example.net"} {
		rp, _ := s.Sign(r, Options{SendID: "c1"})
		f.Add(rp)
		f.Add(strings.ToUpper(rp))
	}
	f.Add("bounces+victim=example.com@shop.example")
	f.Add("bounces+aaaaaaaaaaaaaaaa.+x=y@shop.example")
	f.Add("<bounces++=@shop.example>")
	f.Fuzz(func(t *testing.T, addr string) {
		p, perr := s.Parse(addr)
		a, err := s.Verify(addr)
		if errors.Is(perr, ErrUnsigned) != errors.Is(err, ErrUnsigned) {
			t.Fatalf("Parse(%q) = %v but Verify = %v", addr, perr, err)
		}
		if err != nil {
			if !errors.Is(err, ErrUnsigned) && !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrExpired) {
				t.Fatalf("Verify(%q) = %v, not one of the documented errors", addr, err)
			}
			return
		}
		if p.Recipient != a.Recipient {
			t.Fatalf("Parse(%q) = %+v, Verify = %+v", addr, p, a)
		}
		if a.Key != 0 {
			return // signed with the old key: Sign uses the new one
		}
		rp, serr := s.Sign(a.Recipient, Options{SendID: a.SendID, Day: a.Day})
		if serr != nil || rp != strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<> ")) {
			t.Fatalf("Verify(%q) = %+v, but Sign gives %q, %v", addr, a, rp, serr)
		}
	})
}

// TestSign_vector pins the format to the test vector of docs/verp.md, which
// other languages' implementations check against.
func TestSign_vector(t *testing.T) {
	s, err := New(Config{Pattern: testPattern, Secrets: [][]byte{[]byte("5f2c8e1a9b7d4c3e6f0a1b2c3d4e5f60")}})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 2, 23, 59, 0, 0, time.UTC)
	for sendID, want := range map[string]string{
		"":           "bounces+ke22ta6f6ofg6gl7+taro=docomo.ne.jp@shop.example",
		"order-1042": "bounces+ke2xfsq7het4shtj.order-1042+taro=docomo.ne.jp@shop.example",
	} {
		if got, err := s.Sign("taro@docomo.ne.jp", Options{SendID: sendID, Day: day}); err != nil || got != want {
			t.Errorf("Sign(send id %q) = %q, %v; want %q", sendID, got, err, want)
		}
	}
}
