package bounce

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestMatchVERP(t *testing.T) {
	tests := []struct{ pat, addr, want string }{
		{"bounces+{local}={domain}@shop.example", "bounces+frank=example.com@shop.example", "frank@example.com"},
		{"bounces+{local}={domain}@shop.example", "BOUNCES+Frank=Example.COM@Shop.Example", "Frank@example.com"},
		{"bounces+{local}={domain}@shop.example", "bounces+a=b=example.com@shop.example", "a=b@example.com"},
		{"bounces+{local}={domain}@shop.example", "bounces@shop.example", ""},
		{"bounces+{local}={domain}@shop.example", "bounces+frank=example.com@other.example", ""},
		{"bounces+{local}={domain}@shop.example", "bounces+=example.com@shop.example", ""},
		{"b-{local}-at-{domain}@lists.example", "b-frank-at-example.com@lists.example", "frank@example.com"},
		{"{domain}={local}@x.example", "example.com=frank@x.example", ""},
		{"no placeholders@x.example", "no placeholders@x.example", ""},
		{"{local}{domain}@x.example", "ab@x.example", ""},
		{"bounces+{token}+{local}={domain}@shop.example", "bounces+ke22ta6f6ofg6gl7+taro=docomo.ne.jp@shop.example", "taro@docomo.ne.jp"},
		{"bounces+{token}+{local}={domain}@shop.example", "bounces+ke22ta6f6ofg6gl7.c42+a+b=example.com@shop.example", "a+b@example.com"},
		{"bounces+{token}+{local}={domain}@shop.example", "bounces+taro=docomo.ne.jp@shop.example", ""},
		{"bounces+{token}{local}={domain}@shop.example", "bounces+taro=docomo.ne.jp@shop.example", ""},
	}
	for _, tc := range tests {
		if got := MatchVERP(tc.pat, tc.addr); got != tc.want {
			t.Errorf("MatchVERP(%q, %q) = %q, want %q", tc.pat, tc.addr, got, tc.want)
		}
	}
}

func TestDecode_VERP(t *testing.T) {
	raw := "From: MAILER-DAEMON@mx.example.com\nTo: bounces+frank=example.com@shop.example\nSubject: Undeliverable\n\nThe mailbox is unavailable.\n"
	opts := &Options{VERP: []string{"bounces+{local}={domain}@shop.example"}}
	rep, err := DecodeBytes([]byte(raw), opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != KindBounce || len(rep.Recipients) != 1 || rep.Recipients[0].Address != "frank@example.com" {
		t.Errorf("Decode() = %v %+v, want a bounce for frank@example.com", rep.Kind, rep.Recipients)
	}
	rep, _ = DecodeBytes([]byte(raw), nil)
	if rep.Kind != KindNotBounce {
		t.Errorf("Decode() without VERP = %v, want %v", rep.Kind, KindNotBounce)
	}
}

func TestDecode_limits(t *testing.T) {
	nested := func(depth int) string {
		var b strings.Builder
		b.WriteString("From: MAILER-DAEMON@example.net\n")
		for i := 0; i < depth; i++ {
			b.WriteString("Content-Type: message/rfc822\n\n")
		}
		b.WriteString("Subject: inner\n\nbody\n")
		return b.String()
	}
	manyParts := func(n int) string {
		var b strings.Builder
		b.WriteString("From: a@example.net\nContent-Type: multipart/mixed; boundary=x\n\n")
		for i := 0; i < n; i++ {
			b.WriteString("--x\n\npart\n")
		}
		b.WriteString("--x--\n")
		return b.String()
	}
	tests := []struct {
		name string
		raw  string
		opts *Options
		want error
	}{
		{"too large", strings.Repeat("x", 2048), &Options{MaxSize: 1024}, ErrTooLarge},
		{"too deep", nested(30), nil, ErrTooDeep},
		{"depth within limit", nested(5), nil, nil},
		{"too many parts", manyParts(50), &Options{MaxParts: 10}, ErrTooManyParts},
		{"parts within limit", manyParts(5), &Options{MaxParts: 10}, nil},
		{"empty", "  \n\n", nil, ErrEmpty},
		{"not a message", "just some words\n", nil, ErrEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, decode := range []func() (*Report, error){
				func() (*Report, error) { return DecodeBytes([]byte(tc.raw), tc.opts) },
				func() (*Report, error) { return Decode(strings.NewReader(tc.raw), tc.opts) },
			} {
				rep, err := decode()
				if rep == nil {
					t.Fatal("Decode() returned a nil report")
				}
				if tc.want == nil {
					if err != nil {
						t.Errorf("Decode() error = %v, want nil", err)
					}
					continue
				}
				if !errors.Is(err, tc.want) {
					t.Errorf("Decode() error = %v, want %v", err, tc.want)
				}
				if rep.Kind != KindUnparseable {
					t.Errorf("Decode() kind = %v, want %v", rep.Kind, KindUnparseable)
				}
			}
		})
	}
}

func TestDecode_lineEndingsAgree(t *testing.T) {
	files := []string{"testdata/rfc3464-multi.eml", "testdata/carrier-ezweb-transcript.eml", "testdata/charset-eucjp-mislabelled.eml", "testdata/arf-abuse.eml"}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lf, _ := DecodeBytes(raw, nil)
		for name, conv := range map[string][]byte{
			"crlf": bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n")),
			"cr":   bytes.ReplaceAll(raw, []byte("\n"), []byte("\r")),
		} {
			got, err := DecodeBytes(conv, nil)
			if err != nil {
				t.Fatalf("%s %s: %v", f, name, err)
			}
			if got.Kind != lf.Kind || len(got.Recipients) != len(lf.Recipients) {
				t.Fatalf("%s %s: Decode() = %v %d recipients, want %v %d", f, name, got.Kind, len(got.Recipients), lf.Kind, len(lf.Recipients))
			}
			for i := range got.Recipients {
				if got.Recipients[i] != lf.Recipients[i] {
					t.Errorf("%s %s: recipient %d = %+v, want %+v", f, name, i, got.Recipients[i], lf.Recipients[i])
				}
			}
		}
	}
}

// TestDecode_pathologicalInputs guards against quadratic time on inputs
// built to hurt: each 256 KiB message must decode well within a second.
func TestDecode_pathologicalInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const n = 256 << 10
	text := "From: MAILER-DAEMON@example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
	dsn := "From: MAILER-DAEMON@example.net\nSubject: Delivery Status Notification (Failure)\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\n"
	gen := func(format string) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.ReplaceAll(format, "N", strconv.Itoa(i)))
		}
		return b.String()
	}
	cases := map[string]string{
		"addresses on one line": text + gen("uN@dN.example "),
		"addresses on lines":    text + gen("uN@dN.example\n"),
		"exim-like list":        "From: Mail Delivery System <Mailer-Daemon@x.example>\nSubject: Mail delivery failed\n\n" + gen("  uN@b.example\n    SMTP error from remote mail server after RCPT TO:<uN@b.example>:\n    550 5.1.1 unknown\n"),
		"dsn recipients":        dsn + gen("Final-Recipient: rfc822; uN@b.example\nAction: failed\nStatus: 5.1.1\n\n"),
		"folded dsn field":      dsn + "Final-Recipient: rfc822; a@b.example\nAction: failed\nDiagnostic-Code: smtp; 550\n" + strings.Repeat(" x\n", n/3),
		"folded header":         "From: a@b.example\nSubject: x\n" + strings.Repeat(" y\n", n/3) + "\nbody\n",
		"unclosed style":        "From: a@b.example\nContent-Type: text/html\n\n" + strings.Repeat("<style>", n/7),
		"delimiters":            text + strings.Repeat("--b\n", n/4),
		"encoded words":         "From: a@b.example\nSubject: " + strings.Repeat("=?utf-8?q?a?= ", n/14) + "\n\nx",
		"at signs":              text + strings.Repeat("@", n),
		"local part then at":    text + strings.Repeat("a.", n/2) + "@",
		"escapes":               text + strings.Repeat("\x1b$B", n/3),
		"8-bit bytes":           text + strings.Repeat("\xe9a", n/2),
		"transcript":            "From: Mail Delivery Subsystem <MAILER-DAEMON@x.example>\nSubject: Returned mail: see transcript for details\n\n   ----- Transcript of session follows -----\n" + gen(">>> RCPT To:<uN@b.example>\n<<< 550 5.1.1 <uN@b.example>... User unknown\n"),
		"postfix-like":          "From: MAILER-DAEMON@x.example (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host x.example.\n\n" + gen("<uN@b.example>: host mx.b.example[192.0.2.1] said: 550 5.1.1 unknown (in reply to RCPT TO command)\n\n"),
		"qmail-like":            "From: MAILER-DAEMON@x.example\nSubject: failure notice\n\nHi. This is the qmail-send program at x.example.\n\n" + gen("<uN@b.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"),
		"nested messages":       strings.Repeat("Content-Type: message/rfc822\n\n", 19) + "From: a@b.example\n\nx",
		"many received headers": strings.Repeat("Received: from x by y\n", n/22) + "From: MAILER-DAEMON@x.example\n\nbody\n",
		"arf many rcpt-to":      "From: fbl@x.example\nContent-Type: multipart/report; report-type=feedback-report; boundary=b\n\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n" + gen("Original-Rcpt-To: uN@b.example\n"),
		"html long line":        "From: MAILER-DAEMON@x.example\nContent-Type: text/html\n\n" + strings.Repeat("<p>a", n/4),
		"base64 body":           "From: MAILER-DAEMON@x.example\nContent-Transfer-Encoding: base64\n\n" + strings.Repeat("QUJD\n", n/5),
		"quoted-printable body": "From: MAILER-DAEMON@x.example\nContent-Transfer-Encoding: quoted-printable\n\n" + strings.Repeat("=41=\n", n/5),
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			rep, _ := DecodeBytes([]byte(raw), nil)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Decode() took %v for %d bytes", d, len(raw))
			}
			if rep == nil || !knownKinds[rep.Kind] {
				t.Errorf("Decode() = %+v", rep)
			}
			for _, r := range rep.Recipients {
				if len(r.Diagnostic) > 4096 {
					t.Errorf("diagnostic of %d bytes", len(r.Diagnostic))
				}
			}
		})
	}
}
