package testutil

import (
	"bytes"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// startTimeout is how long process.start waits for a server's ports.
const startTimeout = 10 * time.Second

// process is a server binary run for a test: started with its output
// captured, waited for until its ports accept TCP connections, and stopped
// with SIGTERM, then SIGKILL after a grace period. It can be started again
// after stop. It does no locking: its owner serialises start and stop.
type process struct {
	// name is the program's name in failure messages, e.g. "redis-server".
	name string
	// logFile is the server's log, whose last logMax bytes failure
	// messages show.
	logFile string
	logMax  int
	// grace is how long stop waits after SIGTERM before SIGKILL.
	grace time.Duration
	// group runs the server in its own process group, and makes SIGKILL
	// go to the whole group, so that no child outlives the server.
	group bool

	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	out  bytes.Buffer  // cmd's stdout and stderr, since the last start
}

// running reports whether the process was started and not stopped since.
func (p *process) running() bool { return p.cmd != nil }

// start runs cmd and waits until every one of addrs accepts TCP
// connections. It fails the test, with the server's output and the tail of
// its log, when the server exits first or the ports are not open within
// startTimeout. It does nothing when the process is running.
func (p *process) start(t testing.TB, cmd *exec.Cmd, addrs ...string) {
	t.Helper()
	if p.running() {
		return
	}
	p.out.Reset()
	cmd.Stdout = &p.out
	cmd.Stderr = &p.out
	if p.group {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("testutil: start %s: %v", p.name, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	deadline := time.Now().Add(startTimeout)
	for _, addr := range addrs {
		for {
			select {
			case <-done:
				t.Fatalf("testutil: %s exited at start: %s\n%s", p.name, p.out.String(), p.logTail())
			default:
			}
			if err := WaitTCP(addr, 100*time.Millisecond); err == nil {
				break
			}
			if time.Now().After(deadline) {
				p.kill(cmd)
				<-done
				t.Fatalf("testutil: %s not listening on %s after %v\n%s", p.name, addr, startTimeout, p.logTail())
			}
		}
	}
	p.cmd, p.done = cmd, done
}

// stop sends SIGTERM to the server, SIGKILL after the grace period if it
// has not exited by then, and waits for it to exit. With group, whatever
// is left of the process group is killed too. It does nothing when the
// process is not running.
func (p *process) stop() {
	if !p.running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(p.grace):
		p.kill(p.cmd)
		<-p.done
	}
	if p.group {
		// End whatever is left of the group (children on their way out).
		p.kill(p.cmd)
	}
	p.cmd, p.done = nil, nil
}

// kill sends SIGKILL to cmd, or to its process group with group.
func (p *process) kill(cmd *exec.Cmd) {
	if p.group {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return
	}
	_ = cmd.Process.Kill()
}

// logTail returns the last logMax bytes of the server's log, for failure
// messages, or "" when there is no log.
func (p *process) logTail() string {
	if p.logFile == "" {
		return ""
	}
	b, err := os.ReadFile(p.logFile)
	if err != nil {
		return ""
	}
	if len(b) > p.logMax {
		b = b[len(b)-p.logMax:]
	}
	return string(b)
}
