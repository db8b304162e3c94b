package testutil

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// HostileMessage is one message made to hurt a bounce processor: malformed,
// oversized or built to make it do far too much work.
type HostileMessage struct {
	// Kind names what is wrong with it (see HostileKinds).
	Kind string
	// Raw is the message as delivered, with CRLF line ends unless the kind
	// is about line ends.
	Raw []byte
}

// HostileKind is one way a message can be hostile.
type HostileKind struct {
	// Name is the kind's name, e.g. "header-bomb".
	Name string
	// Huge kinds are megabytes each: HostileSet makes few of them.
	Huge bool
	gen  func(i int) []byte
}

// HostileKinds returns every kind of hostile message the generator makes,
// in a fixed order.
func HostileKinds() []HostileKind { return hostileKinds }

// HostileSet returns n hostile messages that cycle through the kinds for
// which include returns true (every kind when include is nil). Huge kinds
// appear at most max(1, n/250) times each, so that 1,000 messages stay
// within a few hundred megabytes. Message i is the same in every call.
func HostileSet(n int, include func(kind string) bool) []HostileMessage {
	var kinds []HostileKind
	for _, k := range hostileKinds {
		if include == nil || include(k.Name) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return nil
	}
	maxHuge := max(1, n/250)
	huge := map[string]int{}
	out := make([]HostileMessage, 0, n)
	for i := 0; len(out) < n; i++ {
		k := kinds[i%len(kinds)]
		if k.Huge {
			if huge[k.Name] >= maxHuge {
				if allHuge(kinds) {
					break
				}
				continue
			}
			huge[k.Name]++
		}
		out = append(out, HostileMessage{Kind: k.Name, Raw: k.gen(i)})
	}
	return out
}

func allHuge(kinds []HostileKind) bool {
	for _, k := range kinds {
		if !k.Huge {
			return false
		}
	}
	return true
}

// crlf turns LF line ends into CRLF.
func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

// dsnHead is the top of a Postfix-like multipart/report for message i.
func dsnHead(kind string, i int, extraHeaders string) string {
	return fmt.Sprintf(`Return-Path: <>
Date: Mon, 23 Nov 2026 09:12:01 +0900
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@shop.example
Message-Id: <hostile-%[1]s-%[2]d@mail.shop.example>
MIME-Version: 1.0
%[3]sContent-Type: multipart/report; report-type=delivery-status; boundary="HB%[2]d"

`, kind, i, extraHeaders)
}

// dsn is a complete DSN for message i with the human-readable text, the
// delivery-status part's per-recipient fields status, and the original
// message's headers orig.
func dsn(kind string, i int, text, status, orig string) []byte {
	return crlf(dsnHead(kind, i, "") + fmt.Sprintf(`--HB%[1]d
Content-Type: text/plain

%[2]s

--HB%[1]d
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example

%[3]s
--HB%[1]d
Content-Type: text/rfc822-headers

%[4]s
--HB%[1]d--
`, i, text, status, orig))
}

func rcpt(kind string, i int) string { return fmt.Sprintf("h%d-%s@example.org", i, kind) }

func origHeaders(kind string, i int) string {
	return fmt.Sprintf("From: orders@shop.example\nTo: %s\nSubject: Order %d\nMessage-ID: <order-hostile-%d@shop.example>\n", rcpt(kind, i), i, i)
}

func failed(addr string) string {
	return fmt.Sprintf("Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n", addr)
}

var hostileKinds = []HostileKind{
	{Name: "truncated-mime", gen: func(i int) []byte {
		// Cut in the middle of the delivery-status part: no closing
		// boundary, a field without its value.
		return crlf(dsnHead("truncated-mime", i, "") + fmt.Sprintf("--HB%d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.shop.example\n\nFinal-Recipient: rfc822; %s\nAction: fail", i, rcpt("truncated-mime", i)))
	}},
	{Name: "deep-nesting", gen: func(i int) []byte {
		const depth = 300
		var b strings.Builder
		b.WriteString(fmt.Sprintf("From: MAILER-DAEMON@mail.shop.example\nTo: bounces@shop.example\nSubject: nested\nMessage-Id: <hostile-deep-%d@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"L0\"\n\n", i))
		for d := 1; d < depth; d++ {
			fmt.Fprintf(&b, "--L%d\nContent-Type: multipart/mixed; boundary=\"L%d\"\n\n", d-1, d)
		}
		b.WriteString(fmt.Sprintf("--L%d\nContent-Type: message/delivery-status\n\n%s\n", depth-1, failed(rcpt("deep-nesting", i))))
		for d := depth - 1; d >= 0; d-- {
			fmt.Fprintf(&b, "--L%d--\n", d)
		}
		return crlf(b.String())
	}},
	{Name: "rfc822-nesting", gen: func(i int) []byte {
		// message/rfc822 inside message/rfc822, 200 deep.
		inner := fmt.Sprintf("From: a@example.org\nTo: b@example.org\nSubject: innermost\nMessage-ID: <in-%d@x>\n\nhello\n", i)
		for d := 0; d < 200; d++ {
			inner = fmt.Sprintf("From: MAILER-DAEMON@example.org\nTo: bounces@shop.example\nSubject: level %d\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\n%s", d, inner)
		}
		return crlf(fmt.Sprintf("Message-Id: <hostile-rfc822-%d@x>\n", i) + inner)
	}},
	{Name: "huge-part-under-limit", Huge: true, gen: func(i int) []byte {
		// A valid bounce with an 8 MiB attachment: under the 10 MiB limit.
		return hugeAttachment("huge-part-under-limit", i, 6<<20)
	}},
	{Name: "huge-part-over-limit", Huge: true, gen: func(i int) []byte {
		// 12 MiB: over max_message_size.
		return hugeAttachment("huge-part-over-limit", i, 9<<20)
	}},
	{Name: "invalid-charset", gen: func(i int) []byte {
		r := rcpt("invalid-charset", i)
		return crlf(dsnHead("invalid-charset", i, "") + fmt.Sprintf("--HB%[1]d\nContent-Type: text/plain; charset=\"x-no-such-charset\"\nContent-Transfer-Encoding: 8bit\n\n\xff\xfe\xfa bad \xc3\x28 bytes <%[2]s>: 550 5.1.1 unknown\n\n--HB%[1]d\nContent-Type: message/delivery-status; charset=\"utf-99\"\n\nReporting-MTA: dns; mail.shop.example\n\n%[3]s\n--HB%[1]d--\n", i, r, failed(r)))
	}},
	{Name: "encoded-word-bomb", gen: func(i int) []byte {
		var subj strings.Builder
		for w := 0; w < 20000; w++ {
			subj.WriteString("=?x-bad?Q?=FF=FE?= =?utf-8?B?####?= ")
		}
		return crlf(fmt.Sprintf("From: =?utf-8?B?%s?= <MAILER-DAEMON@x>\nTo: bounces@shop.example\nSubject: %s\nMessage-Id: <hostile-ew-%d@x>\n\nnothing here\n", strings.Repeat("AAAA", 1000), subj.String(), i))
	}},
	{Name: "header-bomb", gen: func(i int) []byte {
		var b strings.Builder
		for h := 0; h < 50000; h++ {
			fmt.Fprintf(&b, "X-Bomb-%d: %s\n", h, strings.Repeat("v", 20))
		}
		return crlf(b.String() + string(dsn("header-bomb", i, "bomb", failed(rcpt("header-bomb", i)), origHeaders("header-bomb", i))))
	}},
	{Name: "folded-header-bomb", gen: func(i int) []byte {
		// One header folded over 100,000 lines.
		var b strings.Builder
		b.WriteString("X-Folded: start")
		for h := 0; h < 100000; h++ {
			b.WriteString("\n continued")
		}
		b.WriteString("\n")
		return crlf(b.String() + string(dsn("folded-header-bomb", i, "fold", failed(rcpt("folded-header-bomb", i)), origHeaders("folded-header-bomb", i))))
	}},
	{Name: "nul-bytes", gen: func(i int) []byte {
		r := rcpt("nul-bytes", i)
		return dsn("nul-bytes", i, "a\x00b\x00<"+r+">: 550\x00 5.1.1", strings.Replace(failed(r), "Action: failed", "Action: fa\x00iled", 1)+"X-Nul: \x00\x00\x00\n", "Subject: \x00\x00\nFrom: \x00@x\n")
	}},
	{Name: "recipient-bomb-100k", Huge: true, gen: func(i int) []byte {
		var b strings.Builder
		for r := 0; r < 100000; r++ {
			fmt.Fprintf(&b, "Final-Recipient: rfc822; b%d-%d@bomb.example.org\nAction: failed\nStatus: 5.1.1\n\n", i, r)
		}
		return dsn("recipient-bomb-100k", i, "many", b.String(), origHeaders("recipient-bomb-100k", i))
	}},
	{Name: "script-in-diagnostic", gen: func(i int) []byte {
		r := rcpt("script-in-diagnostic", i)
		diag := `smtp; 550 5.1.1 <script>alert(document.cookie)</script><img src=x onerror=alert(1)> "><iframe src=javascript:alert(1)> ` + "\x1b[2J\x1b[31mRED\x1b]0;title\x07"
		return dsn("script-in-diagnostic", i, "<html><body><script>alert(1)</script></body></html>",
			fmt.Sprintf("Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: %s\n", r, diag), origHeaders("script-in-diagnostic", i))
	}},
	{Name: "oversized-original-subject", Huge: true, gen: func(i int) []byte {
		// A valid bounce whose original message's Subject is 5 MB: an event
		// that copies it would exceed NATS's 1 MB payload limit.
		r := rcpt("oversized-original-subject", i)
		orig := fmt.Sprintf("From: orders@shop.example\nTo: %s\nSubject: %s\nMessage-ID: <order-hostile-%d@shop.example>\n", r, strings.Repeat("S", 5<<20), i)
		return dsn("oversized-original-subject", i, "<"+r+">: 550 5.1.1 User unknown", failed(r), orig)
	}},
	{Name: "oversized-subject", Huge: true, gen: func(i int) []byte {
		r := rcpt("oversized-subject", i)
		return []byte(strings.Replace(string(dsn("oversized-subject", i, "<"+r+">: 550 5.1.1 User unknown", failed(r), origHeaders("oversized-subject", i))),
			"Subject: Undelivered Mail Returned to Sender", "Subject: "+strings.Repeat("Undelivered ", (5<<20)/12), 1))
	}},
	{Name: "bad-base64", gen: func(i int) []byte {
		r := rcpt("bad-base64", i)
		return crlf(dsnHead("bad-base64", i, "") + fmt.Sprintf("--HB%[1]d\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n%[2]s!!!***not base64 at all***\n====\n--HB%[1]d\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n%[3]s\n--HB%[1]d--\n",
			i, base64.StdEncoding.EncodeToString([]byte(failed(r)))[:37], strings.Repeat("@@@@", 100)))
	}},
	{Name: "bad-quoted-printable", gen: func(i int) []byte {
		r := rcpt("bad-quoted-printable", i)
		return crlf(dsnHead("bad-quoted-printable", i, "") + fmt.Sprintf("--HB%[1]d\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n=ZZ=G1 <%[2]s>: 550 5.1.1 =\n=\n=%[3]s\n--HB%[1]d\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: quoted-printable\n\nFinal-Recipient: rfc822; %[2]s=\nAction: failed=QQ\nStatus: 5.1.1\n\n--HB%[1]d--\n", i, r, strings.Repeat("=", 500)))
	}},
	{Name: "cr-only", gen: func(i int) []byte {
		r := rcpt("cr-only", i)
		raw := string(dsn("cr-only", i, "<"+r+">: 550 5.1.1 User unknown", failed(r), origHeaders("cr-only", i)))
		return []byte(strings.ReplaceAll(raw, "\r\n", "\r"))
	}},
	{Name: "lf-only", gen: func(i int) []byte {
		r := rcpt("lf-only", i)
		raw := string(dsn("lf-only", i, "<"+r+">: 550 5.1.1 User unknown", failed(r), origHeaders("lf-only", i)))
		return []byte(strings.ReplaceAll(raw, "\r\n", "\n"))
	}},
	{Name: "long-recipient", gen: func(i int) []byte {
		// Over 512 bytes: a valid-looking address no store should keep.
		r := fmt.Sprintf("%s%d@example.org", strings.Repeat("x", 600), i)
		return dsn("long-recipient", i, "<"+r+">: 550 5.1.1 User unknown", failed(r), origHeaders("long-recipient", i))
	}},
	{Name: "control-char-recipient", gen: func(i int) []byte {
		r := fmt.Sprintf("us\x01er\x7f%d@example.org", i)
		return dsn("control-char-recipient", i, "<"+r+">: 550 5.1.1 User unknown", failed(r), origHeaders("control-char-recipient", i))
	}},
	{Name: "no-header-garbage", gen: func(i int) []byte {
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		b := make([]byte, 2000+rng.IntN(4000))
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		return b
	}},
	{Name: "empty", gen: func(i int) []byte { return []byte("\r\n") }},
	{Name: "long-line", Huge: true, gen: func(i int) []byte {
		// 3 MB without a line end, in the delivery-status part.
		r := rcpt("long-line", i)
		return dsn("long-line", i, strings.Repeat("L", 3<<20), failed(r), origHeaders("long-line", i))
	}},
	{Name: "part-bomb", gen: func(i int) []byte {
		var b strings.Builder
		b.WriteString(fmt.Sprintf("From: MAILER-DAEMON@x\nTo: bounces@shop.example\nSubject: parts\nMessage-Id: <hostile-parts-%d@x>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"P\"\n\n", i))
		for p := 0; p < 20000; p++ {
			b.WriteString("--P\n\n\n")
		}
		b.WriteString("--P--\n")
		return crlf(b.String())
	}},
	{Name: "bogus-dsn-fields", gen: func(i int) []byte {
		return dsn("bogus-dsn-fields", i, "nothing useful",
			"Final-Recipient: rfc822;\nAction: explode\nStatus: 9.99.999\nDiagnostic-Code: \nFinal-Recipient: x400; /C=zz/\nAction:\nStatus: abc\n",
			"")
	}},
	{Name: "boundary-missing", gen: func(i int) []byte {
		r := rcpt("boundary-missing", i)
		return crlf(fmt.Sprintf("From: MAILER-DAEMON@x\nTo: bounces@shop.example\nSubject: Undelivered Mail Returned to Sender\nMessage-Id: <hostile-nob-%d@x>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status\n\n%s", i, failed(r)))
	}},
	{Name: "utf8-address", gen: func(i int) []byte {
		r := fmt.Sprintf("пользователь%d@пример.рф", i)
		return dsn("utf8-address", i, "<"+r+">: 550 5.1.1 User unknown", "Original-Recipient: utf-8; "+r+"\n"+failed(r), origHeaders("utf8-address", i))
	}},
}

// hugeAttachment is a valid bounce for message i followed by a base64
// attachment of size bytes.
func hugeAttachment(kind string, i, size int) []byte {
	r := rcpt(kind, i)
	raw := dsn(kind, i, "<"+r+">: 550 5.1.1 User unknown", failed(r), origHeaders(kind, i))
	end := []byte(fmt.Sprintf("--HB%d--\r\n", i))
	att := make([]byte, size)
	rng := rand.New(rand.NewPCG(uint64(i), 11))
	for j := range att {
		att[j] = byte(rng.UintN(256))
	}
	enc := base64.StdEncoding.EncodeToString(att)
	var b bytes.Buffer
	b.Write(bytes.TrimSuffix(raw, end))
	fmt.Fprintf(&b, "--HB%d\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n", i)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n")
	b.Write(end)
	return b.Bytes()
}
