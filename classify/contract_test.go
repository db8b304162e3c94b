package classify

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReasons_matchContract checks the reason table of reason.go against
// the table of ../shared/CONTRACT.md: same reasons, same categories, same
// default hardness.
func TestReasons_matchContract(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "CONTRACT.md")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("contract not found at %s (%v): the reason table is not checked", path, err)
	}
	defer f.Close()
	row := regexp.MustCompile(`^\|\s*([a-z_]+)\s*\|\s*([a-z_]+)\s*\|\s*([a-z]+)\s*\|\s*(yes|no)\s*\|$`)
	want := map[Reason]reasonInfo{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := row.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		want[Reason(m[1])] = reasonInfo{Category(m[2]), m[4] == "yes"}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatalf("no reason row found in %s", path)
	}
	for r, w := range want {
		got, ok := reasons[r]
		if !ok {
			t.Errorf("reason %s of the contract is missing from reason.go", r)
			continue
		}
		if got != w {
			t.Errorf("reason %s = %+v, contract says %+v", r, got, w)
		}
		if r.Category() != w.category || r.Hard() != w.hard {
			t.Errorf("reason %s: Category() = %s, Hard() = %v; contract says %s, %v", r, r.Category(), r.Hard(), w.category, w.hard)
		}
	}
	for r := range reasons {
		if _, ok := want[r]; !ok {
			t.Errorf("reason %s of reason.go is not in the contract", r)
		}
	}
}
