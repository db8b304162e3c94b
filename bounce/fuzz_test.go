package bounce

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// knownKinds are the kinds Decode may report.
var knownKinds = map[Kind]bool{
	KindBounce: true, KindDelay: true, KindDelivered: true, KindComplaint: true,
	KindAutoReply: true, KindNotBounce: true, KindUnparseable: true,
}

// FuzzDecode decodes arbitrary input, seeded with every testdata/*.eml
// (and the crashers kept in testdata/fuzz/FuzzDecode). It checks that
// Decode never panics, always reports a known kind, normalises every
// recipient's address, and keeps its output bounded by its input.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, file := range files {
		if raw, err := os.ReadFile(file); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte("From: MAILER-DAEMON@example.net\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n--b--\n"))
	f.Add([]byte("Subject: =?utf-8?B?44GT?= =?iso-2022-jp?B?GyRCJCIbKEI=?=\n\n\x1b$B$\"\x1b(B\n"))
	// RFC 6533 escapes in a utf-8 address; an HTML notice's mailto: link.
	f.Add([]byte("From: MAILER-DAEMON@example.net\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/global-delivery-status\n\nFinal-Recipient: utf-8; ren\\x{E9}\\x{D800}\\x{1F600@example.fr\nAction: failed\nStatus: 5.1.1\n--b--\n"))
	f.Add([]byte("From: MAILER-DAEMON@example.net\nContent-Type: text/html\n\n<p>Could not deliver to <a href=\"mailto:pat@example.org?x\">Pat</a><a href='mailto:'>550 5.1.1 user unknown</p>\n"))
	// A recipient whose address the normaliser refuses (too long) beside
	// a good one: decoders must not look for its empty address.
	f.Add([]byte("From: MAILER-DAEMON@example.net\nContent-Type: multipart/report; boundary=b\n\n--b\nContent-Type: text/plain\n\nNot delivered.\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; " + strings.Repeat("x", 600) + "@example.net\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; b@example.com\nAction: failed\nStatus: 5.1.1\n--b--\n"))
	opts := &Options{MaxSize: 1 << 20, VERP: []string{"bounces+{local}={domain}@shop.example"}}
	// BOUNCE_FUZZ_TOLERATE_PANICS=1 lets fuzzing go on past a decoder's
	// known (recovered) panic while its owner fixes it.
	tolerate := os.Getenv("BOUNCE_FUZZ_TOLERATE_PANICS") != ""
	var panicked string
	opts.OnDecoderPanic = func(decoder string, v any) {
		panicked = fmt.Sprintf("decoder %s panicked: %v\n%s", decoder, v, debug.Stack())
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		panicked = ""
		rep, err := DecodeBytes(raw, opts)
		if panicked != "" && !tolerate {
			// Decode recovered, but the decoder has a bug.
			t.Fatal(panicked)
		}
		if rep == nil {
			t.Fatal("DecodeBytes() returned a nil report")
		}
		if !knownKinds[rep.Kind] {
			t.Fatalf("DecodeBytes() kind = %q, not a known kind", rep.Kind)
		}
		if err != nil {
			if rep.Kind != KindUnparseable {
				t.Fatalf("DecodeBytes() error %v with kind %q, want %q", err, rep.Kind, KindUnparseable)
			}
			return
		}
		// Bounded output: no more recipients than the input has '@'
		// signs (where an encoding may write more, a base64 body or
		// encoded-word, quoted-printable's =40, RFC 6533's \x{40},
		// HTML's &#64;: no more than one per three bytes), no text much
		// longer than the input.
		if n := maxRecipientsOf(raw); len(rep.Recipients) > n {
			t.Fatalf("DecodeBytes() = %d recipients from an input that can name at most %d ('@' count %d)", len(rep.Recipients), n, strings.Count(string(raw), "@"))
		}
		limit := 4*len(raw) + 64
		for _, r := range rep.Recipients {
			if r.Address == "" {
				t.Fatalf("DecodeBytes() recipient with an empty address: %+v", r)
			}
			if got, err := smtp.NormalizeAddress(r.Address); err != nil || got != r.Address {
				t.Fatalf("recipient %q is not normalised (smtp.NormalizeAddress gives %q, %v)", r.Address, got, err)
			}
			at := strings.LastIndexByte(r.Address, '@')
			if at <= 0 || at == len(r.Address)-1 {
				t.Fatalf("recipient %q is not local@domain", r.Address)
			}
			if d := r.Address[at+1:]; d != strings.ToLower(d) {
				t.Fatalf("recipient %q: domain not lower-cased", r.Address)
			}
			if strings.ContainsAny(r.Diagnostic, "\n\r\t") {
				t.Fatalf("diagnostic %q is not one line", r.Diagnostic)
			}
			if len(r.Diagnostic) > limit || len(r.Address) > limit {
				t.Fatalf("recipient %q: output larger than the input", r.Address)
			}
			if !utf8.ValidString(r.Diagnostic) || !utf8.ValidString(r.Address) {
				t.Fatalf("recipient %q: invalid UTF-8 in the output", r.Address)
			}
		}
		if rep.Kind == KindAutoReply && len(rep.Recipients) > 0 {
			t.Fatalf("an auto-reply with recipients: %+v", rep.Recipients)
		}
	})
}

// maxRecipientsOf is how many addresses raw can name: one per '@' sign,
// plus, when an encoding could make more '@' signs than it shows, one
// per three bytes (an address is at least "a@b").
func maxRecipientsOf(raw []byte) int {
	n := strings.Count(string(raw), "@") + 1
	lower := strings.ToLower(string(raw))
	for _, enc := range []string{"base64", "?b?", "quoted-printable", "?q?", `\x{`, "&#", "&commat;"} {
		if strings.Contains(lower, enc) {
			return n + len(raw)/3
		}
	}
	return n
}
