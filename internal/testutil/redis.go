package testutil

import (
	"crypto/x509"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RedisOptions says how StartRedisWith starts a redis-server.
type RedisOptions struct {
	// TLS makes the server accept only TLS connections (--tls-port, with
	// --port 0), with a self-signed certificate made at test time for
	// 127.0.0.1 and localhost. Clients are not asked for certificates.
	TLS bool
	// Persist turns on the append-only file, so that the data survives
	// Stop and Start. By default nothing is written to disk
	// (--save "" --appendonly no).
	Persist bool
	// Args are extra redis-server arguments, appended after the defaults,
	// e.g. []string{"--requirepass", "secret"}.
	Args []string
}

// RedisServer is a redis-server process started for one test. Stop and
// Start stop and restart the same server on the same port and directory,
// so that tests can simulate an outage.
type RedisServer struct {
	// Addr is the host:port the server listens on (the TLS port when the
	// server was started with TLS).
	Addr string
	// Dir is the server's working directory, a t.TempDir(); its log is
	// redis.log there.
	Dir string
	// CAPool holds the certificate that signs the server's certificate when
	// the server was started with TLS, and is nil otherwise.
	CAPool *x509.CertPool
	// CAFile is the PEM file of CAPool, or "" without TLS.
	CAFile string

	t    testing.TB
	bin  string
	args []string

	mu   sync.Mutex
	proc process
}

// StartRedis starts a redis-server on a free loopback port that keeps no
// data on disk, and stops it when the test ends. The test is skipped when
// redis-server is not installed (see RequireBinary).
func StartRedis(t testing.TB) *RedisServer {
	t.Helper()
	return StartRedisWith(t, RedisOptions{})
}

// StartRedisTLS is StartRedis with a server that speaks only TLS; the
// certificate's CA is in the returned server's CAPool and CAFile.
func StartRedisTLS(t testing.TB) *RedisServer {
	t.Helper()
	return StartRedisWith(t, RedisOptions{TLS: true})
}

// StartRedisWith starts a redis-server as o says, and stops it when the test
// ends.
func StartRedisWith(t testing.TB, o RedisOptions) *RedisServer {
	t.Helper()
	bin := RequireBinary(t, "redis-server", "redis-server")
	dir := t.TempDir()
	port := FreePort(t)
	s := &RedisServer{
		Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Dir:  dir,
		t:    t,
		bin:  bin,
		proc: process{name: "redis-server", logFile: filepath.Join(dir, "redis.log"), logMax: 2000, grace: 5 * time.Second},
	}
	args := []string{
		"--bind", "127.0.0.1",
		"--dir", dir,
		"--logfile", filepath.Join(dir, "redis.log"),
		"--daemonize", "no",
		"--save", "",
	}
	if o.Persist {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always")
	} else {
		args = append(args, "--appendonly", "no")
	}
	if o.TLS {
		certFile, keyFile, pool := SelfSignedCert(t, dir, "redis")
		s.CAFile, s.CAPool = certFile, pool
		args = append(args,
			"--port", "0",
			"--tls-port", strconv.Itoa(port),
			"--tls-cert-file", certFile,
			"--tls-key-file", keyFile,
			"--tls-ca-cert-file", s.CAFile,
			"--tls-auth-clients", "no",
		)
	} else {
		args = append(args, "--port", strconv.Itoa(port))
	}
	s.args = append(args, o.Args...)
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start starts the server again after Stop, on the same port and directory.
// It fails the test when the server does not accept connections within 10
// seconds. Calling Start on a running server does nothing.
func (s *RedisServer) Start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd := exec.Command(s.bin, s.args...)
	cmd.Dir = s.Dir
	s.proc.start(s.t, cmd, s.Addr)
}

// Stop stops the server (SIGTERM, then SIGKILL after 5 seconds) and waits
// for it to exit. Calling Stop on a stopped server does nothing.
func (s *RedisServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.proc.stop()
}

// Pause stops the server's process (SIGSTOP) without closing its
// connections, as a server that hangs; Resume (SIGCONT) lets it go on.
// The test fails when the server is not running.
func (s *RedisServer) Pause() { s.signal(syscall.SIGSTOP) }

// Resume continues a server Pause stopped.
func (s *RedisServer) Resume() { s.signal(syscall.SIGCONT) }

func (s *RedisServer) signal(sig syscall.Signal) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.proc.running() {
		s.t.Fatalf("testutil: redis-server %s is not running", s.Addr)
	}
	if err := s.proc.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("testutil: signal %v to redis-server %s: %v", sig, s.Addr, err)
	}
}
