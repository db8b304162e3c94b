// Package testutil starts real servers (redis-server, nats-server, Dovecot)
// on free loopback ports for tests, and stops them when the test ends.
//
// A test that needs a server binary that is not installed is skipped with a
// message naming the package to install, except under CI (CI=true), where a
// missing binary fails the test: CI installs every package it needs.
package testutil

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// RequireBinary returns the path of the program name, looked up in PATH and
// in /usr/sbin and /usr/bin. When it is absent the test is skipped (or
// failed under CI) with a message naming the Debian package that has it.
func RequireBinary(t testing.TB, name, debianPackage string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	msg := fmt.Sprintf("%s not installed: apt-get install %s", name, debianPackage)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testutil: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// WaitTCP waits until addr accepts TCP connections or the timeout passes.
func WaitTCP(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("testutil: %s not accepting connections after %v: %w", addr, timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitFor calls cond until it returns true, and fails the test when it has
// not after timeout; what names the awaited state in the failure message.
// It polls every 10ms at first, backing off to every 100ms, so that a
// condition that is quick to come is seen at once and an expensive one
// (an IMAP login, say) is not run too often while a slow one comes.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	interval := 10 * time.Millisecond
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(interval)
		interval = min(2*interval, 100*time.Millisecond)
	}
}
