package app

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/nats-io/nats.go"

	"github.com/bounced-dev/bounced/publisher"
)

// BenchmarkEndToEnd measures the daemon through real servers: bounces are
// appended to Dovecot, the bounced binary (a child process, so its memory
// can be read) decodes them, suppresses in Redis and publishes to
// nats-server. It reports
//   - drain throughput: N bounces already waiting, handled per second;
//   - latency from APPEND to the JetStream event for bounces arriving at
//     a steady pace while the daemon waits in IDLE (p50, p99);
//   - the daemon's peak resident memory.
//
// BENCH_E2E_N sets N (default 2000), BENCH_E2E_PACED the number of paced
// bounces (default 300) and BENCH_E2E_RATE their rate per second (default
// 100); the daemon runs with its default settings unless BENCH_E2E_BATCH,
// BENCH_E2E_MOVE_BATCH, BENCH_E2E_CONCURRENCY or BENCH_E2E_AFTER set
// batch_size, move_batch_size, concurrency or after (move or flag). Run it
// with `make bench-e2e`.
func BenchmarkEndToEnd(b *testing.B) {
	n := envInt("BENCH_E2E_N", 2000)
	paced := envInt("BENCH_E2E_PACED", 300)
	rate := envInt("BENCH_E2E_RATE", 100)
	for i := 0; i < b.N; i++ {
		benchOnce(b, n, paced, rate)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func benchOnce(b *testing.B, n, paced, rate int) {
	b.StopTimer()
	s := newStack(b)
	bin := buildBinary(b)
	// Phase 1: N bounces waiting before the daemon starts.
	// The first message goes through IMAP (it creates the Maildir), the
	// rest are delivered as files into its new/ folder, as a local
	// delivery agent would: IMAP APPEND is too slow to queue 100,000.
	appendParallel(b, s, "drain", 0, 1, 1, nil)
	deliverMaildir(b, s, "drain", 1, n)
	events := subscribe(b, s)
	cmd := startBinary(b, s, bin)
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	var peakRSS int64
	stopRSS := make(chan struct{})
	go func() {
		for {
			if v := rssKiB(cmd.Process.Pid); v > peakRSS {
				peakRSS = v
			}
			select {
			case <-stopRSS:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	b.StartTimer()
	start := time.Now()
	var first, last time.Time
	for got := 0; got < n; {
		select {
		case ev := <-events:
			if ev.typ == publisher.TypeBounce {
				if got == 0 {
					first = ev.at
				}
				got++
				last = ev.at
			}
		case <-time.After(120 * time.Second):
			b.Fatalf("only %d of %d bounce events after 120s", got, n)
		}
	}
	b.StopTimer()
	total := last.Sub(start)
	b.ReportMetric(float64(n)/total.Seconds(), "bounces/s")
	b.ReportMetric(float64(n)/last.Sub(first).Seconds(), "bounces/s-steady")

	// Phase 2: paced arrivals while the daemon is in IDLE.
	time.Sleep(500 * time.Millisecond)
	appended := make(map[string]time.Time, paced)
	var mu sync.Mutex
	go appendParallel(b, s, "paced", 0, paced, 1, func(rcpt string, at time.Time) {
		mu.Lock()
		appended[rcpt] = at
		mu.Unlock()
	}, time.Second/time.Duration(rate))
	var lat []time.Duration
	for len(lat) < paced {
		select {
		case ev := <-events:
			if ev.typ != publisher.TypeBounce || !strings.Contains(ev.rcpt, "-paced@") {
				continue
			}
			mu.Lock()
			at, ok := appended[ev.rcpt]
			mu.Unlock()
			if !ok {
				at = ev.at // appended but not yet recorded: the append returned after the event
			}
			lat = append(lat, ev.at.Sub(at))
		case <-time.After(60 * time.Second):
			b.Fatalf("only %d of %d paced events after 60s", len(lat), paced)
		}
	}
	close(stopRSS)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(peakRSS)/1024, "peak-RSS-MiB")
	fmt.Fprintf(os.Stderr, "e2e: %d bounces drained in %v (%.0f/s), paced %d at %d/s: p50 %v p99 %v, peak RSS %.1f MiB\n",
		n, total.Round(time.Millisecond), float64(n)/total.Seconds(), paced, rate, lat[len(lat)/2], lat[len(lat)*99/100], float64(peakRSS)/1024)
}

type evInfo struct {
	typ  publisher.EventType
	rcpt string
	at   time.Time
}

func subscribe(b *testing.B, s *stack) <-chan evInfo {
	nc, err := nats.Connect(s.nats.URL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	out := make(chan evInfo, 1<<16)
	// A core subscription sees every event as soon as JetStream stores it.
	// Only bounce events are measured: the benchmark shares the machine
	// with the daemon, and reading the suppression events too would take
	// CPU from what it measures.
	_, err = nc.Subscribe(s.cfg.NATS.SubjectPrefix+".bounce.>", func(m *nats.Msg) {
		var ev publisher.Event
		json.Unmarshal(m.Data, &ev)
		out <- evInfo{typ: ev.Type, rcpt: ev.Recipient, at: time.Now()}
	})
	if err != nil {
		b.Fatal(err)
	}
	nc.Flush()
	return out
}

// appendParallel appends bounces [from,to) over conns connections, each
// pacing its appends by the optional interval.
func appendParallel(b *testing.B, s *stack, tag string, from, to, conns int, done func(string, time.Time), every ...time.Duration) {
	var wg sync.WaitGroup
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			cl, err := imapclient.DialInsecure(s.dovecot.IMAPAddr, nil)
			if err != nil {
				b.Error(err)
				return
			}
			defer cl.Close()
			if err := cl.Login(s.dovecot.User, s.dovecot.Password).Wait(); err != nil {
				b.Error(err)
				return
			}
			for i := from + c; i < to; i += conns {
				raw, rcpt := genBounce(tag, i)
				raw = []byte(strings.ReplaceAll(string(raw), "\n", "\r\n"))
				cmd := cl.Append("INBOX", int64(len(raw)), nil)
				cmd.Write(raw)
				cmd.Close()
				if _, err := cmd.Wait(); err != nil {
					b.Error(err)
					return
				}
				if done != nil {
					done(rcpt, time.Now())
				}
				if len(every) > 0 {
					time.Sleep(every[0])
				}
			}
		}(c)
	}
	wg.Wait()
}

// deliverMaildir writes bounces [from,to) into the INBOX Maildir of the
// Dovecot account (mail_location maildir:<Dir>/mail/%u).
func deliverMaildir(b testing.TB, s *stack, tag string, from, to int) {
	dir := filepath.Join(s.dovecot.Dir, "mail", s.dovecot.User)
	st, err := os.Stat(dir)
	if err != nil {
		b.Fatalf("maildir: %v", err)
	}
	uid, gid := int(st.Sys().(*syscall.Stat_t).Uid), int(st.Sys().(*syscall.Stat_t).Gid)
	for i := from; i < to; i++ {
		raw, _ := genBounce(tag, i)
		name := fmt.Sprintf("%d.M%dP%d.bench", time.Now().Unix(), i, os.Getpid())
		tmp := filepath.Join(dir, "tmp", name)
		if err := os.WriteFile(tmp, raw, 0o644); err != nil {
			b.Fatal(err)
		}
		os.Chown(tmp, uid, gid)
		if err := os.Rename(tmp, filepath.Join(dir, "new", name)); err != nil {
			b.Fatal(err)
		}
	}
}

func startBinary(b *testing.B, s *stack, bin string) *exec.Cmd {
	// The daemon's defaults unless BENCH_E2E_BATCH, BENCH_E2E_MOVE_BATCH or
	// BENCH_E2E_CONCURRENCY say otherwise.
	var extra []string
	for env, key := range map[string]string{"BENCH_E2E_BATCH": "batch_size", "BENCH_E2E_MOVE_BATCH": "move_batch_size", "BENCH_E2E_CONCURRENCY": "concurrency"} {
		if v := envInt(env, 0); v > 0 {
			extra = append(extra, fmt.Sprintf("%s: %d", key, v))
		}
	}
	if after := os.Getenv("BENCH_E2E_AFTER"); after != "" {
		extra = append(extra, "after: "+after)
	}
	// The benchmark floods one mailbox with distinct hard bounces on
	// purpose: no cap on new suppressions per minute.
	extra = append(extra, "max_new_suppressions_per_minute: -1")
	cfgPath, env := s.binaryConfig(b, "warn", extra...)
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	cmd.Env = env
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return cmd
}

// rssKiB reads a process's resident set size from /proc.
func rssKiB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return 0
}
