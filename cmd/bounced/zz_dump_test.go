package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/record"
)

func TestZZDump(t *testing.T) {
	name, in, out := os.Getenv("DUMP_T"), os.Getenv("DUMP_IN"), os.Getenv("DUMP_OUT")
	if name == "" {
		t.Skip()
	}
	for _, tr := range transforms {
		if tr.name != name {
			continue
		}
		fs, _ := filepath.Glob(in)
		for _, f := range fs {
			b, _ := os.ReadFile(f)
			rep, err := bounce.DecodeBytes(b, nil)
			var rcpts []string
			for _, rec := range record.FromReport("", rep, err) {
				rcpts = append(rcpts, strings.ToLower(rec.Recipient))
			}
			nb, _, ok := tr.apply(b, rcpts)
			if ok {
				os.MkdirAll(out, 0o755)
				os.WriteFile(filepath.Join(out, filepath.Base(f)), nb, 0o644)
			}
		}
	}
}
