package suppress

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// TestApplyBatch_eachEntryOnItsOwn checks that the entries of one batch
// are applied as Apply applies them one by one: each with its own result,
// an invalid entry refused alone, an idempotency key seen earlier in the
// same batch a duplicate, and the results those of separate Applies.
func TestApplyBatch_eachEntryOnItsOwn(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, _ := newStore(t, c, "")
	ctx := context.Background()
	es := []Entry{
		hardAt("k1", "a@example.com", 0),
		hardAt("k2", "not an address", 0),
		hardAt("k1", "a@example.com", 0), // the same key again
		softAt("k3", "b@example.com", 0),
		complaintAt("k4", "c@example.com", 0),
	}
	res, errs := s.ApplyBatch(ctx, es)
	if len(res) != len(es) || len(errs) != len(es) {
		t.Fatalf("ApplyBatch() gave %d results and %d errors, want %d", len(res), len(errs), len(es))
	}
	for i, err := range errs {
		if i == 1 {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("entry 1: error = %v, want ErrInvalid", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("entry %d: error = %v", i, err)
		}
	}
	if !res[0].NewlySuppressed || res[0].Duplicate {
		t.Errorf("entry 0 = %+v, want newly suppressed", res[0])
	}
	if !res[2].Duplicate {
		t.Errorf("entry 2 (key k1 again) = %+v, want Duplicate", res[2])
	}
	// The same entries applied one by one in another store give the same.
	c2 := newClient(t, testutil.StartRedis(t))
	s2, _ := newStore(t, c2, "")
	for i, e := range es {
		r, err := s2.apply(ctx, e, s2.now(), false)
		if (err == nil) != (errs[i] == nil) {
			t.Errorf("entry %d: Apply() error = %v, ApplyBatch() error = %v", i, err, errs[i])
		}
		if core(r) != core(res[i]) {
			t.Errorf("entry %d: ApplyBatch() = %+v, one by one %+v", i, res[i], r)
		}
	}
	if got, want := members(t, c, DefaultPrefix+":suppressed"), members(t, c2, DefaultPrefix+":suppressed"); !equal(got, want) {
		t.Errorf("suppressed = %v, one by one %v", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestApplyBatch_scriptCacheLost checks that a batch sent to a Redis that
// lost its script cache (SCRIPT FLUSH, a restart) is applied all the same.
func TestApplyBatch_scriptCacheLost(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, _ := newStore(t, c, "")
	ctx := context.Background()
	if _, errs := s.ApplyBatch(ctx, []Entry{hardAt("k1", "a@example.com", 0), hardAt("k2", "b@example.com", 0)}); errs[0] != nil || errs[1] != nil {
		t.Fatalf("ApplyBatch() errors = %v", errs)
	}
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	_, errs := s.ApplyBatch(ctx, []Entry{hardAt("k3", "c@example.com", 0), hardAt("k4", "d@example.com", 0)})
	for i, err := range errs {
		if err != nil {
			t.Errorf("entry %d after SCRIPT FLUSH: error = %v", i, err)
		}
	}
	if got := members(t, c, DefaultPrefix+":suppressed"); len(got) != 4 {
		t.Errorf("suppressed = %v, want 4 addresses", got)
	}
}

// blockFirst is a go-redis hook that holds the first command (not a
// pipeline) until release is closed, and counts the scripts of each
// pipeline.
type blockFirst struct {
	once      sync.Once
	held      chan struct{} // closed when the first command is held
	release   chan struct{}
	pipelines chan int
}

func (h *blockFirst) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *blockFirst) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() == "evalsha" {
			h.once.Do(func() {
				close(h.held)
				<-h.release
			})
		}
		return next(ctx, cmd)
	}
}

func (h *blockFirst) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		n := 0
		for _, c := range cmds {
			if c.Name() == "evalsha" {
				n++
			}
		}
		if n > 0 { // not the connection's HELLO and CLIENT SETINFO
			h.pipelines <- n
		}
		return next(ctx, cmds)
	}
}

var _ redis.Hook = (*blockFirst)(nil)

// TestApply_concurrentCallsShareARoundTrip checks the group commit of
// Apply: while one entry is on its way to Redis, the entries of the
// other callers gather and go in one pipeline, each applied on its own;
// under another fence they go in a batch of their own, and a stale fence
// fails only its own entries.
func TestApply_concurrentCallsShareARoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: 4})
	t.Cleanup(func() { c.Close() })
	h := &blockFirst{held: make(chan struct{}), release: make(chan struct{}), pipelines: make(chan int, 100)}
	c.AddHook(h)
	s, _ := newStore(t, c, "{t}")
	ctx := context.Background()
	fk := "{t}:lease:shop:fence"
	if err := c.Set(ctx, fk, "2", 0).Err(); err != nil {
		t.Fatal(err)
	}
	stale := WithFence(ctx, Fence{Key: fk, Token: 1})

	const n = 40
	errs := make([]error, n+2)
	results := make([]Result, n+2)
	var wg sync.WaitGroup
	wg.Go(func() { results[0], errs[0] = s.Apply(ctx, hardAt("first", "first@example.com", 0)) })
	<-h.held // the first is on its way: the others gather
	for i := 1; i <= n; i++ {
		wg.Go(func() {
			results[i], errs[i] = s.Apply(ctx, hardAt("k"+strconv.Itoa(i), "u"+strconv.Itoa(i)+"@example.com", 0))
		})
	}
	wg.Go(func() {
		results[n+1], errs[n+1] = s.Apply(stale, hardAt("stale", "stale@example.com", 0))
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.queue.mu.Lock()
		gathered := 0
		for _, b := range s.queue.open {
			gathered += len(b.entries)
		}
		s.queue.mu.Unlock()
		if gathered == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d entries gathered while the first was held, want %d", gathered, n)
		}
		time.Sleep(time.Millisecond)
	}
	close(h.release)
	wg.Wait()
	for i := 0; i <= n; i++ {
		if errs[i] != nil || !results[i].NewlySuppressed {
			t.Errorf("caller %d: Apply() = %+v, %v; want newly suppressed", i, results[i], errs[i])
		}
	}
	if !errors.Is(errs[n+1], ErrStaleFence) {
		t.Errorf("Apply(stale fence) error = %v, want ErrStaleFence", errs[n+1])
	}
	close(h.pipelines)
	var sizes []int
	for k := range h.pipelines {
		sizes = append(sizes, k)
	}
	// The unfenced callers' entries in one pipeline; the stale one alone
	// (a batch of one is sent as a plain command).
	if len(sizes) != 1 || sizes[0] != n {
		t.Errorf("pipelines sent = %v, want one of %d commands", sizes, n)
	}
	if got := members(t, c, "{t}:suppressed"); len(got) != n+1 {
		t.Errorf("%d addresses suppressed, want %d", len(got), n+1)
	}
}
