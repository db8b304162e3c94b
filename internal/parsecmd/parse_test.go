package parsecmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/internal/record"
)

func runParse(t *testing.T, stdin string, format string, paths ...string) ([]record.Record, string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), paths, Options{Format: format, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Workers: 2})
	var recs []record.Record
	if format == "jsonl" {
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if line == "" {
				continue
			}
			var r record.Record
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("bad JSONL line %q: %v", line, err)
			}
			recs = append(recs, r)
		}
	}
	return recs, out.String(), errb.String(), code
}

func read(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRun_inputs(t *testing.T) {
	dir := t.TempDir()
	postfix, vacation := read(t, "testdata/postfix.eml"), read(t, "testdata/vacation.eml")
	// A Maildir with cur/ and new/, plus index files to skip.
	for _, d := range []string{"Maildir/cur", "Maildir/new", "Maildir/tmp"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	os.WriteFile(filepath.Join(dir, "Maildir/cur/1.host:2,S"), []byte(postfix), 0o644)
	os.WriteFile(filepath.Join(dir, "Maildir/new/2.host"), []byte(vacation), 0o644)
	os.WriteFile(filepath.Join(dir, "Maildir/dovecot-uidlist"), []byte("3 V1 N3\n"), 0o644)
	// An mbox of two messages, with a quoted >From line, and one of one.
	mbox := "From MAILER-DAEMON Mon Nov 23 09:00:00 2026\n" + postfix + "\n>From the desk of\n\nFrom x@y Mon Nov 23 09:00:01 2026\n" + vacation + "\n"
	os.WriteFile(filepath.Join(dir, "two.mbox"), []byte(mbox), 0o644)
	os.WriteFile(filepath.Join(dir, "one.eml"), []byte("From MAILER-DAEMON Mon Nov 23 09:00:00 2026\n"+postfix), 0o644)
	// CRLF and CR line endings.
	os.WriteFile(filepath.Join(dir, "crlf.eml"), []byte(strings.ReplaceAll(postfix, "\n", "\r\n")), 0o644)
	os.WriteFile(filepath.Join(dir, "cr.eml"), []byte(strings.ReplaceAll(postfix, "\n", "\r")), 0o644)

	tests := []struct {
		name    string
		paths   []string
		stdin   string
		sources []string
		kinds   []string
	}{
		{"maildir", []string{filepath.Join(dir, "Maildir")}, "",
			[]string{filepath.Join(dir, "Maildir/cur/1.host:2,S"), filepath.Join(dir, "Maildir/new/2.host")}, []string{"bounce", "auto_reply"}},
		{"mbox", []string{filepath.Join(dir, "two.mbox")}, "",
			[]string{filepath.Join(dir, "two.mbox") + "#1", filepath.Join(dir, "two.mbox") + "#2"}, []string{"bounce", "auto_reply"}},
		{"mbox of one keeps its path", []string{filepath.Join(dir, "one.eml")}, "", []string{filepath.Join(dir, "one.eml")}, []string{"bounce"}},
		{"crlf", []string{filepath.Join(dir, "crlf.eml")}, "", []string{filepath.Join(dir, "crlf.eml")}, []string{"bounce"}},
		{"cr", []string{filepath.Join(dir, "cr.eml")}, "", []string{filepath.Join(dir, "cr.eml")}, []string{"bounce"}},
		{"stdin", []string{"-"}, postfix, []string{"-"}, []string{"bounce"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, _, stderr, code := runParse(t, tc.stdin, "jsonl", tc.paths...)
			if code != 0 {
				t.Fatalf("exit = %d, stderr %s", code, stderr)
			}
			if len(recs) != len(tc.sources) {
				t.Fatalf("records = %+v, want sources %v", recs, tc.sources)
			}
			for i, r := range recs {
				if r.Source != tc.sources[i] || r.Kind != tc.kinds[i] {
					t.Errorf("record %d = %s %s, want %s %s", i, r.Source, r.Kind, tc.sources[i], tc.kinds[i])
				}
				if r.Kind == "bounce" && (r.Recipient != "hanako.typo@example.net" || r.Reason != "user_unknown" || !r.Hard || r.Status != "5.1.1") {
					t.Errorf("bounce record = %+v", r)
				}
			}
		})
	}
}

func TestRun_unreadableInputGoesOn(t *testing.T) {
	recs, _, stderr, code := runParse(t, "", "jsonl", "does/not/exist.eml", "testdata/postfix.eml")
	if code != 1 {
		t.Errorf("exit = %d, want 1 for an unreadable input", code)
	}
	if !strings.Contains(stderr, "does/not/exist.eml") {
		t.Errorf("stderr = %q, want the failing path", stderr)
	}
	if len(recs) != 1 || recs[0].Recipient != "hanako.typo@example.net" {
		t.Errorf("records = %+v, want the readable file's", recs)
	}
}

func TestRun_notEmailIsUnparseableRecord(t *testing.T) {
	recs, _, stderr, code := runParse(t, "\x00\x01 binary junk", "jsonl", "-")
	if code != 0 || len(recs) != 1 || recs[0].Kind != "unparseable" || recs[0].Recipient != "" || stderr == "" {
		t.Errorf("Run = %d %+v stderr %q, want one unparseable record, exit 0 and a message", code, recs, stderr)
	}
}

func TestRun_formats(t *testing.T) {
	_, out, _, code := runParse(t, "", "json", "testdata/postfix.eml", "testdata/vacation.eml")
	var arr []record.Record
	if code != 0 || json.Unmarshal([]byte(out), &arr) != nil || len(arr) != 2 {
		t.Errorf("json output = %q (exit %d), want an array of 2", out, code)
	}
	_, out, _, code = runParse(t, "", "table", "testdata/postfix.eml")
	if code != 0 || !strings.Contains(out, "RECIPIENT") || !strings.Contains(out, "hanako.typo@example.net") || !strings.Contains(out, "user_unknown") {
		t.Errorf("table output = %q", out)
	}
	if _, _, _, code = runParse(t, "", "xml", "testdata/postfix.eml"); code != 2 {
		t.Errorf("unknown format exit = %d, want 2", code)
	}
}

func TestRun_sizeLimit(t *testing.T) {
	var errb bytes.Buffer
	big := read(t, "testdata/postfix.eml") + strings.Repeat("x", 5000)
	var small bytes.Buffer
	o := Options{Format: "jsonl", Stdin: strings.NewReader(big), Stdout: &small, Stderr: &errb}
	o.Decode.MaxSize = 1000
	Run(context.Background(), []string{"-"}, o)
	var r record.Record
	json.Unmarshal(small.Bytes(), &r)
	if r.Kind != "unparseable" || !strings.Contains(r.Error, "size limit") {
		t.Errorf("over-limit record = %+v, want unparseable with a size error", r)
	}
}
