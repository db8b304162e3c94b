package testutil

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepo_noBinaries fails when git tracks a compiled program (an ELF or
// Mach-O file): binaries are built, never committed (a merge once
// committed bounced-demo).
func TestRepo_noBinaries(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("git ls-files in %s: %v (not a git checkout)", root, err)
	}
	magics := [][]byte{
		{0x7f, 'E', 'L', 'F'},
		{0xcf, 0xfa, 0xed, 0xfe}, {0xfe, 0xed, 0xfa, 0xcf}, // Mach-O 64-bit
	}
	n := 0
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		f, err := os.Open(filepath.Join(root, name))
		if err != nil {
			continue // deleted in the working tree
		}
		head := make([]byte, 4)
		k, _ := f.Read(head)
		f.Close()
		n++
		for _, m := range magics {
			if k >= len(m) && bytes.Equal(head[:len(m)], m) {
				t.Errorf("git tracks %s, a compiled program: remove it (git rm --cached) and ignore it", name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no tracked file could be read")
	}
}
