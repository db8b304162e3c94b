package decoders

import (
	"fmt"
	"github.com/bounced-dev/bounced/bounce/internal/mime"
	"os"
	"strings"
	"testing"
	"time"
)

func TestMIME_lostDelimitersReadAsText(t *testing.T) {
	raw := "From: MAILER-DAEMON@example.net\nContent-Type: multipart/report; boundary=\"gone\"\n\nThe body.\n"
	rep, err := Decode([]byte(raw), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != KindNotBounce {
		t.Errorf("Decode() kind = %v, want %v", rep.Kind, KindNotBounce)
	}
	m, err := newMessage([]byte(raw), testOptions(), false)
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
	// Non-ASCII punctuation ends an address; non-ASCII letters may be
	// part of one (RFC 6531).
	for in, want := range map[string]string{
		"请联系您的收件人（rui@example.cn）或其所在服务商。":      "rui@example.cn",
		"宛先：taro@example.jp、hanako@example.jp。": "taro@example.jp hanako@example.jp",
		"«anna@example.fr» n'existe pas":        "anna@example.fr",
		"用户@例子.广告 不存在":                          "用户@例子.广告",
		"müller@bücher.example":                 "müller@bücher.example",
	} {
		if got := strings.Join(findAddresses(in), " "); got != want {
			t.Errorf("findAddresses(%q) = %q, want %q", in, got, want)
		}
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
	_, blocks, _ := parseDSNFields(b.String(), 0)
	if len(blocks) != 1 || len(blocks[0].Get("diagnostic-code")) < 1<<20 {
		t.Fatalf("parseDSNFields() = %d blocks", len(blocks))
	}
}

// parseDSNFields keeps max recipient blocks and reads no further: the
// block after them is the last line it looks at.
func TestParseDSNFields_max(t *testing.T) {
	var b strings.Builder
	b.WriteString("Reporting-MTA: dns; mx.example.net\n\n")
	for i := range 100 {
		fmt.Fprintf(&b, "Final-Recipient: rfc822; u%d@example.org\nAction: failed\nStatus: 5.1.1\n\n", i)
	}
	body := b.String()
	perMessage, blocks, over := parseDSNFields(body, 10)
	if !over || len(blocks) != 10 || blocks[9].Get("final-recipient") != "rfc822; u9@example.org" || perMessage.Get("reporting-mta") != "dns; mx.example.net" {
		t.Errorf("parseDSNFields(100 recipients, 10) = %d blocks, over %v, last %q; want the first 10, over", len(blocks), over, blocks[len(blocks)-1].Get("final-recipient"))
	}
	if _, blocks, over := parseDSNFields(body, 100); over || len(blocks) != 100 {
		t.Errorf("parseDSNFields(100 recipients, 100) = %d blocks, over %v; want 100, not over", len(blocks), over)
	}
	if _, blocks, over := parseDSNFields(body, 0); over || len(blocks) != 100 {
		t.Errorf("parseDSNFields(100 recipients, no limit) = %d blocks, over %v; want 100, not over", len(blocks), over)
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
			m, err := newMessage(skipEnvelopeLine(mime.NormalizeNewlines(raw)), testOptions(), false)
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
		// vacation(1)'s own default ~/.vacation.msg, no header of its own
		{"debian vacation default", "", "away from my mail", true},
		{"vacation manual example", "", "I am on vacation", true},
		{"human subject", "", "Are you away from your desk?", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := mime.ParseHeader([]byte(tc.header + "\n"))
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

// testOptions returns the limits bounce.Options defaults to.
func testOptions() *Options { return &Options{MaxDepth: 20, MaxParts: 1000} }

// TestOneLine checks oneLine, and that its fast path (isOneLine) agrees
// with the slow one.
func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"550 5.1.1 unknown", "550 5.1.1 unknown"},
		{" 550  5.1.1\tunknown \n", "550 5.1.1 unknown"},
		{"a\r\nb", "a b"},
		{"宛先\u3000不明", "宛先 不明"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"ünïcode ok", "ünïcode ok"},
		{"trailing ", "trailing"},
	}
	for _, tc := range tests {
		if got := oneLine(tc.in); got != tc.want {
			t.Errorf("oneLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if isOneLine(tc.in) != (tc.in == tc.want) {
			t.Errorf("isOneLine(%q) = %v, want %v", tc.in, isOneLine(tc.in), tc.in == tc.want)
		}
	}
}
