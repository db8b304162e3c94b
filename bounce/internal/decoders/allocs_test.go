package decoders

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDecode_allocs bounds the allocations of decoding the bounces of
// ../../testdata, on average a message: decspeed7 took them from 22.1 to
// 18.1 (the matchers' lowered Subject, From and From address written to
// the room for text, lowered lines on the stack, no slices of lines); a
// regression to a copy per line or per look-up shows.
func TestDecode_allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's own allocations count in AllocsPerRun")
	}
	files, _ := filepath.Glob("../../testdata/*.eml")
	if len(files) == 0 {
		t.Fatal("no testdata messages")
	}
	var msgs [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, raw)
	}
	o := testOptions()
	n := testing.AllocsPerRun(10, func() {
		for _, raw := range msgs {
			_, _ = Decode(raw, o)
		}
	}) / float64(len(msgs))
	if n > maxDecodeAllocs {
		t.Errorf("Decode: %.2f allocations a message over %d messages, want at most %v", n, len(msgs), maxDecodeAllocs)
	}
	t.Logf("%.2f allocations a message over %d messages", n, len(msgs))
}

// maxDecodeAllocs is TestDecode_allocs's bound: lower it with the
// allocations, never raise it.
const maxDecodeAllocs = 19
