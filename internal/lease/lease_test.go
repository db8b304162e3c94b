package lease

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/testutil"
)

func client(t *testing.T) redis.UniversalClient {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { c.Close() })
	return c
}

// exercise runs the acquire, renew and release cycle of two owners on c.
func exercise(t *testing.T, c redis.UniversalClient) {
	ctx := context.Background()
	a := New(c, "{bounced}", "shop", Options{TTL: 2 * time.Second, Owner: "a"})
	b := New(c, "{bounced}", "shop", Options{TTL: 2 * time.Second, Owner: "b"})
	ta, err := a.TryAcquire(ctx)
	if err != nil || ta != 1 {
		t.Fatalf("a.TryAcquire() = %d, %v; want 1, nil", ta, err)
	}
	if tb, err := b.TryAcquire(ctx); err != nil || tb != 0 {
		t.Fatalf("b.TryAcquire() while a holds = %d, %v; want 0, nil", tb, err)
	}
	if err := a.Renew(ctx, ta); err != nil {
		t.Fatalf("a.Renew() = %v", err)
	}
	if err := b.Renew(ctx, ta); !errors.Is(err, ErrLost) {
		t.Fatalf("b.Renew(a's token) = %v, want ErrLost", err)
	}
	if err := b.Release(ctx, ta); err != nil {
		t.Fatalf("b.Release() = %v", err)
	}
	if h, _ := a.Holder(ctx); h != "a 1" {
		t.Fatalf("Holder() after b's release = %q, want %q", h, "a 1")
	}
	if err := a.Release(ctx, ta); err != nil {
		t.Fatalf("a.Release() = %v", err)
	}
	tb, err := b.TryAcquire(ctx)
	if err != nil || tb != 2 {
		t.Fatalf("b.TryAcquire() after release = %d, %v; want 2, nil", tb, err)
	}
	if err := a.Renew(ctx, ta); !errors.Is(err, ErrLost) {
		t.Fatalf("a.Renew() after b took it = %v, want ErrLost", err)
	}
	if v, err := c.Get(ctx, b.FenceKey()).Result(); err != nil || v != "2" {
		t.Fatalf("fence counter = %q, %v; want 2", v, err)
	}
}

func TestLease_acquireRenewRelease(t *testing.T) { exercise(t, client(t)) }

// TestLease_cluster runs the same cycle on a Redis Cluster: the lease and
// its counter share the prefix's hash tag, so the scripts are not refused
// with CROSSSLOT.
func TestLease_cluster(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	rc := testutil.StartRedisCluster(t)
	exercise(t, rc.Client(t))
}

// TestLease_expiredTakenOver checks that a lease that is not renewed
// expires and is taken by another owner with a higher token.
func TestLease_expiredTakenOver(t *testing.T) {
	c := client(t)
	ctx := context.Background()
	a := New(c, "{bounced}", "shop", Options{TTL: 300 * time.Millisecond, Owner: "a"})
	b := New(c, "{bounced}", "shop", Options{TTL: 300 * time.Millisecond, Owner: "b"})
	ta, err := a.TryAcquire(ctx)
	if err != nil || ta == 0 {
		t.Fatalf("a.TryAcquire() = %d, %v", ta, err)
	}
	var tb int64
	testutil.WaitFor(t, 5*time.Second, "b takes the expired lease", func() bool {
		tb, err = b.TryAcquire(ctx)
		return err == nil && tb > 0
	})
	if tb <= ta {
		t.Fatalf("b's token %d, want more than a's %d", tb, ta)
	}
}

// TestHold_lostCancelsRun checks that Hold cancels the holder's context
// as soon as a renewal finds the lease taken by another, and that a
// standby's Hold takes over once the holder's Hold ends.
func TestHold_lostCancelsRun(t *testing.T) {
	c := client(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := New(c, "{bounced}", "shop", Options{TTL: 600 * time.Millisecond, Owner: "a"})
	var held atomic.Bool
	started := make(chan int64, 4)
	stopped := make(chan error, 4)
	holdDone := make(chan struct{})
	go func() {
		defer close(holdDone)
		a.Hold(ctx, held.Store, func(rctx context.Context, token int64) {
			started <- token
			<-rctx.Done()
			stopped <- context.Cause(rctx)
		})
	}()
	var token int64
	select {
	case token = <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("Hold never ran the holder")
	}
	testutil.WaitFor(t, 2*time.Second, "state(true)", held.Load)
	// Another process steals the lease (as after an expiry).
	if err := c.Set(ctx, a.Key(), "thief 99", 0).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-stopped:
		if !errors.Is(err, ErrLost) {
			t.Errorf("cause of the cancelled holder = %v, want ErrLost", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("holder not cancelled after the lease was taken")
	}
	testutil.WaitFor(t, 2*time.Second, "state(false)", func() bool { return !held.Load() })
	// The thief goes away: a takes it again, with a new token.
	if err := c.Del(ctx, a.Key()).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case t2 := <-started:
		if t2 <= token {
			t.Errorf("token after re-acquire = %d, want more than %d", t2, token)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Hold did not take the free lease again")
	}
	cancel()
	<-holdDone
	if h, _ := a.Holder(context.Background()); h != "" {
		t.Errorf("Holder() after Hold ended = %q, want released", h)
	}
}

// TestHold_redisDownCancelsRun checks that a holder that cannot renew
// (Redis stopped) is cancelled before its lease could have expired.
func TestHold_redisDownCancelsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ttl := 900 * time.Millisecond
	a := New(c, "{bounced}", "shop", Options{TTL: ttl, Owner: "a"})
	started := make(chan time.Time, 1)
	stopped := make(chan time.Time, 1)
	go a.Hold(ctx, nil, func(rctx context.Context, token int64) {
		started <- time.Now()
		<-rctx.Done()
		stopped <- time.Now()
	})
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("Hold never ran the holder")
	}
	srv.Stop()
	down := time.Now()
	select {
	case at := <-stopped:
		if d := at.Sub(down); d > ttl {
			t.Errorf("holder cancelled %v after Redis went down, want within the TTL %v", d, ttl)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("holder not cancelled while Redis is down")
	}
}
