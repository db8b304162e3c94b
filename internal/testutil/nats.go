package testutil

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
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

	t       testing.TB
	port    int
	bin     string // "" for an embedded server
	logFile string

	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
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
	s.logFile = filepath.Join(s.Dir, "nats.log")
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
	if s.cmd != nil || s.embedded != nil {
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
	var out bytes.Buffer
	cmd := exec.Command(s.bin, "-js", "-sd", s.Dir, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-l", s.logFile)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("testutil: start nats-server: %v", err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-done:
			s.t.Fatalf("testutil: nats-server exited at start: %s\n%s", out.String(), s.logTail())
		default:
		}
		if err := WaitTCP(s.Addr, 100*time.Millisecond); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			s.t.Fatalf("testutil: nats-server not listening on %s after 10s\n%s", s.Addr, s.logTail())
		}
	}
	s.cmd, s.done = cmd, done
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
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd, s.done = nil, nil
}

// logTail returns the end of the binary's log file, for failure messages.
func (s *NATSServer) logTail() string {
	b, err := os.ReadFile(s.logFile)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
