package testutil

import (
	"bytes"
	"testing"
)

func TestHostileSet(t *testing.T) {
	set := HostileSet(100, nil)
	if len(set) != 100 {
		t.Fatalf("HostileSet(100) made %d messages", len(set))
	}
	kinds := map[string]int{}
	total := 0
	for _, m := range set {
		kinds[m.Kind]++
		total += len(m.Raw)
	}
	for _, k := range HostileKinds() {
		if kinds[k.Name] == 0 {
			t.Errorf("kind %s missing from 100 messages", k.Name)
		}
		if k.Huge && kinds[k.Name] > 1 {
			t.Errorf("huge kind %s made %d times in 100, want at most 1", k.Name, kinds[k.Name])
		}
	}
	if again := HostileSet(100, nil); !bytes.Equal(again[37].Raw, set[37].Raw) {
		t.Error("HostileSet is not deterministic")
	}
	only := HostileSet(10, func(k string) bool { return k == "cr-only" })
	for _, m := range only {
		if m.Kind != "cr-only" || bytes.Contains(m.Raw, []byte("\n")) {
			t.Errorf("filtered set has %s with LF=%v", m.Kind, bytes.Contains(m.Raw, []byte("\n")))
		}
	}
	t.Logf("100 hostile messages, %d kinds, %.1f MiB", len(kinds), float64(total)/(1<<20))
}
