package suppress

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
)

func TestRunOutbox(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "")
	ctx := t.Context()
	for _, a := range []string{"a@example.com", "bad@example.com", "b@example.com"} {
		if _, err := s.Apply(ctx, hardAt("h-"+a, a, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Remove(ctx, a, "op", ""); err != nil {
			t.Fatal(err)
		}
	}
	errDown, errBad := errors.New("nats down"), errors.New("invalid event")
	down := true
	var published []string
	publish := func(_ context.Context, l Lifted) error {
		switch {
		case l.Address == "bad@example.com":
			return errBad
		case down:
			return errDown
		}
		published = append(published, l.Address)
		return nil
	}
	permanent := func(err error) bool { return errors.Is(err, errBad) }
	// While publishing fails, the outbox keeps every lift.
	if n, err := s.FlushOutbox(ctx, publish, permanent); n != 0 || !errors.Is(err, errDown) {
		t.Errorf("FlushOutbox(down) = %d, %v", n, err)
	}
	if box, _ := s.Outbox(ctx, 10); len(box) != 3 {
		t.Errorf("outbox after a failed flush = %d entries, want 3", len(box))
	}
	// Back: the relay publishes what it can and drops what it never can.
	down = false
	wake := make(chan struct{}, 1)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); s.RunOutbox(rctx, publish, permanent, wake, time.Hour) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		box, err := s.Outbox(ctx, 10)
		if err == nil && len(box) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox still holds %v", box)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if len(published) != 2 || published[0] != "a@example.com" || published[1] != "b@example.com" {
		t.Errorf("published = %v, want a, b", published)
	}
}
