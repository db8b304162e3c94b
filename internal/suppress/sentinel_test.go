package suppress

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

// TestNewClient_sentinelFollowsFailover kills (SIGKILL) the master that
// three Sentinels watch. Once they have promoted its replica, the store
// built by NewClient with the Sentinels and the master name must write
// again within seconds, with every entry applied before the kill still
// there.
func TestNewClient_sentinelFollowsFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	rs := testutil.StartRedisSentinel(t)
	c, err := NewClient(ClientOptions{Addrs: rs.SentinelAddrs(), MasterName: rs.MasterName})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The default prefix, as a Sentinel deployment would keep it.
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
	// Replicas are asynchronous: wait until the replica has every write,
	// so that what this test checks is the client, not Redis.
	rs.WaitInSync(t, 10*time.Second)

	rs.Kill(rs.Master)
	killed := time.Now()
	rs.WaitFailover(t, 60*time.Second)
	failedOver := time.Now()
	var res Result
	testutil.WaitFor(t, 15*time.Second, "a write to succeed after the failover", func() bool {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		res, err = s.Apply(ctx, entry(before))
		return err == nil
	})
	t.Logf("master %s killed: sentinels promoted %s after %v, store writing again %v later",
		rs.Master.Addr, rs.Replica.Addr, failedOver.Sub(killed).Round(10*time.Millisecond), time.Since(failedOver).Round(10*time.Millisecond))
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
