package mailbox

import (
	"context"
)

// Lease states of Status.Lease.
const (
	// LeaseHeld: this process holds the mailbox's lease and works it.
	LeaseHeld = "held"
	// LeaseStandby: another process holds it; this one waits to take over.
	LeaseStandby = "standby"
)

// A Lease gives one process at a time the right to work a mailbox
// (internal/lease.Lease is one). Hold runs until ctx is done; each time the
// lease is taken it calls state(true) and run, with the fencing token and a
// context cancelled as soon as the lease is lost; when run returns it calls
// state(false).
type Lease interface {
	Hold(ctx context.Context, state func(held bool), run func(ctx context.Context, token int64))
}

// RunLeased runs the worker only while l is held, until ctx is done, when
// it returns nil. fence, when not nil, turns the context of a holding
// period and its token into the context the worker runs with, so that
// the handler's writes and the checkpoints carry the token (e.g.
// suppress.WithFence) and are refused once it is stale.
//
// When the lease is lost, the worker's context is cancelled: it fetches
// and starts nothing more, and a write still in flight fails on the stale
// token, which is a transient failure (the message stays for the new
// holder; it counts against no attempt). Status.Lease says whether the
// lease is held or this worker stands by.
func (w *Worker) RunLeased(ctx context.Context, l Lease, fence func(ctx context.Context, token int64) context.Context) error {
	w.update(func(st *Status) { st.Lease = LeaseStandby })
	var err error
	l.Hold(ctx, func(held bool) {
		w.update(func(st *Status) {
			st.Lease = LeaseStandby
			if held {
				st.Lease = LeaseHeld
			}
		})
	}, func(hctx context.Context, token int64) {
		if fence != nil {
			hctx = fence(hctx, token)
		}
		w.log.Info("mailbox: lease held; working the mailbox", "token", token)
		if rerr := w.Run(hctx); rerr != nil {
			err = rerr
		}
	})
	return err
}
