package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/bounced-dev/bounced/publisher"
)

// storeSnapshot is what the store holds: every record, both sets, the
// audit trail and the list.
type storeSnapshot struct {
	Records   map[string]suppress.Record
	All, Mkt  []string
	Audit     []suppress.AuditEntry
	ListTotal int
	Listed    []string
}

func snapshot(t *testing.T, ctx context.Context, c *redis.Client, store *suppress.Store, addrs []string) storeSnapshot {
	t.Helper()
	sn := storeSnapshot{Records: map[string]suppress.Record{}}
	for _, a := range addrs {
		if r, err := store.Get(ctx, a); err == nil {
			sn.Records[r.Address] = *r
		}
	}
	sn.All = c.SMembers(ctx, "{bounced}:suppressed").Val()
	sn.Mkt = c.SMembers(ctx, "{bounced}:suppressed:marketing").Val()
	slices.Sort(sn.All)
	slices.Sort(sn.Mkt)
	var err error
	if sn.Audit, err = store.Audit(ctx, 0); err != nil {
		t.Fatal(err)
	}
	recs, total, err := store.List(ctx, suppress.ListOptions{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sn.ListTotal = total
	for _, r := range recs {
		sn.Listed = append(sn.Listed, r.Address)
	}
	return sn
}

// TestRebuild_fromStream fills the store and the stream as the daemon
// does, wipes Redis (FLUSHALL), checks that the wipe is detected, runs
// `bounced rebuild` and compares records, sets and audit trail with what
// was there before.
func TestRebuild_fromStream(t *testing.T) {
	rs := testutil.StartRedis(t)
	ns := testutil.StartNATSEmbedded(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "bounced.yaml")
	yaml := fmt.Sprintf("redis:\n  url: redis://%s/0\nnats:\n  url: %s\nhttp:\n  listen: \"\"\n", rs.Addr, ns.URL)
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	store, sc, err := app.OpenStore(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	nc, err := nats.Connect(ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	pub, err := publisher.New(ctx, js, publisher.StreamConfig{Name: cfg.NATS.Stream, SubjectPrefix: cfg.NATS.SubjectPrefix}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := app.CheckStoreEpoch(ctx, store, pub); err != nil || st.State != suppress.EpochCreated {
		t.Fatalf("CheckStoreEpoch(fresh) = %+v, %v", st, err)
	}

	// What the pipeline and the outbox loop do, through the same store
	// and publisher.
	now := time.Now().UTC().Truncate(time.Millisecond)
	apply := func(msgKey, rcpt, kind, reason, category string, hard bool, origID string, ago time.Duration) {
		t.Helper()
		id := msgKey + ":" + rcpt
		e := suppress.Entry{IdempotencyKey: id, Recipient: rcpt, Verdict: outcome.Verdict{Kind: kind, Reason: reason, Category: category, Hard: hard,
			Status: "5.1.1", ReplyCode: "550", Diagnostic: "550 " + reason, RemoteMTA: "mx.example.net",
			ReportingMTA: "mta.shop", Format: "rfc3464", Rule: "status:" + reason, OriginalMessageID: origID,
			OriginalSubject: "Order " + msgKey}, MessageKey: msgKey, Source: "imap://mail/INBOX;UID=" + msgKey, At: now.Add(-ago)}
		res, err := store.Apply(ctx, e)
		if err != nil {
			t.Fatalf("Apply(%s) = %v", id, err)
		}
		typ := map[string]publisher.EventType{"bounce": publisher.TypeBounce, "complaint": publisher.TypeComplaint, "delay": publisher.TypeDelay}[kind]
		// As the pipeline's events: the normalised address, the address
		// as written, and the policy's decision.
		ev := publisher.Event{ID: id, Type: typ, Time: e.At, Recipient: res.Address, Verdict: outcome.Verdict{Kind: kind, Reason: reason, Category: category, Hard: hard,
			Status: e.Status, ReplyCode: e.ReplyCode, Diagnostic: e.Diagnostic, RemoteMTA: e.RemoteMTA,
			ReportingMTA: e.ReportingMTA, Format: e.Format, Rule: e.Rule, OriginalMessageID: origID,
			OriginalSubject: e.OriginalSubject}, Policy: pipeline.PolicyOf(res.Decision), Hint: res.Decision.Hint,
			Suppressed: res.Suppressed, Scope: res.Scope, Count: res.Count, Source: e.Source}
		if rcpt != res.Address {
			ev.RecipientAsWritten = rcpt
		}
		evs := []publisher.Event{ev}
		if res.NewlySuppressed {
			added := ev
			added.ID, added.Type = id+":added", publisher.TypeSuppressionAdded
			evs = append(evs, added)
		}
		if _, err := pub.PublishAll(ctx, evs...); err != nil {
			t.Fatal(err)
		}
	}
	lift := func(addr, note string) {
		t.Helper()
		if ok, err := store.Remove(ctx, addr, "api", note); err != nil || !ok {
			t.Fatalf("Remove(%s) = %v, %v", addr, ok, err)
		}
		lifts, err := store.Outbox(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lifts {
			ev := publisher.Event{ID: l.ID(), Type: publisher.TypeSuppressionRemoved, Time: l.At, Recipient: l.Address,
				Verdict: outcome.Verdict{Kind: l.Kind, Reason: l.Reason, Category: l.Category, Hard: l.Hard}, Scope: l.Scope, Count: l.Count, Actor: l.Actor, Note: l.Note}
			if _, err := pub.Publish(ctx, ev); err != nil {
				t.Fatal(err)
			}
			if err := store.Published(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := time.Hour
	d := 24 * h
	apply("m01", "Hard@Example.com", "bounce", "user_unknown", "user_unknown", true, "<o1@shop>", 20*d)
	apply("m01", "hard@example.com", "bounce", "user_unknown", "user_unknown", true, "<o1@shop>", 20*d) // case variant
	apply("m02", "other@example.org", "bounce", "host_unknown", "host_unknown", true, "<o2@shop>", 19*d)
	// Three soft bounces on three days: a soft suppression with an expiry; one resent.
	apply("m03", "full@example.com", "bounce", "mailbox_full", "mailbox_full", false, "<o3@shop>", 15*d)
	apply("m04", "full@example.com", "bounce", "mailbox_full", "mailbox_full", false, "<o4@shop>", 14*d)
	apply("m05", "full@example.com", "bounce", "mailbox_full", "mailbox_full", false, "<o4@shop>", 13*d) // same bounce again
	apply("m06", "Full@example.com", "bounce", "mailbox_full", "mailbox_full", false, "<o6@shop>", 12*d)
	// A soft suppression that was lifted, then a fresh count, then a
	// delivery reported on the delivery subject.
	apply("m07", "soft@example.com", "bounce", "mailbox_full", "mailbox_full", false, "", 11*d)
	apply("m08", "soft@example.com", "bounce", "mailbox_full", "mailbox_full", false, "", 10*d)
	apply("m09", "soft@example.com", "bounce", "mailbox_full", "mailbox_full", false, "", 9*d)
	lift("soft@example.com", "mailbox emptied")
	apply("m10", "soft@example.com", "bounce", "mailbox_full", "mailbox_full", false, "", 8*d)
	report := []byte(`{"recipients": ["Soft@example.com"], "at": "` + now.Add(-8*d+h).Format(time.RFC3339Nano) + `"}`)
	if _, err := js.Publish(ctx, cfg.NATS.SubjectPrefix+"."+app.DeliverySubjectSuffix, report); err != nil {
		t.Fatal(err)
	}
	if n, err := app.ApplyDeliveryReport(ctx, store, report); err != nil || n != 1 {
		t.Fatalf("ApplyDeliveryReport() = %d, %v; want 1 cleared", n, err)
	}
	// A complaint, a delay, a hard bounce lifted and one lifted then bounced again.
	apply("m11", "fbl@example.net", "complaint", "complaint", "complaint", false, "<o11@shop>", 7*d)
	apply("m12", "slow@example.com", "delay", "expired", "transient", false, "<o12@shop>", 6*d)
	apply("m13", "typo@example.com", "bounce", "user_unknown", "user_unknown", true, "<o13@shop>", 5*d)
	lift("typo@example.com", "typo fixed")
	apply("m14", "again@example.com", "bounce", "user_unknown", "user_unknown", true, "<o14@shop>", 4*d)
	lift("again@example.com", "")
	apply("m15", "again@example.com", "bounce", "user_unknown", "user_unknown", true, "<o15@shop>", 3*d)
	// A soft suppression that has expired since: gone after a rebuild too.
	for i, ago := range []time.Duration{60 * 24 * h, 59 * 24 * h, 58 * 24 * h} {
		apply(fmt.Sprintf("x%d", i), "expired@example.com", "bounce", "mailbox_full", "mailbox_full", false, "", ago)
	}

	addrs := []string{"hard@example.com", "other@example.org", "full@example.com", "soft@example.com", "fbl@example.net",
		"slow@example.com", "typo@example.com", "again@example.com", "expired@example.com"}
	before := snapshot(t, ctx, c, store, addrs)
	if len(before.Records) != len(addrs) || len(before.All) != 4 || len(before.Mkt) != 5 || len(before.Audit) != 3 {
		t.Fatalf("store before the wipe: %d records, all %v, marketing %v, %d audit entries; want %d, 4, 5, 3",
			len(before.Records), before.All, before.Mkt, len(before.Audit), len(addrs))
	}
	if r := before.Records["full@example.com"]; r.Count != 3 || r.ExpiresAt.IsZero() {
		t.Fatalf("full@example.com before the wipe = %+v, want count 3 and an expiry", r)
	}

	rebuildCmd := func(args ...string) (int, string, string) {
		// The NATS connection logs its closing to stderr asynchronously.
		var out bytes.Buffer
		errb := &testutil.LogBuffer{}
		code := run(append([]string{"rebuild", "--config", cfgPath}, args...), os.Stdin, &out, errb)
		return code, out.String(), errb.String()
	}
	// Not wiped: rebuild refuses without --force.
	if code, _, errs := rebuildCmd(); code != 1 || !strings.Contains(errs, "not wiped") {
		t.Errorf("rebuild of a store that has its epoch = %d %q, want 1, refused", code, errs)
	}

	if err := c.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if st, err := app.CheckStoreEpoch(ctx, store, pub); err != nil || st.State != suppress.EpochWiped {
		t.Fatalf("CheckStoreEpoch(after FLUSHALL) = %+v, %v; want wiped", st, err)
	}
	// The policy changed since: the rebuild replays the decisions the
	// events recorded, not the new policy's.
	changed := yaml + "policy:\n  reasons:\n    mailbox_full: {action: notify}\n    user_unknown: {action: notify}\n"
	if err := os.WriteFile(cfgPath, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := rebuildCmd()
	if code != 0 || !strings.Contains(out, "rebuilt from stream") {
		t.Fatalf("rebuild = %d %q %q", code, out, errs)
	}
	after := snapshot(t, ctx, c, store, addrs)
	if !reflect.DeepEqual(after, before) {
		for a, r := range before.Records {
			if !reflect.DeepEqual(after.Records[a], r) {
				t.Errorf("record %s:\n rebuilt %+v\n before  %+v", a, after.Records[a], r)
			}
		}
		t.Errorf("rebuilt store:\n%+v\nbefore the wipe:\n%+v", after, before)
	}
	if st, err := app.CheckStoreEpoch(ctx, store, pub); err != nil || st.State != suppress.EpochOK {
		t.Errorf("CheckStoreEpoch(after rebuild) = %+v, %v; want ok", st, err)
	}
	// The rebuilt store counts on: a bounce seen before is a repeat.
	if r, err := store.Apply(ctx, suppress.Entry{IdempotencyKey: "m99:full@example.com", Recipient: "full@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "mailbox_full", Category: "mailbox_full",
		OriginalMessageID: "<o3@shop>"},
		MessageKey: "m99", At: now}); err != nil || !r.Repeat {
		t.Errorf("Apply(a bounce replayed) = %+v, %v; want a repeat", r, err)
	}

	// Accepting the empty store instead.
	if err := c.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := rebuildCmd("--accept-empty"); code != 0 || !strings.Contains(out, "accepted") {
		t.Fatalf("rebuild --accept-empty = %d %q %q", code, out, errs)
	}
	if st, err := app.CheckStoreEpoch(ctx, store, pub); err != nil || st.State != suppress.EpochOK {
		t.Errorf("CheckStoreEpoch(after --accept-empty) = %+v, %v; want ok", st, err)
	}
	if n, _ := store.Count(ctx); n != 0 {
		t.Errorf("%d suppressed after --accept-empty, want 0", n)
	}
}
