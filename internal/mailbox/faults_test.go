package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// A message the handler refuses for good goes to quarantine with its
// reason, and the messages after it go on.
func TestWorker_permanentErrorQuarantines(t *testing.T) {
	s := memServerWith(t, 3) // bounce a, b, c
	rec := &recorder{fail: func(m *Message) error {
		if subjectOf(m.Raw) == "bounce b" {
			return Permanent("recipient refused by the store", errors.New("suppress: invalid argument"))
		}
		return nil
	}}
	r := start(t, memConfig(s), rec.handle, newMemCheckpoints(), nil)
	waitFor(t, 5*time.Second, "all moved", func() bool {
		st := r.w.Status()
		return st.Processed == 2 && st.Quarantined == 1
	})
	if got := s.Count(t, "Quarantine"); got != 1 {
		t.Errorf("Count(Quarantine) = %d, want 1", got)
	}
	if got := s.Count(t, "Processed"); got != 2 {
		t.Errorf("Count(Processed) = %d, want 2", got)
	}
	st := r.w.Status()
	if st.Rejected != 1 || !strings.Contains(st.LastRejection, "uid 2: recipient refused by the store") {
		t.Errorf("Status() Rejected = %d, LastRejection = %q; want 1 and the reason", st.Rejected, st.LastRejection)
	}
	if st.HandlerErrors != 0 {
		t.Errorf("Status().HandlerErrors = %d, want 0: a permanent error is no retry", st.HandlerErrors)
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("handler called %d times, want 3 (each message once)", n)
	}
}

// A message that fails every time while the dependencies are up is
// quarantined after MaxAttempts, through GiveUp; while Check says the
// dependencies are down, or the handler says its failure is an outage, no
// failure counts and nothing is quarantined.
func TestWorker_maxAttempts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		up     bool
		outage bool // the handler says its failure is an outage
	}{{"dependenciesUp", true, false}, {"dependenciesDown", false, false}, {"outageError", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := memServerWith(t, 3)
			rec := &recorder{fail: func(m *Message) error {
				if subjectOf(m.Raw) == "bounce b" {
					if tc.outage {
						return Outage(errTransient)
					}
					return errTransient
				}
				return nil
			}}
			var (
				mu     sync.Mutex
				gaveUp []string
			)
			cfg := memConfig(s)
			cfg.MaxAttempts = 3
			cfg.BackoffMin, cfg.BackoffMax = time.Millisecond, 5*time.Millisecond
			cfg.Check = func(context.Context) error {
				if tc.up {
					return nil
				}
				return errors.New("redis: connection refused")
			}
			cfg.GiveUp = func(_ context.Context, m *Message, last error) error {
				mu.Lock()
				defer mu.Unlock()
				gaveUp = append(gaveUp, fmt.Sprintf("%d %v", m.UID, last))
				return nil
			}
			r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
			if tc.up && !tc.outage {
				waitFor(t, 5*time.Second, "b quarantined, a and c processed", func() bool {
					st := r.w.Status()
					return st.Quarantined == 1 && st.Processed == 2
				})
				if n := r.w.Status().HandlerErrors; n != 3 {
					t.Errorf("HandlerErrors = %d, want 3 (MaxAttempts)", n)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(gaveUp) != 1 || !strings.HasPrefix(gaveUp[0], "2 mailbox: gave up after 3 attempts") || !strings.Contains(gaveUp[0], "redis down") {
					t.Errorf("GiveUp calls = %q, want one for uid 2 with the last error", gaveUp)
				}
				if got := s.Count(t, "Quarantine"); got != 1 {
					t.Errorf("Count(Quarantine) = %d, want 1", got)
				}
				return
			}
			waitFor(t, 10*time.Second, "10×MaxAttempts failures", func() bool { return r.w.Status().HandlerErrors >= 30 })
			st := r.w.Status()
			if st.Quarantined != 0 || st.Rejected != 0 || s.Count(t, "Quarantine") != 0 {
				t.Errorf("Status() = %+v, Quarantine %d: want nothing quarantined while the dependencies are down", st, s.Count(t, "Quarantine"))
			}
			if got := s.Count(t, "INBOX"); got != 2 {
				t.Errorf("Count(INBOX) = %d, want 2 (b and c wait)", got)
			}
		})
	}
}

// Messages waiting with no progress for StallAfter make Status report a
// stall, which ends when they move.
func TestWorker_stall(t *testing.T) {
	s := memServerWith(t, 2)
	var down atomic.Bool
	down.Store(true)
	rec := &recorder{fail: func(m *Message) error {
		if down.Load() {
			return errTransient
		}
		return nil
	}}
	cfg := memConfig(s)
	cfg.StallAfter = 300 * time.Millisecond
	cfg.MaxAttempts = 1 << 20
	r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
	waitFor(t, 5*time.Second, "first failure", func() bool { return r.w.Status().HandlerErrors >= 1 })
	if st := r.w.Status(); st.Stalled || st.Waiting != 2 {
		t.Errorf("Status() just after the first failure: Stalled %v, Waiting %d; want false, 2", st.Stalled, st.Waiting)
	}
	waitFor(t, 5*time.Second, "stalled", func() bool { return r.w.Status().Stalled })
	down.Store(false)
	r.w.Wake()
	waitFor(t, 5*time.Second, "drained", func() bool { return r.w.Status().Processed == 2 })
	if st := r.w.Status(); st.Stalled || st.Waiting != 0 {
		t.Errorf("Status() after the drain: Stalled %v, Waiting %d; want false, 0", st.Stalled, st.Waiting)
	}
}

// readOnlyFolder makes a Dovecot maildir folder unwritable by the mail
// user, so that every MOVE into it is refused (NO [SERVERBUG]); the
// returned function makes it writable again.
func readOnlyFolder(t *testing.T, dir, folder string) func() {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: Dovecot's mail processes must run as another user than the test")
	}
	base := filepath.Join(dir, "mail", "bounces", "."+folder)
	paths := []string{filepath.Join(base, "cur"), filepath.Join(base, "new"), filepath.Join(base, "tmp"), base}
	for _, p := range paths {
		if err := os.Chmod(p, 0o500); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for _, p := range paths {
			if err := os.Chmod(p, 0o700); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// A MOVE the server refuses (here a folder it cannot write, as with a
// quota) holds back only the messages bound for that folder: the others
// move, the refused one is not handled again on each retry, the backoff
// grows across retries, and the message moves once the folder takes it.
func TestDovecot_moveRefused(t *testing.T) {
	d := startDovecot(t)
	for _, after := range []AfterAction{AfterMove, AfterFlag} {
		t.Run(string(after), func(t *testing.T) {
			cfg := dovecotConfig(d, "refused-"+string(after))
			cfg.After = after
			cfg.BackoffMin, cfg.BackoffMax = 20*time.Millisecond, 200*time.Millisecond
			d.Create(t, cfg.QuarantineFolder)
			writable := readOnlyFolder(t, d.Dir, cfg.QuarantineFolder)
			for _, subj := range []string{"bounce 1", "quarantine 2", "bounce 3"} {
				d.Append(t, cfg.Mailbox, mail(subj))
			}
			rec := &recorder{}
			logs := newLogRecords(t)
			cp := newMemCheckpoints()
			r := start(t, cfg, rec.handle, cp, slog.New(logs))
			waitFor(t, 10*time.Second, "the bounces done", func() bool { return r.w.Status().Processed == 2 })
			waitFor(t, 10*time.Second, "5 retries", func() bool { return logs.count(slog.LevelWarn, "mailbox: poll failed, will retry") >= 5 })
			left := 1
			if after == AfterFlag {
				left = 3 // the flagged bounces stay too
			}
			if got := d.Count(t, cfg.Mailbox); got != left {
				t.Errorf("Count(%s) = %d, want %d", cfg.Mailbox, got, left)
			}
			if _, last := cp.get(cfg.Name + "/" + cfg.Mailbox); last != 1 {
				t.Errorf("checkpoint = %d while uid 2 is refused, want 1 (below it)", last)
			}
			if n := handledTimes(rec, "quarantine 2"); n != 1 {
				t.Errorf("quarantine 2 handled %d times during the retries, want 1: only the move is retried", n)
			}
			if st := r.w.Status(); !st.Connected || st.Reconnects != 0 || !strings.Contains(st.LastError, "SERVERBUG") {
				t.Errorf("Status() = %+v, want connected, no reconnect, the refusal in LastError", st)
			}
			if got := maxAttemptLogged(logs); got < 5 {
				t.Errorf("highest retry attempt logged = %d, want the count to grow (>= 5), not reset", got)
			}

			writable()
			waitFor(t, 10*time.Second, "quarantined", func() bool { return d.Count(t, cfg.QuarantineFolder) == 1 })
			if n := handledTimes(rec, "quarantine 2"); n != 1 {
				t.Errorf("quarantine 2 handled %d times, want 1", n)
			}
			// The checkpoint passes the refused message once it moved (it
			// need not reach 3: in flag mode 3 carries the keyword).
			waitFor(t, 5*time.Second, "checkpoint past 2", func() bool { _, last := cp.get(cfg.Name + "/" + cfg.Mailbox); return last >= 2 })
		})
	}
}

// A folder the server refuses to create holds back only its messages.
func TestDovecot_folderCannotBeCreated(t *testing.T) {
	d := startDovecot(t)
	cfg := dovecotConfig(d, "nocreate")
	cfg.QuarantineFolder = "nocreate//Quarantine" // Dovecot: NO [CANNOT] adjacent hierarchy separators
	for _, subj := range []string{"quarantine 1", "bounce 2", "ignore 3"} {
		d.Append(t, cfg.Mailbox, mail(subj))
	}
	rec := &recorder{}
	r := start(t, cfg, rec.handle, newMemCheckpoints(), nil)
	waitFor(t, 10*time.Second, "the others moved", func() bool {
		return d.Count(t, cfg.ProcessedFolder) == 1 && d.Count(t, cfg.IgnoredFolder) == 1
	})
	if got := d.Count(t, cfg.Mailbox); got != 1 {
		t.Errorf("Count(%s) = %d, want 1 (the message for the folder that cannot be created)", cfg.Mailbox, got)
	}
	waitFor(t, 10*time.Second, "the refusal reported", func() bool { return strings.Contains(r.w.Status().LastError, "CANNOT") })
	if st := r.w.Status(); st.Processed != 1 || st.Ignored != 1 || st.Quarantined != 0 || !st.Connected {
		t.Errorf("Status() = %+v, want 1 processed, 1 ignored, connected", st)
	}
}

// QUIRK reproduced: a message whose file Dovecot no longer has (expunged by
// the MOVE of a run killed meanwhile, which Dovecot carries on) is fetched
// with an empty body and no error. It must not reach the handler (which
// would quarantine it as unparseable); the next poll no longer sees it.
func TestDovecot_vanishingMessagesNotHandled(t *testing.T) {
	d := startDovecot(t)
	cfg := dovecotConfig(d, "vanish")
	for i := 1; i <= 4; i++ {
		d.Append(t, cfg.Mailbox, mail(fmt.Sprintf("bounce %d", i)))
	}
	// The files of 3 and 4 go between the SEARCH that lists them and the FETCH of their
	// bodies: Dovecot still lists them.
	var once sync.Once
	vanish := func() {
		files := mailFiles(t, d.Dir, cfg.Mailbox)
		if len(files) != 4 {
			t.Errorf("maildir files = %v, want 4", files)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Error(err)
				continue
			}
			if s := subjectOf(b); s == "bounce 3" || s == "bounce 4" {
				if err := os.Remove(f); err != nil {
					t.Error(err)
				}
			}
		}
	}
	rec := &recorder{}
	r := start(t, cfg, rec.handle, newMemCheckpoints(), nil, func(w *Worker) {
		w.beforeFetch = func() { once.Do(vanish) }
	})
	waitFor(t, 10*time.Second, "1 and 2 processed, 3 and 4 gone", func() bool {
		return d.Count(t, cfg.ProcessedFolder) == 2 && d.Count(t, cfg.Mailbox) == 0
	})
	for _, c := range rec.all() {
		if len(c.raw) == 0 {
			t.Errorf("handler got uid %d with an empty body", c.uid)
		}
	}
	if st := r.w.Status(); st.Processed != 2 || st.Quarantined != 0 || st.Rejected != 0 {
		t.Errorf("Status() = %+v, want 2 processed and nothing quarantined", st)
	}
}

// mailFiles lists the maildir files of folder.
func mailFiles(t *testing.T, dir, folder string) []string {
	t.Helper()
	var out []string
	for _, sub := range []string{"cur", "new"} {
		m, err := filepath.Glob(filepath.Join(dir, "mail", "bounces", "."+folder, sub, "*"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	return out
}

// handledTimes counts the handler calls for subject.
func handledTimes(rec *recorder, subject string) int {
	n := 0
	for _, c := range rec.all() {
		if c.subject == subject {
			n++
		}
	}
	return n
}

// maxAttemptLogged returns the highest "attempt" of the retry warnings.
func maxAttemptLogged(h logRecords) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	var hi int64
	for _, r := range *h.recs {
		if r.Message != "mailbox: poll failed, will retry" {
			continue
		}
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "attempt" && a.Value.Int64() > hi {
				hi = a.Value.Int64()
			}
			return true
		})
	}
	return hi
}

// A quota on the target folder (Dovecot's quota plugin, on a namespace of
// its own: Dovecot does not check quota for a MOVE within one namespace,
// see quota_move_requires_check in its quota-storage.c) refuses the MOVE
// with NO [OVERQUOTA]: the message stays, is not handled again, and moves
// once someone makes room; the others go on meanwhile.
func TestDovecot_quotaOnTargetFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	d := testutil.StartDovecotWith(t, testutil.DovecotOptions{Settings: []string{
		"namespace inbox {", "  inbox = yes", "  separator = .", "}",
		"namespace limited {", "  prefix = Q.", "  separator = .", "  location = maildir:~/limited", "  list = yes", "}",
		"mail_plugins = $mail_plugins quota",
		"plugin {",
		"  quota = count:User quota:ns=",
		"  quota2 = count:Quarantine quota:ns=Q.",
		"  quota2_rule = *:messages=2",
		"  quota_vsizes = yes",
		"}",
	}})
	cfg := dovecotConfig(d, "INBOX")
	cfg.ProcessedFolder, cfg.IgnoredFolder, cfg.QuarantineFolder = "Processed", "Ignored", "Q.Quarantine"
	cfg.BackoffMin, cfg.BackoffMax = 20*time.Millisecond, 200*time.Millisecond
	cfg.MoveBatchSize = 1
	for _, subj := range []string{"quarantine 1", "quarantine 2", "quarantine 3", "bounce 4"} {
		d.Append(t, "INBOX", mail(subj))
	}
	rec := &recorder{}
	logs := newLogRecords(t)
	r := start(t, cfg, rec.handle, newMemCheckpoints(), slog.New(logs))
	waitFor(t, 10*time.Second, "two quarantined, the bounce processed", func() bool {
		return d.Count(t, "Q.Quarantine") == 2 && d.Count(t, "Processed") == 1
	})
	waitFor(t, 10*time.Second, "3 retries", func() bool { return logs.count(slog.LevelWarn, "mailbox: poll failed, will retry") >= 3 })
	if st := r.w.Status(); !strings.Contains(st.LastError, "OVERQUOTA") || d.Count(t, "INBOX") != 1 {
		t.Errorf("LastError = %q, INBOX %d; want OVERQUOTA and quarantine 3 left", st.LastError, d.Count(t, "INBOX"))
	}
	// Someone makes room in the quarantine.
	d.Do(t, func(c *imapclient.Client) error {
		if _, err := c.Select("Q.Quarantine", nil).Wait(); err != nil {
			return err
		}
		if err := c.Store(imap.SeqSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
			return err
		}
		return c.Expunge().Close()
	})
	waitFor(t, 10*time.Second, "quarantine 3 moved", func() bool { return d.Count(t, "INBOX") == 0 })
	if n := handledTimes(rec, "quarantine 3"); n != 1 {
		t.Errorf("quarantine 3 handled %d times, want 1", n)
	}
}
