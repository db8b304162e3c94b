package suppress

import (
	"context"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// ApplyBatch applies every entry of es as Apply does, each with its own
// run of the apply script (so each is atomic and idempotent on its own,
// and the fence of ctx is checked for each), but sends them all to Redis
// in one pipeline: one round trip instead of len(es). It returns a result
// and an error for each entry, in the order of es; an entry that fails
// (an invalid one, a stale fence, a lost connection) does not keep the
// others from being applied. The scripts run in the order of es. All the
// keys share the store's hash tag, so on Redis Cluster the pipeline goes
// to one node.
func (s *Store) ApplyBatch(ctx context.Context, es []Entry) ([]Result, []error) {
	now, needEpoch := s.now(), s.requireEpoch.Load()
	res, errs := make([]Result, len(es)), make([]error, len(es))
	if len(es) == 1 {
		res[0], errs[0] = s.apply(ctx, es[0], now, needEpoch)
		return res, errs
	}
	calls := make([]*applyCall, len(es))
	sent := 0
	for i, e := range es {
		if calls[i], errs[i] = s.prepare(ctx, e, now, needEpoch); errs[i] == nil {
			sent++
		}
	}
	if sent == 0 {
		return res, errs
	}
	cmds := make([]*redis.Cmd, len(es))
	// The error of Pipelined is that of the first failed command: each
	// command keeps its own, read below.
	_, _ = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, c := range calls {
			if c != nil {
				cmds[i] = applyScript.EvalSha(ctx, p, c.keys, c.args...)
			}
		}
		return nil
	})
	for i, c := range calls {
		if c == nil {
			continue
		}
		v, err := cmds[i].Slice()
		if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
			// Redis lost its script cache (a restart, a failover, SCRIPT
			// FLUSH): Run loads the script again, and it has not run.
			v, err = applyScript.Run(ctx, s.c, c.keys, c.args...).Slice()
		}
		res[i], errs[i] = s.finish(ctx, c, v, err)
	}
	return res, errs
}

// applyQueue gathers the entries that concurrent Apply calls make while
// an earlier batch is on its way to Redis, and sends them together with
// ApplyBatch (a group commit): a caller alone sends at once, and under
// load a round trip carries as many entries as there are callers. Entries
// under different fences (see WithFence) go in different batches.
type applyQueue struct {
	mu   sync.Mutex
	open map[queueKey]*applyBatch // gathering, not yet sent
	busy map[queueKey]bool        // a batch of this key is being sent
}

// queueKey groups the entries that may share a batch: those of one fence.
type queueKey struct {
	fence  Fence
	fenced bool
}

// applyBatch is a batch of entries that gathered while another was
// sent; the first of the next callers sends it.
type applyBatch struct {
	// ctx is the first caller's, without its cancellation: the batch is
	// sent for every caller in it, each of whom waits for at most its own
	// context.
	ctx     context.Context
	entries []Entry
	res     []Result
	errs    []error
	done    chan struct{} // closed when res and errs are set
}

// queued applies e through the store's applyQueue and returns its result.
// When ctx ends before, it returns ctx's error; e may still be applied
// (idempotently: the caller handles it again).
func (s *Store) queued(ctx context.Context, e Entry) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("suppress: apply %s: %w", e.Recipient, err)
	}
	q := &s.queue
	f, fenced := FenceFrom(ctx)
	k := queueKey{f, fenced}
	q.mu.Lock()
	if q.open == nil {
		q.open, q.busy = map[queueKey]*applyBatch{}, map[queueKey]bool{}
	}
	if !q.busy[k] {
		// Nothing of k on its way: send at once, with the caller's
		// context, and then what gathered meanwhile.
		q.busy[k] = true
		q.mu.Unlock()
		defer s.sendNext(k)
		return s.apply(ctx, e, s.now(), s.requireEpoch.Load())
	}
	b := q.open[k]
	if b == nil {
		b = &applyBatch{ctx: context.WithoutCancel(ctx), done: make(chan struct{})}
		q.open[k] = b
	}
	i := len(b.entries)
	b.entries = append(b.entries, e)
	q.mu.Unlock()
	select {
	case <-b.done:
		return b.res[i], b.errs[i]
	case <-ctx.Done():
		return Result{}, fmt.Errorf("suppress: apply %s: %w", e.Recipient, ctx.Err())
	}
}

// send applies b's entries in one pipeline and closes b.done. A panic is
// turned into an error for every entry of b.
func (s *Store) send(b *applyBatch) {
	defer close(b.done)
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("suppress: panic in a batch apply", "panic", v)
			b.res = make([]Result, len(b.entries))
			b.errs = make([]error, len(b.entries))
			for i := range b.errs {
				b.errs[i] = fmt.Errorf("suppress: apply: panic: %v", v)
			}
		}
	}()
	b.res, b.errs = s.ApplyBatch(b.ctx, b.entries)
}

// sendNext sends, in another goroutine, the batch of key k that gathered
// while the last one was sent, and so on until none gathered; then the
// next caller of k sends at once again.
func (s *Store) sendNext(k queueKey) {
	q := &s.queue
	q.mu.Lock()
	b := q.open[k]
	if b == nil {
		q.busy[k] = false
		q.mu.Unlock()
		return
	}
	delete(q.open, k)
	q.mu.Unlock()
	go func() {
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("suppress: panic in a batch apply", "panic", v)
			}
		}()
		s.send(b)
		s.sendNext(k)
	}()
}
