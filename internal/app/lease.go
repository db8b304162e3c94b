package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

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
// worker waits before trying for its lease: one more interval when this
// process already holds its share of the mailboxes (their number over the
// processes alive, rounded up; see leaseMembersLoop), else nothing. So
// processes started together share the mailboxes, and a dead holder's
// mailboxes are still taken within lease.ttl plus two intervals.
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
	members := max(int(a.leaseMembers.Load()), 1)
	share := (len(a.cfg.Mailboxes) + members - 1) / members
	if held == 0 || held < share {
		return 0
	}
	return a.cfg.Lease.RetryInterval.D()
}

// leaseMembersLoop keeps this process in the set of processes alive (a
// sorted set of owners scored by their last heartbeat, in Redis) and
// counts them, for leaseYield, until ctx ends; then it leaves the set.
func (a *App) leaseMembersLoop(ctx context.Context) {
	defer a.recoverPanic("lease members")
	if !a.cfg.Lease.Enabled || len(a.cfg.Mailboxes) == 0 {
		return
	}
	key := a.cfg.Redis.Prefix + ":lease-members"
	ttl := a.cfg.Lease.TTL.D()
	every := ttl / 3
	if a.cfg.Lease.RenewInterval > 0 {
		every = a.cfg.Lease.RenewInterval.D()
	}
	beat := func() {
		bctx, cancel := context.WithTimeout(ctx, every)
		defer cancel()
		now := time.Now().UnixMilli()
		pipe := a.redis.TxPipeline()
		pipe.ZAdd(bctx, key, redis.Z{Score: float64(now), Member: a.leaseOwner})
		pipe.ZRemRangeByScore(bctx, key, "-inf", strconv.FormatInt(now-ttl.Milliseconds(), 10))
		pipe.PExpire(bctx, key, 2*ttl)
		n := pipe.ZCard(bctx, key)
		if _, err := pipe.Exec(bctx); err != nil {
			a.log.Debug("lease: heartbeat failed", "error", err)
			return
		}
		a.leaseMembers.Store(n.Val())
	}
	beat()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			a.redis.ZRem(rctx, key, a.leaseOwner)
			cancel()
			return
		case <-t.C:
			beat()
		}
	}
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
