package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/publisher"
)

// TestCrash_sigkillLosesNothing runs the real binary against Dovecot,
// Redis and nats-server and kills it with SIGKILL at random moments while
// bounces keep arriving. In the end every bounce's address must be
// suppressed exactly once, every event be in the stream exactly once, and
// every message sit in its folder, none lost and none doubled.
func TestCrash_sigkillLosesNothing(t *testing.T) {
	s := newStack(t)
	bin := buildBinary(t)
	cfgPath, env := s.binaryConfig(t, "info", "batch_size: 5", "move_batch_size: 5", "concurrency: 2", "poll_interval: 300ms")
	logPath := filepath.Join(t.TempDir(), "bounced.log")
	logFile, _ := os.Create(logPath)
	defer logFile.Close()
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "run", "--config", cfgPath)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	const rounds, perRound = 8, 40
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	var rcpts []string
	autoReplies, broken := 0, 0
	appendRound := func(r int) {
		for i := 0; i < perRound; i++ {
			raw, rcpt := genBounce(fmt.Sprintf("r%d", r), i)
			s.dovecot.Append(t, "INBOX", raw)
			rcpts = append(rcpts, rcpt)
		}
		s.dovecot.Append(t, "INBOX", []byte(fmt.Sprintf("From: person%d@example.jp\r\nTo: orders@shop.example\r\nSubject: Out of Office\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-%d@example.jp>\r\n\r\nAway until Monday.\r\n", r, r)))
		autoReplies++
		s.dovecot.Append(t, "INBOX", []byte(fmt.Sprintf("garbage line %d without any header\r\n", r)))
		broken++
	}
	midWork := 0
	for r := 0; r < rounds; r++ {
		appendRound(r)
		before := s.dovecot.Count(t, "INBOX")
		handled := countLines(logPath, "msg=recipient")
		cmd := start()
		// Kill at a random moment once the daemon is at work.
		deadline := time.Now().Add(20 * time.Second)
		for countLines(logPath, "msg=recipient") == handled && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		left := s.dovecot.Count(t, "INBOX")
		t.Logf("round %d: %d waiting before, %d after the kill", r, before, left)
		if left > 0 && left < before {
			midWork++
		}
	}
	t.Logf("%d of %d kills hit the daemon with messages handled and others still waiting", midWork, rounds)
	if midWork < 2 {
		t.Errorf("only %d kills landed while the daemon was working: the test proves too little", midWork)
	}
	// A last, clean run drains what is left.
	cmd := start()
	total := len(rcpts) + autoReplies + broken
	waitFor(t, 120*time.Second, "the mailbox to drain", func() bool {
		return s.dovecot.Count(t, "INBOX") == 0 &&
			s.dovecot.Count(t, "Processed")+s.dovecot.Count(t, "Ignored")+s.dovecot.Count(t, "Quarantine") >= total
	})
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if t.Failed() {
		b, _ := os.ReadFile(logPath)
		t.Logf("daemon log tail:\n%s", tail(string(b), 5000))
	}

	for folder, want := range map[string]int{"INBOX": 0, "Processed": len(rcpts), "Ignored": autoReplies, "Quarantine": broken} {
		if got := s.dovecot.Count(t, folder); got != want {
			t.Errorf("%s holds %d messages, want %d", folder, got, want)
		}
	}
	st := s.store(t)
	for _, r := range rcpts {
		rec, err := st.Get(context.Background(), r)
		if err != nil || !rec.Suppressed || rec.Count != 1 || rec.Reason != "user_unknown" {
			t.Errorf("record of %s = %+v, %v; want suppressed once for user_unknown", r, rec, err)
		}
	}
	counts := map[publisher.EventType]int{}
	ids := map[string]int{}
	for _, ev := range s.events(t) {
		counts[ev.Type]++
		ids[ev.ID]++
	}
	want := map[publisher.EventType]int{publisher.TypeBounce: len(rcpts), publisher.TypeSuppressionAdded: len(rcpts), publisher.TypeUnparseable: broken}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%d %s events in the stream, want exactly %d", counts[typ], typ, n)
		}
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("event %s is in the stream %d times", id, n)
		}
	}
	t.Logf("%d rounds of SIGKILL: %d bounces, %d auto-replies, %d broken messages, all accounted for", rounds, len(rcpts), autoReplies, broken)
}

// countLines counts the lines of the file at path that contain sub.
func countLines(path, sub string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), sub)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestStop_sigtermMovesWhatItHandled stops the binary with SIGTERM in the
// middle of a backlog: it must finish what it is handling and move every
// message it handled before it exits, so that each suppressed address's
// bounce is in Processed and every other bounce still waits in INBOX,
// unhandled.
func TestStop_sigtermMovesWhatItHandled(t *testing.T) {
	s := newStack(t)
	bin := buildBinary(t)
	const n = 3000
	raw, _ := genBounce("term", 0)
	s.dovecot.Append(t, "INBOX", raw) // creates the Maildir
	deliverMaildir(t, s, "term", 1, n)
	cfgPath, env := s.binaryConfig(t, "info")
	logPath := filepath.Join(t.TempDir(), "bounced.log")
	logFile, _ := os.Create(logPath)
	defer logFile.Close()
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the first recipients handled", func() bool { return countLines(logPath, "msg=recipient") >= 50 })
	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("bounced exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("bounced still running 20s after SIGTERM")
	}
	processed, waiting := s.dovecot.Count(t, "Processed"), s.dovecot.Count(t, "INBOX")
	suppressed, err := s.store(t).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after SIGTERM: %d processed, %d waiting, %d suppressed", processed, waiting, suppressed)
	if processed+waiting != n {
		t.Errorf("Processed %d + INBOX %d = %d, want %d", processed, waiting, processed+waiting, n)
	}
	if int64(processed) != suppressed {
		t.Errorf("%d addresses suppressed but %d messages moved: handled messages were left behind", suppressed, processed)
	}
	if processed == 0 || waiting == 0 {
		t.Errorf("the stop did not land mid-work (%d processed, %d waiting): the test proves too little", processed, waiting)
	}
}
