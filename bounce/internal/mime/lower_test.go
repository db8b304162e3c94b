package mime

import (
	"math/rand"
	"strings"
	"testing"
	"unsafe"
)

func TestToLower_asStringsToLower(t *testing.T) {
	cases := []string{"", "a", "A", "abcdefgh", "ABCDEFGH", "Hello, World! @[`{", "@AZ[`az{\x7f", "xxxxxxxxxxxxxxxxÄÖÜ straße İSTANBUL \u212a KELVIN",
		"bad \xff\xfe bytes \xed\xa0\x80 and \xef\xbf\xbd", "ＡＢＣ Ǆ ǅ Σ", "日本語のテキストABC", strings.Repeat("Mail Delivery Subsystem ", 20)}
	alphabet := []string{"a", "Z", "@", "[", "`", "{", " ", "\n", "\x7f", "\x80", "\xff", "é", "É", "İ", "\u212a", "Σ", "ǅ", "日", "\xed\xa0\x80", "\xe2\x82"}
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := r.Intn(40); k > 0; k-- {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := ToLower(s), strings.ToLower(s); got != want {
			t.Fatalf("ToLower(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(AppendASCIILower([]byte("x"), s)), "x"+ASCIILower(s); got != want {
			t.Fatalf("AppendASCIILower(x, %q) = %q, want %q", s, got, want)
		}
		if got, want := string(AppendLower([]byte("x"), s)), "x"+strings.ToLower(s); got != want {
			t.Fatalf("AppendLower(x, %q) = %q, want %q", s, got, want)
		}
		if got, want := LowerUnchanged(s), strings.ToLower(s) == s && unsafe.StringData(ToLower(s)) == unsafe.StringData(s); got != want {
			t.Fatalf("LowerUnchanged(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestASCIILower(t *testing.T) {
	want := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	r := rand.New(rand.NewSource(2))
	for n := 0; n < 20000; n++ {
		b := make([]byte, r.Intn(40))
		for i := range b {
			b[i] = byte(r.Intn(256))
			if r.Intn(2) == 0 {
				b[i] = "AZaz@[`{Mm"[r.Intn(10)]
			}
		}
		if got := ASCIILower(string(b)); got != want(string(b)) {
			t.Fatalf("ASCIILower(%q) = %q, want %q", b, got, want(string(b)))
		}
	}
}

func FuzzToLower(f *testing.F) {
	f.Add("Hello İ \xff World")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ToLower(s), strings.ToLower(s); got != want {
			t.Fatalf("ToLower(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(AppendASCIILower([]byte("x"), s)), "x"+ASCIILower(s); got != want {
			t.Fatalf("AppendASCIILower(x, %q) = %q, want %q", s, got, want)
		}
		if got, want := string(AppendLower([]byte("x"), s)), "x"+strings.ToLower(s); got != want {
			t.Fatalf("AppendLower(x, %q) = %q, want %q", s, got, want)
		}
		if got, want := LowerUnchanged(s), strings.ToLower(s) == s && unsafe.StringData(ToLower(s)) == unsafe.StringData(s); got != want {
			t.Fatalf("LowerUnchanged(%q) = %v, want %v", s, got, want)
		}
	})
}

func BenchmarkToLower(b *testing.B) {
	s := strings.Repeat("This is the Mail Delivery System at Example.COM; Ünïcode once.\n", 100)
	b.Run("mime", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = ToLower(s)
		}
	})
	b.Run("strings", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = strings.ToLower(s)
		}
	})
}

// FuzzLowerName checks lowerName against ASCII lower-casing byte by byte.
func FuzzLowerName(f *testing.F) {
	f.Add([]byte("X-Ms-Exchange-CrossTenant-Id"))
	f.Add([]byte("@[`{Z\xff"))
	f.Fuzz(func(t *testing.T, name []byte) {
		want := make([]byte, len(name))
		for i, c := range name {
			want[i] = LowerASCII(c)
		}
		if got := lowerName([]byte("pre"), name); string(got) != "pre"+string(want) {
			t.Errorf("lowerName(%q) = %q, want %q", name, got[3:], want)
		}
	})
}
