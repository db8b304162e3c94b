package classify

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReasons_matchDocs checks the table of docs/reasons.md, which users
// read, against reason.go: the same reasons, categories and default
// hardness, and every category described.
func TestReasons_matchDocs(t *testing.T) {
	path := filepath.Join("..", "docs", "reasons.md")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reasonRow := regexp.MustCompile(`^\| ([a-z_]+) \| ([a-z_]+) \| (yes|no) \| .+ \| [a-z]+ \|$`)
	categoryRow := regexp.MustCompile(`^\| ([a-z_]+) \| [^|]+ \|$`)
	got := map[Reason]reasonInfo{}
	cats := map[Category]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := reasonRow.FindStringSubmatch(line); m != nil {
			if _, dup := got[Reason(m[1])]; dup {
				t.Errorf("reason %s is listed twice", m[1])
			}
			got[Reason(m[1])] = reasonInfo{Category(m[2]), m[3] == "yes"}
		} else if m := categoryRow.FindStringSubmatch(line); m != nil {
			cats[Category(m[1])] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for r, want := range reasons {
		g, ok := got[r]
		if !ok {
			t.Errorf("reason %s is missing from %s", r, path)
			continue
		}
		if g != want {
			t.Errorf("%s says %s = %+v, reason.go says %+v", path, r, g, want)
		}
		if !cats[want.category] {
			t.Errorf("category %s is not described in %s", want.category, path)
		}
	}
	for r := range got {
		if !r.Valid() {
			t.Errorf("%s lists %s, which reason.go does not know", path, r)
		}
	}
}
