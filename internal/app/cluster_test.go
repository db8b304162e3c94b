package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/publisher"
)

// clusterBounces is how many bounces wait in the mailbox when a cluster
// test starts: enough for the daemon to be at work through both
// failovers, few enough for CI.
const clusterBounces = 2000

// TestCluster_failoversLoseNothing runs the real binary against Dovecot, a
// Redis Cluster of three masters each with a replica, and a three-node
// JetStream cluster holding the stream with three replicas. With the
// bounces being worked, it kills (SIGKILL) the Redis master that holds
// bounced's hash slot and waits for its replica to take over, then kills
// the NATS node that leads the stream. In the end every address must be
// suppressed exactly once, every event be in the stream exactly once (by
// Nats-Msg-Id), every message sit in its folder and the daemon be ready,
// also after the killed nodes have rejoined.
func TestCluster_failoversLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	dovecot := testutil.StartDovecot(t)
	rc := testutil.StartRedisCluster(t)
	nc := testutil.StartNATSCluster(t, 3)
	bin := buildBinary(t)
	s := &stack{dovecot: dovecot}

	// The waiting bounces, and a few messages for the other folders.
	var rcpts []string
	raw, rcpt := genBounce("cluster", 0)
	dovecot.Append(t, "INBOX", raw)
	rcpts = append(rcpts, rcpt)
	const others = 3
	for i := range others {
		dovecot.Append(t, "INBOX", []byte(fmt.Sprintf("From: person%d@example.jp\r\nTo: orders@shop.example\r\nSubject: Out of Office\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-%d@example.jp>\r\n\r\nAway until Monday.\r\n", i, i)))
		dovecot.Append(t, "INBOX", []byte(fmt.Sprintf("garbage line %d without any header\r\n", i)))
	}
	deliverMaildir(t, s, "cluster", 1, clusterBounces)
	for i := 1; i < clusterBounces; i++ {
		_, r := genBounce("cluster", i)
		rcpts = append(rcpts, r)
	}

	httpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(testutil.FreePort(t)))
	cfgPath, env := clusterConfig(t, dovecot, rc, nc, httpAddr)
	logPath := filepath.Join(t.TempDir(), "bounced.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("daemon log tail:\n%s", tail(string(b), 6000))
		}
	}()
	handled := func() int { return countLines(logPath, "msg=recipient") }
	// progress waits until n recipients are handled, failing when the
	// daemon exits first.
	progress := func(n int, what string) {
		t.Helper()
		waitFor(t, 90*time.Second, what, func() bool {
			select {
			case err := <-exited:
				stopped = true
				t.Fatalf("bounced exited: %v", err)
			default:
			}
			return handled() >= n
		})
	}
	started := time.Now()

	// A Redis master dies: the one that holds every key of bounced.
	progress(clusterBounces/5, "a fifth of the bounces handled")
	slot := rc.KeySlot(t, "{bounced}")
	oldMaster := rc.MasterOf(slot)
	if oldMaster == nil {
		t.Fatalf("no master serves slot %d", slot)
	}
	atRedisKill := handled()
	redisKill := time.Now()
	rc.Kill(oldMaster)
	newMaster := rc.WaitFailover(t, slot, oldMaster, 60*time.Second)
	redisFailover := time.Since(redisKill)
	t.Logf("redis: killed master %s of slot %d with %d of %d recipients handled; replica %s took over after %v",
		oldMaster.Addr, slot, atRedisKill, clusterBounces, newMaster.Addr, redisFailover.Round(10*time.Millisecond))

	// The NATS node that leads the stream dies.
	progress(atRedisKill+clusterBounces/4, "the daemon at work again after the redis failover")
	leader := nc.StreamLeader("BOUNCED")
	if leader == nil {
		t.Fatal("the stream has no leader")
	}
	atNATSKill := handled()
	natsKill := time.Now()
	leader.Kill()
	newLeader := nc.WaitStreamLeader(t, "BOUNCED", leader, 60*time.Second)
	natsFailover := time.Since(natsKill)
	t.Logf("nats: killed stream leader %s with %d of %d recipients handled; %s leads after %v",
		leader.Name, atNATSKill, clusterBounces, newLeader.Name, natsFailover.Round(10*time.Millisecond))
	for _, at := range []int{atRedisKill, atNATSKill} {
		if at >= clusterBounces {
			t.Errorf("a kill came after the last bounce was handled (%d of %d): the test proves too little", at, clusterBounces)
		}
	}

	total := clusterBounces + 2*others
	waitFor(t, 120*time.Second, "the mailbox to drain", func() bool {
		return dovecot.Count(t, "INBOX") == 0 &&
			dovecot.Count(t, "Processed")+dovecot.Count(t, "Ignored")+dovecot.Count(t, "Quarantine") >= total
	})
	drained := time.Since(started)
	waitFor(t, 30*time.Second, "/readyz to say ready", func() bool { code, _ := httpGet("http://" + httpAddr + "/readyz"); return code == 200 })
	_, metrics := httpGet("http://" + httpAddr + "/metrics")
	t.Logf("drained %d messages in %v; stalls: redis %v, nats %v; %s",
		total, drained.Round(10*time.Millisecond), stall(logPath, redisKill, natsKill), stall(logPath, natsKill, time.Now()), metricLine(metrics, "bounced_recipients_duplicate_total"))

	logWarnings(t, logPath)

	// The killed nodes come back: the old master as a replica of the new
	// one, the NATS node as a current replica of the stream; the daemon
	// stays ready.
	healStart := time.Now()
	oldMaster.Start()
	leader.Start()
	rc.WaitHealthy(t, 60*time.Second)
	waitFor(t, 60*time.Second, "the old master to replicate the new one", func() bool {
		nodes, err := rc.Nodes(nil)
		if err != nil {
			return false
		}
		ids := map[string]testutil.RedisClusterNode{}
		for _, n := range nodes {
			ids[n.Addr] = n
		}
		old, cur := ids[oldMaster.Addr], ids[newMaster.Addr]
		return !old.Master && old.MasterID == cur.ID && cur.Master && cur.Serves(slot)
	})
	waitFor(t, 60*time.Second, "every replica of the stream current", func() bool {
		info, err := nc.StreamInfo("BOUNCED")
		if err != nil || info.Cluster == nil || info.Cluster.Leader == "" || len(info.Cluster.Replicas) != 2 {
			return false
		}
		for _, r := range info.Cluster.Replicas {
			if !r.Current || r.Offline || r.Lag > 0 {
				return false
			}
		}
		return true
	})
	t.Logf("both killed nodes rejoined within %v", time.Since(healStart).Round(10*time.Millisecond))
	if code, body := httpGet("http://" + httpAddr + "/readyz"); code != 200 {
		t.Errorf("/readyz after the nodes rejoined = %d %s, want 200", code, body)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Errorf("bounced exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("bounced still running 30s after SIGTERM")
	}

	for folder, want := range map[string]int{"INBOX": 0, "Processed": clusterBounces, "Ignored": others, "Quarantine": others} {
		if got := dovecot.Count(t, folder); got != want {
			t.Errorf("%s holds %d messages, want %d", folder, got, want)
		}
	}

	// Every address suppressed once, in the records and in the set.
	ctx := context.Background()
	st := suppress.New(rc.Client(t), "{bounced}", suppress.DefaultPolicy(), nil)
	for _, r := range rcpts {
		rec, err := st.Get(ctx, r)
		if err != nil || !rec.Suppressed || rec.Count != 1 || rec.Reason != "user_unknown" {
			t.Errorf("record of %s = %+v, %v; want suppressed once for user_unknown", r, rec, err)
		}
		if ok, err := st.IsSuppressed(ctx, r, "all"); err != nil || !ok {
			t.Errorf("IsSuppressed(%s) = %v, %v; want true", r, ok, err)
		}
	}
	if n, err := st.Count(ctx); err != nil || n != clusterBounces {
		t.Errorf("Count() = %d, %v; want %d addresses in the suppressed set", n, err, clusterBounces)
	}

	// Every event once in the stream, by Nats-Msg-Id and by event ID.
	info, err := nc.StreamInfo("BOUNCED")
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Replicas != 3 {
		t.Errorf("stream replicas = %d, want 3", info.Config.Replicas)
	}
	evs := clusterEvents(t, nc.URL, "BOUNCED", info.State.Msgs)
	counts := map[publisher.EventType]int{}
	byMsgID := map[string]int{}
	for _, e := range evs {
		counts[e.ev.Type]++
		byMsgID[e.msgID]++
		if e.msgID != e.ev.ID {
			t.Errorf("event %s stored with Nats-Msg-Id %q", e.ev.ID, e.msgID)
		}
	}
	want := map[publisher.EventType]int{publisher.TypeBounce: clusterBounces, publisher.TypeSuppressionAdded: clusterBounces, publisher.TypeUnparseable: others}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%d %s events in the stream, want exactly %d", counts[typ], typ, n)
		}
	}
	if len(evs) != 2*clusterBounces+others {
		t.Errorf("%d events in the stream, want %d", len(evs), 2*clusterBounces+others)
	}
	for id, n := range byMsgID {
		if n != 1 {
			t.Errorf("Nats-Msg-Id %s is in the stream %d times", id, n)
		}
	}
	t.Logf("in: %d messages (%d bounces); out: %d events, %d distinct ids; Processed %d, Ignored %d, Quarantine %d",
		total, clusterBounces, len(evs), len(byMsgID), dovecot.Count(t, "Processed"), dovecot.Count(t, "Ignored"), dovecot.Count(t, "Quarantine"))
}

// clusterConfig writes the binary's configuration for the clusters: every
// Redis node as a seed (redis.addrs), every NATS server in nats.url, the
// stream with three replicas.
func clusterConfig(t *testing.T, d *testutil.Dovecot, rc *testutil.RedisCluster, nc *testutil.NATSCluster, httpAddr string) (string, []string) {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	writeCA(t, d, ca)
	var b strings.Builder
	fmt.Fprintf(&b, "log: {level: info}\nhttp: {listen: %q}\n", httpAddr)
	// wait_replicas: every write waits for the replica of its master, so
	// the killed master cannot take a write its replica never had.
	fmt.Fprintf(&b, "redis: {addrs: [%s], prefix: \"{bounced}\", wait_replicas: 1, wait_timeout: 2s}\n", strings.Join(rc.Addrs(), ", "))
	fmt.Fprintf(&b, "nats: {url: %q, replicas: 3}\n", nc.URL)
	fmt.Fprintf(&b, "mailboxes:\n  - name: shop\n    addr: %q\n    tls: implicit\n    tls_ca_file: %q\n    username: %q\n    password: env:TEST_IMAP_PASSWORD\n", d.IMAPSAddr, ca, d.User)
	// Small batches keep the daemon at work long enough for two failovers.
	b.WriteString("    batch_size: 10\n    move_batch_size: 50\n    concurrency: 4\n    poll_interval: 500ms\n")
	// The cap on new suppressions a minute would hold back most of the
	// 2,000 hard bounces; this test is about failovers, not that cap.
	b.WriteString("    max_new_suppressions_per_minute: -1\n")
	path := filepath.Join(t.TempDir(), "bounced.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, append(os.Environ(), "TEST_IMAP_PASSWORD="+d.Password)
}

// storedEvent is an event read back from the stream with its Nats-Msg-Id.
type storedEvent struct {
	ev    publisher.Event
	msgID string
}

// clusterEvents reads the n messages of the stream one by one
// (STREAM.MSG.GET), a few at a time.
func clusterEvents(t *testing.T, url, stream string, n uint64) []storedEvent {
	t.Helper()
	conn, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	js, err := jetstream.New(conn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]storedEvent, n)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for w := range uint64(8) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := w + 1; seq <= n; seq += 8 {
				m, err := st.GetMsg(ctx, seq)
				if err != nil {
					errs <- fmt.Errorf("get message %d: %w", seq, err)
					return
				}
				var ev publisher.Event
				if err := json.Unmarshal(m.Data, &ev); err != nil {
					errs <- fmt.Errorf("message %d: %w", seq, err)
					return
				}
				out[seq-1] = storedEvent{ev: ev, msgID: m.Header.Get(jetstream.MsgIDHeader)}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return out
}

// httpGet returns the status and body of a GET, or 0 and the error.
func httpGet(url string) (int, string) {
	cl := http.Client{Timeout: 5 * time.Second}
	resp, err := cl.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metricLine returns the line of the metrics text that starts with name.
func metricLine(metrics, name string) string {
	for _, line := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(line, name+" ") {
			return line
		}
	}
	return name + " missing"
}

// stall returns the longest pause in handling recipients that ends
// between from and to, from the times of the daemon's "recipient" log
// lines: how long the daemon stood still during a failover.
func stall(logPath string, from, to time.Time) time.Duration {
	f, err := os.Open(logPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	var prev time.Time
	var longest time.Duration
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, "msg=recipient") {
			continue
		}
		v, ok := strings.CutPrefix(line, "time=")
		if !ok {
			continue
		}
		v, _, _ = strings.Cut(v, " ")
		ts, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			continue
		}
		if !prev.IsZero() && ts.After(from) && !ts.After(to) {
			longest = max(longest, ts.Sub(prev))
		}
		prev = ts
	}
	return longest.Round(10 * time.Millisecond)
}

// logWarnings logs the daemon's distinct warnings and errors (the message
// and error, without times and UIDs), with how often each came.
func logWarnings(t *testing.T, logPath string) {
	t.Helper()
	b, _ := os.ReadFile(logPath)
	seen := map[string]int{}
	var order []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, "level=WARN") && !strings.Contains(line, "level=ERROR") {
			continue
		}
		_, msg, _ := strings.Cut(line, " msg=")
		key := msg
		if i := strings.Index(msg, " component="); i > 0 {
			key = msg[:i]
		}
		if _, e, ok := strings.Cut(msg, " err="); ok {
			key += " err=" + e
		} else if _, e, ok := strings.Cut(msg, " error="); ok {
			key += " error=" + e
		}
		key = uidRE.ReplaceAllString(key, "uid N")
		if seen[key] == 0 {
			order = append(order, key)
		}
		seen[key]++
	}
	for _, k := range order {
		t.Logf("daemon warned %d×: %s", seen[k], tail(k, 400))
	}
}

var uidRE = regexp.MustCompile(`uid[= ]\d+`)
