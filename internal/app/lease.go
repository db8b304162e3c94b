package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/lease"
	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// leaseOwner names this process in the leases it holds: host and PID, to
// tell the processes apart when reading Redis, and a random part, so that
// a restarted process never passes for its predecessor.
func leaseOwner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), lease.NewOwner()[:8])
}

// runWorker runs w until ctx ends: under the mailbox's lease when leases
// are on (lease.enabled), so that of several processes sharing the
// mailbox only the holder works it, every store write it makes carrying
// the lease's fencing token; else at once.
func (a *App) runWorker(ctx context.Context, w *mailbox.Worker) error {
	lc := a.cfg.Lease
	if !lc.Enabled {
		return w.Run(ctx)
	}
	name := w.Status().Name
	l := lease.New(a.redis, a.cfg.Redis.Prefix, name, lease.Options{
		TTL: lc.TTL.D(), Renew: lc.RenewInterval.D(), Retry: lc.RetryInterval.D(), Owner: a.leaseOwner,
		Yield: a.leaseYield, Log: a.log.With("component", "lease", "mailbox", name),
	})
	return w.RunLeased(ctx, l, func(ctx context.Context, token int64) context.Context {
		return suppress.WithFence(ctx, suppress.Fence{Key: l.FenceKey(), Token: token})
	})
}

// leaseYield is how much longer than lease.retry_interval a standby
// worker waits before trying for its lease: half the interval for each
// lease this process holds already, so that processes started together
// share the mailboxes, while a dead holder's mailboxes are still taken
// within lease.ttl plus a few intervals.
func (a *App) leaseYield() time.Duration {
	a.mu.RLock()
	workers := a.workers
	a.mu.RUnlock()
	held := 0
	for _, w := range workers {
		if w.Status().Lease == mailbox.LeaseHeld {
			held++
		}
	}
	return time.Duration(held) * a.cfg.Lease.RetryInterval.D() / 2
}

// leaseHealth adjusts the health of a mailbox worker for its lease: a
// worker standing by is ready (it is not connected, by design), and st
// lists the mailboxes held and stood by for.
func leaseHealth(st *httpapi.Status, s mailbox.Status, c httpapi.Component) httpapi.Component {
	if s.Lease == "" {
		return c
	}
	if st.Leases == nil {
		st.Leases = &httpapi.Leases{Held: []string{}, Standby: []string{}}
	}
	c.Lease = s.Lease
	switch s.Lease {
	case mailbox.LeaseHeld:
		st.Leases.Held = append(st.Leases.Held, s.Name)
		slices.Sort(st.Leases.Held)
	case mailbox.LeaseStandby:
		st.Leases.Standby = append(st.Leases.Standby, s.Name)
		slices.Sort(st.Leases.Standby)
		c.OK, c.Error = true, ""
	}
	return c
}
