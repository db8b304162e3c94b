package testutil

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSCluster is a NATS cluster with JetStream, nats-server processes on
// loopback routed to each other, started for one test.
//
// It runs the nats-server binary (the Debian package, 2.9 or later), not
// servers embedded in the test process: killing a node must be a crash
// of its own process, with its routes and client connections cut by the
// kernel, and the binary is what CI and production run. JetStream
// clustering (RAFT, replicated streams) is complete in 2.9.
type NATSCluster struct {
	// Nodes are the servers, named n1, n2, ...
	Nodes []*NATSNode
	// URL lists every node's client URL, comma-separated, as a client of
	// the whole cluster is given it.
	URL string
}

// NATSNode is one server of a NATSCluster. Kill, Stop and Start stop and
// restart it on the same ports and store directory.
type NATSNode struct {
	// Name is the server name (n1, n2, ...), as JetStream reports leaders.
	Name string
	// URL is the client URL, nats://127.0.0.1:<port>.
	URL string
	// Addr is the client host:port; ClusterAddr that of the routes;
	// MonitorAddr that of the HTTP monitoring endpoints.
	Addr, ClusterAddr, MonitorAddr string
	// Dir is the node's JetStream store directory; its log is nats.log
	// there.
	Dir string

	t    testing.TB
	bin  string
	args []string

	mu   sync.Mutex
	proc process
}

// StartNATSCluster starts n nats-server nodes with JetStream (-js), each
// routed to all the others (--cluster, --routes, --cluster_name), on free
// loopback ports, and waits until every node's /healthz says JetStream is
// current, that is, the cluster has a JetStream meta leader. The nodes are
// stopped when the test ends. The test is skipped (failed under CI) when
// nats-server is not installed.
func StartNATSCluster(t testing.TB, n int) *NATSCluster {
	t.Helper()
	bin := RequireBinary(t, "nats-server", "nats-server")
	c := &NATSCluster{}
	var routes, urls []string
	for i := range n {
		port, cport, mport := FreePort(t), FreePort(t), FreePort(t)
		dir := t.TempDir()
		node := &NATSNode{
			Name:        "n" + strconv.Itoa(i+1),
			Addr:        net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
			ClusterAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(cport)),
			MonitorAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(mport)),
			Dir:         dir,
			t:           t,
			bin:         bin,
			proc:        process{name: "nats-server n" + strconv.Itoa(i+1), logFile: filepath.Join(dir, "nats.log"), logMax: 3000, grace: 5 * time.Second},
		}
		node.URL = "nats://" + node.Addr
		c.Nodes = append(c.Nodes, node)
		routes = append(routes, "nats://"+node.ClusterAddr)
		urls = append(urls, node.URL)
	}
	c.URL = strings.Join(urls, ",")
	for _, node := range c.Nodes {
		node.args = []string{
			"-js", "-sd", node.Dir, "-n", node.Name,
			"-a", "127.0.0.1", "-p", portOf(node.Addr), "-m", portOf(node.MonitorAddr),
			"--cluster_name", "bounced-test", "--cluster", "nats://" + node.ClusterAddr,
			"--routes", strings.Join(routes, ","),
			"-l", node.proc.logFile,
		}
		node.Start()
		t.Cleanup(node.Stop)
	}
	c.WaitHealthy(t, 60*time.Second)
	return c
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// Start starts the node again after Stop or Kill, on the same ports and
// store directory. Calling Start on a running node does nothing.
func (n *NATSNode) Start() {
	n.t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	n.proc.start(n.t, exec.Command(n.bin, n.args...), n.Addr, n.ClusterAddr)
}

// Stop stops the node (SIGTERM, then SIGKILL after 5 seconds) and waits
// for it to exit. Calling Stop on a stopped node does nothing.
func (n *NATSNode) Stop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.proc.stop()
}

// Kill kills the node with SIGKILL, as a crash would, and waits for it to
// exit.
func (n *NATSNode) Kill() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.proc.sigkill()
}

// Running reports whether the node runs.
func (n *NATSNode) Running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.proc.running()
}

// healthy reports whether the node's /healthz answers 200: the server
// runs and its JetStream is current with the cluster (meta leader known,
// its streams caught up).
func (n *NATSNode) healthy() bool {
	cl := http.Client{Timeout: 2 * time.Second}
	resp, err := cl.Get("http://" + n.MonitorAddr + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Node returns the node named name, or nil.
func (c *NATSCluster) Node(name string) *NATSNode {
	for _, n := range c.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// WaitHealthy waits until every running node's /healthz says ok, failing
// the test after timeout.
func (c *NATSCluster) WaitHealthy(t testing.TB, timeout time.Duration) {
	t.Helper()
	WaitFor(t, timeout, "every running nats node healthy", func() bool {
		for _, n := range c.Nodes {
			if n.Running() && !n.healthy() {
				return false
			}
		}
		return true
	})
}

// StreamInfo returns the stream's info as a running node gives it.
func (c *NATSCluster) StreamInfo(stream string) (*jetstream.StreamInfo, error) {
	var urls []string
	for _, n := range c.Nodes {
		if n.Running() {
			urls = append(urls, n.URL)
		}
	}
	nc, err := nats.Connect(strings.Join(urls, ","), nats.Timeout(2*time.Second))
	if err != nil {
		return nil, fmt.Errorf("testutil: connect to the nats cluster: %w", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("testutil: jetstream: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, stream)
	if err != nil {
		return nil, fmt.Errorf("testutil: stream %s: %w", stream, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("testutil: stream %s info: %w", stream, err)
	}
	return info, nil
}

// StreamLeader returns the running node that leads the stream, or nil
// when the stream has no leader now (or cannot be asked).
func (c *NATSCluster) StreamLeader(stream string) *NATSNode {
	info, err := c.StreamInfo(stream)
	if err != nil || info.Cluster == nil || info.Cluster.Leader == "" {
		return nil
	}
	if n := c.Node(info.Cluster.Leader); n != nil && n.Running() {
		return n
	}
	return nil
}

// WaitStreamLeader waits until a running node other than old leads the
// stream, and returns it; it fails the test after timeout. old may be nil.
func (c *NATSCluster) WaitStreamLeader(t testing.TB, stream string, old *NATSNode, timeout time.Duration) *NATSNode {
	t.Helper()
	var leader *NATSNode
	WaitFor(t, timeout, "a new leader of stream "+stream, func() bool {
		leader = c.StreamLeader(stream)
		return leader != nil && leader != old
	})
	return leader
}
