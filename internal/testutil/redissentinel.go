package testutil

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RedisSentinelDownAfter is the down-after-milliseconds of the Sentinels
// StartRedisSentinel starts: how long the master may be unreachable
// before they fail it over.
const RedisSentinelDownAfter = 2 * time.Second

// RedisSentinel is a Redis master with one replica, watched by three
// Sentinels as MasterName, all on loopback, started for one test.
type RedisSentinel struct {
	// MasterName is the name the Sentinels monitor the master under.
	MasterName string
	// Master and Replica are the data nodes as started; after a failover
	// Replica is the master (see MasterAddr).
	Master, Replica *RedisServer
	// Sentinels are the three Sentinel processes.
	Sentinels []*RedisServer
}

// StartRedisSentinel starts a redis-server master without persistence, a
// replica of it (--replicaof), and three Sentinels (redis-server
// --sentinel) monitoring the master with a quorum of two, and waits until
// the replica is in sync and every Sentinel knows the replica and the two
// other Sentinels. Everything is stopped when the test ends.
func StartRedisSentinel(t testing.TB) *RedisSentinel {
	t.Helper()
	rs := &RedisSentinel{MasterName: "bounced-test"}
	rs.Master = StartRedisWith(t, RedisOptions{})
	host, port, _ := net.SplitHostPort(rs.Master.Addr)
	rs.Replica = StartRedisWith(t, RedisOptions{Args: []string{"--replicaof", host, port}})
	for range 3 {
		rs.Sentinels = append(rs.Sentinels, startSentinel(t, rs.MasterName, host, port))
	}
	WaitFor(t, 30*time.Second, "the sentinels to see the replica and each other, with the replica in sync", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		v, err := do(ctx, rs.Master.Addr, "info", "replication")
		if err != nil || !replicasInSync(v.(string)) {
			return false
		}
		for _, s := range rs.Sentinels {
			replicas, err1 := do(ctx, s.Addr, "sentinel", "replicas", rs.MasterName)
			others, err2 := do(ctx, s.Addr, "sentinel", "sentinels", rs.MasterName)
			r, _ := replicas.([]any)
			o, _ := others.([]any)
			if err1 != nil || err2 != nil || len(r) != 1 || len(o) != 2 {
				return false
			}
		}
		return true
	})
	return rs
}

// startSentinel starts one Sentinel monitoring name at host:port.
func startSentinel(t testing.TB, name, host, port string) *RedisServer {
	t.Helper()
	bin := RequireBinary(t, "redis-server", "redis-server")
	dir := t.TempDir()
	p := FreePort(t)
	// Sentinel rewrites its configuration file, so it is a file of its own.
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf(`port %d
bind 127.0.0.1
dir %s
logfile %s
sentinel monitor %s %s %s 2
sentinel down-after-milliseconds %s %d
sentinel failover-timeout %s 10000
sentinel parallel-syncs %s 1
`, p, dir, filepath.Join(dir, "redis.log"), name, host, port, name, RedisSentinelDownAfter.Milliseconds(), name, name)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &RedisServer{
		Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(p)),
		Dir:  dir,
		t:    t,
		bin:  bin,
		args: []string{conf, "--sentinel"},
		proc: process{name: "redis-sentinel", logFile: filepath.Join(dir, "redis.log"), logMax: 2000, grace: 5 * time.Second},
	}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// SentinelAddrs returns the Sentinels' addresses.
func (rs *RedisSentinel) SentinelAddrs() []string {
	var out []string
	for _, s := range rs.Sentinels {
		out = append(out, s.Addr)
	}
	return out
}

// MasterAddr returns the master's address as the running Sentinel s
// reports it (SENTINEL GET-MASTER-ADDR-BY-NAME).
func (rs *RedisSentinel) MasterAddr(s *RedisServer) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	v, err := do(ctx, s.Addr, "sentinel", "get-master-addr-by-name", rs.MasterName)
	if err != nil {
		return "", fmt.Errorf("testutil: sentinel %s: %w", s.Addr, err)
	}
	hp, _ := v.([]any)
	if len(hp) != 2 {
		return "", fmt.Errorf("testutil: sentinel %s: master address %v", s.Addr, v)
	}
	return net.JoinHostPort(fmt.Sprint(hp[0]), fmt.Sprint(hp[1])), nil
}

// WaitInSync waits until the master's replica is online at the master's
// replication offset (INFO replication), failing the test after timeout.
func (rs *RedisSentinel) WaitInSync(t testing.TB, timeout time.Duration) {
	t.Helper()
	WaitFor(t, timeout, "the replica in sync with the master", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		v, err := do(ctx, rs.Master.Addr, "info", "replication")
		text, _ := v.(string)
		return err == nil && replicasInSync(text)
	})
}

// Kill kills the data node s with SIGKILL and waits until it has exited.
func (rs *RedisSentinel) Kill(s *RedisServer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.proc.sigkill()
}

// WaitFailover waits until every Sentinel names the replica as master and
// the replica says role:master, failing the test after timeout.
func (rs *RedisSentinel) WaitFailover(t testing.TB, timeout time.Duration) {
	t.Helper()
	WaitFor(t, timeout, "the sentinels to promote the replica", func() bool {
		for _, s := range rs.Sentinels {
			addr, err := rs.MasterAddr(s)
			if err != nil || addr != rs.Replica.Addr {
				return false
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		v, err := do(ctx, rs.Replica.Addr, "info", "replication")
		text, _ := v.(string)
		return err == nil && strings.Contains(text, "role:master")
	})
}
