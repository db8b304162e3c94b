package bounce

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// BenchmarkDecodeCorpus decodes every regular file under the folder named
// by BOUNCE_CORPUS (default: the labelled Sisimai corpus beside the
// project, ../../shared/corpus/sisimai) per iteration, from memory. It
// reports messages per second and allocations per message; the goal is
// 20,000 msgs/s on one core:
//
//	go test ./bounce -run '^$' -bench DecodeCorpus -cpu 1 -benchmem
func BenchmarkDecodeCorpus(b *testing.B) {
	dir := os.Getenv("BOUNCE_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus", "sisimai")
	}
	var msgs [][]byte
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && filepath.Base(path) != "labels.json" && filepath.Base(path) != "LICENSE" {
			raw, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			msgs = append(msgs, raw)
		}
		return nil
	})
	if err != nil || len(msgs) == 0 {
		b.Skipf("no corpus at %s (set BOUNCE_CORPUS): %v", dir, err)
	}
	var size int64
	for _, m := range msgs {
		size += int64(len(m))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, raw := range msgs {
			// An error (unparseable input) is a result here, not a failure.
			_, _ = DecodeBytes(raw, nil)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(len(msgs))
	b.ReportMetric(n/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/msg")
}
