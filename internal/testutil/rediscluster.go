package testutil

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisClusterNodeTimeout is the cluster-node-timeout of the nodes
// StartRedisCluster starts: how long a master may be unreachable before
// the others mark it failed and its replica takes over. A failover takes
// about this long plus an election of a second or so. It is generous
// because the test machines are loaded, and a shorter timeout makes
// healthy but slow nodes fail over.
const RedisClusterNodeTimeout = 3 * time.Second

// RedisCluster is a Redis Cluster of three masters, each with one
// replica, six redis-server processes on loopback started for one test.
type RedisCluster struct {
	// Servers are the six nodes, in the order they were started; which
	// are masters changes with failovers (see Nodes).
	Servers []*RedisServer

	t testing.TB
}

// RedisClusterNode is one line of CLUSTER NODES.
type RedisClusterNode struct {
	// ID is the node's cluster ID.
	ID string
	// Addr is its host:port (without the cluster bus port).
	Addr string
	// Master is true for a master, false for a replica.
	Master bool
	// MasterID is the ID of a replica's master, "" for a master.
	MasterID string
	// Failed is true when the node is flagged fail (or pfail: suspected).
	Failed bool
	// Connected is true when the node's link is connected.
	Connected bool
	// Slots are the hash slot ranges a master serves, [from, to] inclusive.
	Slots [][2]int
}

// Serves reports whether the node serves the hash slot.
func (n RedisClusterNode) Serves(slot int) bool {
	for _, r := range n.Slots {
		if slot >= r[0] && slot <= r[1] {
			return true
		}
	}
	return false
}

// StartRedisCluster starts six redis-server nodes with cluster mode on,
// on free loopback ports and without persistence, makes them a cluster of
// three masters each with one replica (`redis-cli --cluster create
// --cluster-replicas 1`), and waits until every node says
// cluster_state:ok and every replica is in sync with its master. The
// nodes are stopped when the test ends. The test is skipped (failed under
// CI) when redis-server or redis-cli is not installed.
func StartRedisCluster(t testing.TB) *RedisCluster {
	t.Helper()
	cli := RequireBinary(t, "redis-cli", "redis-tools")
	c := &RedisCluster{t: t}
	args := []string{
		"--cluster-enabled", "yes",
		"--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", strconv.Itoa(int(RedisClusterNodeTimeout / time.Millisecond)),
		// A replica may fail over whatever its last contact with its
		// master: on a loaded machine that contact may look stale.
		"--cluster-replica-validity-factor", "0",
	}
	for range 6 {
		c.Servers = append(c.Servers, StartRedisWith(t, RedisOptions{Args: args}))
	}
	create := []string{"--cluster", "create"}
	for _, s := range c.Servers {
		create = append(create, s.Addr)
	}
	create = append(create, "--cluster-replicas", "1", "--cluster-yes")
	if out, err := exec.Command(cli, create...).CombinedOutput(); err != nil {
		t.Fatalf("testutil: redis-cli --cluster create: %v\n%s", err, out)
	}
	c.WaitHealthy(t, 30*time.Second)
	return c
}

// Addrs returns the addresses of every node, as seeds for a cluster client.
func (c *RedisCluster) Addrs() []string {
	var out []string
	for _, s := range c.Servers {
		out = append(out, s.Addr)
	}
	return out
}

// Client returns a cluster client of all the nodes, closed when the test
// ends.
func (c *RedisCluster) Client(t testing.TB) *redis.ClusterClient {
	t.Helper()
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs()})
	t.Cleanup(func() { cc.Close() })
	return cc
}

// live returns the servers that run.
func (c *RedisCluster) live() []*RedisServer {
	var out []*RedisServer
	for _, s := range c.Servers {
		s.mu.Lock()
		if s.proc.running() {
			out = append(out, s)
		}
		s.mu.Unlock()
	}
	return out
}

// server returns the server at addr, or nil.
func (c *RedisCluster) server(addr string) *RedisServer {
	for _, s := range c.Servers {
		if s.Addr == addr {
			return s
		}
	}
	return nil
}

// do runs one command on the node at addr.
func do(ctx context.Context, addr string, args ...any) (any, error) {
	rc := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: time.Second, ReadTimeout: 2 * time.Second, MaxRetries: -1})
	defer rc.Close()
	return rc.Do(ctx, args...).Result()
}

// Nodes returns the cluster as the running node s (or the first running
// node, when s is nil) sees it in CLUSTER NODES.
func (c *RedisCluster) Nodes(s *RedisServer) ([]RedisClusterNode, error) {
	if s == nil {
		live := c.live()
		if len(live) == 0 {
			return nil, fmt.Errorf("testutil: no redis cluster node runs")
		}
		s = live[0]
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	v, err := do(ctx, s.Addr, "cluster", "nodes")
	if err != nil {
		return nil, fmt.Errorf("testutil: cluster nodes on %s: %w", s.Addr, err)
	}
	text, _ := v.(string)
	return parseClusterNodes(text), nil
}

// parseClusterNodes reads the text of CLUSTER NODES: one node a line,
// "<id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent>
// <pong-recv> <config-epoch> <link-state> <slot> <slot> ..."
// (https://redis.io/docs/latest/commands/cluster-nodes/).
func parseClusterNodes(text string) []RedisClusterNode {
	var out []RedisClusterNode
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		addr, _, _ := strings.Cut(f[1], "@")
		n := RedisClusterNode{ID: f[0], Addr: addr, Connected: f[7] == "connected"}
		for _, flag := range strings.Split(f[2], ",") {
			switch flag {
			case "master":
				n.Master = true
			case "fail", "fail?":
				n.Failed = true
			}
		}
		if f[3] != "-" {
			n.MasterID = f[3]
		}
		for _, sl := range f[8:] {
			if strings.HasPrefix(sl, "[") { // a slot being migrated
				continue
			}
			lo, hi, ok := strings.Cut(sl, "-")
			if !ok {
				hi = lo
			}
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			if err1 == nil && err2 == nil {
				n.Slots = append(n.Slots, [2]int{a, b})
			}
		}
		out = append(out, n)
	}
	return out
}

// KeySlot returns the hash slot of key (CLUSTER KEYSLOT).
func (c *RedisCluster) KeySlot(t testing.TB, key string) int {
	t.Helper()
	live := c.live()
	if len(live) == 0 {
		t.Fatal("testutil: no redis cluster node runs")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	v, err := do(ctx, live[0].Addr, "cluster", "keyslot", key)
	if err != nil {
		t.Fatalf("testutil: cluster keyslot: %v", err)
	}
	n, _ := v.(int64)
	return int(n)
}

// MasterOf returns the running server that is the master of the hash
// slot, as the first running node sees it, or nil when none is.
func (c *RedisCluster) MasterOf(slot int) *RedisServer {
	nodes, err := c.Nodes(nil)
	if err != nil {
		return nil
	}
	for _, n := range nodes {
		if n.Master && !n.Failed && n.Serves(slot) {
			if s := c.server(n.Addr); s != nil {
				s.mu.Lock()
				running := s.proc.running()
				s.mu.Unlock()
				if running {
					return s
				}
			}
		}
	}
	return nil
}

// Kill kills the node s with SIGKILL, as a crash would, and waits until
// it has exited. It is not restarted.
func (c *RedisCluster) Kill(s *RedisServer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.proc.sigkill()
}

// WaitFailover waits until a running node other than old serves slot as
// master in the view of every running node, and every running node says
// cluster_state:ok; it returns the new master. It fails the test when
// that has not happened within timeout.
func (c *RedisCluster) WaitFailover(t testing.TB, slot int, old *RedisServer, timeout time.Duration) *RedisServer {
	t.Helper()
	var master *RedisServer
	WaitFor(t, timeout, fmt.Sprintf("a replica to take over slot %d from %s", slot, old.Addr), func() bool {
		master = nil
		for _, s := range c.live() {
			nodes, err := c.Nodes(s)
			if err != nil {
				return false
			}
			var m *RedisServer
			for _, n := range nodes {
				if n.Master && !n.Failed && n.Serves(slot) && n.Addr != old.Addr {
					m = c.server(n.Addr)
				}
			}
			if m == nil || (master != nil && m != master) {
				return false
			}
			master = m
		}
		return master != nil && c.stateOK()
	})
	return master
}

// stateOK reports whether every running node says cluster_state:ok.
func (c *RedisCluster) stateOK() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for _, s := range c.live() {
		v, err := do(ctx, s.Addr, "cluster", "info")
		if err != nil {
			return false
		}
		if text, _ := v.(string); !strings.Contains(text, "cluster_state:ok") {
			return false
		}
	}
	return true
}

// WaitHealthy waits until every running node says cluster_state:ok, every
// slot is served, and every master's replicas are online and in sync
// (INFO replication: slave0 with state=online and the master's offset).
func (c *RedisCluster) WaitHealthy(t testing.TB, timeout time.Duration) {
	t.Helper()
	WaitFor(t, timeout, "the redis cluster to be ok with replicas in sync", func() bool {
		if !c.stateOK() {
			return false
		}
		nodes, err := c.Nodes(nil)
		if err != nil {
			return false
		}
		slots := 0
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		for _, n := range nodes {
			if !n.Master || n.Failed {
				continue
			}
			for _, r := range n.Slots {
				slots += r[1] - r[0] + 1
			}
			v, err := do(ctx, n.Addr, "info", "replication")
			if err != nil {
				return false
			}
			if !replicasInSync(v.(string)) {
				return false
			}
		}
		return slots == 16384
	})
}

// replicasInSync reads a master's INFO replication and reports whether it
// has a replica and every one is online at the master's offset.
func replicasInSync(info string) bool {
	var offset string
	var replicas []string
	for _, line := range strings.Split(info, "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "master_repl_offset:"); ok {
			offset = v
		}
		if strings.HasPrefix(line, "slave") && strings.Contains(line, ":ip=") {
			replicas = append(replicas, line)
		}
	}
	if len(replicas) == 0 {
		return false
	}
	for _, r := range replicas {
		if !strings.Contains(r, "state=online") || !strings.Contains(r, "offset="+offset+",") {
			return false
		}
	}
	return true
}

// sigkill kills the process with SIGKILL and waits until it has exited.
// It does nothing when the process is not running.
func (p *process) sigkill() {
	if !p.running() {
		return
	}
	p.kill(p.cmd)
	<-p.done
	p.cmd, p.done = nil, nil
}
