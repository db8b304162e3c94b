package suppress

import (
	"context"
	"errors"
	"testing"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// TestFence_staleTokenRefused checks that an Apply made
// under a fence whose counter moved on (a new lease holder) fail with
// ErrStaleFence, as a transient error, and changes nothing; and that the
// current token, and no fence at all, are accepted.
func TestFence_staleTokenRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, _ := newStore(t, c, "{t}")
	ctx := context.Background()
	fk := "{t}:lease:shop:fence"
	if err := c.Set(ctx, fk, "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	old := WithFence(ctx, Fence{Key: fk, Token: 1})

	if _, err := s.Apply(old, entry("k1", "a@example.com", "bounce", "user_unknown", true, 0)); err != nil {
		t.Fatalf("Apply(current token) = %v, want nil", err)
	}

	// A new holder takes the lease: token 1 is stale.
	if err := c.Incr(ctx, fk).Err(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Apply(old, entry("k2", "b@example.com", "bounce", "user_unknown", true, 0))
	if !errors.Is(err, ErrStaleFence) {
		t.Fatalf("Apply(stale token) = %v, want ErrStaleFence", err)
	}
	if !IsTransient(err) {
		t.Errorf("IsTransient(%v) = false, want true", err)
	}
	if r, err := s.Get(ctx, "b@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(b@example.com) after a refused Apply = %v, %v; want ErrNotFound", r, err)
	}

	// The new holder's token, and an unfenced write, go through.
	cur := WithFence(ctx, Fence{Key: fk, Token: 2})
	if _, err := s.Apply(cur, entry("k2", "b@example.com", "bounce", "user_unknown", true, 0)); err != nil {
		t.Fatalf("Apply(new token) = %v, want nil", err)
	}
	if _, err := s.Apply(ctx, entry("k3", "c@example.com", "bounce", "user_unknown", true, 0)); err != nil {
		t.Fatalf("Apply(no fence) = %v, want nil", err)
	}
	// A fence whose counter is gone (Redis lost its data) is stale too.
	if err := c.Del(ctx, fk).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(cur, entry("k4", "d@example.com", "bounce", "user_unknown", true, 0)); !errors.Is(err, ErrStaleFence) {
		t.Fatalf("Apply(counter gone) = %v, want ErrStaleFence", err)
	}
}
