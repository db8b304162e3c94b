package bounce

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	gomessage "github.com/emersion/go-message"
)

// benchCorpus reads every regular file under the folder named by
// BOUNCE_CORPUS (default: the labelled Sisimai corpus beside the project,
// ../../shared/corpus/sisimai) into memory; it skips b without a corpus.
func benchCorpus(b *testing.B) (msgs [][]byte, size int64) {
	b.Helper()
	dir := os.Getenv("BOUNCE_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus", "sisimai")
	}
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
			size += int64(len(raw))
		}
		return nil
	})
	if err != nil || len(msgs) == 0 {
		b.Skipf("no corpus at %s (set BOUNCE_CORPUS): %v", dir, err)
	}
	return msgs, size
}

// BenchmarkDecodeCorpus decodes every message of the corpus (benchCorpus)
// per iteration, from memory. It reports messages per second and
// allocations per message:
//
//	go test ./bounce -run '^$' -bench DecodeCorpus -cpu 1 -benchmem
func BenchmarkDecodeCorpus(b *testing.B) {
	msgs, size := benchCorpus(b)
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

// walkMessage is the floor DecodeVsWalk measures against: go-message
// reads the message and walks every MIME part, reading every body (its
// transfer encoding removed) to the end, and decides nothing.
func walkMessage(raw []byte) {
	e, err := gomessage.Read(bytes.NewReader(raw))
	if e == nil {
		_ = err // not a message at all
		return
	}
	_ = e.Walk(func(_ []int, p *gomessage.Entity, err error) error {
		if err != nil || p == nil {
			return nil
		}
		if p.MultipartReader() == nil {
			_, _ = io.Copy(io.Discard, p.Body)
		}
		return nil
	})
}

// BenchmarkDecodeVsWalk measures, in one run and over the same in-memory
// corpus, a bare go-message walk of every MIME part (walkMessage) and
// DecodeBytes. Each message is walked and then decoded, timed apart, so
// that both see the same load of a shared machine; a round is one pass
// over the corpus. It reports the best round of each in messages per
// second, and "ratio", decode speed over walk speed (the median of the
// rounds' ratios; above 1 the decoder is faster than walking the
// message):
//
//	GOMAXPROCS=1 go test ./bounce -run '^$' -bench DecodeVsWalk -cpu 1 -benchtime 20x
func BenchmarkDecodeVsWalk(b *testing.B) {
	msgs, _ := benchCorpus(b)
	var bestWalk, bestDecode time.Duration
	var ratios []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var walk, decode time.Duration
		for _, raw := range msgs {
			t0 := time.Now()
			walkMessage(raw)
			t1 := time.Now()
			_, _ = DecodeBytes(raw, nil)
			t2 := time.Now()
			walk += t1.Sub(t0)
			decode += t2.Sub(t1)
		}
		if bestWalk == 0 || walk < bestWalk {
			bestWalk = walk
		}
		if bestDecode == 0 || decode < bestDecode {
			bestDecode = decode
		}
		ratios = append(ratios, walk.Seconds()/decode.Seconds())
	}
	sort.Float64s(ratios)
	n := float64(len(msgs))
	b.ReportMetric(n/bestWalk.Seconds(), "walk-msgs/s")
	b.ReportMetric(n/bestDecode.Seconds(), "decode-msgs/s")
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
}
