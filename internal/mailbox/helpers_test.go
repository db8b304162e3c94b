package mailbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// memCheckpoints is an in-memory Checkpoints.
type memCheckpoints struct {
	mu    sync.Mutex
	m     map[string][2]uint32
	saves int
	// saved lists every lastUID saved, in order.
	saved []uint32
	err   error // returned by both methods when set
}

func newMemCheckpoints() *memCheckpoints { return &memCheckpoints{m: map[string][2]uint32{}} }

// saveCount is how many saves succeeded.
func (c *memCheckpoints) saveCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.saves
}

func (c *memCheckpoints) LoadCheckpoint(_ context.Context, key string) (uint32, uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, 0, c.err
	}
	v := c.m[key]
	return v[0], v[1], nil
}

func (c *memCheckpoints) SaveCheckpoint(_ context.Context, key string, uidValidity, lastUID uint32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.m[key] = [2]uint32{uidValidity, lastUID}
	c.saves++
	c.saved = append(c.saved, lastUID)
	return nil
}

func (c *memCheckpoints) history() []uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.saved)
}

func (c *memCheckpoints) get(key string) (uint32, uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.m[key]
	return v[0], v[1]
}

func (c *memCheckpoints) set(key string, uidValidity, lastUID uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = [2]uint32{uidValidity, lastUID}
}

// recorder is a Handler that decides by Subject ("ignore", "quarantine",
// else processed), records every call, and can be made to fail.
type recorder struct {
	mu    sync.Mutex
	calls []call
	// fail, when set, is asked before each message; a non-nil error is
	// returned by the handler.
	fail func(m *Message) error
	// panics makes the handler panic instead of returning fail's error.
	panics bool
	// block, when set, is waited on (or ctx) before returning.
	block chan struct{}
}

type call struct {
	uid       uint32
	subject   string
	truncated bool
	size      int64
	raw       []byte
	err       error
	source    string
}

func (r *recorder) handle(ctx context.Context, m *Message) (Disposition, error) {
	subject := subjectOf(m.Raw)
	var err error
	if r.fail != nil {
		err = r.fail(m)
	}
	r.mu.Lock()
	r.calls = append(r.calls, call{uid: m.UID, subject: subject, truncated: m.Truncated, size: m.Size, raw: m.Raw, err: err, source: m.Source()})
	block := r.block
	r.mu.Unlock()
	if err != nil && r.panics {
		panic(err)
	}
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	if err != nil {
		return 0, err
	}
	switch {
	case strings.HasPrefix(subject, "ignore"):
		return Ignored, nil
	case strings.HasPrefix(subject, "quarantine"):
		return Quarantined, nil
	}
	return Processed, nil
}

// ok returns the UIDs handled successfully, in call order.
func (r *recorder) ok() []uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []uint32
	for _, c := range r.calls {
		if c.err == nil {
			out = append(out, c.uid)
		}
	}
	return out
}

func (r *recorder) all() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

func subjectOf(raw []byte) string {
	for _, line := range bytes.Split(raw, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break
		}
		if s, ok := bytes.CutPrefix(line, []byte("Subject: ")); ok {
			return string(s)
		}
	}
	return ""
}

// mail returns a small message with subject.
func mail(subject string) []byte {
	return []byte("From: MAILER-DAEMON@mx.example\r\nTo: bounces@shop.example\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@mx.example>\r\n\r\nbody of " + subject + "\r\n")
}

// memServerWith starts an in-memory server whose INBOX holds n messages,
// "bounce a", "bounce b", ...
func memServerWith(t *testing.T, n int) *testutil.IMAPMem {
	t.Helper()
	s := testutil.StartIMAPMem(t)
	for i := range n {
		s.Append(t, "INBOX", mail("bounce "+string(rune('a'+i))))
	}
	return s
}

// memConfig returns a Config for the in-memory server s with fast timings.
func memConfig(s *testutil.IMAPMem) Config {
	return Config{
		Name: "test", Addr: s.Addr, TLS: TLSPlain, AllowPlain: true,
		Username: s.User, Password: s.Password,
		PollInterval: time.Minute, BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond,
		// One at a time, so that tests can check the UID order of handling.
		Concurrency: 1,
	}
}

// running is a Worker running in a goroutine.
type running struct {
	w      *Worker
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// start runs a worker until stop or the end of the test.
func start(t *testing.T, cfg Config, h Handler, cp Checkpoints, log *slog.Logger, tweak ...func(*Worker)) *running {
	t.Helper()
	if log == nil {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	w, err := New(cfg, h, cp, log)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	for _, f := range tweak {
		f(w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{w: w, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- w.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels the worker and checks that Run returns nil within 20s (a
// deadline, not an expected duration: tests that care how soon Run returns
// measure it themselves).
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	r.once.Do(func() {
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Run() = %v, want nil", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("Run() did not return within 20s of cancel")
		}
	})
}

// testWriter sends log lines to t.Log while the test runs.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	defer func() { _ = recover() }() // a log line after the test ended
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// waitFor polls cond until it holds or the timeout passes.
var waitFor = testutil.WaitFor

// uidValidity returns the UIDVALIDITY of mailbox.
func uidValidity(t *testing.T, a testutil.IMAPAccount, mailbox string) uint32 {
	t.Helper()
	var v uint32
	a.Do(t, func(c *imapclient.Client) error {
		sel, err := c.Select(mailbox, nil).Wait()
		if err != nil {
			return err
		}
		v = sel.UIDValidity
		return nil
	})
	return v
}

// logRecords is a slog.Handler that keeps records, for checks of what was
// logged.
type logRecords struct {
	mu   *sync.Mutex
	recs *[]slog.Record
	next slog.Handler
}

func newLogRecords(t *testing.T) logRecords {
	return logRecords{mu: &sync.Mutex{}, recs: &[]slog.Record{},
		next: slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})}
}

func (h logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (h logRecords) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	*h.recs = append(*h.recs, r.Clone())
	h.mu.Unlock()
	return h.next.Handle(ctx, r)
}
func (h logRecords) WithAttrs(as []slog.Attr) slog.Handler {
	h.next = h.next.WithAttrs(as)
	return h
}
func (h logRecords) WithGroup(name string) slog.Handler {
	h.next = h.next.WithGroup(name)
	return h
}

// count returns how many records at level have message msg.
func (h logRecords) count(level slog.Level, msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range *h.recs {
		if r.Level == level && r.Message == msg {
			n++
		}
	}
	return n
}

// text returns every record with its attributes, for leak checks.
func (h logRecords) text() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var b strings.Builder
	for _, r := range *h.recs {
		fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
		r.Attrs(func(a slog.Attr) bool {
			fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
			return true
		})
		b.WriteByte('\n')
	}
	return b.String()
}

var errTransient = errors.New("redis down")
