package pipeline

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/testutil"
)

// BenchmarkHandle measures the handler stage alone, without IMAP: hard
// bounces, each to a new address (one Redis script, two JetStream
// publishes), handled by BENCH_HANDLE_CONCURRENCY goroutines (default 32)
// against redis-server with its append-only file fsynced on every write
// and nats-server with file storage, as the daemon runs. It reports
// messages per second, the handler's p50 and p99 latency, and its CPU time
// per message (this process's, the servers' left out).
func BenchmarkHandle(b *testing.B) {
	conc := 32
	if v, err := strconv.Atoi(os.Getenv("BENCH_HANDLE_CONCURRENCY")); err == nil && v > 0 {
		conc = v
	}
	ctx := context.Background()
	rs := testutil.StartRedisWith(b, testutil.RedisOptions{Persist: true, Args: strings.Fields(os.Getenv("BENCH_REDIS_ARGS"))})
	p := newStackWith(b, rs, &redis.Options{PoolSize: conc + 4}, testutil.StartNATS(b)).pipe
	// Every message is a new hard bounce: the cap on new suppressions a
	// minute (500 by default) would quarantine all but the first 500.
	p.opts.Limits.MaxNewSuppressionsPerMinute = -1
	tmpl, err := os.ReadFile("testdata/hard-bounce.eml")
	if err != nil {
		b.Fatal(err)
	}
	msgs := make([]*mailbox.Message, b.N)
	for i := range msgs {
		raw := strings.ReplaceAll(string(tmpl), "hanako.typo@example.net", fmt.Sprintf("user%d.%d@example.net", i, time.Now().UnixNano()))
		msgs[i] = &mailbox.Message{Worker: "bench", Mailbox: "INBOX", UIDValidity: 1, UID: uint32(i + 1), Raw: []byte(raw)}
	}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	cpu0 := selfCPU()
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(msgs) {
					return
				}
				t0 := time.Now()
				if d, err := p.Handle(ctx, msgs[i]); err != nil || d != mailbox.Processed {
					b.Errorf("Handle = %v, %v", d, err)
					return
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	cpu := selfCPU() - cpu0
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/el.Seconds(), "msgs/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	// The handler's own CPU (this process: the servers are children).
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/msg")
}

// selfCPU is the CPU time (user+system) this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
