package testutil

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
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
	cmd  *exec.Cmd
	done chan struct{}
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
		certFile, keyFile := s.writeCert(t)
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
	if s.cmd != nil {
		return
	}
	var stderr bytes.Buffer
	cmd := exec.Command(s.bin, s.args...)
	cmd.Dir = s.Dir
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("testutil: start redis-server: %v", err)
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
			s.t.Fatalf("testutil: redis-server exited at start: %s\n%s", stderr.String(), s.logTail())
		default:
		}
		if err := WaitTCP(s.Addr, 100*time.Millisecond); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			s.t.Fatalf("testutil: redis-server not listening on %s after 10s\n%s", s.Addr, s.logTail())
		}
	}
	s.cmd, s.done = cmd, done
}

// Stop stops the server (SIGTERM, then SIGKILL after 5 seconds) and waits
// for it to exit. Calling Stop on a stopped server does nothing.
func (s *RedisServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
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

// logTail returns the end of the server's log file, for failure messages.
func (s *RedisServer) logTail() string {
	b, err := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// writeCert makes a self-signed ECDSA certificate for 127.0.0.1 and
// localhost, usable as its own CA, writes it and its key to s.Dir, and sets
// s.CAPool and s.CAFile.
func (s *RedisServer) writeCert(t testing.TB) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("testutil: generate key: %v", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatalf("testutil: serial: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "bounced test redis"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("testutil: create certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("testutil: parse certificate: %v", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("testutil: marshal key: %v", err)
	}
	certFile = filepath.Join(s.Dir, "redis.crt")
	keyFile = filepath.Join(s.Dir, "redis.key")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatalf("testutil: %v", err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatalf("testutil: %v", err)
	}
	s.CAFile = certFile
	s.CAPool = x509.NewCertPool()
	s.CAPool.AddCert(cert)
	return certFile, keyFile
}
