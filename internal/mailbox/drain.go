package mailbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/emersion/go-imap/v2"
)

const (
	// fetchBudget bounds the bytes of one UID FETCH of bodies; a single
	// message may exceed it up to MaxMessageSize.
	fetchBudget = 16 << 20
	// inFlightBudget bounds the bytes of message bodies fetched and not yet
	// handled: the fetcher works at most one chunk ahead of the handlers.
	inFlightBudget = 2 * fetchBudget
)

// job is one fetched message on its way through the handlers.
type job struct {
	msg  *Message
	held int64         // bytes counted against inFlightBudget
	done chan struct{} // closed when d and err are set, or skipped is
	d    Disposition
	err  error
	// skipped is set when the drain stopped before the handler ran.
	skipped bool
	// cached is set for a message handled before whose move failed: d is
	// the remembered disposition, and the handler is not run again.
	cached bool
	// vanished is set for a message whose body came back empty: it was
	// being expunged (by a MOVE of a killed run, or another client).
	vanished bool
}

// closed is a closed channel, the done of jobs that need no handler.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// drain handles the messages uids (ascending) as a pipeline of three
// stages that overlap, so that neither the server nor the handlers wait
// for the other:
//
//   - the fetcher reads BatchSize messages at a time, with their sizes
//     in the same UID FETCH while their bodies fit within fetchBudget
//     bytes (else their sizes first, then their bodies in chunks of at
//     most fetchBudget bytes: see fetch), and queues one job per message
//     in UID order, with at most inFlightBudget bytes not yet handled;
//   - Concurrency handlers take the jobs in that order and run the
//     Handler;
//   - the calling goroutine, the committer, takes the results in UID order
//     and moves (or flags) the handled messages MoveBatchSize at a time,
//     while the next ones are fetched and handled, and saves the checkpoint
//     after each move.
//
// What is moved and checkpointed is always a prefix of uids, but for
// messages whose folder the server refused: those stay (see apply), the
// others go on, and the checkpoint stays below the first that stayed. At
// the first handler failure the drain stops: nothing after the failed
// message is committed, the prefix before it is moved, and a *retryError
// naming the message is returned. Messages handled and not moved (after a
// failure, or whose move was refused) are remembered, so that the next
// drain moves them without handling them again; the handler is idempotent
// anyway, for what a crash forgets. A message whose body comes back empty
// (being expunged) stops the drain the same way, without blame. A fetch
// error (a broken connection) ends it too, after moving what was handled.
//
// When ctx is done the drain stops too, but the handlers run on hard: the
// messages being handled finish and the handled prefix is moved, unless
// hard ends first.
func (w *Worker) drain(ctx, hard context.Context, s *pollState, uids []imap.UID) error {
	if len(uids) == 0 {
		return nil
	}
	fctx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	var (
		budget  = newByteBudget(inFlightBudget)
		queue   = make(chan *job, 4*w.cfg.BatchSize+w.cfg.Concurrency)
		jobs    = make(chan *job)
		stopped atomic.Bool
		wg      sync.WaitGroup
		fetched = make(chan error, 1)
	)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				fetched <- w.recovered("fetch", v)
			}
		}()
		fetched <- w.fetch(fctx, s, uids, budget, queue, jobs)
	}()
	// take receives the next job and decides whether to start it, under a
	// lock: decisions are then made in UID order, so that once one job is
	// skipped (a stop, or a failure before it) every later one is too, and
	// no job that ran hides behind a skipped one.
	var takeMu sync.Mutex
	take := func() (j *job, start, ok bool) {
		takeMu.Lock()
		defer takeMu.Unlock()
		j, ok = <-jobs
		return j, ok && !stopped.Load() && ctx.Err() == nil, ok
	}
	for range w.cfg.Concurrency {
		wg.Go(func() {
			for {
				j, start, ok := take()
				if !ok {
					return
				}
				if !start {
					j.skipped = true
				} else if j.d, j.err = w.handle(hard, j.msg); j.err != nil {
					// Start no more: what follows would not be committed.
					stopped.Store(true)
				}
				close(j.done)
			}
		})
	}

	var (
		pending []handled
		hErr    error // the first handler failure
		vErr    error // a message that vanished while fetched
		mErr    error // a failed move: the connection is likely gone
		refused []error
		// hold is the lowest UID whose move was refused: the checkpoint
		// stays below it (in flag mode it would pass over it).
		hold imap.UID
		// cut is set at the first skipped message: nothing after a gap is
		// committed (in flag mode the checkpoint would pass over it).
		cut bool
	)
	stop := func() {
		stopped.Store(true)
		stopFetch()
	}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		kept, rErr, err := w.apply(s, pending)
		if err != nil {
			return err
		}
		if rErr != nil {
			refused = append(refused, rErr)
		}
		if len(kept) > 0 && (hold == 0 || kept[0] < hold) {
			hold = kept[0]
		}
		last := pending[len(pending)-1].uid
		if hold != 0 && last >= hold {
			last = hold - 1
		}
		w.checkpoint(hard, s, uint32(last))
		if len(kept) > 0 {
			moved := pending[:0:0]
			for _, h := range pending {
				if _, stay := slices.BinarySearch(kept, h.uid); !stay {
					moved = append(moved, h)
				}
			}
			w.forget(s.uidValidity, moved)
		} else {
			w.forget(s.uidValidity, pending)
		}
		pending = pending[:0]
		return nil
	}
	for j := range queue {
		<-j.done
		budget.release(j.held)
		uid := imap.UID(j.msg.UID)
		j.msg = nil // the body is no longer needed
		if j.err == nil && !j.skipped && !j.vanished && !j.cached {
			// Until it is moved: a failure after this point moves it
			// later without handling it again.
			w.remember(msgID{s.uidValidity, uint32(uid)}, j.d)
		}
		if j.skipped {
			cut = true
		}
		switch {
		case cut || hErr != nil || mErr != nil:
			continue
		case j.vanished:
			// QUIRK: Dovecot answers a FETCH of a message whose file is
			// gone (expunged by another session, or by the MOVE of a run
			// killed meanwhile) with an empty body and no error. Such a
			// message is not handed to the handler (it would look
			// unparseable); the drain stops here and the next poll, after
			// the server has synced, no longer lists it.
			cut = true
			vErr = &retryError{err: fmt.Errorf("mailbox: uid %d came back empty: expunged meanwhile", uid)}
			w.log.Debug("mailbox: drain stopped at a vanishing message", "uid", uid, "handled", len(pending))
			stop()
			continue
		case j.err != nil:
			w.update(func(st *Status) { st.HandlerErrors++ })
			hErr = &retryError{uid: uint32(uid), err: fmt.Errorf("mailbox: handler for uid %d: %w", uid, j.err)}
			w.log.Debug("mailbox: drain stopped", "uid", uid, "handled", len(pending))
			stop()
			continue
		}
		pending = append(pending, handled{uid, j.d})
		if len(pending) >= w.cfg.MoveBatchSize {
			if err := flush(); err != nil {
				mErr = err
				stop()
			}
		}
	}
	wg.Wait()
	fErr := <-fetched
	if hard.Err() != nil {
		return hard.Err()
	}
	if mErr != nil {
		return mErr
	}
	if err := flush(); err != nil {
		return errors.Join(fErr, err)
	}
	switch {
	case hErr != nil:
		return hErr
	case fErr != nil:
		return fErr
	case vErr != nil:
		return vErr
	case len(refused) > 0:
		return &retryError{err: fmt.Errorf("mailbox: messages left for a later move: %w", errors.Join(refused...))}
	}
	return nil
}

// fetch is the drain's first stage: it fetches uids BatchSize at a time
// and queues a job per message in UID order on queue (for the committer)
// and on jobs (for the handlers), closing both when it returns. It
// returns nil when every message was queued or ctx was cancelled, and the
// error of a failed FETCH.
//
// A batch is fetched in one UID FETCH of sizes, dates and bodies
// (fetchWhole) while its bodies fit within fetchBudget bytes. A batch with
// a message handled before (whose body is not needed), and the batches
// after one whose bodies did not all fit, are fetched in two steps as
// the messages' sizes require: their sizes first (fetchMeta), then their
// bodies in chunks of at most fetchBudget bytes, those over
// MaxMessageSize truncated (fetchBodies). A batch fetched in two steps
// whose bodies would have fitted in one FETCH makes the next one whole
// again.
func (w *Worker) fetch(ctx context.Context, s *pollState, uids []imap.UID, budget *byteBudget, queue, jobs chan<- *job) error {
	defer close(queue)
	defer close(jobs)
	remembered := func(m meta) (Disposition, bool) {
		return w.recall(msgID{s.uidValidity, uint32(m.uid)})
	}
	// enqueue queues the job of message m, fetched (raw, found: false when
	// it was expunged meanwhile) with held bytes counted against the
	// budget. It returns false when ctx is done.
	enqueue := func(m meta, raw []byte, found, trunc bool, held int64) bool {
		if !found { // expunged meanwhile by another client
			budget.release(held)
			return true
		}
		if len(raw) == 0 && w.vanishing(msgID{s.uidValidity, uint32(m.uid)}) { // being expunged: see the committer
			budget.release(held)
			select {
			case queue <- &job{vanished: true, done: closed, msg: &Message{UID: uint32(m.uid)}}:
				return true
			case <-ctx.Done():
				return false
			}
		}
		j := &job{held: held, done: make(chan struct{}), msg: &Message{
			Worker: w.cfg.Name, User: w.cfg.Username, Addr: w.cfg.Addr, Mailbox: w.cfg.Mailbox,
			UIDValidity: s.uidValidity, UID: uint32(m.uid),
			Raw: raw, Size: m.size, Truncated: trunc, InternalDate: m.date,
		}}
		select {
		case queue <- j:
		case <-ctx.Done():
			budget.release(held)
			return false
		}
		select {
		case jobs <- j:
		case <-ctx.Done():
			j.skipped = true
			close(j.done)
			return false
		}
		return true
	}
	whole := true
	for len(uids) > 0 {
		n := min(len(uids), w.cfg.BatchSize)
		batch := uids[:n]
		uids = uids[n:]
		var metas []meta
		if whole && !slices.ContainsFunc(batch, func(u imap.UID) bool { _, ok := remembered(meta{uid: u}); return ok }) {
			if err := budget.acquire(ctx, fetchBudget); err != nil {
				return nil // stopped
			}
			if w.beforeFetch != nil {
				w.beforeFetch()
			}
			kept, rest, err := w.fetchWhole(s.c, batch, fetchBudget)
			if err != nil {
				budget.release(fetchBudget)
				return err
			}
			var held int64
			for _, f := range kept {
				held += min(f.size, w.cfg.MaxMessageSize)
			}
			budget.release(fetchBudget - held)
			for _, f := range kept {
				if !enqueue(f.meta, f.body, true, f.size > w.cfg.MaxMessageSize, min(f.size, w.cfg.MaxMessageSize)) {
					return nil
				}
			}
			if len(rest) == 0 {
				continue
			}
			// The rest did not fit: fetch it by size, and the next
			// batches too until one would have fitted.
			metas, whole = rest, false
		} else {
			var err error
			if metas, err = w.fetchMeta(s.c, batch); err != nil {
				return err
			}
			if w.beforeFetch != nil {
				w.beforeFetch()
			}
			var total int64
			for _, m := range metas {
				total += min(m.size, w.cfg.MaxMessageSize)
			}
			whole = total <= fetchBudget
		}
		for len(metas) > 0 {
			if d, ok := remembered(metas[0]); ok {
				// Handled before, not moved: only the move is retried.
				j := &job{cached: true, d: d, done: closed, msg: &Message{UID: uint32(metas[0].uid)}}
				metas = metas[1:]
				select {
				case queue <- j:
				case <-ctx.Done():
					return nil
				}
				continue
			}
			// A chunk is a run of messages fetched whole, or a run fetched
			// truncated, within fetchBudget bytes.
			trunc := metas[0].size > w.cfg.MaxMessageSize
			n, total := 0, int64(0)
			for n < len(metas) && (metas[n].size > w.cfg.MaxMessageSize) == trunc {
				if _, ok := remembered(metas[n]); ok {
					break
				}
				sz := min(metas[n].size, w.cfg.MaxMessageSize)
				if n > 0 && total+sz > fetchBudget {
					break
				}
				total += sz
				n++
			}
			chunk := metas[:n]
			metas = metas[n:]
			if err := budget.acquire(ctx, total); err != nil {
				return nil // stopped
			}
			bodies, err := w.fetchBodies(s.c, chunk, trunc)
			if err != nil {
				budget.release(total)
				return err
			}
			for _, m := range chunk {
				raw, ok := bodies[m.uid]
				if !enqueue(m, raw, ok, trunc, min(m.size, w.cfg.MaxMessageSize)) {
					return nil
				}
			}
		}
	}
	return nil
}

// byteBudget counts bytes held against a limit. One goroutine acquires,
// any releases.
type byteBudget struct {
	mu    sync.Mutex
	used  int64
	limit int64
	freed chan struct{}
}

func newByteBudget(limit int64) *byteBudget {
	return &byteBudget{limit: limit, freed: make(chan struct{}, 1)}
}

// acquire waits until n more bytes fit within the limit (or nothing is
// held: a single request may exceed the limit), or until ctx is done.
func (b *byteBudget) acquire(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return nil
		}
		b.mu.Unlock()
		select {
		case <-b.freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// release gives back n bytes.
func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	select {
	case b.freed <- struct{}{}:
	default:
	}
}
