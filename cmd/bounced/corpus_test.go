package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir is where the shared corpus and scorer live, beside the repository.
const sharedDir = "../../../shared"

// TestCorpusAccuracy is the accuracy gate of ../shared/corpus: it builds
// bounced, scores `bounced parse` with ../shared/tools/score against the
// labelled corpus and its CRLF and CR twins, and fails below the
// thresholds of issue 2.
func TestCorpusAccuracy(t *testing.T) {
	score := filepath.Join(sharedDir, "tools", "score")
	if _, err := os.Stat(filepath.Join(sharedDir, "corpus", "sisimai", "labels.json")); err != nil {
		t.Skipf("shared corpus not found at %s (it sits beside the repository in CI): %v", sharedDir, err)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed: the scorer is a Python script")
	}
	bin := filepath.Join(t.TempDir(), "bounced")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	thresholds := []string{
		"--min-recipient", "0.99", "--min-reason", "0.95", "--min-category", "0.97",
		"--min-status", "0.97", "--min-hard", "0.98", "--min-clean", "1.0",
	}
	for _, corpus := range []string{"sisimai", "sisimai-crlf", "sisimai-cr"} {
		t.Run(corpus, func(t *testing.T) {
			dir := filepath.Join(sharedDir, "corpus", corpus)
			if _, err := os.Stat(filepath.Join(dir, "labels.json")); err != nil {
				t.Skipf("%s has no labels.json: %v", dir, err)
			}
			args := append([]string{score, dir, "--bin", bin, "--show", "30"}, thresholds...)
			out, err := exec.Command("python3", args...).CombinedOutput()
			t.Logf("score %s:\n%s", corpus, out)
			if err != nil || !strings.Contains(string(out), " 0 failed") {
				t.Errorf("score %s below the thresholds (err %v)", corpus, err)
			}
		})
	}
}
