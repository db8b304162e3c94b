package decoders

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"
	"time"

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
		want     []field
		wantBody string
	}{
		{"simple", "From: a@example.com\nSubject: hi\n\nbody\n",
			[]field{{"from", " a@example.com"}, {"subject", " hi"}}, "body\n"},
		{"folded", "Subject: one\n two\n\tthree\nTo: b@example.com\n\nx",
			[]field{{"subject", " one two\tthree"}, {"to", " b@example.com"}}, "x"},
		{"key case and spaces", "Content-TYPE : text/plain\n\n",
			[]field{{"content-type", " text/plain"}}, ""},
		{"stray line skipped", "From: a@example.com\nFrom MAILER-DAEMON Mon\nTo: b@example.com\n\nx",
			[]field{{"from", " a@example.com"}, {"to", " b@example.com"}}, "x"},
		{"no header", "Hello there\nsecond line\n", nil, "Hello there\nsecond line\n"},
		{"white space line ends header", "From: a@example.com\n   \nbody", []field{{"from", " a@example.com"}}, "body"},
		{"no blank line", "From: a@example.com", []field{{"from", " a@example.com"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, body := parseHeader([]byte(tc.in))
			if len(h) != len(tc.want) {
				t.Fatalf("parseHeader() = %q, want %q", h, tc.want)
			}
			for i := range h {
				if h[i] != tc.want[i] {
					t.Errorf("parseHeader() field %d = %q, want %q", i, h[i], tc.want[i])
				}
			}
			if string(body) != tc.wantBody {
				t.Errorf("parseHeader() body = %q, want %q", body, tc.wantBody)
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
	h, body := parseHeader([]byte(b.String()))
	if len(h) != 1 || len(h[0].value) != 2+2<<20 || string(body) != "body" {
		t.Fatalf("parseHeader() = %d fields, value %d bytes, body %q", len(h), len(h[0].value), body)
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
			if got := decodeWords(tc.in); got != tc.want {
				t.Errorf("decodeWords(%q) = %q, want %q", tc.in, got, tc.want)
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
			if got := decodeCharset(tc.in, tc.charset); got != tc.want {
				t.Errorf("decodeCharset(%q, %q) = %q, want %q", tc.in, tc.charset, got, tc.want)
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
			if got := string(decodeBase64([]byte(tc.in))); got != tc.want {
				t.Errorf("decodeBase64(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeNewlines(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb": "a\nb", "a\r\nb": "a\nb", "a\rb": "a\nb", "a\r\r\nb": "a\n\nb", "\r": "\n", "": "",
	} {
		if got := string(normalizeNewlines([]byte(in))); got != want {
			t.Errorf("normalizeNewlines(%q) = %q, want %q", in, got, want)
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
			got := splitMultipart([]byte(tc.body), "b")
			if len(got) != len(tc.want) {
				t.Fatalf("splitMultipart() = %q, want %q", got, tc.want)
			}
			for i := range got {
				if string(got[i]) != tc.want[i] {
					t.Errorf("splitMultipart() part %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestMIME_lostDelimitersReadAsText(t *testing.T) {
	raw := "From: MAILER-DAEMON@example.net\nContent-Type: multipart/report; boundary=\"gone\"\n\nThe body.\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != KindNotBounce {
		t.Errorf("Decode() kind = %v, want %v", rep.Kind, KindNotBounce)
	}
	m, err := newMessage([]byte(raw), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := m.text(); !strings.Contains(got, "The body.") {
		t.Errorf("text() = %q, want the body", got)
	}
}

func TestNormalizeAddress(t *testing.T) {
	tests := []struct{ in, want string }{
		{"kijitora@example.jp", "kijitora@example.jp"},
		{"rfc822; <Kijitora@Example.JP>", "Kijitora@example.jp"},
		{"RFC822;kijitora@example.jp.", "kijitora@example.jp"},
		{"'kijitora@example.jp'", "kijitora@example.jp"},
		{`"Neko, Nyaan" <neko@example.org>`, "neko@example.org"},
		{"mailto:neko@example.org", "neko@example.org"},
		{`"neko..nyaan"@example.jp`, `"neko..nyaan"@example.jp`},
		{"utf-8; 山田@例え.jp", "山田@例え.jp"},
		{"user@[192.0.2.1]", "user@[192.0.2.1]"},
		{"root@localhost", "root@localhost"},
		{"nobody", ""},
		{"@example.jp", ""},
		{"user@", ""},
		{"a b@example.jp", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := normalizeAddress(tc.in); got != tc.want {
			t.Errorf("normalizeAddress(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFindAddresses(t *testing.T) {
	got := findAddresses("To: <a@example.com>, b@Example.COM; again a@example.com and 'c@example.org'.")
	want := []string{"a@example.com", "b@example.com", "c@example.org"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findAddresses() = %q, want %q", got, want)
	}
	// Many distinct addresses stay linear and keep their order.
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		b.WriteString("u")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("@d")
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(".example ")
	}
	if n := len(findAddresses(b.String())); n != 7*26 {
		t.Errorf("findAddresses() found %d distinct addresses, want %d", n, 7*26)
	}
}

func TestFindStatus(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550 5.1.1 <a@b>: User unknown", "5.1.1"},
		{"smtp; 452 4.2.2 Mailbox full", "4.2.2"},
		{"Status: 5.7.26", "5.7.26"},
		{"from 192.0.2.5.1 host", ""},
		{"version 5.1.1a", "5.1.1"},
		{"Postfix 2.5.1.3", ""},
		{"X5.1.1", ""},
		{"#5.1.0 Address rejected", "5.1.0"},
		{"no code", ""},
	}
	for _, tc := range tests {
		if got := findStatus(tc.in); got != tc.want {
			t.Errorf("findStatus(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFindReplyCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550 5.1.1 User unknown", "550"},
		{"host said: 452-4.2.2 full", "452"},
		{"(550)", "550"},
		{"id 5501234", ""},
		{"2010-550", ""},
		{"in 1999 it was 421 busy", "421"},
		{"port 25: 554 rejected", "554"},
		{"nothing", ""},
	}
	for _, tc := range tests {
		if got := findReplyCode(tc.in); got != tc.want {
			t.Errorf("findReplyCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStatusComment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"5.0.0 (permanent failure)", ""},
		{"4.0.0 (cat.example.net: host name lookup failure)", "cat.example.net: host name lookup failure"},
		{"4.4.0 (other or undefined network or routing status)", ""},
		{"5.1.1", ""},
	}
	for _, tc := range tests {
		if got := statusComment(tc.in); got != tc.want {
			t.Errorf("statusComment(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseDSNFields_linearFolding(t *testing.T) {
	var b strings.Builder
	b.WriteString("Final-Recipient: rfc822; a@example.com\nAction: failed\nDiagnostic-Code: smtp; 550 x\n")
	for i := 0; i < 1<<18; i++ {
		b.WriteString(" more\n")
	}
	_, blocks := parseDSNFields(b.String())
	if len(blocks) != 1 || len(blocks[0].get("diagnostic-code")) < 1<<20 {
		t.Fatalf("parseDSNFields() = %d blocks", len(blocks))
	}
}

func TestDecode_charsetFixtures(t *testing.T) {
	tests := []struct {
		file    string
		text    string // in the decoded notice
		subject string // of the bounce or, with "orig:", of the original
	}{
		{"../../testdata/charset-eucjp-mislabelled.eml", "送信先メールアドレスが見つかりませんでした。", ""},
		{"../../testdata/charset-sjis-base64.eml", "メールボックスが一杯です。", "バウンスのテスト(日本語)"},
		{"../../testdata/charset-iso2022jp-crlf.eml", "宛先のメールアドレスは存在しません。", ""},
		{"../../testdata/charset-iso2022jp-crlf.eml", "Le destinataire est inconnu: désolé.", ""},
		{"../../testdata/carrier-ezweb-disabled.eml", "送信先メールアドレスが見つかりませんでした。", ""},
		{"../../testdata/carrier-kddi-mailboxfull.eml", "送信先のメールボックスが一杯のため", "メールエラー通知"},
		{"../../testdata/autoreply-vacation.eml", "6月20日まで休暇をいただいております。", "休暇中です"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := newMessage(skipEnvelopeLine(normalizeNewlines(raw)), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.text(), tc.text) {
				t.Errorf("text() = %q, want it to contain %q", m.text(), tc.text)
			}
			if tc.subject != "" && m.subject != tc.subject {
				t.Errorf("subject = %q, want %q", m.subject, tc.subject)
			}
		})
	}
}

func TestIsAutoReply(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		subject string
		want    bool
	}{
		{"rfc 3834", "Auto-Submitted: auto-replied\n", "Away", true},
		{"auto-generated alone", "Auto-Submitted: auto-generated\n", "Report", false},
		{"exchange prefix", "", "Automatic reply: Hello", true},
		{"exchange words with suppress header", "X-Auto-Response-Suppress: All\n", "Hello (Out of Office)", true},
		{"human reply quoting words", "", "Re: your out of office message", false},
		{"x-autoreply", "X-Autoreply: yes\n", "Hello", true},
		{"x-autoreply no", "X-Autoreply: no\n", "Hello", false},
		{"precedence", "Precedence: auto_reply\n", "Hello", true},
		{"apple", "X-Apple-Action: vacation\n", "Hello", true},
		{"japanese prefix", "", "自動応答: こんにちは", true},
		{"plain mail", "", "Lunch?", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := parseHeader([]byte(tc.header + "\n"))
			if got := isAutoReply(h, tc.subject); got != tc.want {
				t.Errorf("isAutoReply(%q, %q) = %v, want %v", tc.header, tc.subject, got, tc.want)
			}
		})
	}
}

func TestInlineDSN(t *testing.T) {
	text := "Sorry.\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n\nFrom: b@example.org\nSubject: x\n"
	start, body := inlineDSN(text)
	if !strings.HasPrefix(text[start:], "Reporting-MTA:") || strings.Contains(body, "From:") || !strings.Contains(body, "Status: 5.1.1") {
		t.Errorf("inlineDSN() = %d, %q", start, body)
	}
	if _, body := inlineDSN("Final-Recipient is a word we use.\n"); body != "" {
		t.Errorf("inlineDSN() of prose = %q, want none", body)
	}
}

func TestIndexFold(t *testing.T) {
	tests := []struct {
		s, sub string
		want   int
	}{
		{"hello World", "world", 6},
		{"hello World world", "world", 12},
		{"xxAbC@Example.jp yy", "abc@example.jp", 2},
		{"abc", "abcd", -1},
		{"", "a", -1},
		{"abc", "", 0},
		{"aaaaaaaaB", "ab", 7},
		{"AAAAAAAAb", "ab", 7},
		{"no match here", "zz", -1},
	}
	for _, tc := range tests {
		if got := indexFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", tc.s, tc.sub, got, tc.want)
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
		if got := string(decodeQP([]byte(tc.in))); got != tc.want {
			t.Errorf("decodeQP(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mon, 3 Jun 2024 10:00:00 +0000", "2024-06-03T10:00:00Z"},
		{"Thu, 29 Apr 2004 23:34:45 +0900 (JST)", "2004-04-29T14:34:45Z"},
		{"29 Apr 2004 23:34 -0130", "2004-04-30T01:04:00Z"},
		{"Sun,  7 Sep 2008 21:40:11 +0900 (JST)", "2008-09-07T12:40:11Z"},
		{"Wed, 3 May 2007 23:34:45", ""}, // no zone: left to net/mail, which refuses it
		{"Thu, 29 Apr 1999 23:34:45 -0500 (CDT)", "1999-04-30T04:34:45Z"},
		{"Mon, 20 Sep 2021 21:32:59 +0200 (GMT+02:00)", "2021-09-20T19:32:59Z"},
		{"Mon, 2 Jan 2006 15:04:05 MST", "2006-01-02T15:04:05Z"},
		{"garbage", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got := dateOf(tc.in)
		s := ""
		if !got.IsZero() {
			s = got.Format(time.RFC3339)
		}
		if s != tc.want {
			t.Errorf("dateOf(%q) = %q, want %q", tc.in, s, tc.want)
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
		{"<style>never closed", "never closed"},
		{"x < y", "x "},
	}
	for _, tc := range tests {
		if got := htmlToText(tc.in); got != tc.want {
			t.Errorf("htmlToText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestDecodeCharset_registered decodes with an encoding a program added to
// go-message's charset table, under a label no standard table knows.
func TestDecodeCharset_registered(t *testing.T) {
	const ru = "Почтовый ящик переполнен"
	in := mustEncode(t, ru, charmap.KOI8R.NewEncoder())
	if got := decodeCharset(in, "x-bounced-test-koi8"); got == ru {
		t.Fatalf("decodeCharset under an unknown label = %q before registering it", got)
	}
	charset.RegisterEncoding("x-bounced-test-koi8", charmap.KOI8R)
	if got := decodeCharset(in, "X-Bounced-Test-KOI8"); got != ru {
		t.Errorf("decodeCharset(KOI8-R, registered label) = %q, want %q", got, ru)
	}
}

func TestDecodeCharset_strayByte(t *testing.T) {
	const jp = "メールアドレスが見つかりませんでした"
	b := append(mustEncode(t, jp, japanese.EUCJP.NewEncoder()), 0xa4)
	if got := decodeCharset(b, ""); !strings.HasPrefix(got, jp) {
		t.Errorf("decodeCharset(EUC-JP with a stray byte) = %q, want it to start with %q", got, jp)
	}
}

// testOptions returns the limits bounce.Options defaults to.
func testOptions() *Options { return &Options{MaxDepth: 20, MaxParts: 1000} }
