// Package lease gives one process at a time the right to work a named
// resource (a mailbox), with a lease in Redis and a fencing token.
//
// A lease is a key holding "owner token" with a time to live: it is taken
// only when absent (the SET NX PX pattern, done in a script together with
// the INCR of the fencing counter), renewed by its holder before it
// expires, and released when the holder stops. The fencing token is the
// counter after that INCR: it grows with every new holder, so a write
// carrying an older token can be refused by the store even when its
// sender still believes it holds the lease (a paused process, a slow
// network). See M. Kleppmann, "How to do distributed locking" (2016), and
// the Redis documentation of SET (the NX and PX options).
//
// Cluster: the lease key and its counter share the prefix, which holds a
// hash tag ("{bounced}"), so they are in the slot of every key of the
// suppression store and a store script can read the counter.
package lease

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Defaults of Options.
const (
	DefaultTTL = 6 * time.Second
)

// ErrLost says a holder does not hold its lease any more: it expired and
// another holder took it, or it was released.
var ErrLost = errors.New("lease: lost")

// Options configure a Lease.
type Options struct {
	// TTL is how long a lease lives without renewal (default DefaultTTL).
	// A holder that dies is replaced within TTL plus Retry.
	TTL time.Duration
	// Renew is how often the holder renews (default TTL/3).
	Renew time.Duration
	// Retry is how often a standby tries to take the lease (default
	// TTL/6, 1s for the default TTL).
	Retry time.Duration
	// Owner names this process in the lease's value (default a random
	// hex string); it must differ between processes.
	Owner string
	// Yield, when not nil, returns an extra wait before each try to take
	// the lease: a process already holding other leases can wait longer,
	// so that the leases of several resources spread over the processes.
	Yield func() time.Duration
	// Log receives the lease's transitions; nil discards.
	Log *slog.Logger
}

// Lease is the lease on one named resource. Its methods are safe for
// concurrent use.
type Lease struct {
	c     redis.UniversalClient
	name  string
	key   string
	fence string
	o     Options
	log   *slog.Logger
}

// New returns the lease on name, with keys under prefix (the store's,
// e.g. "{bounced}").
func New(c redis.UniversalClient, prefix, name string, o Options) *Lease {
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.Renew <= 0 {
		o.Renew = o.TTL / 3
	}
	if o.Retry <= 0 {
		o.Retry = o.TTL / 6
	}
	if o.Owner == "" {
		o.Owner = NewOwner()
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	key := prefix + ":lease:" + name
	return &Lease{c: c, name: name, key: key, fence: key + ":fence", o: o,
		log: o.Log.With("lease", name, "owner", o.Owner)}
}

// NewOwner returns a random owner name.
func NewOwner() string {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Key returns the Redis key of the lease.
func (l *Lease) Key() string { return l.key }

// FenceKey returns the Redis key of the fencing counter: a write carrying
// a token is current only while this key holds that token.
func (l *Lease) FenceKey() string { return l.fence }

// Owner returns the owner name of this process.
func (l *Lease) Owner() string { return l.o.Owner }

// acquireScript takes the lease when nobody holds it.
//
// KEYS: 1 lease, 2 fencing counter. ARGV: 1 owner, 2 TTL in ms.
// It returns the new fencing token, or 0 when the lease is held.
var acquireScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local t = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. t, 'NX', 'PX', ARGV[2])
return t
`)

// renewScript extends the lease of its holder.
//
// KEYS: 1 lease. ARGV: 1 "owner token", 2 TTL in ms. It returns 1 when
// renewed, 0 when the lease is not held by ARGV[1].
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

// releaseScript deletes the lease of its holder.
//
// KEYS: 1 lease. ARGV: 1 "owner token". It returns 1 when released.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`)

func (l *Lease) value(token int64) string { return l.o.Owner + " " + strconv.FormatInt(token, 10) }

// TryAcquire takes the lease when nobody holds it and returns its fencing
// token, or 0 when another holder has it.
func (l *Lease) TryAcquire(ctx context.Context) (int64, error) {
	t, err := acquireScript.Run(ctx, l.c, []string{l.key, l.fence}, l.o.Owner, l.o.TTL.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("lease: acquire %s: %w", l.name, err)
	}
	return t, nil
}

// Renew extends the lease held with token. It returns an error wrapping
// ErrLost when the lease is not held with token any more.
func (l *Lease) Renew(ctx context.Context, token int64) error {
	n, err := renewScript.Run(ctx, l.c, []string{l.key}, l.value(token), l.o.TTL.Milliseconds()).Int64()
	if err != nil {
		return fmt.Errorf("lease: renew %s: %w", l.name, err)
	}
	if n == 0 {
		return fmt.Errorf("lease: renew %s: %w", l.name, ErrLost)
	}
	return nil
}

// Release gives up the lease held with token, so that a standby takes it
// at its next try. Releasing a lease not held is no error.
func (l *Lease) Release(ctx context.Context, token int64) error {
	if err := releaseScript.Run(ctx, l.c, []string{l.key}, l.value(token)).Err(); err != nil {
		return fmt.Errorf("lease: release %s: %w", l.name, err)
	}
	return nil
}

// Holder returns who holds the lease ("owner token"), "" when nobody does.
func (l *Lease) Holder(ctx context.Context) (string, error) {
	v, err := l.c.Get(ctx, l.key).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("lease: holder of %s: %w", l.name, err)
	}
	return v, nil
}

// Hold runs until ctx is done. It tries to take the lease every Retry
// (plus Yield; the first try after a random part of Retry); each time it
// does, it calls run with the fencing token and a context
// that is cancelled as soon as the lease is lost: when a renewal finds
// another holder, or when no renewal succeeded for TTL minus one Renew
// (Redis unreachable: the lease may have expired meanwhile). When run
// returns, Hold releases the lease (unless it was lost) and goes back to
// trying. state, when not nil, is called with true when the lease is
// taken and false when it is given up or lost.
func (l *Lease) Hold(ctx context.Context, state func(held bool), run func(ctx context.Context, token int64)) {
	if state == nil {
		state = func(bool) {}
	}
	var failing bool
	// The first try comes after a random part of Retry, so that of
	// processes started together not one takes every lease.
	wait := rand.N(l.o.Retry + 1)
	pause := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
	for {
		if !pause(wait) {
			return
		}
		if l.o.Yield != nil {
			if y := l.o.Yield(); y > 0 && !pause(y) {
				return
			}
		}
		wait = l.o.Retry
		token, err := l.TryAcquire(ctx)
		switch {
		case err != nil:
			if !failing && ctx.Err() == nil {
				l.log.Warn("lease: cannot reach redis; standing by", "error", err)
			}
			failing = true
		case token > 0:
			failing = false
			l.hold(ctx, token, state, run)
			wait = 0 // a released lease may be taken again at once
		default:
			failing = false
		}
	}
}

// hold runs run while the lease taken with token lasts.
func (l *Lease) hold(ctx context.Context, token int64, state func(bool), run func(context.Context, int64)) {
	acquired := time.Now()
	l.log.Info("lease: acquired", "token", token)
	state(true)
	rctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel(nil)
		defer func() {
			if v := recover(); v != nil {
				l.log.Error("lease: panic in holder", "panic", v, "stack", string(debug.Stack()))
			}
		}()
		run(rctx, token)
	}()
	lost := l.renewLoop(rctx, token, acquired, done)
	if lost != nil {
		cancel(lost)
	}
	<-done
	state(false)
	if lost != nil {
		l.log.Warn("lease: lost; worker stopped", "token", token, "reason", lost)
		return
	}
	rel, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer rcancel()
	if err := l.Release(rel, token); err != nil {
		l.log.Warn("lease: release failed; it expires by itself", "token", token, "error", err)
		return
	}
	l.log.Info("lease: released", "token", token)
}

// renewLoop renews the lease until run ends (done) or ctx is done; it
// returns why the lease is lost, or nil.
func (l *Lease) renewLoop(ctx context.Context, token int64, last time.Time, done <-chan struct{}) error {
	t := time.NewTicker(l.o.Renew)
	defer t.Stop()
	for {
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		start := time.Now()
		rctx, cancel := context.WithTimeout(ctx, l.o.Renew/2)
		err := l.Renew(rctx, token)
		cancel()
		switch {
		case err == nil:
			last = start
		case errors.Is(err, ErrLost):
			return err
		case ctx.Err() != nil:
			return nil
		default:
			// Unknown outcome: the lease holds until last+TTL at best.
			// Stop one renewal period before, so that no write of ours
			// lands after another holder could have taken it.
			if time.Since(last) >= l.o.TTL-l.o.Renew {
				return fmt.Errorf("lease: no renewal of %s since %s: %w", l.name, last.Format(time.RFC3339Nano), err)
			}
			l.log.Warn("lease: renewal failed; retrying", "token", token, "error", err)
		}
	}
}
