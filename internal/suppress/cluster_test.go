package suppress

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

// TestNewClient_clusterReloadsSlotsAfterFailover kills (SIGKILL) the
// Redis Cluster master that holds the store's hash slot. Once its replica
// has taken over, the store must work again within a few seconds, with
// every entry applied before the kill still there: the client must not
// keep sending the slot to the dead master until go-redis's default
// reload of the slot map a minute later.
func TestNewClient_clusterReloadsSlotsAfterFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	rc := testutil.StartRedisCluster(t)
	c, err := NewClient(ClientOptions{Addrs: rc.Addrs()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cc, ok := c.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("NewClient() with %d addresses = %T, want a cluster client", len(rc.Addrs()), c)
	}
	if got := cc.Options().ClusterStateReloadInterval; got != clusterReloadInterval {
		t.Errorf("ClusterStateReloadInterval = %v, want %v", got, clusterReloadInterval)
	}
	s := New(c, "{bounced}", DefaultPolicy(), testLogger(t))
	ctx := context.Background()
	entry := func(i int) Entry {
		return Entry{IdempotencyKey: fmt.Sprintf("shop/1/%d", i), Recipient: fmt.Sprintf("user%d@example.net", i),
			Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "recipient", Hard: true,
				Status: "5.1.1"}}
	}
	const before = 50
	for i := range before {
		if _, err := s.Apply(ctx, entry(i)); err != nil {
			t.Fatalf("Apply(%d) = %v", i, err)
		}
	}
	// Replicas are asynchronous: let the replica catch up before the
	// kill, so that what this test checks is the client, not Redis.
	rc.WaitHealthy(t, 10*time.Second)

	slot := rc.KeySlot(t, "{bounced}")
	old := rc.MasterOf(slot)
	if old == nil {
		t.Fatalf("no master serves slot %d", slot)
	}
	rc.Kill(old)
	killed := time.Now()
	rc.WaitFailover(t, slot, old, 60*time.Second)
	failedOver := time.Now()
	// The first writes may still go to the dead master; within a few
	// reload intervals they must reach the new one.
	var res Result
	testutil.WaitFor(t, 10*time.Second, "a write to succeed after the failover", func() bool {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		res, err = s.Apply(ctx, entry(before))
		return err == nil
	})
	t.Logf("master %s killed: failover seen after %v, store writing again %v later",
		old.Addr, failedOver.Sub(killed).Round(10*time.Millisecond), time.Since(failedOver).Round(10*time.Millisecond))
	if !res.Suppressed || res.Duplicate || res.Count != 1 {
		t.Errorf("Apply() after the failover = %+v, want a new suppression", res)
	}
	for i := range before {
		res, err := s.Apply(ctx, entry(i))
		if err != nil || !res.Duplicate {
			t.Errorf("Apply(%d) again after the failover = %+v, %v; want a duplicate (the replica has it)", i, res, err)
		}
	}
	if n, err := s.Count(ctx); err != nil || n != before+1 {
		t.Errorf("Count() = %d, %v; want %d", n, err, before+1)
	}
}
