package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/cases.golden.jsonl from the classifier's output")

// goldenCase is one line of testdata/cases.jsonl: a name and an Input.
type goldenCase struct {
	Name  string `json:"name"`
	Input Input  `json:"input"`
}

// goldenVerdict is one line of testdata/cases.golden.jsonl.
type goldenVerdict struct {
	Name     string   `json:"name"`
	Reason   Reason   `json:"reason"`
	Category Category `json:"category"`
	Hard     bool     `json:"hard"`
	Rule     string   `json:"rule"`
	// Confidence is the verdict's confidence (issue 7).
	Confidence Confidence `json:"confidence"`
}

// TestClassify_golden runs every input of testdata/cases.jsonl and compares
// the verdicts with testdata/cases.golden.jsonl. After a deliberate change
// of the rules, review the diff of `go test ./classify -run golden -update`.
func TestClassify_golden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(in))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		var c goldenCase
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("cases.jsonl line %q: %v", line, err)
		}
		v := Classify(c.Input)
		b, _ := json.Marshal(goldenVerdict{c.Name, v.Reason, v.Category, v.Hard, v.Rule, v.Confidence})
		out.Write(b)
		out.WriteByte('\n')
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "cases.golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	gotLines := bytes.Split(out.Bytes(), []byte("\n"))
	wantLines := bytes.Split(want, []byte("\n"))
	if len(gotLines) != len(wantLines) {
		t.Errorf("golden has %d lines, classifier gave %d (run go test -update after review)", len(wantLines), len(gotLines))
	}
	for i := 0; i < len(gotLines) && i < len(wantLines); i++ {
		if !bytes.Equal(gotLines[i], wantLines[i]) {
			t.Errorf("case %d:\n got  %s\n want %s", i+1, gotLines[i], wantLines[i])
		}
	}
	if n == 0 {
		t.Fatal("no case in testdata/cases.jsonl")
	}
}
