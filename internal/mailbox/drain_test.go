package mailbox

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestByteBudget(t *testing.T) {
	b := newByteBudget(100)
	ctx := context.Background()
	if err := b.acquire(ctx, 60); err != nil {
		t.Fatal(err)
	}
	if err := b.acquire(ctx, 40); err != nil {
		t.Fatalf("acquire up to the limit: %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- b.acquire(ctx, 30) }()
	select {
	case err := <-got:
		t.Fatalf("acquire over the limit returned %v before a release", err)
	case <-time.After(50 * time.Millisecond):
	}
	b.release(40)
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("acquire after release: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("acquire still waiting after a release made room")
	}

	// Over the limit on its own: allowed once nothing is held.
	b.release(60)
	b.release(30)
	if err := b.acquire(ctx, 500); err != nil {
		t.Fatalf("oversize acquire with nothing held: %v", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if err := b.acquire(cctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire on a cancelled context = %v, want context.Canceled", err)
	}
}
