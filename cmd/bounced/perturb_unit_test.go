package main

import (
	"strings"
	"testing"
)

const perturbSample = `From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: sender@example.net
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="B1"

This is a MIME-encapsulated message.

--B1
Content-Type: text/plain; charset=us-ascii

<user@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; user@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <user@example.com>: Recipient address
    rejected: User unknown in virtual mailbox table

--B1
Content-Type: message/rfc822

From: sender@example.net
To: user@example.com
Subject: hi

hello
--B1--
`

// TestPerturb_keepsTheRest checks that each transform changes only what it
// says and keeps every other byte.
func TestPerturb_keepsTheRest(t *testing.T) {
	in := []byte(perturbSample)
	rcpts := []string{"user@example.com"}
	diag := "Diagnostic-Code: smtp; 550 5.1.1 <user@example.com>: Recipient address\n    rejected: User unknown in virtual mailbox table\n"
	dsn := "\n--B1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; user@example.com\nAction: failed\nStatus: 5.1.1\n" + diag
	for _, c := range []struct {
		name string
		fn   func([]byte, []string) ([]byte, map[string]string, bool)
		want string
	}{
		{"no-diagnostic", noDiagnostic, strings.Replace(perturbSample, diag, "", 1)},
		{"no-dsn", noDSN, strings.Replace(perturbSample, dsn, "", 1)},
		{"generic-status", genericStatus, strings.Replace(perturbSample, "Status: 5.1.1", "Status: 5.0.0", 1)},
	} {
		out, _, ok := c.fn(in, rcpts)
		if !ok || string(out) != c.want {
			t.Errorf("%s: ok %v, got\n%q\nwant\n%q", c.name, ok, out, c.want)
		}
	}

	out, _, ok := reencode("base64")(in, rcpts)
	root := parseMessage(out)
	tp := textPart(root)
	if !ok || tp == nil || tp.cte() != "base64" {
		t.Fatalf("reencode-base64: ok %v, part %+v", ok, tp)
	}
	if d, _ := decodedBody(out, tp); !strings.Contains(string(d), "User unknown in virtual mailbox table (in reply to RCPT TO command)") {
		t.Errorf("reencode-base64: decoded %q", d)
	}
	if i := strings.Index(perturbSample, "\n--B1\nContent-Type: message/delivery-status"); !strings.HasSuffix(string(out), perturbSample[i:]) {
		t.Errorf("reencode-base64 changed what follows the text part:\n%s", out)
	}
	out, _, _ = reencode("quoted-printable")(in, rcpts)
	if tp := textPart(parseMessage(out)); tp == nil || tp.cte() != "quoted-printable" {
		t.Errorf("reencode-qp: %s", out)
	} else if d, _ := decodedBody(out, tp); !strings.Contains(string(d), "in virtual mailbox table (in reply to RCPT TO command)") {
		t.Errorf("reencode-qp: decoded %q", d)
	}

	out, ren, ok := rename(in, rcpts)
	if !ok || ren["user@example.com"] != "rn1box@renamed1-mail.net" || strings.Contains(string(out), "example.com") ||
		!strings.Contains(string(out), "host mx.renamed1-mail.net[192.0.2.1]") || !strings.Contains(string(out), "sender@example.net") {
		t.Errorf("rename: %v %v\n%s", ok, ren, out)
	}

	out, _, ok = rewrap(in, rcpts)
	if !ok || !strings.Contains(string(out), "\n<user@example.com>: host mx.example.com[192.0.2.1] said: 550\n    5.1.1 <user@example.com>: Recipient address rejected: User\n    unknown in virtual") {
		t.Errorf("rewrap: %v\n%s", ok, out)
	}
}

// TestPerturb_structureTransforms checks dsn-only, no-original, flat,
// reboundary and reorder-headers on the sample: each changes what it says
// and keeps every other byte.
func TestPerturb_structureTransforms(t *testing.T) {
	in := []byte(perturbSample)
	rcpts := []string{"user@example.com"}
	text := "\n--B1\nContent-Type: text/plain; charset=us-ascii\n\n<user@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)\n"
	orig := "\n--B1\nContent-Type: message/rfc822\n\nFrom: sender@example.net\nTo: user@example.com\nSubject: hi\n\nhello"
	for _, c := range []struct {
		name string
		fn   func([]byte, []string) ([]byte, map[string]string, bool)
		want string
	}{
		{"dsn-only", dsnOnly, strings.Replace(perturbSample, text, "", 1)},
		{"no-original", noOriginal, strings.Replace(perturbSample, orig, "", 1)},
		{"reboundary", reboundary, strings.ReplaceAll(perturbSample, `"B1"`, `"B5"`)},
	} {
		want := c.want
		if c.name == "reboundary" {
			want = strings.ReplaceAll(want, "--B1", "--B5")
		}
		out, _, ok := c.fn(in, rcpts)
		if !ok || string(out) != want {
			t.Errorf("%s: ok %v, got\n%q\nwant\n%q", c.name, ok, out, want)
		}
	}

	out, _, ok := flat(in, rcpts)
	root := parseMessage(out)
	if !ok || root.ctype != "text/plain" || len(root.kids) != 0 {
		t.Fatalf("flat: ok %v, type %q\n%s", ok, root.ctype, out)
	}
	body := string(out[root.body:])
	if !strings.HasPrefix(body, "<user@example.com>: host mx.example.com[192.0.2.1] said: 550") ||
		!strings.Contains(body, "\nFinal-Recipient: rfc822; user@example.com\nAction: failed\nStatus: 5.1.1\n") ||
		strings.Contains(body, "Subject: hi") || !strings.HasPrefix(string(out), "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: sender@example.net\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"us-ascii\"\n\n") {
		t.Errorf("flat:\n%s", out)
	}

	out, _, ok = reorderHeaders(in, rcpts)
	if !ok || !strings.HasPrefix(string(out), "Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"B1\"\nMIME-Version: 1.0\nTo: sender@example.net\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n\n") ||
		!strings.HasSuffix(string(out), perturbSample[strings.Index(perturbSample, "\n\nThis is a MIME"):]) {
		t.Errorf("reorder-headers:\n%s", out)
	}

	// not a feedback report
	arf := strings.Replace(perturbSample, "report-type=delivery-status", "report-type=feedback-report", 1)
	if _, _, ok := noOriginal([]byte(arf), rcpts); ok {
		t.Errorf("no-original applied to a feedback report")
	}
}
