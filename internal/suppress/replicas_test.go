package suppress

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// TestStore_waitForReplicas runs a master and its replica. With the store
// waiting for one replica, a write that Apply answered is already on the
// replica; with the replica hung (SIGSTOP), Apply fails with the
// transient ErrReplicasBehind instead of answering for a write only the
// master holds, and the same entry applied again once the replica is back
// is taken as the duplicate it is, and is on the replica.
func TestStore_waitForReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	master := testutil.StartRedis(t)
	host, port, _ := net.SplitHostPort(master.Addr)
	replica := testutil.StartRedisWith(t, testutil.RedisOptions{Args: []string{"--replicaof", host, port}})
	mc, rc := newClient(t, master), newClient(t, replica)
	ctx := context.Background()
	s, _ := newStore(t, mc, "{w}")
	// The replica's link is up before its master lists it online: wait for
	// both ends, and for ROLE to name it.
	testutil.WaitFor(t, 20*time.Second, "the replica to be in sync and listed by its master", func() bool {
		info, err := rc.Info(ctx, "replication").Result()
		minfo, merr := mc.Info(ctx, "replication").Result()
		n, rerr := s.ConnectedReplicas(ctx)
		return err == nil && merr == nil && rerr == nil && n == 1 &&
			strings.Contains(info, "master_link_status:up") && strings.Contains(minfo, "state=online")
	})
	s.WaitForReplicas(1, 300*time.Millisecond)
	onReplica := func(addr string) bool {
		n, err := rc.Exists(ctx, s.key("addr", addr)).Result()
		return err == nil && n == 1
	}

	if _, err := s.Apply(ctx, hardAt("m/1", "ann@example.net", 0)); err != nil {
		t.Fatalf("Apply() = %v", err)
	}
	if !onReplica("ann@example.net") {
		t.Errorf("the replica has no record of ann@example.net right after Apply answered")
	}

	replica.Pause()
	t.Cleanup(replica.Resume)
	_, err := s.Apply(ctx, hardAt("m/2", "ben@example.net", time.Minute))
	if !errors.Is(err, ErrReplicasBehind) || !IsTransient(err) {
		t.Fatalf("Apply() with the replica hung = %v; want the transient ErrReplicasBehind", err)
	}
	replica.Resume()
	var res Result
	testutil.WaitFor(t, 20*time.Second, "Apply to succeed with the replica back", func() bool {
		res, err = s.Apply(ctx, hardAt("m/2", "ben@example.net", time.Minute))
		return err == nil
	})
	if !res.Duplicate || !res.Suppressed {
		t.Errorf("Apply() again = %+v; want the duplicate of the write the master had taken", res)
	}
	if !onReplica("ben@example.net") {
		t.Errorf("the replica has no record of ben@example.net after Apply answered")
	}
}

// TestStore_waitForReplicas_none: a master with no replica connected (a
// replica promoted after a failover, before the old master rejoins)
// takes writes without waiting, and the store does not wait there for
// the timeout.
func TestStore_waitForReplicas_none(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "{w}")
	if n, err := s.ConnectedReplicas(context.Background()); err != nil || n != 0 {
		t.Errorf("ConnectedReplicas() = %d, %v; want 0", n, err)
	}
	s.WaitForReplicas(1, 5*time.Second)
	start := time.Now()
	for i := range 20 {
		if _, err := s.Apply(context.Background(), hardAt("n/"+string(rune('a'+i)), string(rune('a'+i))+"@example.net", 0)); err != nil {
			t.Fatalf("Apply(%d) = %v", i, err)
		}
	}
	if d := time.Since(start); d >= 5*time.Second {
		t.Errorf("20 writes took %v: the store waited for a replica the master does not have", d)
	}
}
