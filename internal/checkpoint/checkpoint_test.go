package checkpoint

import (
	"errors"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
)

func TestCheckpoint(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { c.Close() })
	s := New(c, "")
	type save struct{ validity, uid uint32 }
	tests := []struct {
		name         string
		saves        []save
		wantValidity uint32
		wantUID      uint32
	}{
		{"none", nil, 0, 0},
		{"one", []save{{7, 100}}, 7, 100},
		{"forward", []save{{7, 100}, {7, 150}}, 7, 150},
		{"never backwards", []save{{7, 100}, {7, 150}, {7, 120}}, 7, 150},
		{"new validity resets", []save{{7, 150}, {8, 3}}, 8, 3},
		{"max values", []save{{4294967295, 4294967295}}, 4294967295, 4294967295},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key := "acct/INBOX/" + tc.name
			for _, sv := range tc.saves {
				if err := s.SaveCheckpoint(t.Context(), key, sv.validity, sv.uid); err != nil {
					t.Fatal(err)
				}
			}
			v, uid, err := s.LoadCheckpoint(t.Context(), key)
			if err != nil || v != tc.wantValidity || uid != tc.wantUID {
				t.Errorf("LoadCheckpoint() = %d, %d, %v, want %d, %d", v, uid, err, tc.wantValidity, tc.wantUID)
			}
		})
	}
	// The key layout `bounced rebuild` keeps (suppress.Store.Reset).
	if n, _ := c.Exists(t.Context(), "{bounced}:checkpoint:acct/INBOX/one").Result(); n != 1 {
		t.Error("checkpoint not at {bounced}:checkpoint:<key>")
	}
}

// TestCheckpoint_fenced: a save made under a fence whose counter moved on
// (the mailbox's lease passed to another process) fails with
// suppress.ErrStaleFence and changes nothing; the current token and no
// fence are accepted.
func TestCheckpoint_fenced(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { c.Close() })
	s := New(c, "{t}")
	ctx := t.Context()
	fk := "{t}:lease:shop:fence"
	if err := c.Set(ctx, fk, "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	old := suppress.WithFence(ctx, suppress.Fence{Key: fk, Token: 1})
	if err := s.SaveCheckpoint(old, "shop/INBOX", 7, 10); err != nil {
		t.Fatalf("SaveCheckpoint(current token) = %v, want nil", err)
	}
	if err := c.Incr(ctx, fk).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCheckpoint(old, "shop/INBOX", 7, 20); !errors.Is(err, suppress.ErrStaleFence) || !suppress.IsTransient(err) {
		t.Fatalf("SaveCheckpoint(stale token) = %v, want a transient ErrStaleFence", err)
	}
	if _, last, err := s.LoadCheckpoint(ctx, "shop/INBOX"); err != nil || last != 10 {
		t.Errorf("LoadCheckpoint() = %d, %v; want 10 (the refused save changed it)", last, err)
	}
	cur := suppress.WithFence(ctx, suppress.Fence{Key: fk, Token: 2})
	if err := s.SaveCheckpoint(cur, "shop/INBOX", 7, 20); err != nil {
		t.Fatalf("SaveCheckpoint(new token) = %v, want nil", err)
	}
	if err := s.SaveCheckpoint(ctx, "shop/INBOX", 7, 30); err != nil {
		t.Fatalf("SaveCheckpoint(no fence) = %v, want nil", err)
	}
	if _, last, _ := s.LoadCheckpoint(ctx, "shop/INBOX"); last != 30 {
		t.Errorf("LoadCheckpoint() = %d, want 30", last)
	}
}
