package app

import (
	"context"
	"log/slog"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/testutil"
)

// startNATSWithPassword starts the nats-server binary with JetStream and
// user/password authentication, and returns its address.
func startNATSWithPassword(t *testing.T, user, password string) string {
	t.Helper()
	bin := testutil.RequireBinary(t, "nats-server", "nats-server")
	dir := t.TempDir()
	port := testutil.FreePort(t)
	cmd := exec.Command(bin, "-js", "-sd", dir, "-a", "127.0.0.1", "-p", strconv.Itoa(port),
		"--user", user, "--pass", password, "-l", filepath.Join(dir, "nats.log"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := testutil.WaitTCP(addr, 20*time.Second); err != nil {
		t.Fatalf("nats-server: %v", err)
	}
	return addr
}

// TestRun_logsNoSecrets runs the daemon against a Redis and a NATS that
// both need a password given in their URLs, captures everything it logs at
// debug level (start, connect, running, stop), and checks that neither
// password appears. The NATS URL used to be logged whole at INFO in the
// "bounced running" line.
func TestRun_logsNoSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	const redisPass, natsPass = "redis-Pw-5e1f0c2a9d", "nats-Pw-7b3a8e4c61"
	rs := testutil.StartRedisWith(t, testutil.RedisOptions{Args: []string{"--requirepass", redisPass}})
	natsAddr := startNATSWithPassword(t, "bounced", natsPass)

	cfg := config.Default()
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.Redis.URL = "redis://:" + redisPass + "@" + rs.Addr + "/0"
	cfg.NATS.URL = "nats://bounced:" + natsPass + "@" + natsAddr
	cfg.NATS.DataDir = t.TempDir()
	var logs testutil.LogBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := New(&cfg, log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	select {
	case <-a.Ready():
	case err := <-done:
		t.Fatalf("Run() = %v before ready\n%s", err, logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("not ready after 60s\n%s", logs.String())
	}
	// Redis answers with the password from the URL.
	if err := a.store.Ping(ctx); err != nil {
		t.Fatalf("redis ping: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run() = %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "bounced running") {
		t.Fatalf("no running line in the log:\n%s", out)
	}
	for _, pw := range []string{redisPass, natsPass} {
		if strings.Contains(out, pw) {
			t.Errorf("the log holds the password %q:\n%s", pw, out)
		}
	}
	if !strings.Contains(out, "nats://redacted@"+natsAddr) {
		t.Errorf("the log does not name the NATS server with its user information redacted:\n%s", out)
	}
}

// TestRun_errorsHoldNoSecrets: a NATS that cannot be reached makes the
// daemon retry and log, then fail when its context ends; neither the log
// lines nor the error it returns hold the password of the URL.
func TestRun_errorsHoldNoSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	const natsPass = "nats-Pw-0d9c8b7a65"
	rs := testutil.StartRedis(t)
	cfg := config.Default()
	cfg.HTTP.Listen = ""
	cfg.Redis.URL = "redis://" + rs.Addr + "/0"
	// Nothing listens there.
	cfg.NATS.URL = "nats://bounced:" + natsPass + "@127.0.0.1:" + strconv.Itoa(testutil.FreePort(t))
	var logs testutil.LogBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- New(&cfg, log).Run(ctx) }()
	testutil.WaitFor(t, 30*time.Second, "a NATS connect retry logged", func() bool {
		return strings.Contains(logs.String(), "nats connect failed")
	})
	cancel()
	err := <-done
	if err == nil {
		t.Fatal("Run() = nil, want an error: NATS never answered")
	}
	if strings.Contains(err.Error(), natsPass) || strings.Contains(logs.String(), natsPass) {
		t.Errorf("the password is in the error %q or the log:\n%s", err, logs.String())
	}
}
