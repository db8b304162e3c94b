package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestRun_stopEndsEveryLoop: every loop Run starts ends before it returns,
// after a stop and after a start that fails. The lease heartbeat is the
// witness: it leaves the set of live processes on its way out, which it
// can do only if Run waited for it before closing Redis.
func TestRun_stopEndsEveryLoop(t *testing.T) {
	tests := []struct {
		name      string
		failStart bool
	}{
		{"stop", false},
		{"start fails", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStack(t)
			if tc.failStart {
				// Read by start, after NATS and the stream.
				s.cfg.Classify.RulesFile = filepath.Join(t.TempDir(), "missing.yaml")
			}
			rc := redis.NewClient(&redis.Options{Addr: s.redis.Addr})
			t.Cleanup(func() { rc.Close() })
			key := s.cfg.Redis.Prefix + ":lease-members"
			a := New(s.cfg, slog.New(slog.NewTextHandler(s.logs, nil)))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- a.Run(ctx) }()
			member := func() bool { return rc.ZScore(context.Background(), key, a.leaseOwner).Err() == nil }

			var err error
			if tc.failStart {
				select {
				case err = <-done:
				case <-time.After(30 * time.Second):
					t.Fatal("Run() did not return after a failed start")
				}
				if err == nil {
					t.Fatal("Run() = nil, want the start's error")
				}
			} else {
				waitReady(t, a, done, 30*time.Second)
				waitFor(t, 10*time.Second, "the heartbeat in "+key, member)
				cancel()
				select {
				case err = <-done:
				case <-time.After(30 * time.Second):
					t.Fatal("Run() did not return within 30s of cancel")
				}
				if err != nil {
					t.Fatalf("Run() = %v after a stop, want nil", err)
				}
			}
			if member() {
				t.Errorf("%s still holds %s after Run returned: the heartbeat loop outlived Run (or Redis closed before it left)", key, a.leaseOwner)
			}
			if t.Failed() {
				t.Logf("daemon log:\n%s", s.logs.Tail(4000))
			}
		})
	}
}

func TestWaitWithin(t *testing.T) {
	var wg sync.WaitGroup
	if !waitWithin(&wg, time.Second) {
		t.Error("waitWithin(done group) = false, want true")
	}
	release := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-release
	}()
	start := time.Now()
	if waitWithin(&wg, 50*time.Millisecond) {
		t.Error("waitWithin(stuck group) = true, want false")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("waitWithin(stuck group, 50ms) took %v", d)
	}
	close(release)
	if !waitWithin(&wg, 10*time.Second) {
		t.Error("waitWithin(released group) = false, want true")
	}
}
