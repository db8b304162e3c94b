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

func TestRun_rulesFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ops.tsv")
	// This operator knows that mx1.example.net answers "user unknown in
	// virtual mailbox table" for a mailbox it has only paused.
	if err := os.WriteFile(good, []byte("text\t10\tsuspended\tuser unknown in virtual mailbox table\t-\tour partner's admin, ticket 7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"testdata/postfix.eml"}, Options{Format: "jsonl", RulesFile: good, Stdout: &out, Stderr: &errb})
	var r record.Record
	if code != 0 || json.Unmarshal(bytes.TrimSpace(out.Bytes()), &r) != nil {
		t.Fatalf("Run = %d, output %q, stderr %q", code, out.String(), errb.String())
	}
	if r.Reason != "suspended" || r.RuleSource != "our partner's admin, ticket 7" || r.Confidence != "high" {
		t.Errorf("record = %s %q %q %q, want the operator's suspended rule with its source", r.Reason, r.Rule, r.Confidence, r.RuleSource)
	}
	if !strings.Contains(out.String(), `"confidence":"high"`) || !strings.Contains(out.String(), `"rule_source":`) {
		t.Errorf("output %q lacks the confidence and rule_source fields", out.String())
	}

	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte("# ops\ntext\t10\tsuspendid\tpaused\t-\tops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	code = Run(context.Background(), []string{"testdata/postfix.eml"}, Options{Format: "jsonl", RulesFile: bad, Stdout: &out, Stderr: &errb})
	if code != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "bad.tsv:2: unknown reason") {
		t.Errorf("Run(bad rules) = %d, output %q, stderr %q, want exit 2 and the line number", code, out.String(), errb.String())
	}
}
