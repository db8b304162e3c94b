package suppress

import (
	"errors"
	"fmt"
	"github.com/bounced-dev/bounced/internal/testutil"
	"testing"
	"time"
)

// TestApply_sameBounceCountsOnce: soft bounces count once per original
// message and normalised recipient. Before, one message naming an address
// in three cases gave count=3 and a 30-day suppression, and the same
// bounce received again counted again.
func TestApply_sameBounceCountsOnce(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	soft := func(idem, addr, msgKey, msgID string, at time.Duration) Entry {
		e := softAt(idem, addr, at)
		e.MessageKey, e.OriginalMessageID = msgKey, msgID
		return e
	}
	tests := []struct {
		name       string
		entries    []Entry
		wantCount  int
		wantWindow int // of the last entry that counted
		wantRepeat bool
		wantSupp   bool
	}{
		{
			name: "caseVariantsInOneMessage",
			entries: []Entry{
				soft("m1:User@Example.COM", "User@Example.COM", "m1", "<o1@shop>", 0),
				soft("m1:user@example.com", "user@example.com", "m1", "<o1@shop>", 0),
				soft("m1:USER@EXAMPLE.COM", " USER@EXAMPLE.COM ", "m1", "<o1@shop>", 0),
			},
			wantCount: 1, wantRepeat: true,
		},
		{
			name: "caseVariantsWithoutMessageID",
			entries: []Entry{
				soft("m1:User@Example.COM", "User@Example.COM", "m1", "", 0),
				soft("m1:user@example.com", "user@example.com", "m1", "", 0),
				soft("m1:USER@example.com", "USER@example.com", "m1", "", 0),
			},
			wantCount: 1, wantRepeat: true,
		},
		{
			// Resent, re-wrapped, other Received headers: another raw
			// message (another key), the same original Message-ID.
			name: "sameBounceReceivedAgain",
			entries: []Entry{
				soft("m1:a@example.com", "a@example.com", "m1", "<o1@shop>", 0),
				soft("m2:a@example.com", "a@example.com", "m2", "o1@shop", time.Hour),
				soft("m3:A@example.com", "A@example.com", "m3", " <o1@shop> ", day),
			},
			wantCount: 1, wantRepeat: true,
		},
		{
			name: "distinctOriginalsCount",
			entries: []Entry{
				soft("m1:a@example.com", "a@example.com", "m1", "<o1@shop>", 0),
				soft("m2:a@example.com", "A@example.com", "m2", "<o2@shop>", day),
				soft("m3:a@example.com", "a@EXAMPLE.com", "m3", "<o3@shop>", 2*day),
			},
			wantCount: 3, wantWindow: 3, wantSupp: true,
		},
		{
			name: "distinctMessagesWithoutMessageIDCount",
			entries: []Entry{
				soft("m1:a@example.com", "a@example.com", "m1", "", 0),
				soft("m2:a@example.com", "a@example.com", "m2", "", day),
			},
			wantCount: 2, wantWindow: 2,
		},
		{
			name: "hardCaseVariantsCountOnce",
			entries: func() []Entry {
				a, b := hardAt("m1:X@example.com", "X@example.com", 0), hardAt("m1:x@example.com", "x@example.com", 0)
				a.MessageKey, b.MessageKey = "m1", "m1"
				return []Entry{a, b}
			}(),
			wantCount: 1, wantRepeat: true, wantSupp: true,
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newStore(t, c, fmt.Sprintf("{t%d}", i))
			var last Result
			for _, e := range tc.entries {
				r, err := s.Apply(t.Context(), e)
				if err != nil {
					t.Fatalf("Apply(%s) = %v", e.IdempotencyKey, err)
				}
				last = r
			}
			rec, err := s.Get(t.Context(), tc.entries[0].Recipient)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Count != tc.wantCount || last.Count != tc.wantCount || last.Repeat != tc.wantRepeat || rec.Suppressed != tc.wantSupp {
				t.Errorf("record count %d, last Apply() = %+v, suppressed %v; want count %d, repeat %v, suppressed %v",
					rec.Count, last, rec.Suppressed, tc.wantCount, tc.wantRepeat, tc.wantSupp)
			}
			if !tc.wantRepeat && last.WindowCount != tc.wantWindow {
				t.Errorf("WindowCount = %d, want %d", last.WindowCount, tc.wantWindow)
			}
			// A repeat applied again is an ordinary duplicate.
			e := tc.entries[len(tc.entries)-1]
			if r, err := s.Apply(t.Context(), e); err != nil || !r.Duplicate {
				t.Errorf("Apply(last again) = %+v, %v; want Duplicate", r, err)
			}
		})
	}
}

// TestCheckEpoch_wipeDetected: a fresh store gets an epoch; once Redis is
// wiped (FLUSHALL, or a restart without persistence), Apply refuses
// atomically with ErrNoEpoch, a transient error, until the epoch is set
// again. Before, a wiped Redis was silently used as an empty store.
func TestCheckEpoch_wipeDetected(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	ctx := t.Context()
	s, _ := newStore(t, c, "")

	// Before CheckEpoch, a library user of the store needs no epoch.
	if _, err := s.Apply(ctx, hardAt("h0", "zero@example.com", 0)); err != nil {
		t.Fatalf("Apply() before CheckEpoch = %v", err)
	}
	if err := c.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}

	st, err := s.CheckEpoch(ctx, DurableEpoch{})
	if err != nil || st.State != EpochCreated || st.Record == "" || st.Record != st.Redis.ID || !st.Usable() {
		t.Fatalf("CheckEpoch(fresh) = %+v, %v; want created, with the id to record", st, err)
	}
	epoch := st.Redis.ID
	if st, err := s.CheckEpoch(ctx, DurableEpoch{ID: epoch, HasEvents: true}); err != nil || st.State != EpochOK || st.Record != "" {
		t.Fatalf("CheckEpoch(same) = %+v, %v; want ok, nothing to record", st, err)
	}
	if _, err := s.Apply(ctx, hardAt("h1", "a@example.com", 0)); err != nil {
		t.Fatalf("Apply() = %v", err)
	}

	if err := c.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	// Apply refuses at once, inside its script, before any check runs.
	_, err = s.Apply(ctx, hardAt("h2", "b@example.com", 0))
	if !errors.Is(err, ErrNoEpoch) || !IsTransient(err) {
		t.Fatalf("Apply() on a wiped store = %v (transient %v), want ErrNoEpoch, transient", err, IsTransient(err))
	}
	if n := c.DBSize(ctx).Val(); n != 0 {
		t.Errorf("wiped redis has %d keys after a refused Apply, want 0", n)
	}
	st, err = s.CheckEpoch(ctx, DurableEpoch{ID: epoch, HasEvents: true})
	if err != nil || st.State != EpochWiped || st.Usable() || st.Reason == "" {
		t.Fatalf("CheckEpoch(wiped) = %+v, %v; want wiped with a reason", st, err)
	}
	if _, ok, _ := s.ReadEpoch(ctx); ok {
		t.Errorf("CheckEpoch(wiped) wrote an epoch")
	}
	// An empty redis and a stream with events but no epoch recorded
	// (a stream from before epochs): wiped too.
	if st, _ := s.CheckEpoch(ctx, DurableEpoch{HasEvents: true}); st.State != EpochWiped {
		t.Errorf("CheckEpoch(events, empty redis) = %+v, want wiped", st)
	}

	// The operator rebuilds (or accepts): Apply works again.
	if err := s.SetEpoch(ctx, Epoch{ID: epoch, CreatedAt: base}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, hardAt("h2", "b@example.com", 0)); err != nil {
		t.Fatalf("Apply() after SetEpoch = %v", err)
	}
	if st, _ := s.CheckEpoch(ctx, DurableEpoch{ID: epoch, HasEvents: true}); st.State != EpochOK {
		t.Errorf("CheckEpoch(after SetEpoch) = %+v, want ok", st)
	}
	if st, _ := s.CheckEpoch(ctx, DurableEpoch{ID: "other", HasEvents: true}); st.State != EpochMismatch || st.Usable() {
		t.Errorf("CheckEpoch(other epoch) = %+v, want mismatch", st)
	}

	// A rebuild replays into the wiped store while Apply refuses.
	if err := c.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplayApply(ctx, hardAt("h3", "c@example.com", 0), base); err != nil {
		t.Errorf("ReplayApply() on a wiped store = %v, want it applied", err)
	}
	if _, err := s.Apply(ctx, hardAt("h4", "d@example.com", 0)); !errors.Is(err, ErrNoEpoch) {
		t.Errorf("Apply() during the replay = %v, want ErrNoEpoch", err)
	}

	// A store from before epochs: data in redis, events, no epoch anywhere.
	old, _ := newStore(t, c, "{old}")
	if _, err := old.Apply(ctx, hardAt("o1", "old@example.com", 0)); err != nil {
		t.Fatal(err)
	}
	if st, err := old.CheckEpoch(ctx, DurableEpoch{HasEvents: true}); err != nil || st.State != EpochAdopted || st.Record == "" {
		t.Errorf("CheckEpoch(old store) = %+v, %v; want adopted", st, err)
	}
}

// TestReplayLift_noOutbox: a replayed lift audits as the live one did, at
// its time, and queues no event.
func TestReplayLift_noOutbox(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, clk := newStore(t, newClient(t, srv), "")
	ctx := t.Context()
	if _, err := s.Apply(ctx, hardAt("h1", "a@example.com", 0)); err != nil {
		t.Fatal(err)
	}
	clk.Set(base.Add(time.Hour + 1234567*time.Nanosecond))
	if ok, err := s.Remove(ctx, "a@example.com", "api", "typo"); !ok || err != nil {
		t.Fatalf("Remove() = %v, %v", ok, err)
	}
	live, _ := s.Audit(ctx, 0)
	lifts, _ := s.Outbox(ctx, 10)
	if len(live) != 1 || len(lifts) != 1 || !live[0].At.Equal(lifts[0].At) {
		t.Fatalf("audit %+v, outbox %+v: want one each, at the same millisecond", live, lifts)
	}

	n, err := s.Reset(ctx)
	if err != nil || n == 0 {
		t.Fatalf("Reset() = %d, %v", n, err)
	}
	if _, err := s.ReplayApply(ctx, hardAt("h1", "a@example.com", 0), base); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.ReplayLift(ctx, "a@example.com", lifts[0].Actor, lifts[0].Note, lifts[0].At); !ok || err != nil {
		t.Fatalf("ReplayLift() = %v, %v", ok, err)
	}
	replayed, _ := s.Audit(ctx, 0)
	if len(replayed) != 1 || replayed[0] != live[0] {
		t.Errorf("replayed audit = %+v, want %+v", replayed, live)
	}
	if lifts, _ := s.Outbox(ctx, 10); len(lifts) != 0 {
		t.Errorf("ReplayLift queued %d events, want none", len(lifts))
	}
}
