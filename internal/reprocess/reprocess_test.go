package reprocess

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

type fixture struct {
	store *suppress.Store
	raws  *rawstore.Store
	p     *Reprocessor
	addr  string
	hash  string
}

// newFixture keeps hard-bounce.eml and applies its recipient as older
// rules read it: with the given kind, reason and hardness.
func newFixture(t *testing.T, kind, reason string, hard bool) *fixture {
	return newFixtureOf(t, "hard-bounce.eml", kind, reason, hard)
}

func newFixtureOf(t *testing.T, file, kind, reason string, hard bool) *fixture {
	t.Helper()
	rs := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { c.Close() })
	st := suppress.New(c, "{r}", suppress.DefaultPolicy(), nil)
	raws, err := rawstore.New(rawstore.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../pipeline/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: st, raws: raws, p: New(Options{Store: st, Raw: raws})}
	ctx := context.Background()
	if f.hash, err = raws.Put(ctx, raw); err != nil {
		t.Fatal(err)
	}
	rep, err := bounce.DecodeBytes(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range record.FromReportWith(nil, "test", rep, nil) {
		if r.Recipient == "" {
			continue
		}
		if file == "hard-bounce.eml" && (r.Reason != "user_unknown" || !r.Hard) {
			t.Fatalf("today's rules read %s as %s hard=%v; the test wants a hard user_unknown", r.Recipient, r.Reason, r.Hard)
		}
		if file == "soft-bounce.eml" && r.Hard {
			t.Fatalf("today's rules read %s as hard; the test wants a soft bounce", r.Recipient)
		}
		f.addr = r.Recipient
		cat := reason
		if _, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "old:" + r.Recipient, Recipient: r.Recipient, Verdict: outcome.Verdict{Kind: kind, Reason: reason, Category: cat, Hard: hard},
			At: time.Now().Add(-time.Hour), Raw: f.hash, Source: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestReprocess_dryRunThenApplySuppresses(t *testing.T) {
	f := newFixture(t, "bounce", "mailbox_full", false)
	ctx := context.Background()
	rep, err := f.p.Reprocess(ctx, Request{Addresses: []string{f.addr, "nobody@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || rep.Messages != 1 || len(rep.Changes) != 1 || rep.Changes[0].Action != ActionSuppress || rep.Changes[0].Applied ||
		rep.Changes[0].New.Reason != "user_unknown" || rep.Changes[0].Old.Reason != "mailbox_full" || len(rep.Unknown) != 1 {
		t.Fatalf("dry run = %+v", rep)
	}
	if ok, _ := f.store.IsSuppressed(ctx, f.addr, "all"); ok {
		t.Fatal("a dry run suppressed the address")
	}
	rep, err = f.p.Reprocess(ctx, Request{Addresses: []string{f.addr}, Apply: true})
	if err != nil || rep.Applied != 1 || !rep.Changes[0].Applied {
		t.Fatalf("apply = %+v, %v", rep, err)
	}
	rec, _ := f.store.Get(ctx, f.addr)
	if !rec.Suppressed || !rec.Hard || rec.Reason != "user_unknown" || rec.Raw != f.hash {
		t.Errorf("record after apply = %+v", rec)
	}
	// Applying again changes nothing more (the new verdict is in the history).
	rep, _ = f.p.Reprocess(ctx, Request{Addresses: []string{f.addr}, Apply: true})
	rec2, _ := f.store.Get(ctx, f.addr)
	if rec2.Count != rec.Count {
		t.Errorf("second apply counted again: %d -> %d (%+v)", rec.Count, rec2.Count, rep)
	}
}

func TestReprocess_neverUndoesAnOperatorsLift(t *testing.T) {
	f := newFixture(t, "bounce", "mailbox_full", false)
	ctx := context.Background()
	// Soft bounces would not suppress; make it suppressed by hand, then lift.
	f.store.Add(ctx, "alice", []suppress.Addition{{Address: f.addr}})
	if ok, _ := f.store.Remove(ctx, f.addr, "alice", "customer fixed the mailbox"); !ok {
		t.Fatal("not lifted")
	}
	rep, err := f.p.Reprocess(ctx, Request{Addresses: []string{f.addr}, Apply: true})
	if err != nil || len(rep.Changes) != 1 || rep.Changes[0].Action != ActionKeptLifted || rep.Changes[0].Applied {
		t.Fatalf("Reprocess = %+v, %v", rep, err)
	}
	if ok, _ := f.store.IsSuppressed(ctx, f.addr, "all"); ok {
		t.Error("reprocessing undid the operator's lift")
	}
}

func TestReprocess_relabelsTheSameEffect(t *testing.T) {
	// Older rules called it a hard bounce for an unknown host; today's call
	// it a hard user_unknown: the same effect, relabelled.
	f := newFixture(t, "bounce", "host_unknown", true)
	ctx := context.Background()
	rep, err := f.p.Reprocess(ctx, Request{Addresses: []string{f.addr}, Apply: true})
	if err != nil || len(rep.Changes) != 1 || rep.Changes[0].Action != ActionRelabel || !rep.Changes[0].Applied {
		t.Fatalf("Reprocess = %+v, %v", rep, err)
	}
	rec, _ := f.store.Get(ctx, f.addr)
	if rec.Reason != "user_unknown" || !rec.Suppressed {
		t.Errorf("relabelled record = %+v", rec)
	}
	page, _ := f.store.Query(ctx, suppress.QueryOptions{Reason: "user_unknown"})
	if len(page.Records) != 1 {
		t.Errorf("relabelled record not in the new reason's index: %+v", page)
	}
	page, _ = f.store.Query(ctx, suppress.QueryOptions{Reason: "host_unknown"})
	if len(page.Records) != 0 {
		t.Errorf("relabelled record still in the old reason's index: %+v", page)
	}
}

func TestReprocess_rawMissing(t *testing.T) {
	f := newFixture(t, "bounce", "mailbox_full", false)
	ctx := context.Background()
	os.RemoveAll(f.raws.Dir())
	rep, err := f.p.Reprocess(ctx, Request{Addresses: []string{f.addr}})
	if err != nil || len(rep.Changes) != 1 || rep.Changes[0].Action != ActionRawMissing {
		t.Fatalf("Reprocess = %+v, %v", rep, err)
	}
	if _, err := f.p.Reprocess(ctx, Request{}); err == nil {
		t.Error("Reprocess(no address) succeeded")
	}
}

func TestReprocess_liftsWhatTodaysRulesWouldNotSuppress(t *testing.T) {
	// Older rules called a soft bounce a hard user_unknown: the address
	// is suppressed for good by that bounce alone.
	f := newFixtureOf(t, "soft-bounce.eml", "bounce", "user_unknown", true)
	ctx := context.Background()
	if ok, _ := f.store.IsSuppressed(ctx, f.addr, "all"); !ok {
		t.Fatal("fixture not suppressed")
	}
	rep, err := f.p.Reprocess(ctx, Request{Addresses: []string{f.addr}})
	if err != nil || len(rep.Changes) != 1 || rep.Changes[0].Action != ActionLift || rep.Changes[0].New.Hard {
		t.Fatalf("dry run = %+v, %v", rep, err)
	}
	rep, err = f.p.Reprocess(ctx, Request{Addresses: []string{f.addr}, Apply: true})
	if err != nil || rep.Applied != 1 {
		t.Fatalf("apply = %+v, %v", rep, err)
	}
	if ok, _ := f.store.IsSuppressed(ctx, f.addr, "all"); ok {
		t.Error("still suppressed after a lift by reprocessing")
	}
	aud, _ := f.store.AddressAudit(ctx, f.addr)
	if len(aud) != 1 || aud[0].Actor != Actor || aud[0].Note == "" {
		t.Errorf("audit = %+v", aud)
	}
	rec, _ := f.store.Get(ctx, f.addr)
	if rec.Hard || rec.Count != 2 {
		t.Errorf("record after the lift = %+v (want the soft verdict recorded)", rec)
	}
}
