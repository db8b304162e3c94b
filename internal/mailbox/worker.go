package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Worker polls one mailbox and hands each message to a Handler. Create it
// with New and run it with Run.
type Worker struct {
	cfg  Config
	h    Handler
	cp   Checkpoints
	log  *slog.Logger
	key  string
	wake chan struct{}
	// tokens is the refreshing token source of Config.OAuth2, nil without.
	tokens *tokenSource

	running atomic.Bool
	// noIdle makes the worker poll even when the server offers IDLE
	// (tests of the poll path: imapserver always offers IDLE).
	noIdle bool
	// beforeFetch, when set, is called before each FETCH of bodies, after
	// the SEARCH or FETCH of sizes that listed them (tests of what the
	// server does meanwhile).
	beforeFetch func()

	// failures counts the failed polls and connections since the last
	// poll that got to the end of the mailbox: the backoff grows with it,
	// across reconnects, while the same trouble repeats. Only Run's
	// goroutine uses it.
	failures int
	// failedAt is the checkpoint (last UID) at the last failed poll.
	failedAt uint32

	// memMu guards results and attempts, which outlive sessions.
	memMu sync.Mutex
	// results remembers messages handled but not yet moved (their move
	// failed, or the drain stopped before them), so that only the move is
	// tried again, not the handler.
	results map[msgID]Disposition
	// attempts counts the transient failures of a message (see Check).
	attempts map[msgID]attempt
	// vanished counts the polls in a row a message came back empty.
	vanished map[msgID]int

	mu sync.Mutex
	st Status
}

// msgID names a message of the watched mailbox (RFC 9051 section 2.3.1.1).
type msgID struct{ uidValidity, uid uint32 }

// attempt is what the worker remembers of a message's failures.
type attempt struct {
	n    int
	last error
}

// maxRemembered bounds results: beyond it, handled messages whose move
// failed are simply handled again.
const maxRemembered = 1 << 16

// Status is a snapshot of a Worker for health checks and metrics.
type Status struct {
	// Name is Config.Name.
	Name string
	// Connected is true while the worker has the mailbox selected.
	Connected bool
	// Idle is true while the worker waits in IDLE.
	Idle bool
	// LastError is the last connection, handler or checkpoint error, ""
	// when none happened yet.
	LastError string
	// LastErrorAt is when LastError happened.
	LastErrorAt time.Time
	// LastSuccess is when the mailbox was last polled to the end.
	LastSuccess time.Time
	// UIDValidity and LastUID are the checkpoint.
	UIDValidity, LastUID uint32
	// Processed, Ignored and Quarantined count the messages handled (and
	// moved or flagged) by disposition since New.
	Processed, Ignored, Quarantined uint64
	// HandlerErrors counts handler calls that returned an error.
	HandlerErrors uint64
	// Reconnects counts connection attempts after a failure.
	Reconnects uint64
	// Rejected counts the messages quarantined because the handler said
	// they can never succeed (a *PermanentError) or because they failed
	// MaxAttempts times.
	Rejected uint64
	// LastRejection is the reason of the last of those, with its UID.
	LastRejection string
	// Waiting is the number of messages found at the last poll that are
	// not yet moved (or flagged).
	Waiting int
	// LastProgress is when a message was last moved (or flagged), or the
	// mailbox found empty, or messages started waiting.
	LastProgress time.Time
	// Stalled is true when messages have been waiting for longer than
	// Config.StallAfter without one of them being moved.
	Stalled bool
	// Lease is LeaseHeld or LeaseStandby under RunLeased, "" under Run.
	Lease string
}

// New validates cfg (filling its defaults) and returns a Worker that hands
// messages to h and keeps its checkpoint in cp. A nil log discards logs.
func New(cfg Config, h Handler, cp Checkpoints, log *slog.Logger) (*Worker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errors.New("mailbox: nil handler")
	}
	if cp == nil {
		return nil, errors.New("mailbox: nil checkpoints")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{
		cfg:  cfg,
		h:    h,
		cp:   cp,
		log:  log.With("mailbox", cfg.Name, "source_folder", cfg.Mailbox),
		key:  cfg.Name + "/" + cfg.Mailbox,
		wake: make(chan struct{}, 1),
	}
	if cfg.OAuth2 != nil {
		w.tokens = newTokenSource(cfg.OAuth2, func(err error) {
			w.log.Error("mailbox: could not save the new oauth2 refresh token; the old one is used at the next start", "error", err)
		})
		w.cfg.Token = w.tokens.Token
	}
	w.st.Name = cfg.Name
	w.st.LastProgress = time.Now()
	w.results = map[msgID]Disposition{}
	w.attempts = map[msgID]attempt{}
	w.vanished = map[msgID]int{}
	return w, nil
}

// Status returns a snapshot of the worker's state.
func (w *Worker) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := w.st
	st.Stalled = st.Waiting > 0 && time.Since(st.LastProgress) > w.cfg.StallAfter
	return st
}

// Wake makes a waiting worker poll the mailbox now. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run connects, handles every message of the mailbox, and waits for new
// ones (with IDLE when the server has it, else by polling) until ctx is
// done, when it returns nil. Any connection or IMAP error closes the
// connection, and Run connects again after an exponential, jittered
// backoff; it logs the outage once at warn, and the recovery at info.
//
// When ctx is done Run fetches and starts nothing more, but lets the
// messages being handled finish and moves the handled ones, for at most
// StopGrace; then it closes the connection.
func (w *Worker) Run(ctx context.Context) error {
	if !w.running.CompareAndSwap(false, true) {
		return errors.New("mailbox: worker is already running")
	}
	defer w.running.Store(false)
	// hard ends StopGrace after ctx: it closes the connection and cancels
	// the handlers.
	hard, cancelHard := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelHard()
	defer context.AfterFunc(ctx, func() { time.AfterFunc(w.cfg.StopGrace, cancelHard) })()

	var (
		outage bool
		since  time.Time
	)
	// The backoff is not reset by a successful connect, only by a poll
	// that gets to the end of the mailbox (see session): a server that
	// accepts connections and then fails every poll is not hammered.
	up := func() {
		if outage {
			w.log.Info("mailbox: connection restored", "addr", w.cfg.Addr, "down_for", time.Since(since).Round(time.Millisecond))
			outage = false
		} else {
			w.log.Info("mailbox: connected", "addr", w.cfg.Addr)
		}
	}
	for {
		err := w.session(ctx, hard, up)
		w.update(func(st *Status) { st.Connected, st.Idle = false, false })
		if ctx.Err() != nil {
			w.log.Debug("mailbox: stopped")
			return nil
		}
		if err == nil {
			err = errors.New("mailbox: session ended")
		}
		w.setError(err)
		w.failures++
		failures := w.failures
		d := backoff(w.cfg.BackoffMin, w.cfg.BackoffMax, failures)
		if !outage {
			outage, since = true, time.Now()
			if credentialsRefused(err) {
				// No retry cures it, but the operator may fix the
				// token file or the grant while the worker waits.
				w.log.Error("mailbox: credentials refused, retrying", "addr", w.cfg.Addr, "error", err)
			} else {
				w.log.Warn("mailbox: connection failed, retrying", "addr", w.cfg.Addr, "error", err)
			}
		} else {
			w.log.Debug("mailbox: still failing", "addr", w.cfg.Addr, "error", err, "attempt", failures, "retry_in", d)
		}
		if !sleep(ctx, d, nil) {
			return nil
		}
		w.update(func(st *Status) { st.Reconnects++ })
	}
}

// credentialsRefused reports whether err is a login the server refused
// (an *AuthError) or a grant the token endpoint refused (a permanent
// *TokenError): errors an operator must act on.
func credentialsRefused(err error) bool {
	var te *TokenError
	if errors.As(err, &te) {
		return te.Permanent
	}
	return errors.As(err, new(*AuthError))
}

// update changes the status under the lock.
func (w *Worker) update(f func(st *Status)) {
	w.mu.Lock()
	f(&w.st)
	w.mu.Unlock()
}

// setError records err in the status.
func (w *Worker) setError(err error) {
	w.update(func(st *Status) {
		st.LastError = err.Error()
		st.LastErrorAt = time.Now()
	})
}

// backoff returns a random wait in [0, min(max, min·2^(attempt-1))]: an
// exponential backoff with full jitter.
func backoff(lo, hi time.Duration, attempt int) time.Duration {
	d := lo
	for i := 1; i < attempt && d < hi; i++ {
		d *= 2
	}
	if d > hi {
		d = hi
	}
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// sleep waits for d, for ctx to be done or for a wake-up on wake (may be
// nil). It reports false when ctx is done.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	case <-wake:
	}
	return true
}

// recovered turns a panic value into an error and logs it with its stack.
func (w *Worker) recovered(where string, v any) error {
	w.log.Error("mailbox: panic", "in", where, "panic", v, "stack", string(debug.Stack()))
	return fmt.Errorf("mailbox: panic in %s: %v", where, v)
}
