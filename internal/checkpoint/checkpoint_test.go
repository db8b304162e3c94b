package checkpoint

import (
	"testing"

	"github.com/redis/go-redis/v9"

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
