package bounce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// reportSnapshot is everything a caller can read of a report: its
// exported fields and its original's header fields.
func reportSnapshot(t *testing.T, rep *Report) string {
	t.Helper()
	b, err := json.Marshal(struct {
		Report *Report
		Fields []HeaderField
		Subj   []string
	}{rep, rep.Original.Fields(), rep.Original.Header("subject")})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDecodeBytes_detached checks that a report shares no bytes with the
// message DecodeBytes read (the decoders parse it without copies): the
// caller's buffer overwritten after DecodeBytes returns leaves the report
// as it was, for every message of the corpus (and the zoo's).
func TestDecodeBytes_detached(t *testing.T) {
	files := detachFiles(t)
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := DecodeBytes(bytes.Clone(raw), nil)
		buf := bytes.Clone(raw)
		rep, _ := DecodeBytes(buf, nil)
		before := reportSnapshot(t, rep)
		for i := range buf {
			buf[i] = 'X'
		}
		if after := reportSnapshot(t, rep); after != before {
			t.Errorf("%s: the report changed with the buffer DecodeBytes read:\nbefore %s\nafter  %s", p, before, after)
		}
		if got := reportSnapshot(t, want); got != before {
			t.Errorf("%s: two decodes differ:\n%s\n%s", p, got, before)
		}
		// Decode keeps the bytes it read: the same report.
		if rep2, _ := Decode(bytes.NewReader(raw), nil); reportSnapshot(t, rep2) != before {
			t.Errorf("%s: Decode and DecodeBytes differ", p)
		}
	}
	t.Logf("%d messages", len(files))
}

// TestDecode_reportsOutliveReuse checks that a report shares no memory
// with what Decode reuses for the next message (its message, root part,
// slab of header fields and buffer of LF lines, decoders.decodeState):
// every report of the corpus, each message as written and with CRLF line
// breaks, is the same after all the others were decoded, and the
// caller's buffer is never written.
func TestDecode_reportsOutliveReuse(t *testing.T) {
	files := detachFiles(t)
	type kept struct {
		name string
		rep  *Report
		snap string
	}
	var all []kept
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		crlf := bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
		for _, in := range [][]byte{raw, crlf} {
			orig := bytes.Clone(in)
			rep, err := DecodeBytes(in, nil)
			if err != nil {
				continue
			}
			if !bytes.Equal(in, orig) {
				t.Fatalf("%s: DecodeBytes wrote into its input", p)
			}
			all = append(all, kept{p, rep, reportSnapshot(t, rep)})
		}
	}
	for _, k := range all {
		if got := reportSnapshot(t, k.rep); got != k.snap {
			t.Errorf("%s: the report changed as other messages were decoded:\nbefore %s\nafter  %s", k.name, k.snap, got)
		}
	}
	t.Logf("%d reports", len(all))
}

// TestDecode_parallel decodes the corpus in several goroutines at once,
// each taking and putting back Decode's reused memory (decodeState):
// every report is the one a lone Decode makes (make test runs it with
// the race detector).
func TestDecode_parallel(t *testing.T) {
	var raws [][]byte
	for _, p := range detachFiles(t) {
		if raw, err := os.ReadFile(p); err == nil {
			raws = append(raws, raw)
		}
	}
	want := make([]string, len(raws))
	for i, raw := range raws {
		if rep, err := DecodeBytes(raw, nil); err == nil {
			want[i] = reportSnapshot(t, rep)
		}
	}
	const workers = 4
	errs := make(chan string, workers)
	for w := 0; w < workers; w++ {
		go func(w int) {
			bad := ""
			for i := range raws {
				k := (i + w*len(raws)/workers) % len(raws)
				rep, err := DecodeBytes(raws[k], nil)
				got := ""
				if err == nil {
					b, _ := json.Marshal(struct {
						Report *Report
						Fields []HeaderField
						Subj   []string
					}{rep, rep.Original.Fields(), rep.Original.Header("subject")})
					got = string(b)
				}
				if got != want[k] && bad == "" {
					bad = fmt.Sprintf("message %d: %s, want %s", k, got, want[k])
				}
			}
			errs <- bad
		}(w)
	}
	for w := 0; w < workers; w++ {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// detachFiles lists the messages of the shared corpus and of testdata
// (not their labels), skipping the test when there are none.
func detachFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{filepath.Join("..", "..", "shared", "corpus", "sisimai"), filepath.Join("testdata")} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && filepath.Ext(p) != ".json" && filepath.Base(p) != "LICENSE" {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Skip("no corpus")
	}
	return files
}
