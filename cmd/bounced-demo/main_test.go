package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemo_exit runs the demo as `make demo` does, with --exit: it shows
// the samples handled, says where the page and the events are, and stops
// by itself.
func TestDemo_exit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the demo")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	bin := filepath.Join(t.TempDir(), "bounced-demo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--exit")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("bounced-demo --exit: %v (context: %v)\n%s\n%s", err, ctx.Err(), out.String(), errb.String())
	}
	for _, want := range []string{"== all messages handled", "INBOX       0", "== where to look", "operator page  http://127.0.0.1:",
		"events         nats --server nats://127.0.0.1:", "sub 'bounced.>'"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "serving until interrupted") {
		t.Errorf("demo --exit says it keeps serving:\n%s", out.String())
	}
	var ee *exec.ExitError
	if err := exec.Command(bin, "--bogus").Run(); !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Errorf("bounced-demo --bogus: %v, want exit status 2", err)
	}
}
