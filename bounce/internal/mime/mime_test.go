package mime

import (
	"bytes"
	"encoding/base64"
	"mime"
	"strings"
	"testing"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

func mustEncode(t *testing.T, s string, enc interface{ Bytes([]byte) ([]byte, error) }) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []Field
		wantBody string
	}{
		{"simple", "From: a@example.com\nSubject: hi\n\nbody\n",
			[]Field{{Key: "from", Value: " a@example.com"}, {Key: "subject", Value: " hi"}}, "body\n"},
		{"folded", "Subject: one\n two\n\tthree\nTo: b@example.com\n\nx",
			[]Field{{Key: "subject", Value: " one two\tthree"}, {Key: "to", Value: " b@example.com"}}, "x"},
		{"key case and spaces", "Content-TYPE : text/plain\n\n",
			[]Field{{Key: "content-type", Value: " text/plain"}}, ""},
		{"stray line skipped", "From: a@example.com\nFrom MAILER-DAEMON Mon\nTo: b@example.com\n\nx",
			[]Field{{Key: "from", Value: " a@example.com"}, {Key: "to", Value: " b@example.com"}}, "x"},
		{"no header", "Hello there\nsecond line\n", nil, "Hello there\nsecond line\n"},
		{"white space line ends header", "From: a@example.com\n   \nbody", []Field{{Key: "from", Value: " a@example.com"}}, "body"},
		{"no blank line", "From: a@example.com", []Field{{Key: "from", Value: " a@example.com"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, body := ParseHeader([]byte(tc.in))
			if len(h) != len(tc.want) {
				t.Fatalf("ParseHeader() = %q, want %q", h, tc.want)
			}
			for i := range h {
				if h[i] != tc.want[i] {
					t.Errorf("ParseHeader() field %d = %q, want %q", i, h[i], tc.want[i])
				}
			}
			if string(body) != tc.wantBody {
				t.Errorf("ParseHeader() body = %q, want %q", body, tc.wantBody)
			}
		})
	}
}

func TestParseHeader_linearFolding(t *testing.T) {
	// A value folded over a million lines must not take quadratic time.
	var b strings.Builder
	b.WriteString("Subject: x\n")
	for i := 0; i < 1<<20; i++ {
		b.WriteString(" y\n")
	}
	b.WriteString("\nbody")
	h, body := ParseHeader([]byte(b.String()))
	if len(h) != 1 || len(h[0].Value) != 2+2<<20 || string(body) != "body" {
		t.Fatalf("ParseHeader() = %d fields, value %d bytes, body %q", len(h), len(h[0].Value), body)
	}
}

func TestDecodeWords(t *testing.T) {
	utf := "バウンスのテスト(日本語)"
	raw := []byte(utf)
	split := "=?UTF-8?B?" + base64.StdEncoding.EncodeToString(raw[:20]) + "?=\n =?UTF-8?B?" + base64.StdEncoding.EncodeToString(raw[20:]) + "?="
	jis := mustEncode(t, "休暇中です", japanese.ISO2022JP.NewEncoder())
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Hello world", "Hello world"},
		{"q word", "=?iso-8859-1?q?caf=E9_cr=E8me?=", "café crème"},
		{"b word utf-8", "=?utf-8?B?44GT44KT44Gr44Gh44Gv?=", "こんにちは"},
		{"adjacent words join", "=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},
		{"text between words kept", "=?utf-8?q?a?= and =?utf-8?q?b?=", "a and b"},
		{"character split across words", strings.ReplaceAll(split, "\n", ""), utf},
		{"iso-2022-jp word", "=?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString(jis) + "?=", "休暇中です"},
		{"unknown charset kept readable", "=?x-unknown?q?hello?=", "hello"},
		{"broken word left alone", "=?utf-8?x?abc?=", "=?utf-8?x?abc?="},
		{"raw iso-2022-jp", string(jis), "休暇中です"},
		{"raw latin-1", "caf\xe9", "café"},
		{"raw utf-8", "Grüße", "Grüße"},
		{"missing padding", "=?utf-8?B?44GT44KT?=", "こん"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DecodeWords(tc.in); got != tc.want {
				t.Errorf("DecodeWords(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDecodeCharset(t *testing.T) {
	const jp = "送信先メールアドレスが見つかりませんでした。"
	tests := []struct {
		name    string
		in      []byte
		charset string
		want    string
	}{
		{"ascii", []byte("hello\r\nworld"), "us-ascii", "hello\nworld"},
		{"utf-8", []byte("héllo"), "utf-8", "héllo"},
		{"latin-1 labelled", []byte("h\xe9llo"), "iso-8859-1", "héllo"},
		{"latin-1 unlabelled", []byte("h\xe9llo"), "", "héllo"},
		{"windows-1252 quotes", []byte("\x93hi\x94"), "windows-1252", "“hi”"},
		{"iso-2022-jp labelled", mustEncode(t, jp, japanese.ISO2022JP.NewEncoder()), "iso-2022-jp", jp},
		{"iso-2022-jp undeclared", mustEncode(t, jp, japanese.ISO2022JP.NewEncoder()), "", jp},
		{"iso-2022-jp under a wrong label", mustEncode(t, jp, japanese.ISO2022JP.NewEncoder()), "us-ascii", jp},
		{"euc-jp labelled", mustEncode(t, jp, japanese.EUCJP.NewEncoder()), "euc-jp", jp},
		{"euc-jp labelled iso-2022-jp", mustEncode(t, jp, japanese.EUCJP.NewEncoder()), "iso-2022-jp", jp},
		{"euc-jp unlabelled", mustEncode(t, jp, japanese.EUCJP.NewEncoder()), "", jp},
		{"shift_jis labelled", mustEncode(t, jp, japanese.ShiftJIS.NewEncoder()), "shift_jis", jp},
		{"shift_jis labelled iso-2022-jp", mustEncode(t, jp, japanese.ShiftJIS.NewEncoder()), "iso-2022-jp", jp},
		{"shift_jis unlabelled", mustEncode(t, jp, japanese.ShiftJIS.NewEncoder()), "", jp},
		{"utf-8 labelled shift_jis", []byte(jp), "shift_jis", jp},
		{"unknown label", []byte("plain"), "x-no-such-charset", "plain"},
		{"quoted label", []byte("h\xe9"), `"ISO-8859-1"`, "hé"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DecodeCharset(tc.in, tc.charset); got != tc.want {
				t.Errorf("DecodeCharset(%q, %q) = %q, want %q", tc.in, tc.charset, got, tc.want)
			}
		})
	}
}

func TestDecodeBase64(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"padded", "aGVsbG8=", "hello"},
		{"two pad", "aGVsbA==", "hell"},
		{"lines", "aGVs\nbG8g\r\nd29y bGQ=", "hello world"},
		{"unpadded tail", "aGVsbG8", "hello"},
		{"glued chunks", "aGk=aGk=", "hihi"},
		{"garbage skipped", "aGV*sbG8=", "hello"},
		{"crlf normalised", base64.StdEncoding.EncodeToString([]byte("a\r\nb")), "a\nb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(DecodeBase64([]byte(tc.in))); got != tc.want {
				t.Errorf("DecodeBase64(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeNewlines(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb": "a\nb", "a\r\nb": "a\nb", "a\rb": "a\nb", "a\r\r\nb": "a\n\nb", "\r": "\n", "": "",
	} {
		if got := string(NormalizeNewlines([]byte(in))); got != want {
			t.Errorf("NormalizeNewlines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitMultipart(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"two parts", "pre\n--b\nA\n--b\nB\n--b--\npost", []string{"A", "B"}},
		{"no close delimiter", "--b\nA\n--b\nB\n", []string{"A", "B\n"}},
		{"indented delimiter", "--b\nA\n --b\nB\n--b--", []string{"A", "B"}},
		{"delimiter text inside a line", "--b\nx --b y\n--b--", []string{"x --b y"}},
		{"trailing white space", "--b  \nA\n--b--  \n", []string{"A"}},
		{"none", "no parts here", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitMultipart([]byte(tc.body), "b", 0)
			if len(got) != len(tc.want) {
				t.Fatalf("SplitMultipart() = %q, want %q", got, tc.want)
			}
			for i := range got {
				if string(got[i]) != tc.want[i] {
					t.Errorf("SplitMultipart() part %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestSplitMultipart_limit checks that the split stops at its limit,
// whatever the body holds after it.
func TestSplitMultipart_limit(t *testing.T) {
	body := "--b\nA\n--b\nB\n--b\nC\n--b--\n"
	for limit, want := range map[int]int{1: 1, 2: 2, 3: 3, 4: 3, 0: 3} {
		if got := SplitMultipart([]byte(body), "b", limit); len(got) != want {
			t.Errorf("SplitMultipart(limit %d) = %q, want %d parts", limit, got, want)
		}
	}
	many := strings.Repeat("--b\nx\n", 10000)
	if got := SplitMultipart([]byte(many), "b", 5); len(got) != 5 || string(got[4]) != "x" {
		t.Errorf("SplitMultipart(10,000 parts, limit 5) = %d parts", len(got))
	}
}

func TestIndexFold(t *testing.T) {
	tests := []struct {
		s, sub string
		want   int
	}{
		{"hello World", "world", 6},
		{"hello World world", "world", 6}, // the first instance, not the first exact one
		{"Received: by x; from World", "world", 21},
		{"WORLD", "world", 0},
		{"xxAbC@Example.jp yy", "abc@example.jp", 2},
		{"abc", "abcd", -1},
		{"", "a", -1},
		{"abc", "", 0},
		{"aaaaaaaaB", "ab", 7},
		{"AAAAAAAAb", "ab", 7},
		{"no match here", "zz", -1},
	}
	for _, tc := range tests {
		if got := IndexFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("IndexFold(%q, %q) = %d, want %d", tc.s, tc.sub, got, tc.want)
		}
	}
}

func TestDecodeQP(t *testing.T) {
	tests := []struct{ in, want string }{
		{"caf=E9", "caf\xe9"},
		{"caf=e9", "caf\xe9"},
		{"soft=\nbreak", "softbreak"},
		{"soft=  \nbreak", "softbreak"},
		{"a=3D=3d", "a=="},
		{"broken =ZZ here", "broken =ZZ here"},
		{"end=", "end"},
		{"no escapes", "no escapes"},
	}
	for _, tc := range tests {
		if got := string(DecodeQP([]byte(tc.in))); got != tc.want {
			t.Errorf("DecodeQP(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Hello</p><p>World</p>", "\nHello\n\nWorld\n"},
		{"<STYLE>p{}</STYLE>text", "text"},
		{"<head><title>x</title></head><body>body</body>", "body"},
		{"<header>kept</header>", "kept"},
		{"a<br/>b&amp;c&nbsp;d", "a\nb&c d"},
		{"<td>a</td><td>b</td>", " a  b "},
		// The source's line break after a block tag is layout, not a
		// second line (a notice written "line<br>\nline").
		{"<p>one<br>\ntwo<br>\r\nthree</p>\n<p>four</p>\n", "\none\ntwo\nthree\n\nfour\n"},
		{"a<br>\n\nb", "a\n\nb"},
		{"<style>never closed", "never closed"},
		{"x < y", "x "},
		// A mailto: link's address, when its text does not show it.
		{`to <a href="mailto:pat@example.org">Pat</a>.`, "to <pat@example.org> Pat."},
		{`<a href='MAILTO:pat@example.org?subject=x'>Pat</a>`, "<pat@example.org> Pat"},
		{`<a href="mailto:pat@example.org">pat@example.org</a>`, "pat@example.org"},
		{`<a href="mailto:">x</a><a href="mailto:nobody">y</a>`, "xy"},
		{`<a href="mailto:` + strings.Repeat("a", 300) + `@example.org">z</a>`, "z"},
	}
	for _, tc := range tests {
		if got := HTMLToText(tc.in); got != tc.want {
			t.Errorf("HTMLToText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestDecodeCharset_registered decodes with an encoding a program added to
// go-message's charset table, under a label no standard table knows.
func TestDecodeCharset_registered(t *testing.T) {
	const ru = "Почтовый ящик переполнен"
	in := mustEncode(t, ru, charmap.KOI8R.NewEncoder())
	if got := DecodeCharset(in, "x-bounced-test-koi8"); got == ru {
		t.Fatalf("DecodeCharset under an unknown label = %q before registering it", got)
	}
	charset.RegisterEncoding("x-bounced-test-koi8", charmap.KOI8R)
	if got := DecodeCharset(in, "X-Bounced-Test-KOI8"); got != ru {
		t.Errorf("DecodeCharset(KOI8-R, registered label) = %q, want %q", got, ru)
	}
}

func TestDecodeCharset_strayByte(t *testing.T) {
	const jp = "メールアドレスが見つかりませんでした"
	b := append(mustEncode(t, jp, japanese.EUCJP.NewEncoder()), 0xa4)
	if got := DecodeCharset(b, ""); !strings.HasPrefix(got, jp) {
		t.Errorf("DecodeCharset(EUC-JP with a stray byte) = %q, want it to start with %q", got, jp)
	}
}

// TestParseSimpleContentType checks that the fast path reads what
// mime.ParseMediaType reads, and declines what it cannot read the same.
func TestParseSimpleContentType(t *testing.T) {
	values := []string{
		"text/plain", "TEXT/Plain; Charset=US-ASCII", "text/plain; charset=\"iso-2022-jp\"",
		"multipart/report; report-type=delivery-status;\tboundary=\"==_b.1/2\"",
		"multipart/mixed; boundary=\"a b\"", "text/plain;", "message/rfc822 ",
		"text/plain; charset=utf-8; format=flowed; delsp=yes",
		"text/plain; charset=utf-8; charset=latin1", "text/plain (comment)", "text",
		"text/plain; name*=utf-8''a%20b", "text/plain; name=\"a\\\"b\"", "text/plain charset=x",
		"multipart/alternative; boundary=----=_Part_1", "text/plain; charset=\"caf\xc3\xa9\"", "/plain", "text/",
	}
	for _, v := range values {
		ft, fp, ok := parseSimpleContentType(v, nil)
		mt, mp, err := mime.ParseMediaType(v)
		if !ok {
			continue
		}
		if err != nil {
			t.Errorf("parseSimpleContentType(%q) = %q %v, but mime.ParseMediaType fails: %v", v, ft, fp, err)
			continue
		}
		if ft != mt || len(fp) != len(mp) {
			t.Errorf("parseSimpleContentType(%q) = %q %v, want %q %v", v, ft, fp, mt, mp)
			continue
		}
		for k, want := range mp {
			if fp.Get(k) != want {
				t.Errorf("parseSimpleContentType(%q) param %q = %q, want %q", v, k, fp.Get(k), want)
			}
		}
	}
	for _, v := range []string{"text/plain", "text/plain; charset=us-ascii", "multipart/report; boundary=\"b\""} {
		if _, _, ok := parseSimpleContentType(v, nil); !ok {
			t.Errorf("parseSimpleContentType(%q) declined a common form", v)
		}
	}
}

// TestParse_attachedMessageNotSplit checks that the parts of an attached
// message are not parsed (only its header is), while the bounce's own
// multipart is.
func TestParse_attachedMessageNotSplit(t *testing.T) {
	raw := "Content-Type: multipart/report; boundary=outer\n\n--outer\nContent-Type: text/plain\n\nnotice\n" +
		"--outer\nContent-Type: message/rfc822\n\nSubject: original\nContent-Type: multipart/mixed; boundary=inner\n\n" +
		"--inner\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0x\n--inner--\n--outer--\n"
	mp := &Parser{MaxDepth: 20, MaxParts: 1000}
	root := mp.Parse([]byte(raw), 0, nil, "text/plain")
	if mp.Err != nil || len(root.Children) != 2 {
		t.Fatalf("Parse() = %d parts, err %v, want 2 parts", len(root.Children), mp.Err)
	}
	msg := root.Children[1]
	if len(msg.Children) != 1 || msg.Children[0].Fields().Get("subject") != "original" {
		t.Fatalf("attached message = %+v, want its header read", msg.Children)
	}
	orig := msg.Children[0]
	if !orig.InsideMessage() || root.Children[0].InsideMessage() {
		t.Errorf("InsideMessage() = %v for the original, %v for the notice; want true, false", orig.InsideMessage(), root.Children[0].InsideMessage())
	}
	if len(orig.Children) != 0 {
		t.Errorf("the attached message's multipart was split into %d parts, want none", len(orig.Children))
	}
}

// TestField_CanonicalName checks that a field's canonical name is
// CanonicalKey's of its key, whatever the case it was written in.
func TestField_CanonicalName(t *testing.T) {
	h, _ := ParseHeader([]byte("X-Spam-Score: 1\nx-lower-case: 2\nX-MIXED-case: 3\nMessage-ID: <a@b>\nX-Y_z: 4\n\n"))
	for _, f := range h {
		if got, want := f.CanonicalName(), CanonicalKey(f.Key); got != want {
			t.Errorf("CanonicalName(%q) = %q, want %q", f.Key, got, want)
		}
	}
	if got := (Field{Key: "x-hand-made"}).CanonicalName(); got != "X-Hand-Made" {
		t.Errorf("CanonicalName() of a hand-made field = %q, want X-Hand-Made", got)
	}
}

func TestFieldKey(t *testing.T) {
	for in, want := range map[string]string{" Final-Recipient ": "final-recipient", "x-custom": "x-custom", "X-Custom-Field": "x-custom-field", "": ""} {
		if got := FieldKey(in); got != want {
			t.Errorf("FieldKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// indexFoldRef is IndexFold's meaning, spelled out: sub compared at each
// place of s with ASCII letters lower-cased on both sides.
func indexFoldRef(s, sub string) int {
	lower := func(x string) string {
		b := []byte(x)
		for i, c := range b {
			b[i] = LowerASCII(c)
		}
		return string(b)
	}
	return strings.Index(lower(s), lower(sub))
}

func TestIndexFold_anchors(t *testing.T) {
	// Needles whose rarest byte is first, last, in the middle, a capital
	// only in s, a non-letter, and texts full of the anchor's near misses.
	subs := []string{"zebra", "abcz", "delivery has failed permanently for your email to:", "x-maddy-msgid:",
		"\nx-maddy-msgid:", "(mxl_mta-", "550 5.1.1", "ab", "ba", "a", "Z", "qq", "--- below"}
	texts := []string{"", "z", "ZEBRA zebra", "aaaaaaaaaaaaaaaaaab", "Delivery Has Failed Permanently For Your Email To:",
		"X-Maddy-Msgid: 1\nx-maddy-msgid: 2", "abzabzABZ abcz ABCZ", "bababab", "qQqQ", "\n\nX-MADDY-MSGID:",
		"Received: (MXL_MTA-1)", "a 550 5.1.1 b", "--- Below this line"}
	for _, short := range texts {
		// Each text as it is (short: compared at each place) and long
		// (the anchored search).
		for _, s := range []string{short, strings.Repeat("x", 70) + short, strings.Repeat(short+" ", 9)} {
			for _, sub := range subs {
				if got, want := IndexFold(s, sub), indexFoldRef(s, sub); got != want {
					t.Errorf("IndexFold(%q, %q) = %d, want %d", s, sub, got, want)
				}
			}
		}
	}
}

// FuzzIndexFold checks IndexFold against indexFoldRef.
func FuzzIndexFold(f *testing.F) {
	f.Add("hello World world", "world")
	f.Add("Delivery has FAILED permanently", "failed p")
	f.Add("xxAbC@Example.jp yy", "abc@example.jp")
	f.Add("\xc3\x89t\xc3\xa9 Z", "\xc3\xa9 z")
	f.Fuzz(func(t *testing.T, s, sub string) {
		for _, s := range []string{s, strings.Repeat(s, 9)} { // short and long
			if got, want := IndexFold(s, sub), indexFoldRef(s, sub); got != want {
				t.Errorf("IndexFold(%q, %q) = %d, want %d", s, sub, got, want)
			}
		}
	})
}

// FuzzIndex checks Index against strings.Index.
func FuzzIndex(f *testing.F) {
	f.Add(strings.Repeat("a delivery ", 10)+"amavisd-new", "amavisd-new")
	f.Add(strings.Repeat("x", 70), "xy")
	f.Add(strings.Repeat("ab", 40), "ba")
	f.Fuzz(func(t *testing.T, s, sub string) {
		if got, want := Index(s, sub), strings.Index(s, sub); got != want {
			t.Errorf("Index(%q, %q) = %d, want %d", s, sub, got, want)
		}
		s = strings.Repeat(s, 5) // past the length strings.Index is left
		if got, want := Index(s, sub), strings.Index(s, sub); got != want {
			t.Errorf("Index(%q, %q) = %d, want %d", s, sub, got, want)
		}
	})
}

func TestInternKey(t *testing.T) {
	for k := range commonKeys {
		if got, ok := internKey([]byte(k)); !ok || got != k {
			t.Errorf("internKey(%q) = %q, %v", k, got, ok)
		}
	}
	if _, ok := internKey([]byte("x-not-common")); ok {
		t.Error("internKey(x-not-common) ok")
	}
}

// FuzzFieldName checks fieldName against its definition, byte by byte.
func FuzzFieldName(f *testing.F) {
	f.Add([]byte("X-Ms-Exchange-CrossTenant-Id \t"))
	f.Add([]byte("received"))
	f.Add([]byte("abcdefg\x7fhij"))
	f.Add([]byte("abcdefgh ij"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := len(b)
		for n > 0 && (b[n-1] == ' ' || b[n-1] == '\t') {
			n--
		}
		wantN, wantUpper := n, false
		if n > 76 {
			wantN = 0
		}
		for _, c := range b[:n] {
			if c <= ' ' || c >= 127 {
				wantN = 0
			}
			wantUpper = wantUpper || 'A' <= c && c <= 'Z'
		}
		if wantN == 0 {
			wantUpper = false
		}
		gotN, gotUpper := fieldName(b)
		if gotN != wantN || gotUpper != wantUpper {
			t.Errorf("fieldName(%q) = %d, %v, want %d, %v", b, gotN, gotUpper, wantN, wantUpper)
		}
	})
}

// normalizeNewlinesRef is NormalizeNewlines byte by byte.
func normalizeNewlinesRef(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func FuzzNormalizeNewlines(f *testing.F) {
	f.Add([]byte("a\r\nb\rc\n\r\r\n"))
	f.Add([]byte("Subject: x\r\nFrom: a@b\r\n\r\nbody line one\r\nline two\r"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, want := NormalizeNewlines(b), normalizeNewlinesRef(b)
		if string(got) != string(want) {
			t.Errorf("NormalizeNewlines(%q) = %q, want %q", b, got, want)
		}
		if bytes.IndexByte(b, '\r') < 0 && len(b) > 0 && &got[0] != &b[0] {
			t.Errorf("NormalizeNewlines(%q) copied a text without CR", b)
		}
	})
}
