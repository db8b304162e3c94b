package bounce

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
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
	// A DSN naming n failed recipients, and the same DSN forwarded as an
	// attachment by a list's owner address.
	dsn := func(n int) string {
		var b strings.Builder
		b.WriteString("From: MAILER-DAEMON@mx.example.net\nTo: shop@example.com\nSubject: Undelivered Mail Returned to Sender\n" +
			"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
			"--b\nContent-Type: text/plain\n\nDelivery failed.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n")
		for i := range n {
			fmt.Fprintf(&b, "Final-Recipient: rfc822; u%d@example.org\nAction: failed\nStatus: 5.1.1\n\n", i)
		}
		b.WriteString("--b--\n")
		return b.String()
	}
	forwarded := func(n int) string {
		return "From: news-owner@lists.example.com\nTo: shop@example.com\nSubject: Uncaught bounce notification\n" +
			"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=f\n\n--f\nContent-Type: text/plain\n\n" +
			"The attached message was received as a bounce.\n\n--f\nContent-Type: message/rfc822\n\n" + dsn(n) + "\n--f--\n"
	}
	// A plain-text notice naming n recipients, one a line.
	notice := func(n int) string {
		var b strings.Builder
		b.WriteString("From: MAILER-DAEMON@mx.example.net\nTo: shop@example.com\nSubject: Undelivered Mail Returned to Sender\n\n" +
			"This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n")
		for i := range n {
			fmt.Fprintf(&b, "<u%d@example.org>: host mx.example.org said: 550 5.1.1 User unknown\n\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name string
		raw  string
		opts *Options
		want error
	}{
		{"too large", strings.Repeat("x", 2048), &Options{MaxSize: 1024}, ErrTooLarge},
		{"too many dsn recipients", dsn(11), &Options{MaxRecipients: 10}, ErrTooManyRecipients},
		{"dsn recipients within limit", dsn(10), &Options{MaxRecipients: 10}, nil},
		{"too many recipients, forwarded", forwarded(11), &Options{MaxRecipients: 10}, ErrTooManyRecipients},
		{"forwarded within limit", forwarded(10), &Options{MaxRecipients: 10}, nil},
		{"too many notice recipients", notice(11), &Options{MaxRecipients: 10}, ErrTooManyRecipients},
		{"notice recipients within limit", notice(10), &Options{MaxRecipients: 10}, nil},
		{"over the default recipient limit", dsn(DefaultMaxRecipients + 1), nil, ErrTooManyRecipients},
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
					if strings.Contains(tc.name, "recipients within") && len(rep.Recipients) != 10 {
						t.Errorf("Decode() named %d recipients, want 10 (format %s)", len(rep.Recipients), rep.Format)
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
// built to hurt. It times no absolute figure, which a loaded machine (or
// the race detector) would break: each input is built at 64 KiB and at
// 256 KiB, and the larger must cost at most ten times the CPU time of the
// smaller. Linear work costs four times as much, quadratic sixteen.
func TestDecode_pathologicalInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const small, large = 64 << 10, 256 << 10
	for name, build := range pathologicalInputs() {
		t.Run(name, func(t *testing.T) {
			raw := build(large)
			rep, _ := DecodeBytes([]byte(raw), nil)
			if rep == nil || !knownKinds[rep.Kind] {
				t.Fatalf("Decode() = %+v", rep)
			}
			for _, r := range rep.Recipients {
				if len(r.Diagnostic) > 4096 {
					t.Errorf("diagnostic of %d bytes", len(r.Diagnostic))
				}
			}
			ratio := growth(build(small), raw)
			t.Logf("growth %.1f", ratio)
			if ratio > 10 {
				t.Errorf("Decode() of %d bytes cost %.1f times the CPU time of a quarter of the size; linear is 4", len(raw), ratio)
			}
		})
	}
}

// pathologicalInputs returns, by name, builders of inputs of about n bytes
// that a careless reader would take quadratic time on.
func pathologicalInputs() map[string]func(n int) string {
	text := "From: MAILER-DAEMON@example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
	dsn := "From: MAILER-DAEMON@example.net\nSubject: Delivery Status Notification (Failure)\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\n"
	// gen repeats format, its N numbered, to n bytes after head.
	gen := func(head, format string) func(int) string {
		return func(n int) string {
			var b strings.Builder
			b.WriteString(head)
			for i := 0; b.Len() < n; i++ {
				b.WriteString(strings.ReplaceAll(format, "N", strconv.Itoa(i)))
			}
			return b.String()
		}
	}
	// rep repeats unit to n bytes between head and tail.
	rep := func(head, unit, tail string) func(int) string {
		return func(n int) string { return head + strings.Repeat(unit, n/len(unit)) + tail }
	}
	return map[string]func(int) string{
		"addresses on one line": gen(text, "uN@dN.example "),
		"addresses on lines":    gen(text, "uN@dN.example\n"),
		"exim-like list":        gen("From: Mail Delivery System <Mailer-Daemon@x.example>\nSubject: Mail delivery failed\n\n", "  uN@b.example\n    SMTP error from remote mail server after RCPT TO:<uN@b.example>:\n    550 5.1.1 unknown\n"),
		"dsn recipients":        gen(dsn, "Final-Recipient: rfc822; uN@b.example\nAction: failed\nStatus: 5.1.1\n\n"),
		"folded dsn field":      rep(dsn+"Final-Recipient: rfc822; a@b.example\nAction: failed\nDiagnostic-Code: smtp; 550\n", " x\n", ""),
		"folded header":         rep("From: a@b.example\nSubject: x\n", " y\n", "\nbody\n"),
		"unclosed style":        rep("From: a@b.example\nContent-Type: text/html\n\n", "<style>", ""),
		"delimiters":            rep(text, "--b\n", ""),
		"encoded words":         rep("From: a@b.example\nSubject: ", "=?utf-8?q?a?= ", "\n\nx"),
		"at signs":              rep(text, "@", ""),
		"local part then at":    rep(text, "a.", "@"),
		"escapes":               rep(text, "\x1b$B", ""),
		"8-bit bytes":           rep(text, "\xe9a", ""),
		"transcript":            gen("From: Mail Delivery Subsystem <MAILER-DAEMON@x.example>\nSubject: Returned mail: see transcript for details\n\n   ----- Transcript of session follows -----\n", ">>> RCPT To:<uN@b.example>\n<<< 550 5.1.1 <uN@b.example>... User unknown\n"),
		"postfix-like":          gen("From: MAILER-DAEMON@x.example (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host x.example.\n\n", "<uN@b.example>: host mx.b.example[192.0.2.1] said: 550 5.1.1 unknown (in reply to RCPT TO command)\n\n"),
		"qmail-like":            gen("From: MAILER-DAEMON@x.example\nSubject: failure notice\n\nHi. This is the qmail-send program at x.example.\n\n", "<uN@b.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"),
		"many received headers": rep("", "Received: from x by y\n", "From: MAILER-DAEMON@x.example\n\nbody\n"),
		"arf many rcpt-to":      gen("From: fbl@x.example\nContent-Type: multipart/report; report-type=feedback-report; boundary=b\n\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n", "Original-Rcpt-To: uN@b.example\n"),
		"html long line":        rep("From: MAILER-DAEMON@x.example\nContent-Type: text/html\n\n", "<p>a", ""),
		"base64 body":           rep("From: MAILER-DAEMON@x.example\nContent-Transfer-Encoding: base64\n\n", "QUJD\n", ""),
		"quoted-printable body": rep("From: MAILER-DAEMON@x.example\nContent-Transfer-Encoding: quoted-printable\n\n", "=41=\n", ""),
	}
}

// growth returns the CPU time of decoding large over that of decoding
// small. Each cost is per decode, over runs that add up to at least 30 ms
// (a short run measures the clock, not the decoder), after a collection,
// and the least of three such (a busy machine only ever adds); large is
// measured three times only when once says it grew too fast.
func growth(small, large string) float64 {
	per := func(raw string) time.Duration {
		runtime.GC()
		t0, n := cpuTime(), 0
		for n == 0 || cpuTime()-t0 < 30*time.Millisecond {
			DecodeBytes([]byte(raw), nil)
			n++
		}
		return max((cpuTime()-t0)/time.Duration(n), time.Microsecond)
	}
	best := func(raw string, runs int) time.Duration {
		least := per(raw)
		for i := 1; i < runs; i++ {
			least = min(least, per(raw))
		}
		return least
	}
	s := best(small, 3)
	r := float64(best(large, 1)) / float64(s)
	if r > 10 {
		r = float64(best(large, 3)) / float64(s)
	}
	return r
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
