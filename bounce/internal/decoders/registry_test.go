package decoders

import (
	"github.com/bounced-dev/bounced/bounce/internal/mime"
	"os"
	"path/filepath"
	"testing"
)

// TestRegistry_order pins the order of the registry that its comment
// explains: each pair must appear in this order.
func TestRegistry_order(t *testing.T) {
	pos := map[string]int{}
	for i, d := range registry {
		if _, dup := pos[d.name]; dup {
			t.Errorf("registry lists %q twice", d.name)
		}
		pos[d.name] = i
	}
	tests := []struct{ first, then, why string }{
		{"arf", "rfc3464", "a feedback report is a multipart/report too"},
		{"arf", "amazonses", "providers send complaints and bounces from the same addresses"},
		{"office365", "exchange2007", "Office 365 NDRs are Exchange NDRs"},
		{"office365", "amazonses", "tenants relay Office 365 NDRs through SES"},
		{"amazonworkmail", "amazonses", "WorkMail sends through SES"},
		{"googlegroups", "gmail", "Groups bounces come from Gmail's mailer-daemon"},
		{"googleworkspace", "gmail", "Workspace bounces come from Gmail's mailer-daemon"},
		{"gmail", "postfix", "a provider matched by a header before the MTAs"},
		{"office365", "rfc3464", "a provider matched by a header before the generic DSN"},
		{"sendmail", "v5sendmail", "Sendmail before its DSN-less ancestor"},
		{"qmail", "x2", "qmail before the qmail-derived notices"},
		{"qmail", "x4", "qmail before the qmail-derived notices"},
		{"postfix", "rfc3464", "every MTA before the generic DSN"},
		{"rfc3464", "rfc3834", "a delivery-status part beats auto-reply marks"},
		{"rfc3834", "text", "auto-reply detection before the text fallback"},
		{"text", "verp", "words in the notice before the return path"},
		{"rfc3834", "forwarded", "an auto-reply that attaches what it answers is no forwarded bounce"},
		{"forwarded", "text", "a forwarded bounce is read as itself before its wrapper's words"},
	}
	for _, tc := range tests {
		i, ok1 := pos[tc.first]
		j, ok2 := pos[tc.then]
		if !ok1 || !ok2 {
			t.Errorf("registry lacks %q or %q", tc.first, tc.then)
			continue
		}
		if i >= j {
			t.Errorf("registry has %q at %d, after %q at %d; want it before (%s)", tc.first, i, tc.then, j, tc.why)
		}
	}
	for _, name := range []string{"x5", "rfc3464", "rfc3834", "text", "verp"} {
		if _, ok := pos[name]; !ok {
			t.Errorf("registry lacks the stage %q", name)
		}
	}
	last := registry[len(registry)-1]
	if last.family != familyFallback {
		t.Errorf("last stage = %q (%s), want a fallback", last.name, last.family)
	}
	// Families come in blocks, in the order of the family constants.
	rank := map[string]int{familyComplaint: 0, familyProvider: 1, familyAppliance: 2, familyCarrier: 3,
		familyMTA: 4, familyStandard: 5, familyAutoReply: 6, familyFallback: 7}
	for i := 1; i < len(registry); i++ {
		a, b := registry[i-1], registry[i]
		ra, oka := rank[a.family]
		rb, okb := rank[b.family]
		if !oka || !okb {
			t.Errorf("stage %q or %q has an unknown family %q/%q", a.name, b.name, a.family, b.family)
			continue
		}
		if rb < ra {
			t.Errorf("stage %q (%s) comes after %q (%s)", b.name, b.family, a.name, a.family)
		}
	}
}

// TestRegistry_matchReadsHeadersOnly runs every match function of the
// registry over every testdata message and checks that none reads the
// body: a format that shows only in the body is tested in decode.
func TestRegistry_matchReadsHeadersOnly(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/*.eml")
	if len(files) == 0 {
		t.Fatal("no testdata messages")
	}
	matched := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range registry {
			if d.match == nil {
				continue
			}
			m, err := newMessage(skipEnvelopeLine(mime.NormalizeNewlines(raw)), testOptions(), false)
			if err != nil {
				continue
			}
			if d.match(m) {
				matched[d.name] = true
			}
			if m.bodyRead {
				t.Errorf("%s: match of %q read the body", filepath.Base(f), d.name)
			}
		}
	}
	if len(matched) < 10 {
		t.Errorf("match functions picked only %d formats over testdata: %v", len(matched), matched)
	}
}
