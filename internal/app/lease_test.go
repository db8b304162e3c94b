package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

// leaseBox is one of the two mailboxes of the lease tests: an IMAP folder
// of the Dovecot account and the folders its messages are moved to.
type leaseBox struct {
	name, folder, processed, ignored, quarantine string
}

var leaseBoxes = []leaseBox{
	{"a", "INBOX", "Processed", "Ignored", "Quarantine"},
	{"b", "Second", "Processed2", "Ignored2", "Quarantine2"},
}

// leaseConfig writes the configuration of one process of the lease
// tests: the two mailboxes, HTTP on httpAddr, logs at level, the mailbox settings of
// extra (YAML lines under each mailbox).
func leaseConfig(t testing.TB, s *stack, httpAddr, level string, extra ...string) (string, []string) {
	t.Helper()
	m := s.cfg.Mailboxes[0]
	var b strings.Builder
	fmt.Fprintf(&b, "log: {level: %s}\nhttp: {listen: %q}\nredis: {url: \"redis://%s/0\"}\nnats: {url: \"%s\"}\n", level, httpAddr, s.redis.Addr, s.nats.URL)
	b.WriteString("mailboxes:\n")
	for _, lb := range leaseBoxes {
		fmt.Fprintf(&b, "  - name: %s\n    addr: %q\n    tls: implicit\n    tls_ca_file: %q\n    username: %q\n    password: env:TEST_IMAP_PASSWORD\n", lb.name, m.Addr, m.TLSCAFile, m.Username)
		fmt.Fprintf(&b, "    mailbox: %s\n    processed_folder: %s\n    ignored_folder: %s\n    quarantine_folder: %s\n", lb.folder, lb.processed, lb.ignored, lb.quarantine)
		b.WriteString("    max_new_suppressions_per_minute: -1\n")
		for _, e := range extra {
			fmt.Fprintf(&b, "    %s\n", e)
		}
	}
	path := filepath.Join(t.TempDir(), "bounced.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, append(os.Environ(), "TEST_IMAP_PASSWORD="+m.Password.Value())
}

// deliverFolder writes bounces [from,to) tagged tag into the Maildir of
// folder ("INBOX" or a Maildir++ subfolder, which must exist).
func deliverFolder(t testing.TB, s *stack, folder, tag string, from, to int) {
	t.Helper()
	dir := filepath.Join(s.dovecot.Dir, "mail", s.dovecot.User)
	if folder != "INBOX" {
		dir = filepath.Join(dir, "."+folder)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("maildir: %v", err)
	}
	uid, gid := int(st.Sys().(*syscall.Stat_t).Uid), int(st.Sys().(*syscall.Stat_t).Gid)
	for i := from; i < to; i++ {
		raw, _ := genBounce(tag, i)
		name := fmt.Sprintf("%d.M%dP%d.%s", time.Now().Unix(), i, os.Getpid(), tag)
		tmp := filepath.Join(dir, "tmp", name)
		if err := os.WriteFile(tmp, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chown(tmp, uid, gid)
		if err := os.Rename(tmp, filepath.Join(dir, "new", name)); err != nil {
			t.Fatal(err)
		}
	}
}

// proc is one bounced process of the lease tests.
type proc struct {
	id   int
	cfg  string
	env  []string
	http string
	log  string
	cmd  *exec.Cmd
	done chan struct{}
}

func (p *proc) start(t testing.TB, bin string) {
	t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, "run", "--config", p.cfg)
	p.cmd.Env = p.env
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		cmd.Wait()
		f.Close()
		close(done)
	}(p.cmd, p.done)
}

func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// health reads the process's /readyz; ok is false when it does not answer.
func (p *proc) health() (st httpapi.Status, ok bool) {
	code, body := httpGet("http://" + p.http + "/readyz")
	if code == 0 || json.Unmarshal([]byte(body), &st) != nil {
		return st, false
	}
	return st, true
}

// processed is what the process's worker of mailbox name moved so far.
func processedOf(st httpapi.Status, name string) int64 {
	return st.Components["mailbox:"+name].Processed
}

func holds(st httpapi.Status, name string) bool {
	return st.Leases != nil && slices.Contains(st.Leases.Held, name)
}

// TestLease_failoverLosesNothing runs three bounced processes (the real
// binary) on two mailboxes of Dovecot, with Redis and nats-server, and
// kills the lease holder with SIGKILL three times while bounces wait.
// Each mailbox must be worked by one process at a time; every address
// must be suppressed once, every event be in the stream once, every
// message in its folder; and each failover (from the kill to the first
// message moved by the new holder) must take less than 10 s.
//
// 3,000 bounces by default; LEASE_E2E_N=20000 (make chaos) for the full
// run of issue 8.
func TestLease_failoverLosesNothing(t *testing.T) {
	s := newStack(t)
	bin := buildBinary(t)
	n := envInt("LEASE_E2E_N", 3000)
	// Slow enough per mailbox that the backlog outlasts three failovers.
	extra := []string{"batch_size: 10", "move_batch_size: 10", "concurrency: 2", "poll_interval: 300ms"}
	if n > 5000 {
		extra = []string{"batch_size: 50", "move_batch_size: 50", "concurrency: 4", "poll_interval: 300ms"}
	}
	var rcpts []string
	for _, lb := range leaseBoxes {
		raw, rcpt := genBounce(lb.name, 0)
		s.dovecot.Append(t, lb.folder, raw) // creates the folder's Maildir
		rcpts = append(rcpts, rcpt)
		deliverFolder(t, s, lb.folder, lb.name, 1, n/2)
		for i := 1; i < n/2; i++ {
			_, rcpt := genBounce(lb.name, i)
			rcpts = append(rcpts, rcpt)
		}
	}
	total := len(rcpts)

	dir := t.TempDir()
	procs := make([]*proc, 3)
	for i := range procs {
		addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t))
		cfg, env := leaseConfig(t, s, addr, "info", extra...)
		procs[i] = &proc{id: i, cfg: cfg, env: env, http: addr, log: filepath.Join(dir, fmt.Sprintf("bounced-%d.log", i))}
	}
	t.Cleanup(func() {
		for _, p := range procs {
			if p.cmd != nil && p.alive() {
				p.cmd.Process.Kill()
				<-p.done
			}
		}
		if t.Failed() {
			for _, p := range procs {
				b, _ := os.ReadFile(p.log)
				t.Logf("process %d log tail:\n%s", p.id, tail(string(b), 3000))
			}
		}
	})
	// The first process takes both leases; the others stand by.
	procs[0].start(t, bin)
	waitFor(t, 30*time.Second, "process 0 holds both leases", func() bool {
		st, ok := procs[0].health()
		return ok && holds(st, "a") && holds(st, "b")
	})
	for _, p := range procs[1:] {
		p.start(t, bin)
	}
	waitFor(t, 30*time.Second, "the standbys ready", func() bool {
		for _, p := range procs[1:] {
			st, ok := p.health()
			if !ok || !st.Ready || st.Leases == nil || len(st.Leases.Standby) != 2 {
				return false
			}
		}
		return true
	})
	waiting := func(lb leaseBox) int { return s.dovecot.Count(t, lb.folder) }

	const kills = 3
	var failovers []time.Duration
	for k := 0; k < kills; k++ {
		// The victim: the process holding the most leases of mailboxes
		// that still have a backlog, once it has moved some of them.
		var victim *proc
		var held []string
		waitFor(t, 60*time.Second, "a holder at work", func() bool {
			victim, held = nil, nil
			for _, p := range procs {
				st, ok := p.health()
				if !ok {
					continue
				}
				var h []string
				for _, lb := range leaseBoxes {
					if holds(st, lb.name) && processedOf(st, lb.name) > 0 && waiting(lb) > 200 {
						h = append(h, lb.name)
					}
				}
				if len(h) > len(held) {
					victim, held = p, h
				}
			}
			return victim != nil
		})
		// What the others moved so far, per mailbox: the new holder's
		// first move after the kill raises it.
		base := map[int]map[string]int64{}
		for _, p := range procs {
			if p == victim {
				continue
			}
			st, _ := p.health()
			base[p.id] = map[string]int64{}
			for _, name := range held {
				base[p.id][name] = processedOf(st, name)
			}
		}
		victim.cmd.Process.Signal(syscall.SIGKILL)
		killed := time.Now()
		<-victim.done
		for _, name := range held {
			var by int
			waitFor(t, 30*time.Second, "a new holder of "+name+" moving a message", func() bool {
				for _, p := range procs {
					if p == victim {
						continue
					}
					if st, ok := p.health(); ok && processedOf(st, name) > base[p.id][name] {
						by = p.id
						return true
					}
				}
				return false
			})
			d := time.Since(killed)
			failovers = append(failovers, d)
			t.Logf("kill %d: process %d (held %v) SIGKILLed; mailbox %s failed over to process %d in %v",
				k+1, victim.id, held, name, by, d.Round(10*time.Millisecond))
			if d >= 10*time.Second {
				t.Errorf("failover of mailbox %s after kill %d took %v, want less than 10s", name, k+1, d)
			}
		}
		victim.start(t, bin) // back as a standby
	}

	waitFor(t, 240*time.Second, "every message moved", func() bool {
		moved := 0
		for _, lb := range leaseBoxes {
			if waiting(lb) != 0 {
				return false
			}
			moved += s.dovecot.Count(t, lb.processed)
		}
		return moved >= total
	})
	for _, p := range procs {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range procs {
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			t.Errorf("process %d still running 20s after SIGTERM", p.id)
		}
	}

	for _, lb := range leaseBoxes {
		for folder, want := range map[string]int{lb.folder: 0, lb.processed: total / 2, lb.ignored: 0, lb.quarantine: 0} {
			if got := s.dovecot.Count(t, folder); got != want {
				t.Errorf("%s holds %d messages, want %d", folder, got, want)
			}
		}
	}
	st := s.store(t)
	ctx := context.Background()
	for _, r := range rcpts {
		rec, err := st.Get(ctx, r)
		if err != nil || !rec.Suppressed || rec.Count != 1 || rec.Reason != "user_unknown" {
			t.Errorf("record of %s = %+v, %v; want suppressed once for user_unknown", r, rec, err)
		}
	}
	counts := map[publisher.EventType]int{}
	ids := map[string]int{}
	for _, ev := range s.events(t) {
		counts[ev.Type]++
		ids[ev.ID]++
	}
	for typ, want := range map[publisher.EventType]int{publisher.TypeBounce: total, publisher.TypeSuppressionAdded: total} {
		if counts[typ] != want {
			t.Errorf("%d %s events in the stream, want exactly %d", counts[typ], typ, want)
		}
	}
	if len(ids) != 2*total {
		t.Errorf("%d distinct events in the stream, want %d", len(ids), 2*total)
	}
	for id, c := range ids {
		if c != 1 {
			t.Errorf("event %s is in the stream %d times", id, c)
		}
	}
	slices.Sort(failovers)
	t.Logf("%d bounces on 2 mailboxes, 3 processes, %d SIGKILLs: failovers %v (max %v)",
		total, kills, failovers, failovers[len(failovers)-1].Round(10*time.Millisecond))
}
