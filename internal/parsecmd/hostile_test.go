package parsecmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/outcome"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "550 5.1.1 user unknown", "550 5.1.1 user unknown"},
		{"utf-8 kept", "宛先不明 ü", "宛先不明 ü"},
		{"CSI colour", "\x1b[31mred\x1b[0m", "red"},
		{"CSI clear screen and cursor", "a\x1b[2J\x1b[1;1Hb", "ab"},
		{"CSI private mode", "\x1b[?1049hx", "x"},
		{"OSC title BEL", "\x1b]0;owned\x07ok", "ok"},
		{"OSC hyperlink ST", "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"DCS", "\x1bP+q544e\x1b\\after", "after"},
		{"unterminated OSC", "x\x1b]0;rest of line", "x"},
		{"two-char escape", "\x1bcreset\x1b(Bok", "resetok"},
		{"lone ESC at end", "end\x1b", "end"},
		{"C1 CSI", "\u009b31mred", "red"},
		{"C1 OSC", "\u009d0;title\u009cok", "ok"},
		{"C1 control", "a\u0085b\u008ec", "abc"},
		{"C0 controls", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"whitespace to space", "a\tb\r\nc\u2028d", "a b  c d"},
		{"bidi overrides", "evil\u202egnp.exe\u202c \u2066x\u2069\u200f", "evilgnp.exe x"},
		{"invalid utf-8", "a\xffb", "a\ufffdb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := printable(tc.in); got != tc.want {
				t.Errorf("printable(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// hostileText holds the controls a bounce's sender can put in its text.
const hostileText = "\x1b]0;pwned\x07\x1b[2J\x1b[31mrejected\x1b[0m \u009b1mC1\u202eevil\u202c \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\"

// TestTableWriter_stripsControls: no field of the table keeps a control
// character or an escape sequence, whatever the bounce said.
func TestTableWriter_stripsControls(t *testing.T) {
	var out bytes.Buffer
	w := newTableWriter(&out)
	if err := w.write(record.Record{Source: "box\x1b[1m.mbox#1", Verdict: outcome.Verdict{Kind: "bounce", Status: "5.1.1\x07", Reason: "user_unknown",
		Format: "rfc3464", Diagnostic: hostileText}, Recipient: "a\x1b[8m@example.com",
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.write(record.Record{Source: "x", Verdict: outcome.Verdict{Kind: "unparseable"}, Error: "bounce: bad \x1b]52;c;ZXZpbA==\x07clipboard"}); err != nil {
		t.Fatal(err)
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	assertPrintable(t, out.String())
	for _, want := range []string{"rejected", "evil", "link", "a@example.com", "clipboard"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lost the text %q:\n%s", want, out.String())
		}
	}
}

// assertPrintable fails when s holds a control character (other than the
// newlines ending lines), a C1 control or a bidi control.
func assertPrintable(t *testing.T, s string) {
	t.Helper()
	for i, r := range s {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || isBidiControl(r) {
			t.Errorf("output holds control U+%04X at %d: %q", r, i, s)
			return
		}
	}
}

// bounceWith returns the Postfix test bounce with text in its diagnostic.
func bounceWith(t *testing.T, text string) string {
	t.Helper()
	b := read(t, "testdata/postfix.eml")
	out := strings.Replace(b, "rejected: User unknown in virtual mailbox table\n", "rejected: User unknown "+text+"\n", 1)
	if out == b {
		t.Fatal("testdata/postfix.eml changed: no diagnostic line to edit")
	}
	return out
}

// TestRun_tableStripsBounceControls: through `bounced parse`, the table
// and the messages on stderr are printable, and the JSON output keeps the
// text exactly as decoded (escaped, so a terminal does not obey it).
func TestRun_tableStripsBounceControls(t *testing.T) {
	msg := bounceWith(t, hostileText)
	_, table, stderr, code := runParse(t, msg, "table", "-")
	if code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	assertPrintable(t, table)
	assertPrintable(t, stderr)
	if !strings.Contains(table, "hanako.typo@example.net") {
		t.Errorf("table = %q, want the recipient", table)
	}

	recs, jsonl, _, _ := runParse(t, msg, "jsonl", "-")
	if len(recs) != 1 {
		t.Fatalf("records = %+v", recs)
	}
	if strings.ContainsRune(jsonl, 0x1b) || strings.ContainsRune(jsonl, 0x07) {
		t.Errorf("JSONL holds a raw C0 control: %q", jsonl)
	}
	if d := recs[0].Diagnostic; strings.ContainsRune(d, 0x1b) && !strings.Contains(d, "\x1b[31mrejected") {
		t.Errorf("JSON diagnostic = %q: changed, not exact", d)
	}
	// What the decoder kept, JSON carries exactly.
	var again record.Record
	line := strings.TrimSpace(jsonl)
	if err := json.Unmarshal([]byte(line), &again); err != nil || again.Diagnostic != recs[0].Diagnostic {
		t.Errorf("JSON round trip = %q, %v; want %q", again.Diagnostic, err, recs[0].Diagnostic)
	}
}

// TestRun_mboxHugeLineBoundedMemory: an mbox whose second message is one
// 50 MB line, with a 1 MiB size limit: that message is reported too large,
// the third is decoded, and the bytes allocated while parsing stay far
// below the line's size (they bound the peak memory from above). Reading
// the line whole, as before, allocated more than the line.
func TestRun_mboxHugeLineBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50 MB file: skipped with -short")
	}
	const lineSize = 50 << 20
	postfix := read(t, "testdata/postfix.eml")
	path := filepath.Join(t.TempDir(), "huge.mbox")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("From MAILER-DAEMON Mon Nov 23 09:00:00 2026\n" + postfix + "\n")
	w.WriteString("From MAILER-DAEMON Mon Nov 23 09:00:01 2026\nSubject: huge\n\n")
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for range lineSize >> 20 {
		w.Write(chunk)
	}
	w.WriteString("\n\nFrom MAILER-DAEMON Mon Nov 23 09:00:02 2026\n" + postfix + "\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var out, errb bytes.Buffer
	o := Options{Format: "jsonl", Stdout: &out, Stderr: &errb, Workers: 2}
	o.Decode.MaxSize = 1 << 20
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code := Run(context.Background(), []string{path}, o)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %.1f MiB while parsing a %d MiB line (limit %d MiB)", float64(allocated)/(1<<20), lineSize>>20, o.Decode.MaxSize>>20)
	if allocated > 16<<20 {
		t.Errorf("allocated %d bytes parsing the mbox, want under 16 MiB: the long line was kept", allocated)
	}
	if code != 0 {
		t.Errorf("exit = %d, stderr %s", code, errb.String())
	}
	var recs []record.Record
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r record.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad JSONL line %q: %v", line, err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 3 {
		t.Fatalf("records = %+v, want 3", recs)
	}
	if recs[1].Source != path+"#2" || recs[1].Kind != "unparseable" || !strings.Contains(recs[1].Error, "size limit") {
		t.Errorf("huge message = %+v, want unparseable over the size limit", recs[1])
	}
	for _, i := range []int{0, 2} {
		if recs[i].Kind != "bounce" || recs[i].Recipient != "hanako.typo@example.net" {
			t.Errorf("record %d = %+v, want the Postfix bounce", i, recs[i])
		}
	}
}
