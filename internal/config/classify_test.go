package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/classify"
)

func TestLoad_classifyRulesFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tsv")
	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(good, []byte("text\t380\tmailbox_full\tkasten voll\t-\tops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("# ops\n\ntext\t380\tmailbox_fool\tkasten voll\t-\tops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(writeFile(t, "classify:\n  rules_file: "+good+"\n"), nil)
	if err != nil || c.Classify.RulesFile != good {
		t.Fatalf("Load(good rules) = %+v, %v, want classify.rules_file %s", c, err, good)
	}
	_, err = Load(writeFile(t, "classify:\n  rules_file: "+bad+"\n"), nil)
	if err == nil || !errors.Is(err, classify.ErrRules) || !strings.Contains(err.Error(), "bad.tsv:3: unknown reason") {
		t.Errorf("Load(bad rules) error = %v, want classify.ErrRules at bad.tsv:3", err)
	}
	_, err = Load("", []string{"BOUNCED_CLASSIFY_RULES_FILE=" + filepath.Join(dir, "missing.tsv")})
	if err == nil || !strings.Contains(err.Error(), "classify.rules_file") {
		t.Errorf("Load(missing rules file from env) error = %v, want a classify.rules_file error", err)
	}
}
