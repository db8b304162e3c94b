package testutil

import (
	"context"
	"log/slog"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/natsembed"
)

// NATSServer is a NATS server with JetStream started for one test: the
// real nats-server binary (StartNATS) or one embedded in the test process
// (StartNATSEmbedded). Stop and Start stop and restart it on the same port
// and store directory, so that tests can simulate an outage; streams
// survive.
type NATSServer struct {
	// URL is the client URL, nats://127.0.0.1:<port>.
	URL string
	// Addr is the host:port the server listens on.
	Addr string
	// Dir is the server's JetStream store directory, a t.TempDir(); the
	// binary also writes its log there, to nats.log.
	Dir string

	t    testing.TB
	port int
	bin  string // "" for an embedded server

	mu       sync.Mutex
	proc     process // the binary's
	embedded *natsembed.Server
}

// StartNATS starts the nats-server binary with JetStream
// (-js -sd <dir> -a 127.0.0.1 -p <port>) on a free loopback port, and
// stops it when the test ends. The test is skipped when nats-server is not
// installed (see RequireBinary).
func StartNATS(t testing.TB) *NATSServer {
	t.Helper()
	bin := RequireBinary(t, "nats-server", "nats-server")
	s := newNATSServer(t)
	s.bin = bin
	s.proc = process{name: "nats-server", logFile: filepath.Join(s.Dir, "nats.log"), logMax: 2000, grace: 5 * time.Second}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// StartNATSEmbedded starts a NATS server with JetStream inside the test
// process (internal/natsembed) on a free loopback port, and stops it when
// the test ends. It needs no binary and starts faster than StartNATS.
func StartNATSEmbedded(t testing.TB) *NATSServer {
	t.Helper()
	s := newNATSServer(t)
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

func newNATSServer(t testing.TB) *NATSServer {
	t.Helper()
	port := FreePort(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	return &NATSServer{URL: "nats://" + addr, Addr: addr, Dir: t.TempDir(), t: t, port: port}
}

// Start starts the server again after Stop, on the same port and store
// directory. It fails the test when the server does not accept
// connections within 10 seconds. Calling Start on a running server does
// nothing.
func (s *NATSServer) Start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc.running() || s.embedded != nil {
		return
	}
	if s.bin == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv, err := natsembed.Start(ctx, natsembed.Options{DataDir: s.Dir, Port: s.port, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			s.t.Fatalf("testutil: start embedded nats server: %v", err)
		}
		s.embedded = srv
		return
	}
	cmd := exec.Command(s.bin, "-js", "-sd", s.Dir, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-l", s.proc.logFile)
	s.proc.start(s.t, cmd, s.Addr)
}

// Stop stops the server (for the binary: SIGTERM, then SIGKILL after 5
// seconds) and waits until it has stopped. Calling Stop on a stopped
// server does nothing.
func (s *NATSServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.embedded != nil {
		s.embedded.Shutdown()
		s.embedded = nil
		return
	}
	s.proc.stop()
}
