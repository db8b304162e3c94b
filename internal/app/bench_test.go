package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/nats-io/nats.go"
	"github.com/redis/go-redis/v9"

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
// In the same run a bare IMAP client drains as many waiting bounces from
// the same Dovecot (FETCH bodies and MOVE them in the daemon's batch
// sizes, no decoding), and the daemon's drain throughput is reported as a
// ratio to it (ratio-vs-bare), with the Redis commands it sent per bounce.
// It also prints the CPU time each process of the stack used during both
// drains; BENCH_E2E_APPENDFSYNC=everysec (or no) sets the test Redis's
// fsync policy for the daemon's drain (it is "always" by default).
// BENCH_E2E_PERF=file records a CPU profile of the daemon during the drain
// with perf(1) (perf report -i file).
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
	// Phase 0: the limit. The same number of bounces drained by a bare
	// IMAP client from the same Dovecot: bodies fetched and moved in the
	// daemon's batch sizes, nothing decoded.
	deliverMaildir(b, s, "bare", 1, n) // with the first: n
	cpu0 := stackCPU(s, os.Getpid())
	bare, bareCPU := bareDrain(b, s, n)
	bareCPU = bareCPU.sub(cpu0)
	bareRate := float64(n) / bare.Seconds()
	deliverMaildir(b, s, "drain", 0, n)
	events := subscribe(b, s)
	redisBefore := redisCalls(b, s)
	cmd := startBinary(b, s, bin)
	stopPerf := perfRecord(b, cmd.Process.Pid)
	if v := os.Getenv("BENCH_E2E_APPENDFSYNC"); v != "" {
		// The test Redis fsyncs its append-only file on every write
		// (appendfsync always); this sets another policy for the run.
		rc := redis.NewClient(&redis.Options{Addr: s.redis.Addr})
		if err := rc.ConfigSet(context.Background(), "appendfsync", v).Err(); err != nil {
			b.Fatal(err)
		}
		rc.Close()
	}
	cpu1 := stackCPU(s, cmd.Process.Pid)
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
	drainCPU := stackCPU(s, cmd.Process.Pid).sub(cpu1)
	stopPerf()
	total := last.Sub(start)
	b.ReportMetric(float64(n)/total.Seconds(), "bounces/s")
	b.ReportMetric(float64(n)/last.Sub(first).Seconds(), "bounces/s-steady")
	b.ReportMetric(bareRate, "bare-msgs/s")
	b.ReportMetric(float64(n)/total.Seconds()/bareRate, "ratio-vs-bare")
	calls := redisCalls(b, s)
	var perBounce []string
	for name, c := range calls {
		if d := c - redisBefore[name]; d > 0 && !strings.HasSuffix(name, " usec") {
			perBounce = append(perBounce, fmt.Sprintf("%s %.2f", name, float64(d)/float64(n)))
		}
	}
	sort.Strings(perBounce)
	// The time Redis spent inside the apply script (its commands included),
	// per bounce: what a faster client cannot save.
	perBounce = append(perBounce, fmt.Sprintf("µs inside EVALSHA %.0f", float64(calls["evalsha usec"]-redisBefore["evalsha usec"])/float64(n)))
	fmt.Fprintf(os.Stderr, "e2e: bare IMAP drain of %d in %v (%.0f/s); bounced %.0f/s = %.2fx; Redis calls per bounce during the drain (Lua included): %s\n",
		n, bare.Round(time.Millisecond), bareRate, float64(n)/total.Seconds(), float64(n)/total.Seconds()/bareRate, strings.Join(perBounce, ", "))
	fmt.Fprintf(os.Stderr, "e2e: CPU during the bare drain (%v; bounced = the bare client): %s\n", bare.Round(time.Millisecond), bareCPU)
	fmt.Fprintf(os.Stderr, "e2e: CPU during the bounced drain (%v): %s\n", total.Round(time.Millisecond), drainCPU)
	// On a machine whose cores are all busy (this one: 2 cores, shared),
	// throughput is CPU time per message: the bare drain's over the
	// daemon's stack's is the ratio it can reach there, whatever the load
	// of the moment.
	bareUS, drainUS := bareCPU.perMsg(n), drainCPU.perMsg(n)
	fmt.Fprintf(os.Stderr, "e2e: CPU per message: bare drain %.0f µs (%s), bounced %.0f µs (%s); CPU-bound ceiling of the ratio %.2fx\n",
		bareUS, bareCPU.perMsgString(n), drainUS, drainCPU.perMsgString(n), bareUS/drainUS)
	b.ReportMetric(drainUS, "cpu-µs/bounce")
	b.ReportMetric(bareUS/drainUS, "cpu-ratio-vs-bare")

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
		name := fmt.Sprintf("%d.M%dP%d.bench-%s", time.Now().Unix(), i, os.Getpid(), tag)
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

// bareDrain drains n waiting messages from INBOX as a bare client would:
// UID FETCH BODY.PEEK[] in batches of the daemon's batch size, reading
// every body, and UID MOVE to another folder in batches of its move batch
// size, over implicit TLS as the daemon connects. It returns how long that
// took, from login to the last MOVE, and the CPU time the stack had used
// by then, with the client's (this process's) in bounced: read before the
// logout, while Dovecot's imap process still runs.
func bareDrain(b *testing.B, s *stack, n int) (time.Duration, cpuUse) {
	fetchBatch, moveBatch := envInt("BENCH_E2E_BATCH", 500), envInt("BENCH_E2E_MOVE_BATCH", 2000)
	c, err := imapclient.DialTLS(s.dovecot.IMAPSAddr, &imapclient.Options{TLSConfig: s.dovecot.TLSConfig()})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	if err := c.Login(s.dovecot.User, s.dovecot.Password).Wait(); err != nil {
		b.Fatal(err)
	}
	if err := c.Create("BareDone", nil).Wait(); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		b.Fatal(err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		b.Fatal(err)
	}
	uids := found.AllUIDs()
	if len(uids) < n {
		b.Fatalf("bare drain: %d messages waiting, want %d", len(uids), n)
	}
	var pending []imap.UID
	move := func() {
		if len(pending) == 0 {
			return
		}
		if _, err := c.Move(imap.UIDSetNum(pending...), "BareDone").Wait(); err != nil {
			b.Fatal(err)
		}
		pending = pending[:0]
	}
	section := &imap.FetchItemBodySection{Peek: true}
	for i := 0; i < len(uids); i += fetchBatch {
		batch := uids[i:min(i+fetchBatch, len(uids))]
		cmd := c.Fetch(imap.UIDSetNum(batch...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
		for {
			msg := cmd.Next()
			if msg == nil {
				break
			}
			var uid imap.UID
			for {
				item := msg.Next()
				if item == nil {
					break
				}
				switch it := item.(type) {
				case imapclient.FetchItemDataUID:
					uid = it.UID
				case imapclient.FetchItemDataBodySection:
					io.Copy(io.Discard, it.Literal)
				}
			}
			pending = append(pending, uid)
			if len(pending) >= moveBatch {
				move()
			}
		}
		if err := cmd.Close(); err != nil {
			b.Fatal(err)
		}
	}
	move()
	took := time.Since(start)
	cpu := stackCPU(s, os.Getpid())
	return took, cpu
}

// redisCalls returns Redis's command counts (INFO commandstats), and
// under "<name> usec" the µs spent in each command.
func redisCalls(b *testing.B, s *stack) map[string]int64 {
	rc := redis.NewClient(&redis.Options{Addr: s.redis.Addr})
	defer rc.Close()
	info, err := rc.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]int64{}
	for _, line := range strings.Split(info, "\n") {
		// cmdstat_evalsha:calls=12,usec=...
		name, rest, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "cmdstat_"), ":calls=")
		if !ok {
			continue
		}
		f := strings.Split(rest, ",")
		v, _ := strconv.ParseInt(f[0], 10, 64)
		out[name] = v
		if len(f) > 1 {
			us, _ := strconv.ParseInt(strings.TrimPrefix(f[1], "usec="), 10, 64)
			out[name+" usec"] = us
		}
	}
	return out
}

// perfRecord starts perf(1) on pid when BENCH_E2E_PERF names an output
// file, and returns what stops it.
func perfRecord(b *testing.B, pid int) func() {
	out := os.Getenv("BENCH_E2E_PERF")
	if out == "" {
		return func() {}
	}
	cmd := exec.Command("perf", "record", "-F", "499", "-g", "-o", out, "-p", strconv.Itoa(pid))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Logf("perf: %v", err)
		return func() {}
	}
	return func() {
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
	}
}

// cpuUse is the CPU time (user+system) of each process of the stack.
type cpuUse struct{ bounced, redis, nats, dovecot time.Duration }

func (c cpuUse) sub(o cpuUse) cpuUse {
	return cpuUse{c.bounced - o.bounced, c.redis - o.redis, c.nats - o.nats, c.dovecot - o.dovecot}
}

// perMsg is the CPU time of the whole stack per message, in µs, for n
// messages.
func (c cpuUse) perMsg(n int) float64 {
	return float64((c.bounced + c.redis + c.nats + c.dovecot).Microseconds()) / float64(n)
}

// perMsgString is each process's CPU time per message, in µs, for n.
func (c cpuUse) perMsgString(n int) string {
	us := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(n) }
	return fmt.Sprintf("client or bounced %.0f, redis-server %.0f, nats-server %.0f, dovecot %.0f", us(c.bounced), us(c.redis), us(c.nats), us(c.dovecot))
}

func (c cpuUse) String() string {
	return fmt.Sprintf("bounced %v, redis-server %v, nats-server %v, dovecot %v", c.bounced.Round(time.Millisecond), c.redis.Round(time.Millisecond), c.nats.Round(time.Millisecond), c.dovecot.Round(time.Millisecond))
}

// stackCPU reads the CPU time so far of the daemon (pid, 0 for none; the
// benchmark's own for the bare drain, whose client it is),
// the stack's redis-server and nats-server, and every process of its
// Dovecot's process group, from /proc. Processes that exited are not
// counted.
func stackCPU(s *stack, pid int) cpuUse {
	var c cpuUse
	if pid > 0 {
		c.bounced, _ = procCPU(pid)
	}
	ents, _ := os.ReadDir("/proc")
	master := 0
	type proc struct {
		pid, pgid int
		cpu       time.Duration
	}
	var all []proc
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p))
		line := string(cmdline)
		cpu, pgid := procCPU(p)
		switch {
		case strings.Contains(line, "redis-server") && strings.Contains(line, s.redis.Addr):
			c.redis += cpu
		case strings.Contains(line, "nats-server") && strings.Contains(line, s.nats.Dir):
			c.nats += cpu
		case strings.Contains(line, filepath.Join(s.dovecot.Dir, "dovecot.conf")):
			master = p
		}
		all = append(all, proc{p, pgid, cpu})
	}
	for _, p := range all {
		if master != 0 && p.pgid == master {
			c.dovecot += p.cpu
		}
	}
	return c
}

// procCPU returns a process's user+system CPU time and its process group,
// from /proc/PID/stat (fields 14, 15 and 5, in clock ticks of 1/100 s).
func procCPU(pid int) (time.Duration, int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, 0
	}
	f := strings.Fields(string(b)[i+1:]) // f[0] is field 3
	if len(f) < 13 {
		return 0, 0
	}
	pgid, _ := strconv.Atoi(f[2])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond, pgid
}
