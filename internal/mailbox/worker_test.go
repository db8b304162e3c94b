package mailbox

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/bounced-dev/bounced/internal/testutil"
)

func TestWorker_movesByDisposition(t *testing.T) {
	tests := []struct {
		name string
		caps []imap.Cap
		// inboxLeft is what stays in INBOX: the message flagged \Deleted by
		// someone else, plus, without UIDPLUS, our copied originals.
		inboxLeft int
	}{
		{"move", nil, 1},
		{"copyUIDExpunge", []imap.Cap{imap.CapIMAP4rev1, imap.CapUIDPlus}, 1},
		{"copyNoUIDPlus", []imap.Cap{imap.CapIMAP4rev1}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testutil.StartIMAPMem(t, tc.caps...)
			deleted := s.Append(t, "INBOX", mail("deleted by someone"))
			s.AddFlags(t, "INBOX", deleted, imap.FlagDeleted)
			for _, subj := range []string{"bounce 1", "ignore 2", "quarantine 3", "bounce 4"} {
				s.Append(t, "INBOX", mail(subj))
			}
			rec := &recorder{}
			cp := newMemCheckpoints()
			r := start(t, memConfig(s), rec.handle, cp, nil)
			waitFor(t, 5*time.Second, "4 messages handled", func() bool { return r.w.Status().Processed+r.w.Status().Ignored+r.w.Status().Quarantined == 4 })

			if got, want := rec.ok(), []uint32{2, 3, 4, 5}; !slices.Equal(got, want) {
				t.Errorf("handled UIDs = %v, want %v (UID order, \\Deleted skipped)", got, want)
			}
			for folder, want := range map[string]int{"Processed": 2, "Ignored": 1, "Quarantine": 1, "INBOX": tc.inboxLeft} {
				if got := s.Count(t, folder); got != want {
					t.Errorf("Count(%s) = %d, want %d", folder, got, want)
				}
			}
			for _, m := range s.Messages(t, "Processed") {
				if m.HasFlag(imap.FlagSeen) {
					t.Errorf("message %d in Processed has \\Seen, want BODY.PEEK to leave it unseen", m.UID)
				}
			}
			if inbox := s.Messages(t, "INBOX"); len(inbox) == 0 || inbox[0].UID != deleted {
				t.Errorf("INBOX = %v, want the other client's \\Deleted message %d kept", inbox, deleted)
			}
			st := r.w.Status()
			if st.Processed != 2 || st.Ignored != 1 || st.Quarantined != 1 || !st.Connected {
				t.Errorf("Status() = %+v, want 2/1/1 and connected", st)
			}
			// The checkpoint is saved after the moves and the counts.
			waitFor(t, 5*time.Second, "checkpoint (uidvalidity, 5)", func() bool { v, last := cp.get("test/INBOX"); return v != 0 && last == 5 })
		})
	}
}

func TestWorker_handlerErrorRetries(t *testing.T) {
	tests := []struct {
		name   string
		panics bool
	}{
		{"error", false},
		{"panic", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testutil.StartIMAPMem(t)
			for _, subj := range []string{"bounce 1", "bounce 2", "bounce 3"} {
				s.Append(t, "INBOX", mail(subj))
			}
			var failures atomic.Int32
			rec := &recorder{panics: tc.panics}
			rec.fail = func(m *Message) error {
				if m.UID == 2 && failures.Add(1) <= 2 {
					return errTransient
				}
				return nil
			}
			r := start(t, memConfig(s), rec.handle, newMemCheckpoints(), nil)
			waitFor(t, 5*time.Second, "3 messages processed", func() bool { return r.w.Status().Processed == 3 })

			var order []uint32
			for _, c := range rec.all() {
				order = append(order, c.uid)
			}
			if want := []uint32{1, 2, 2, 2, 3}; !slices.Equal(order, want) {
				t.Errorf("handler calls = %v, want %v (uid 3 waits for uid 2)", order, want)
			}
			if got := s.Count(t, "Processed"); got != 3 {
				t.Errorf("Count(Processed) = %d, want 3", got)
			}
			if st := r.w.Status(); st.HandlerErrors != 2 || st.LastError == "" {
				t.Errorf("Status() = %+v, want 2 handler errors and LastError", st)
			}
		})
	}
}

func TestWorker_handlerErrorKeepsMessages(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	for _, subj := range []string{"bounce 1", "bounce 2", "bounce 3"} {
		s.Append(t, "INBOX", mail(subj))
	}
	var down atomic.Bool
	down.Store(true)
	rec := &recorder{fail: func(m *Message) error {
		if m.UID >= 2 && down.Load() {
			return errTransient
		}
		return nil
	}}
	cp := newMemCheckpoints()
	cfg := memConfig(s)
	cfg.BackoffMin, cfg.BackoffMax = 20*time.Millisecond, 20*time.Millisecond
	r := start(t, cfg, rec.handle, cp, nil)
	waitFor(t, 5*time.Second, "several failures", func() bool { return r.w.Status().HandlerErrors >= 3 })
	if got := s.Count(t, "INBOX"); got != 2 {
		t.Errorf("Count(INBOX) while failing = %d, want 2 (uid 2 and 3 kept)", got)
	}
	if _, last := cp.get("test/INBOX"); last != 1 {
		t.Errorf("checkpoint while failing = %d, want 1", last)
	}
	for _, c := range rec.all() {
		if c.uid == 3 {
			t.Fatalf("uid 3 was handled while uid 2 was failing")
		}
	}
	down.Store(false)
	waitFor(t, 5*time.Second, "all processed", func() bool { return s.Count(t, "Processed") == 3 })
	// The checkpoint is saved after the move, so it is awaited, not read.
	waitFor(t, 5*time.Second, "checkpoint 3", func() bool { _, last := cp.get("test/INBOX"); return last == 3 })
}

func TestWorker_flagMode(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	for _, subj := range []string{"bounce 1", "ignore 2", "bounce 3"} {
		s.Append(t, "INBOX", mail(subj))
	}
	cfg := memConfig(s)
	cfg.After = AfterFlag
	rec := &recorder{}
	cp := newMemCheckpoints()
	r := start(t, cfg, rec.handle, cp, nil)
	waitFor(t, 5*time.Second, "3 handled", func() bool { return len(rec.ok()) == 3 })
	waitFor(t, 5*time.Second, "checkpoint 3", func() bool { _, last := cp.get("test/INBOX"); return last == 3 })
	r.stop(t)

	inbox := s.Messages(t, "INBOX")
	if len(inbox) != 2 {
		t.Fatalf("INBOX has %d messages, want the 2 bounces", len(inbox))
	}
	for _, m := range inbox {
		if !m.HasFlag(DefaultFlag) || m.HasFlag(imap.FlagSeen) {
			t.Errorf("INBOX uid %d flags = %v, want %s and not \\Seen", m.UID, m.Flags, DefaultFlag)
		}
	}
	if got := s.Count(t, "Ignored"); got != 1 {
		t.Errorf("Count(Ignored) = %d, want 1", got)
	}
	if got := s.Count(t, "Processed"); got != 0 {
		t.Errorf("Count(Processed) = %d, want 0 in flag mode", got)
	}

	// A second run handles only what is new.
	s.Append(t, "INBOX", mail("bounce 4"))
	rec2 := &recorder{}
	start(t, cfg, rec2.handle, cp, nil)
	waitFor(t, 5*time.Second, "uid 4 handled", func() bool { return len(rec2.ok()) == 1 })
	time.Sleep(100 * time.Millisecond)
	if got := rec2.ok(); !slices.Equal(got, []uint32{4}) {
		t.Errorf("second run handled %v, want [4]", got)
	}
}

func TestWorker_checkpoint(t *testing.T) {
	tests := []struct {
		name string
		// seed returns the checkpoint to start from, given the mailbox's
		// UIDVALIDITY.
		seed func(v uint32) (uint32, uint32)
		want []uint32
	}{
		{"honoured", func(v uint32) (uint32, uint32) { return v, 2 }, []uint32{3}},
		{"none", func(uint32) (uint32, uint32) { return 0, 0 }, []uint32{1, 2, 3}},
		{"otherUIDValidity", func(v uint32) (uint32, uint32) { return v + 100, 2 }, []uint32{1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testutil.StartIMAPMem(t)
			for _, subj := range []string{"bounce 1", "bounce 2", "bounce 3"} {
				s.Append(t, "INBOX", mail(subj))
			}
			v := uidValidity(t, s.IMAPAccount, "INBOX")
			cp := newMemCheckpoints()
			sv, su := tc.seed(v)
			cp.set("test/INBOX", sv, su)
			cfg := memConfig(s)
			cfg.After = AfterFlag
			rec := &recorder{}
			start(t, cfg, rec.handle, cp, nil)
			waitFor(t, 5*time.Second, "checkpoint 3", func() bool { gv, last := cp.get("test/INBOX"); return gv == v && last == 3 })
			if got := rec.ok(); !slices.Equal(got, tc.want) {
				t.Errorf("handled %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWorker_uidValidityChangeResets(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	s.Create(t, "Bounces")
	for _, subj := range []string{"bounce 1", "bounce 2"} {
		s.Append(t, "Bounces", mail(subj))
	}
	cfg := memConfig(s)
	cfg.Mailbox, cfg.After = "Bounces", AfterFlag
	cp := newMemCheckpoints()
	rec := &recorder{}
	r := start(t, cfg, rec.handle, cp, nil)
	waitFor(t, 5*time.Second, "checkpoint 2", func() bool { _, last := cp.get("test/Bounces"); return last == 2 })
	r.stop(t)
	oldV, _ := cp.get("test/Bounces")

	s.Recreate(t, "Bounces")
	s.Append(t, "Bounces", mail("bounce again")) // UID 1 again, below the old checkpoint
	newV := uidValidity(t, s.IMAPAccount, "Bounces")
	if newV == oldV {
		t.Fatalf("UIDVALIDITY did not change (%d)", newV)
	}
	rec2 := &recorder{}
	start(t, cfg, rec2.handle, cp, nil)
	waitFor(t, 5*time.Second, "new checkpoint", func() bool { v, last := cp.get("test/Bounces"); return v == newV && last == 1 })
	if calls := rec2.all(); len(calls) != 1 || calls[0].subject != "bounce again" {
		t.Errorf("handled after recreate = %+v, want the one new message", calls)
	}
}

func TestWorker_wakesOnNewMail(t *testing.T) {
	tests := []struct {
		name   string
		noIdle bool
		poke   func(w *Worker)
	}{
		{"idle", false, func(*Worker) {}},
		{"pollWake", true, func(w *Worker) { w.Wake() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testutil.StartIMAPMem(t)
			rec := &recorder{}
			cfg := memConfig(s)
			cfg.PollInterval = time.Hour
			r := start(t, cfg, rec.handle, newMemCheckpoints(), nil, func(w *Worker) { w.noIdle = tc.noIdle })
			waitFor(t, 5*time.Second, "first poll done", func() bool { return !r.w.Status().LastSuccess.IsZero() })
			if tc.noIdle && r.w.Status().Idle {
				t.Fatalf("Status().Idle = true in poll mode")
			}
			if !tc.noIdle {
				waitFor(t, 5*time.Second, "idle", func() bool { return r.w.Status().Idle })
			}
			s.Append(t, "INBOX", mail("bounce new"))
			appended := time.Now()
			tc.poke(r.w)
			waitFor(t, 2*time.Second, "new message handled", func() bool { return len(rec.ok()) == 1 })
			if d := time.Since(appended); d > time.Second {
				t.Errorf("handled %v after APPEND, want within 1s", d)
			}
		})
	}
}

func TestWorker_truncatesOversize(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	big := append(mail("bounce big"), bytes.Repeat([]byte("0123456789abcdef\r\n"), 300)...)
	s.Append(t, "INBOX", big)
	s.Append(t, "INBOX", mail("bounce small"))
	s.Append(t, "INBOX", big)
	cfg := memConfig(s)
	cfg.MaxMessageSize = 1000
	rec := &recorder{}
	r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
	waitFor(t, 5*time.Second, "3 processed", func() bool { return r.w.Status().Processed == 3 })

	calls := rec.all()
	if len(calls) != 3 {
		t.Fatalf("handler calls = %d, want 3", len(calls))
	}
	for _, c := range calls {
		wantTrunc := c.uid != 2
		if c.truncated != wantTrunc {
			t.Errorf("uid %d Truncated = %v, want %v", c.uid, c.truncated, wantTrunc)
		}
		if wantTrunc {
			if len(c.raw) != 1000 || !bytes.Equal(c.raw, big[:1000]) || c.size != int64(len(big)) {
				t.Errorf("uid %d: len(Raw) = %d, Size = %d, want the first 1000 bytes of %d", c.uid, len(c.raw), c.size, len(big))
			}
		} else if !bytes.Equal(c.raw, mail("bounce small")) {
			t.Errorf("uid %d Raw = %q, want the whole message", c.uid, c.raw)
		}
	}
	if got := s.Count(t, "Processed"); got != 3 {
		t.Errorf("Count(Processed) = %d, want 3", got)
	}
}

// TestWorker_fetchOverBudget: messages whose bodies do not fit in one
// FETCH of the fetch budget (16 MiB) are fetched again by size, and the
// batch after one that fits in one FETCH again is fetched whole; every
// message is handled once, in UID order, with its body, the oversized one
// truncated.
func TestWorker_fetchOverBudget(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	const mib = 1 << 20
	big := func(subject string, size int) []byte {
		m := mail(subject)
		return append(m, bytes.Repeat([]byte("0123456789abcdef\r\n"), (size-len(m))/18)...)
	}
	msgs := [][]byte{
		// Batch 1: a and b fit in the budget, c does not: fetched by size.
		big("bounce a", 7*mib), big("bounce b", 7*mib), big("bounce c", 7*mib),
		// Batch 2, by size: e over MaxMessageSize, truncated.
		mail("bounce d"), big("bounce e", 12*mib), mail("bounce f"),
		// Batch 3: whole again.
		mail("bounce g"), mail("bounce h"),
	}
	for _, m := range msgs {
		s.Append(t, "INBOX", m)
	}
	cfg := memConfig(s)
	cfg.BatchSize, cfg.MaxMessageSize = 3, 9*mib
	rec := &recorder{}
	r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
	waitFor(t, 20*time.Second, "8 processed", func() bool { return r.w.Status().Processed == uint64(len(msgs)) })

	calls := rec.all()
	if len(calls) != len(msgs) {
		t.Fatalf("handler calls = %d, want %d", len(calls), len(msgs))
	}
	for i, c := range calls {
		want, wantTrunc := msgs[i], i == 4
		if wantTrunc {
			want = want[:cfg.MaxMessageSize]
		}
		if c.uid != uint32(i+1) || c.truncated != wantTrunc || c.size != int64(len(msgs[i])) || !bytes.Equal(c.raw, want) {
			t.Errorf("call %d: uid %d, Truncated %v, Size %d, len(Raw) %d; want uid %d, Truncated %v, Size %d, len(Raw) %d of the message",
				i, c.uid, c.truncated, c.size, len(c.raw), i+1, wantTrunc, len(msgs[i]), len(want))
		}
	}
}

func TestWorker_batches(t *testing.T) {
	s := memServerWith(t, 7)
	cfg := memConfig(s)
	cfg.BatchSize, cfg.MoveBatchSize = 3, 3
	rec := &recorder{}
	cp := newMemCheckpoints()
	r := start(t, cfg, rec.handle, cp, nil)
	waitFor(t, 5*time.Second, "7 processed", func() bool { return r.w.Status().Processed == 7 })
	if got, want := rec.ok(), []uint32{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v", got, want)
	}
	// The checkpoint is saved after each batch's move: await the last one.
	waitFor(t, 5*time.Second, "checkpoint 7", func() bool { _, last := cp.get("test/INBOX"); return last == 7 })
	if n := cp.saveCount(); n < 3 {
		t.Errorf("checkpoint saved %d times, want once per batch (3)", n)
	}
}

// TestWorker_moveBatches moves handled messages MoveBatchSize at a time,
// across fetch batches, and the rest when the mailbox has been read: with
// batches of 2 and moves of 5, nothing has moved while 1-5 are handled,
// 1-5 then move together and 6-7 at the end, and the checkpoint follows
// each move.
func TestWorker_moveBatches(t *testing.T) {
	s := memServerWith(t, 7)
	cfg := memConfig(s)
	cfg.BatchSize, cfg.MoveBatchSize = 2, 5
	cp := newMemCheckpoints()
	var mu sync.Mutex
	inbox := map[uint32]int{}
	rec := &recorder{fail: func(m *Message) error {
		n := s.Count(t, "INBOX")
		mu.Lock()
		inbox[m.UID] = n
		mu.Unlock()
		return nil
	}}
	r := start(t, cfg, rec.handle, cp, nil)
	waitFor(t, 5*time.Second, "7 processed", func() bool { return s.Count(t, "Processed") == 7 })
	r.stop(t)
	mu.Lock()
	defer mu.Unlock()
	for uid := uint32(1); uid <= 5; uid++ {
		if inbox[uid] != 7 {
			t.Errorf("INBOX held %d messages while uid %d was handled, want 7 (no move before 5 are handled)", inbox[uid], uid)
		}
	}
	if got, want := cp.history(), []uint32{0, 5, 7}; !slices.Equal(got, want) {
		t.Errorf("checkpoints saved %v, want %v (start, after each move)", got, want)
	}
}

// TestWorker_moveBatchFlushedOnError moves the messages handled before a
// handler failure at once, although fewer than MoveBatchSize wait.
func TestWorker_moveBatchFlushedOnError(t *testing.T) {
	s := memServerWith(t, 5)
	cfg := memConfig(s)
	cfg.BatchSize, cfg.MoveBatchSize = 2, 100
	cfg.BackoffMin, cfg.BackoffMax = time.Hour, time.Hour
	rec := &recorder{fail: func(m *Message) error {
		if m.UID == 4 {
			return errTransient
		}
		return nil
	}}
	cp := newMemCheckpoints()
	r := start(t, cfg, rec.handle, cp, nil)
	waitFor(t, 5*time.Second, "uids 1-3 moved", func() bool { return s.Count(t, "Processed") == 3 })
	if got := s.Count(t, "INBOX"); got != 2 {
		t.Errorf("Count(INBOX) = %d, want 2 (uid 4 failed, 5 after it)", got)
	}
	// The checkpoint is saved after the move, so it is awaited, not read.
	waitFor(t, 5*time.Second, "checkpoint 3", func() bool { _, last := cp.get("test/INBOX"); return last == 3 })
	r.stop(t)
}

// TestWorker_concurrentHandlers handles a batch's messages in parallel:
// every message is handled once and moved, and a failure keeps the failed
// message and those after it in the mailbox.
func TestWorker_concurrentHandlers(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	for i := range 20 {
		s.Append(t, "INBOX", mail(fmt.Sprintf("bounce %02d", i)))
	}
	cfg := memConfig(s)
	cfg.Concurrency = 8
	rec := &recorder{}
	r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
	waitFor(t, 5*time.Second, "20 processed", func() bool { return r.w.Status().Processed == 20 })
	got := rec.ok()
	slices.Sort(got)
	want := make([]uint32, 20)
	for i := range want {
		want[i] = uint32(i + 1)
	}
	if !slices.Equal(got, want) {
		t.Errorf("handled %v, want each of 1..20 once", got)
	}
	if n := s.Count(t, "Processed"); n != 20 {
		t.Errorf("Count(Processed) = %d, want 20", n)
	}
	if n := s.Count(t, "INBOX"); n != 0 {
		t.Errorf("Count(INBOX) = %d, want 0", n)
	}
}

func TestWorker_cancelReturnsPromptly(t *testing.T) {
	// silent accepts connections and never greets.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()

	tests := []struct {
		name  string
		setup func(t *testing.T) (Config, *recorder, func(w *Worker) bool)
	}{
		{"idle", func(t *testing.T) (Config, *recorder, func(*Worker) bool) {
			s := testutil.StartIMAPMem(t)
			return memConfig(s), &recorder{}, func(w *Worker) bool { return w.Status().Idle }
		}},
		// A handler that does not finish is cut off after StopGrace.
		{"inHandler", func(t *testing.T) (Config, *recorder, func(*Worker) bool) {
			s := testutil.StartIMAPMem(t)
			s.Append(t, "INBOX", mail("bounce"))
			rec := &recorder{block: make(chan struct{})}
			cfg := memConfig(s)
			cfg.StopGrace = 100 * time.Millisecond
			return cfg, rec, func(*Worker) bool { return len(rec.all()) == 1 }
		}},
		{"noGreeting", func(t *testing.T) (Config, *recorder, func(*Worker) bool) {
			s := testutil.StartIMAPMem(t)
			cfg := memConfig(s)
			cfg.Addr = silent.Addr().String()
			return cfg, &recorder{}, func(*Worker) bool { time.Sleep(200 * time.Millisecond); return true }
		}},
		{"backoff", func(t *testing.T) (Config, *recorder, func(*Worker) bool) {
			s := testutil.StartIMAPMem(t)
			cfg := memConfig(s)
			cfg.Password = "wrong"
			cfg.BackoffMin, cfg.BackoffMax = time.Minute, time.Minute
			return cfg, &recorder{}, func(w *Worker) bool { return w.Status().LastError != "" }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, rec, ready := tc.setup(t)
			if cfg.StopGrace == 0 {
				// Nothing is being handled: a worker that waited for
				// the grace would take a minute.
				cfg.StopGrace = time.Minute
			}
			r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
			waitFor(t, 5*time.Second, "ready", func() bool { return ready(r.w) })
			began := time.Now()
			r.stop(t)
			// Promptly: well before any of the timers Run could wait
			// on (the grace, the minute-long poll interval and backoff,
			// the 30s dial timeout), with room for a loaded machine.
			if d := time.Since(began); d > 5*time.Second {
				t.Errorf("Run() returned %v after cancel, want promptly", d)
			}
		})
	}
}

func TestWorker_loginFailureRetries(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	cfg := memConfig(s)
	cfg.Password = "wrong-password-xyz"
	logs := newLogRecords(t)
	r := start(t, cfg, (&recorder{}).handle, newMemCheckpoints(), slog.New(logs))
	waitFor(t, 5*time.Second, "several attempts", func() bool { return r.w.Status().Reconnects >= 3 })
	st := r.w.Status()
	if st.Connected || !strings.Contains(st.LastError, "authenticate") {
		t.Errorf("Status() = %+v, want disconnected with an authenticate error", st)
	}
	// A refused login needs an operator: logged once at error level, not
	// as a passing connection failure.
	if n := logs.count(slog.LevelError, "mailbox: credentials refused, retrying"); n != 1 {
		t.Errorf("refusal logged %d times at error, want once per outage", n)
	}
	if n := logs.count(slog.LevelWarn, "mailbox: connection failed, retrying"); n != 0 {
		t.Errorf("refusal logged %d times as a connection failure, want 0", n)
	}
	if strings.Contains(logs.text(), cfg.Password) || strings.Contains(st.LastError, cfg.Password) {
		t.Errorf("the password leaked into logs or status")
	}
}

func TestWorker_runTwice(t *testing.T) {
	s := testutil.StartIMAPMem(t)
	r := start(t, memConfig(s), (&recorder{}).handle, newMemCheckpoints(), nil)
	waitFor(t, 5*time.Second, "connected", func() bool { return r.w.Status().Connected })
	if err := r.w.Run(context.Background()); err == nil {
		t.Errorf("second Run() = nil, want an error")
	}
}

func TestNew_errors(t *testing.T) {
	cfg := Config{Addr: "127.0.0.1:1", Username: "u", Password: "p"}
	if _, err := New(cfg, nil, newMemCheckpoints(), nil); err == nil {
		t.Errorf("New(nil handler) = nil error")
	}
	if _, err := New(cfg, (&recorder{}).handle, nil, nil); err == nil {
		t.Errorf("New(nil checkpoints) = nil error")
	}
	if _, err := New(Config{}, (&recorder{}).handle, newMemCheckpoints(), nil); err == nil || !strings.HasPrefix(err.Error(), "mailbox: ") {
		t.Errorf("New(empty config) error = %v, want a mailbox: error", err)
	}
}

// TestWorker_stopFinishesAndMoves stops a worker while a handler runs: the
// handler finishes, the handled messages are moved and checkpointed, and
// nothing more is fetched or handled.
func TestWorker_stopFinishesAndMoves(t *testing.T) {
	s := memServerWith(t, 6)
	cfg := memConfig(s)
	cfg.MoveBatchSize = 100 // nothing moves before the end
	cfg.StopGrace = 5 * time.Second
	release := make(chan struct{})
	inThree := make(chan struct{})
	rec := &recorder{fail: func(m *Message) error {
		if m.UID == 3 {
			close(inThree)
			<-release
		}
		return nil
	}}
	cp := newMemCheckpoints()
	r := start(t, cfg, rec.handle, cp, nil)
	<-inThree
	r.cancel()
	time.Sleep(100 * time.Millisecond)
	close(release)
	select {
	case err := <-r.done:
		r.once.Do(func() {}) // Run has returned: nothing for stop to wait for
		if err != nil {
			t.Fatalf("Run() = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run() did not return after the handler finished")
	}
	if got, want := rec.ok(), []uint32{1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v (nothing started after the stop)", got, want)
	}
	if p, in := s.Count(t, "Processed"), s.Count(t, "INBOX"); p != 3 || in != 3 {
		t.Errorf("Processed %d, INBOX %d after the stop; want 3 and 3", p, in)
	}
	if _, last := cp.get("test/INBOX"); last != 3 {
		t.Errorf("checkpoint = %d, want 3", last)
	}
}

// TestWorker_stopGraceExpires cuts off a handler that does not finish
// within StopGrace: Run returns, and nothing is moved (all is handled
// again at the next start).
func TestWorker_stopGraceExpires(t *testing.T) {
	s := memServerWith(t, 3)
	cfg := memConfig(s)
	cfg.MoveBatchSize = 100
	cfg.StopGrace = 200 * time.Millisecond
	rec := &recorder{block: make(chan struct{})}
	r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
	waitFor(t, 5*time.Second, "a handler running", func() bool { return len(rec.all()) == 1 })
	began := time.Now()
	r.cancel()
	select {
	case <-r.done:
		r.once.Do(func() {})
	case <-time.After(30 * time.Second):
		t.Fatal("Run() did not return after StopGrace")
	}
	// The handler never returns, so Run returning at all shows that the
	// grace cut it off; the upper bound leaves room for a loaded machine.
	if d := time.Since(began); d < 150*time.Millisecond || d > 10*time.Second {
		t.Errorf("Run() returned %v after the stop, want about StopGrace (200ms)", d)
	}
	if in := s.Count(t, "INBOX"); in != 3 {
		t.Errorf("INBOX holds %d after an expired grace, want 3", in)
	}
}
