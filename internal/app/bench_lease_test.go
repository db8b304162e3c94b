package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

// BenchmarkEndToEndTwoProcesses measures two bounced processes (the real
// binary, default settings) sharing two mailboxes under leases: N bounces
// (BENCH_E2E_N, default 2000) wait, half in each mailbox; both processes
// start together, and the combined drain throughput is reported with how
// the leases were shared (1 when each process worked one mailbox, 0 when
// one process took both). Run it with `make bench-e2e`, which also runs
// BenchmarkEndToEnd (one process, one mailbox); BENCH_E2E_LOG=info logs
// the leases taken.
func BenchmarkEndToEndTwoProcesses(b *testing.B) {
	n := envInt("BENCH_E2E_N", 2000)
	for i := 0; i < b.N; i++ {
		benchTwoProcesses(b, n)
	}
}

func benchTwoProcesses(b *testing.B, n int) {
	b.StopTimer()
	s := newStack(b)
	bin := buildBinary(b)
	for _, lb := range leaseBoxes {
		raw, _ := genBounce(lb.name, 0)
		s.dovecot.Append(b, lb.folder, raw) // creates the folder's Maildir
		deliverFolder(b, s, lb.folder, lb.name, 1, n/2)
	}
	total := 2 * (n / 2)
	events := subscribe(b, s)
	dir := b.TempDir()
	procs := make([]*proc, 2)
	level := os.Getenv("BENCH_E2E_LOG") // info shows the leases taken
	if level == "" {
		level = "warn"
	}
	for i := range procs {
		addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(b))
		cfg, env := leaseConfig(b, s, addr, level)
		procs[i] = &proc{id: i, cfg: cfg, env: env, http: addr, log: filepath.Join(dir, fmt.Sprintf("bounced-%d.log", i))}
	}
	defer func() {
		for _, p := range procs {
			p.cmd.Process.Signal(syscall.SIGTERM)
			<-p.done
		}
	}()
	b.StartTimer()
	start := time.Now()
	for _, p := range procs {
		p.start(b, bin)
	}
	var last time.Time
	for got := 0; got < total; {
		select {
		case ev := <-events:
			if ev.typ == publisher.TypeBounce {
				got++
				last = ev.at
			}
		case <-time.After(120 * time.Second):
			b.Fatalf("only %d of %d bounce events after 120s", got, total)
		}
	}
	b.StopTimer()
	// Who worked what: the leases each process holds.
	var shares []string
	split := 1.0
	for _, p := range procs {
		st, ok := p.health()
		if !ok {
			b.Fatalf("process %d does not answer /readyz", p.id)
		}
		var mine []string
		if st.Leases != nil {
			mine = st.Leases.Held
		}
		if len(mine) != 1 {
			split = 0
		}
		shares = append(shares, fmt.Sprintf("process %d [%s]", p.id, strings.Join(mine, " ")))
	}
	if split == 0 {
		// Say why: the lease lines of both logs (BENCH_E2E_LOG=info).
		for _, p := range procs {
			b, _ := os.ReadFile(p.log)
			for _, line := range strings.Split(string(b), "\n") {
				if strings.Contains(line, "lease") || strings.Contains(line, "running") {
					fmt.Fprintf(os.Stderr, "process %d: %s\n", p.id, line)
				}
			}
		}
	}
	d := last.Sub(start)
	b.ReportMetric(float64(total)/d.Seconds(), "bounces/s")
	b.ReportMetric(split, "shared")
	fmt.Fprintf(os.Stderr, "e2e two processes: %d bounces on 2 mailboxes drained in %v (%.0f/s combined, from the start of both processes); %s\n",
		total, d.Round(time.Millisecond), float64(total)/d.Seconds(), strings.Join(shares, ", "))
}
