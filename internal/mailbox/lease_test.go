package mailbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/checkpoint"
	"github.com/bounced-dev/bounced/internal/lease"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

// TestRunLeased_lostLeaseStopsBeforeNextWrite runs a worker under a real
// lease in Redis, with a handler that writes to the real store under the
// worker's fence. While the first message is in the handler another
// holder takes the lease: the handler's write must be refused as stale
// (a transient error), no write of the old holding may land, the worker
// must stop (standby, disconnected, checkpoint unchanged, every message
// still in INBOX), and once the lease is free again it must take it back
// with a higher token and handle every message.
func TestRunLeased_lostLeaseStopsBeforeNextWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := testutil.StartRedis(t)
	rc := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rc.Close() })
	store := suppress.New(rc, "{t}", suppress.DefaultPolicy(), nil)
	l := lease.New(rc, "{t}", "test", lease.Options{TTL: 600 * time.Millisecond, Owner: "me"})

	s := memServerWith(t, 5)
	cfg := memConfig(s)
	cfg.StopGrace = 200 * time.Millisecond

	var (
		mu       sync.Mutex
		stolen   bool
		okAfter  int   // writes that landed after the lease was taken
		staleErr error // the first write refused after it
		okByUID  = map[uint32]bool{}
	)
	inHandler := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	h := func(ctx context.Context, m *Message) (Disposition, error) {
		if m.UID == 1 {
			once.Do(func() { close(inHandler); <-release })
		}
		_, err := store.Apply(ctx, suppress.Entry{IdempotencyKey: fmt.Sprintf("test/%d", m.UID),
			Recipient: fmt.Sprintf("u%d@example.com", m.UID), Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown",
				Hard: true, Status: "5.1.1"}})
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil && stolen:
			okAfter++
		case err == nil:
			okByUID[m.UID] = true
		case staleErr == nil:
			staleErr = err
		}
		if err != nil {
			return 0, Outage(err)
		}
		return Processed, nil
	}
	w, err := New(cfg, h, checkpoint.New(rc, "{t}"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- w.RunLeased(ctx, l, func(ctx context.Context, token int64) context.Context {
			return suppress.WithFence(ctx, suppress.Fence{Key: l.FenceKey(), Token: token})
		})
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("RunLeased() = %v, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("RunLeased() did not return after cancel")
		}
	}()

	select {
	case <-inHandler:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker never handled the first message")
	}
	if got := w.Status().Lease; got != LeaseHeld {
		t.Errorf("Status().Lease while working = %q, want %q", got, LeaseHeld)
	}
	// Another holder takes the lease (as after an expiry): a new token.
	bg := context.Background()
	if err := rc.Set(bg, l.Key(), "thief 99", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rc.Incr(bg, l.FenceKey()).Err(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	stolen = true
	mu.Unlock()
	close(release)

	testutil.WaitFor(t, 5*time.Second, "the worker stands by", func() bool {
		st := w.Status()
		return st.Lease == LeaseStandby && !st.Connected
	})
	mu.Lock()
	if !errors.Is(staleErr, suppress.ErrStaleFence) {
		t.Errorf("the in-flight write after the takeover failed with %v, want ErrStaleFence", staleErr)
	}
	if okAfter != 0 {
		t.Errorf("%d writes landed after the lease was taken, want 0", okAfter)
	}
	mu.Unlock()
	if st := w.Status(); st.Rejected != 0 || st.Processed != 0 {
		t.Errorf("Status() after the takeover = %+v, want nothing processed nor rejected", st)
	}
	if _, last, _ := checkpoint.New(rc, "{t}").LoadCheckpoint(bg, "test/INBOX"); last != 0 {
		t.Errorf("checkpoint after the takeover = %d, want 0", last)
	}
	if n := s.Count(t, "INBOX"); n != 5 {
		t.Errorf("INBOX after the takeover holds %d messages, want 5", n)
	}

	// The thief goes away: the worker takes the lease back and works.
	if err := rc.Del(bg, l.Key()).Err(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	stolen = false
	mu.Unlock()
	testutil.WaitFor(t, 10*time.Second, "all 5 messages processed after re-acquiring", func() bool {
		return w.Status().Processed == 5
	})
	if h, _ := l.Holder(bg); h != "me 3" {
		t.Errorf("Holder() = %q, want %q (token 3: after ours and the thief's)", h, "me 3")
	}
	if n := s.Count(t, "Processed"); n != 5 {
		t.Errorf("Processed holds %d messages, want 5", n)
	}
}
