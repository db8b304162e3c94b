package suppress

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
	"github.com/redis/go-redis/v9"
)

// base is the fake "now" of the tests.
var base = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// clock is a settable time source for Store.now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// newClient returns a client of srv, closed when the test ends.
func newClient(t testing.TB, srv *testutil.RedisServer) redis.UniversalClient {
	t.Helper()
	c, err := NewClient(ClientOptions{Addrs: []string{srv.Addr}})
	if err != nil {
		t.Fatalf("NewClient() error = %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// newStore returns a store with the default policy and a clock at base,
// under prefix on c.
func newStore(t testing.TB, c redis.UniversalClient, prefix string) (*Store, *clock) {
	t.Helper()
	clk := &clock{t: base}
	s := New(c, prefix, DefaultPolicy(), testLogger(t))
	s.now = clk.Now
	return s, clk
}

func entry(key, addr, kind, reason string, hard bool, at time.Duration) Entry {
	cat := map[string]string{
		"user_unknown": "user_unknown", "mailbox_full": "mailbox_full", "blocked": "policy_block",
		"complaint": "complaint", "system_error": "transient", "host_unknown": "host_unknown",
	}[reason]
	return Entry{
		IdempotencyKey: key, Recipient: addr, Verdict: outcome.Verdict{Kind: kind, Reason: reason, Category: cat, Hard: hard, Status: "5.1.1",
			ReplyCode: "550", Diagnostic: "550 5.1.1 no such user", Format: "rfc3464", Rule: "status:" + reason}, Source: "INBOX/" + key, At: base.Add(at),
	}
}

func hardAt(key, addr string, at time.Duration) Entry {
	return entry(key, addr, "bounce", "user_unknown", true, at)
}

func softAt(key, addr string, at time.Duration) Entry {
	return entry(key, addr, "bounce", "mailbox_full", false, at)
}

func complaintAt(key, addr string, at time.Duration) Entry {
	return entry(key, addr, "complaint", "complaint", false, at)
}

// core is r without the fields Apply fills from the entry and the policy.
func core(r Result) Result {
	r.Address, r.AsWritten, r.Decision, r.Carrier = "", "", Decision{}, ""
	return r
}

func members(t testing.TB, c redis.UniversalClient, key string) []string {
	t.Helper()
	m, err := c.SMembers(context.Background(), key).Result()
	if err != nil {
		t.Fatalf("SMEMBERS %s: %v", key, err)
	}
	slices.Sort(m)
	return m
}

func TestApply_policy(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	const a = "User@Example.COM"
	const norm = "user@example.com"

	tests := []struct {
		name      string
		entries   []Entry
		want      Result // of the last entry
		wantAll   []string
		wantMkt   []string
		wantInExp bool
	}{
		{
			name:    "hard suppresses at once",
			entries: []Entry{hardAt("h1", a, 0)},
			want:    Result{Suppressed: true, NewlySuppressed: true, Scope: ScopeAll, Count: 1},
			wantAll: []string{norm},
			wantMkt: []string{norm},
		},
		{
			name:    "soft below threshold",
			entries: []Entry{softAt("s1", a, 0), softAt("s2", a, day)},
			want:    Result{Count: 2, WindowCount: 2},
		},
		{
			name:      "soft at threshold within window",
			entries:   []Entry{softAt("s1", a, 0), softAt("s2", a, day), softAt("s3", a, 2*day)},
			want:      Result{Suppressed: true, NewlySuppressed: true, Scope: ScopeAll, Count: 3, WindowCount: 3, ExpiresAt: base.Add(32 * day)},
			wantAll:   []string{norm},
			wantMkt:   []string{norm},
			wantInExp: true,
		},
		{
			name:    "soft three on one day are one day",
			entries: []Entry{softAt("s1", a, 0), softAt("s2", a, time.Hour), softAt("s3", a, 2*time.Hour)},
			want:    Result{Count: 3, WindowCount: 1},
		},
		{
			name:    "soft spread beyond window",
			entries: []Entry{softAt("s1", a, 0), softAt("s2", a, 16*day), softAt("s3", a, 31*day)},
			want:    Result{Count: 3, WindowCount: 2},
		},
		{
			name:    "soft window excludes its start",
			entries: []Entry{softAt("s1", a, 0), softAt("s2", a, 15*day), softAt("s3", a, 30*day)},
			want:    Result{Count: 3, WindowCount: 2},
		},
		{
			name:      "soft out of order",
			entries:   []Entry{softAt("s3", a, 2*day), softAt("s1", a, 0), softAt("s2", a, day)},
			want:      Result{Suppressed: true, NewlySuppressed: true, Scope: ScopeAll, Count: 3, WindowCount: 3, ExpiresAt: base.Add(32 * day)},
			wantAll:   []string{norm},
			wantMkt:   []string{norm},
			wantInExp: true,
		},
		{
			name:      "soft while soft suppressed extends",
			entries:   []Entry{softAt("s1", a, 0), softAt("s2", a, day), softAt("s3", a, 2*day), softAt("s4", a, 3*day)},
			want:      Result{Suppressed: true, Scope: ScopeAll, Count: 4, WindowCount: 4, ExpiresAt: base.Add(33 * day)},
			wantAll:   []string{norm},
			wantMkt:   []string{norm},
			wantInExp: true,
		},
		{
			name:    "soft long ago has already expired",
			entries: []Entry{softAt("s1", a, -60*day), softAt("s2", a, -59*day), softAt("s3", a, -58*day)},
			want:    Result{Count: 3, WindowCount: 3},
		},
		{
			name:    "complaint suppresses marketing only",
			entries: []Entry{complaintAt("c1", a, 0)},
			want:    Result{Suppressed: true, NewlySuppressed: true, Scope: ScopeMarketing, Count: 1},
			wantMkt: []string{norm},
		},
		{
			name: "evidence never suppresses",
			entries: []Entry{
				entry("d1", a, "delay", "system_error", false, 0),
				entry("d2", a, "delay", "system_error", false, time.Hour),
				entry("d3", a, "delivered", "delivered", false, 2*time.Hour),
				entry("d4", a, "auto_reply", "auto_reply", false, 3*time.Hour),
				entry("d5", a, "auto_reply", "auto_reply", false, 4*time.Hour),
			},
			want: Result{Count: 5},
		},
		{
			name:    "hard after soft suppression is permanent",
			entries: []Entry{softAt("s1", a, 0), softAt("s2", a, day), softAt("s3", a, 2*day), hardAt("h1", a, 3*day)},
			want:    Result{Suppressed: true, Scope: ScopeAll, Count: 4},
			wantAll: []string{norm},
			wantMkt: []string{norm},
		},
		{
			name:    "hard after complaint widens",
			entries: []Entry{complaintAt("c1", a, 0), hardAt("h1", a, day)},
			want:    Result{Suppressed: true, NewlySuppressed: true, Scope: ScopeAll, Count: 2},
			wantAll: []string{norm},
			wantMkt: []string{norm},
		},
		{
			name:    "complaint after hard stays all",
			entries: []Entry{hardAt("h1", a, 0), complaintAt("c1", a, day)},
			want:    Result{Suppressed: true, Scope: ScopeAll, Count: 2},
			wantAll: []string{norm},
			wantMkt: []string{norm},
		},
		{
			name:    "soft after hard stays permanent",
			entries: []Entry{hardAt("h1", a, 0), softAt("s1", a, day), softAt("s2", a, 2*day), softAt("s3", a, 3*day)},
			want:    Result{Suppressed: true, Scope: ScopeAll, Count: 4, WindowCount: 3},
			wantAll: []string{norm},
			wantMkt: []string{norm},
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := fmt.Sprintf("{policy%d}", i)
			s, _ := newStore(t, c, prefix)
			var got Result
			for _, e := range tc.entries {
				var err error
				if got, err = s.Apply(t.Context(), e); err != nil {
					t.Fatalf("Apply(%s) error = %v", e.IdempotencyKey, err)
				}
			}
			if !got.ExpiresAt.IsZero() {
				got.ExpiresAt = got.ExpiresAt.UTC()
			}
			if core(got) != tc.want {
				t.Errorf("Apply() = %+v, want %+v", core(got), tc.want)
			}
			if m := members(t, c, prefix+":suppressed"); !slices.Equal(m, tc.wantAll) {
				t.Errorf("all-mail set = %v, want %v", m, tc.wantAll)
			}
			if m := members(t, c, prefix+":suppressed:marketing"); !slices.Equal(m, tc.wantMkt) {
				t.Errorf("marketing set = %v, want %v", m, tc.wantMkt)
			}
			_, err := c.ZScore(t.Context(), prefix+":expiry", "all:"+norm).Result()
			if inExp := err == nil; inExp != tc.wantInExp {
				t.Errorf("in expiry zset = %v, want %v", inExp, tc.wantInExp)
			}
			for _, scope := range []string{ScopeAll, ScopeMarketing} {
				want := slices.Contains(tc.wantAll, norm) || (scope == ScopeMarketing && slices.Contains(tc.wantMkt, norm))
				if got, err := s.IsSuppressed(t.Context(), a, scope); err != nil || got != want {
					t.Errorf("IsSuppressed(%q) = %v, %v, want %v", scope, got, err, want)
				}
			}
			rec, err := s.Get(t.Context(), a)
			if err != nil {
				t.Fatalf("Get() error = %v", err)
			}
			if rec.Count != len(tc.entries) || rec.Scope != tc.want.Scope || rec.Address != norm {
				t.Errorf("Get() = %+v, want count %d scope %q", rec, len(tc.entries), tc.want.Scope)
			}
		})
	}
}

func TestApply_invalid(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "")
	tests := []struct {
		name string
		e    Entry
	}{
		{"no key", Entry{Recipient: "a@example.com", Verdict: outcome.Verdict{Kind: "bounce"}}},
		{"no recipient", Entry{IdempotencyKey: "k", Verdict: outcome.Verdict{Kind: "bounce"}}},
		{"no domain", Entry{IdempotencyKey: "k", Recipient: "a@", Verdict: outcome.Verdict{Kind: "bounce"}}},
		{"unknown kind", Entry{IdempotencyKey: "k", Recipient: "a@example.com", Verdict: outcome.Verdict{Kind: "bogus"}}},
		{"control character", Entry{IdempotencyKey: "k", Recipient: "a\r\n@example.com", Verdict: outcome.Verdict{Kind: "bounce"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Apply(t.Context(), tc.e)
			if !errors.Is(err, ErrInvalid) || IsTransient(err) {
				t.Errorf("Apply() error = %v, want ErrInvalid, not transient", err)
			}
		})
	}
}

func TestApply_recordDetails(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "")
	ctx := t.Context()
	// A delay before any suppression describes the record.
	if _, err := s.Apply(ctx, entry("d1", "a@example.com", "delay", "system_error", false, 0)); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Get(ctx, "a@example.com")
	if err != nil || rec.Kind != "delay" || rec.Suppressed {
		t.Fatalf("Get() = %+v, %v, want unsuppressed delay", rec, err)
	}
	// A hard bounce takes over; a later delay does not overwrite it.
	h := hardAt("h1", "a@example.com", time.Hour)
	h.OriginalMessageID, h.OriginalSubject, h.RemoteMTA, h.ReportingMTA = "<m1@shop>", "Sale", "mx.example.com", "relay.shop"
	if _, err := s.Apply(ctx, h); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, entry("d2", "a@example.com", "delay", "system_error", false, 2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rec, err = s.Get(ctx, "A@example.com")
	if err != nil {
		t.Fatal(err)
	}
	want := Record{
		Address: "a@example.com", AsWritten: "a@example.com", Suppressed: true, Scope: ScopeAll, Scopes: []string{ScopeAll},
		Policy: "user_unknown", Hint: HintCheckAddress, Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown",
			Hard: true, Status: "5.1.1", ReplyCode: "550", Diagnostic: "550 5.1.1 no such user",
			RemoteMTA: "mx.example.com", ReportingMTA: "relay.shop", Format: "rfc3464",
			Rule: "status:user_unknown", OriginalMessageID: "<m1@shop>", OriginalSubject: "Sale"}, Source: "INBOX/h1", Count: 3,
		FirstSeen: base, LastSeen: base.Add(2 * time.Hour), SuppressedAt: base.Add(time.Hour),
	}
	if !reflect.DeepEqual(*rec, want) {
		t.Errorf("Get() = %+v\nwant %+v", *rec, want)
	}
	if _, err := s.Get(ctx, "nobody@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(unknown) error = %v, want ErrNotFound", err)
	}
}

func TestSweep_softExpiry(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, clk := newStore(t, c, "")
	ctx := t.Context()
	suppressSoft := func(addr string, at time.Duration) Result {
		t.Helper()
		var r Result
		for i := range 3 {
			var err error
			if r, err = s.Apply(ctx, softAt(fmt.Sprintf("%s-%d", addr, i), addr, at+time.Duration(i)*day)); err != nil {
				t.Fatal(err)
			}
		}
		if !r.Suppressed {
			t.Fatalf("Apply(%s) = %+v, want suppressed", addr, r)
		}
		return r
	}
	r := suppressSoft("a@example.com", 0)
	suppressSoft("b@example.com", day)
	suppressSoft("c@example.com", 0)
	ce := complaintAt("c-complaint", "c@example.com", time.Hour)
	ce.Format = "arf"
	if _, err := s.Apply(ctx, ce); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx); n != 3 {
		t.Errorf("Count() = %d, want 3", n)
	}

	// Just before expiry nothing is lifted.
	clk.Set(r.ExpiresAt.Add(-time.Millisecond))
	if n, err := s.Sweep(ctx); err != nil || n != 0 {
		t.Errorf("Sweep() before expiry = %d, %v, want 0", n, err)
	}
	// After a's and c's expiry, Sweep lifts them; c falls back to marketing.
	clk.Set(r.ExpiresAt.Add(time.Hour))
	if n, err := s.Sweep(ctx); err != nil || n != 2 {
		t.Errorf("Sweep() = %d, %v, want 2", n, err)
	}
	if m := members(t, c, DefaultPrefix+":suppressed"); !slices.Equal(m, []string{"b@example.com"}) {
		t.Errorf("all-mail set = %v, want [b@example.com]", m)
	}
	// b, suppressed for all mail, is in every scope's set.
	if m := members(t, c, DefaultPrefix+":suppressed:marketing"); !slices.Equal(m, []string{"b@example.com", "c@example.com"}) {
		t.Errorf("marketing set = %v, want [b@example.com c@example.com]", m)
	}
	rec, err := s.Get(ctx, "a@example.com")
	if err != nil || rec.Suppressed || !rec.ExpiresAt.IsZero() {
		t.Errorf("Get(a) = %+v, %v, want not suppressed", rec, err)
	}
	rec, err = s.Get(ctx, "c@example.com")
	if err != nil || rec.Scope != ScopeMarketing || rec.Reason != "complaint" || !rec.SuppressedAt.Equal(base.Add(time.Hour)) {
		t.Errorf("Get(c) = %+v, %v, want marketing complaint", rec, err)
	}
	// The complaint, the last entry, described c before the sweep and
	// still does: its evidence stays.
	if rec.Format != "arf" {
		t.Errorf("Get(c).Format = %q, want the complaint's arf kept", rec.Format)
	}
	recs, total, err := s.List(ctx, ListOptions{})
	if err != nil || total != 2 || len(recs) != 2 || recs[0].Address != "b@example.com" || recs[1].Address != "c@example.com" {
		t.Errorf("List() = %v, %d, %v, want b, c", recs, total, err)
	}

	// b expires later; a read lifts it lazily, without Sweep.
	clk.Set(base.Add(40 * day))
	if got, err := s.IsSuppressed(ctx, "b@example.com", ScopeAll); err != nil || got {
		t.Errorf("IsSuppressed(b) = %v, %v, want false", got, err)
	}
	if ok, _ := c.SIsMember(ctx, DefaultPrefix+":suppressed", "b@example.com").Result(); ok {
		t.Error("b still in the all-mail set after lazy sweep")
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Errorf("Count() = %d, want 1", n)
	}
	// The window starts afresh, but mailbox_full re-probes: within 30 days
	// of the expiry, one bounce suppresses again.
	r, err = s.Apply(ctx, softAt("a-again", "a@example.com", 40*day))
	if err != nil || !r.NewlySuppressed || r.WindowCount != 1 || !r.ExpiresAt.Equal(base.Add(70*day)) {
		t.Errorf("Apply() on probation = %+v, %v, want suppressed again until day 70, window 1", r, err)
	}
	// A delivery ends b's probation: one bounce is one day again.
	if _, err := s.Delivered(ctx, "B@example.com", base.Add(40*day)); err != nil {
		t.Fatal(err)
	}
	r, err = s.Apply(ctx, softAt("b-again", "b@example.com", 41*day))
	if err != nil || r.Suppressed || r.WindowCount != 1 {
		t.Errorf("Apply() after delivery = %+v, %v, want not suppressed, window 1", r, err)
	}
}

func TestApply_idempotent(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	tests := []struct {
		name  string
		first []Entry
		again Entry
	}{
		{"hard", nil, hardAt("h1", "a@example.com", 0)},
		{"soft", []Entry{softAt("s1", "a@example.com", 0), softAt("s2", "a@example.com", time.Hour)}, softAt("s3", "a@example.com", 2*time.Hour)},
		{"complaint", nil, complaintAt("c1", "a@example.com", 0)},
		{"delay", nil, entry("d1", "a@example.com", "delay", "system_error", false, 0)},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newStore(t, c, fmt.Sprintf("{idem%d}", i))
			for _, e := range tc.first {
				if _, err := s.Apply(t.Context(), e); err != nil {
					t.Fatal(err)
				}
			}
			first, err := s.Apply(t.Context(), tc.again)
			if err != nil || first.Duplicate {
				t.Fatalf("Apply() = %+v, %v, want not duplicate", first, err)
			}
			before, _ := s.Get(t.Context(), "a@example.com")
			for range 3 {
				again, err := s.Apply(t.Context(), tc.again)
				if err != nil {
					t.Fatal(err)
				}
				want := first
				want.Duplicate = true
				if !again.ExpiresAt.Equal(want.ExpiresAt) {
					t.Errorf("Apply() again ExpiresAt = %v, want %v", again.ExpiresAt, want.ExpiresAt)
				}
				again.ExpiresAt, want.ExpiresAt = time.Time{}, time.Time{}
				if again != want {
					t.Errorf("Apply() again = %+v, want %+v", again, want)
				}
			}
			after, _ := s.Get(t.Context(), "a@example.com")
			if !reflect.DeepEqual(*after, *before) {
				t.Errorf("record changed by replay:\n%+v\nwant %+v", *after, *before)
			}
		})
	}
}

func TestApply_concurrent(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, _ := newStore(t, c, "")
	const n = 20
	var applied atomic.Int32
	results := make([]Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := s.Apply(context.Background(), softAt("same-key", "a@example.com", 0))
			if err != nil {
				t.Errorf("Apply() error = %v", err)
				return
			}
			if !r.Duplicate {
				applied.Add(1)
			}
			r.Duplicate = false
			results[i] = r
		})
	}
	wg.Wait()
	if got := applied.Load(); got != 1 {
		t.Errorf("entries applied = %d, want 1", got)
	}
	for i, r := range results {
		if r != results[0] {
			t.Errorf("result %d = %+v, want %+v", i, r, results[0])
		}
	}
	rec, err := s.Get(t.Context(), "a@example.com")
	if err != nil || rec.Count != 1 {
		t.Errorf("Get() = %+v, %v, want count 1", rec, err)
	}
	if n, _ := c.ZCard(t.Context(), DefaultPrefix+":soft:a@example.com").Result(); n != 1 {
		t.Errorf("soft window size = %d, want 1", n)
	}
}

func TestRemove(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, clk := newStore(t, c, "")
	ctx := t.Context()
	for _, e := range []Entry{
		hardAt("h1", "hard@example.com", 0),
		complaintAt("c1", "complaint@example.com", 0),
		softAt("s1", "soft@example.com", 0), softAt("s2", "soft@example.com", day), softAt("s3", "soft@example.com", 2*day),
		entry("d1", "delay@example.com", "delay", "system_error", false, 0),
	} {
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	clk.Set(base.Add(time.Hour))
	tests := []struct {
		addr, scope string
		want        bool
	}{
		{"Hard@example.com", ScopeAll, true},
		{"complaint@example.com", ScopeMarketing, true},
		{"soft@example.com", ScopeAll, true},
		{"delay@example.com", "", false},
		{"nobody@example.com", "", false},
		{"hard@example.com", "", false}, // already lifted
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			got, err := s.Remove(ctx, tc.addr, "alice", "customer asked")
			if err != nil || got != tc.want {
				t.Fatalf("Remove(%s) = %v, %v, want %v", tc.addr, got, err, tc.want)
			}
			if sup, _ := s.IsSuppressed(ctx, tc.addr, ScopeMarketing); sup {
				t.Errorf("IsSuppressed(%s) = true after Remove", tc.addr)
			}
		})
	}
	if n, _ := s.Count(ctx); n != 0 {
		t.Errorf("Count() = %d, want 0", n)
	}
	if recs, total, _ := s.List(ctx, ListOptions{}); total != 0 || len(recs) != 0 {
		t.Errorf("List() = %v, %d, want none", recs, total)
	}
	for _, k := range []string{":expiry", ":idx:reason:user_unknown", ":idx:domain:example.com", ":soft:soft@example.com"} {
		if n, _ := c.Exists(ctx, DefaultPrefix+k).Result(); n != 0 {
			t.Errorf("%s still exists after Remove", k)
		}
	}
	audit, err := s.Audit(ctx, 0)
	if err != nil || len(audit) != 3 {
		t.Fatalf("Audit() = %v, %v, want 3 entries", audit, err)
	}
	want := AuditEntry{At: base.Add(time.Hour), Action: "remove", Address: "hard@example.com", Actor: "alice",
		Note: "customer asked", Scope: ScopeAll, Reason: "user_unknown"}
	if got := audit[2]; got != want {
		t.Errorf("Audit()[2] = %+v, want %+v", got, want)
	}
	rec, err := s.Get(ctx, "hard@example.com")
	if err != nil || rec.Suppressed || rec.LiftedBy != "alice" || !rec.LiftedAt.Equal(base.Add(time.Hour)) {
		t.Errorf("Get() after Remove = %+v, %v", rec, err)
	}
	// Each lift waits in the outbox, oldest first, until published.
	box, err := s.Outbox(ctx, 10)
	if err != nil || len(box) != 3 {
		t.Fatalf("Outbox() = %+v, %v; want the 3 lifts", box, err)
	}
	first := box[0]
	first.raw = ""
	wantLift := Lifted{At: base.Add(time.Hour), Address: "hard@example.com", Actor: "alice", Note: "customer asked",
		Scope: ScopeAll, Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true, Count: 1}
	if first != wantLift {
		t.Errorf("Outbox()[0] = %+v, want %+v", first, wantLift)
	}
	if box[1].Address != "complaint@example.com" || box[1].Scope != ScopeMarketing || box[2].Address != "soft@example.com" {
		t.Errorf("Outbox() order/scopes = %+v", box)
	}
	if box[0].ID() == box[1].ID() || box[0].ID() != "removed:hard@example.com:"+strconv.FormatInt(base.Add(time.Hour).UnixMilli(), 10) {
		t.Errorf("IDs %q, %q: want removed:<address>:<ms>, distinct", box[0].ID(), box[1].ID())
	}
	if err := s.Published(ctx, box[1]); err != nil {
		t.Fatal(err)
	}
	if box, _ := s.Outbox(ctx, 10); len(box) != 2 || box[0].Address != "hard@example.com" || box[1].Address != "soft@example.com" {
		t.Errorf("Outbox() after Published(complaint) = %+v", box)
	}
	// A new hard bounce suppresses again; a replay of the old one does not.
	if r, _ := s.Apply(ctx, hardAt("h1", "hard@example.com", 0)); !r.Duplicate {
		t.Errorf("replay after Remove = %+v, want duplicate", r)
	}
	if sup, _ := s.IsSuppressed(ctx, "hard@example.com", ScopeAll); sup {
		t.Error("replay after Remove suppressed again")
	}
	if r, _ := s.Apply(ctx, hardAt("h2", "hard@example.com", 2*time.Hour)); !r.NewlySuppressed {
		t.Errorf("new hard bounce after Remove = %+v, want newly suppressed", r)
	}
}

func TestList(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "")
	ctx := t.Context()
	// Suppressed one per hour, in this order.
	seed := []Entry{
		hardAt("1", "u1@a.example", 0),
		entry("2", "u2@b.example", "bounce", "host_unknown", true, 1*time.Hour),
		hardAt("3", "u3@b.example", 2*time.Hour),
		complaintAt("4", "u4@a.example", 3*time.Hour),
		hardAt("5", "u5@a.example", 4*time.Hour),
		entry("6", "u6@a.example", "delay", "system_error", false, 5*time.Hour), // not suppressed
	}
	for _, e := range seed {
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		o         ListOptions
		want      []string
		wantTotal int
	}{
		{"all newest first", ListOptions{}, []string{"u5@a.example", "u4@a.example", "u3@b.example", "u2@b.example", "u1@a.example"}, 5},
		{"reason", ListOptions{Reason: "user_unknown"}, []string{"u5@a.example", "u3@b.example", "u1@a.example"}, 3},
		{"domain", ListOptions{Domain: "A.example"}, []string{"u5@a.example", "u4@a.example", "u1@a.example"}, 3},
		{"reason and domain", ListOptions{Reason: "user_unknown", Domain: "b.example"}, []string{"u3@b.example"}, 1},
		{"since", ListOptions{Since: base.Add(3 * time.Hour)}, []string{"u5@a.example", "u4@a.example"}, 2},
		{"until", ListOptions{Until: base.Add(2 * time.Hour)}, []string{"u2@b.example", "u1@a.example"}, 2},
		{"since and until", ListOptions{Since: base.Add(time.Hour), Until: base.Add(3 * time.Hour)}, []string{"u3@b.example", "u2@b.example"}, 2},
		{"page", ListOptions{Limit: 2, Offset: 1}, []string{"u4@a.example", "u3@b.example"}, 5},
		{"page past end", ListOptions{Limit: 2, Offset: 9}, nil, 5},
		{"reason and domain page", ListOptions{Reason: "user_unknown", Domain: "a.example", Limit: 1, Offset: 1}, []string{"u1@a.example"}, 2},
		{"unknown reason", ListOptions{Reason: "nope"}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, total, err := s.List(ctx, tc.o)
			if err != nil {
				t.Fatalf("List() error = %v", err)
			}
			var got []string
			for _, r := range recs {
				if !r.Suppressed {
					t.Errorf("List() returned unsuppressed %s", r.Address)
				}
				got = append(got, r.Address)
			}
			if !slices.Equal(got, tc.want) || total != tc.wantTotal {
				t.Errorf("List(%+v) = %v, %d, want %v, %d", tc.o, got, total, tc.want, tc.wantTotal)
			}
		})
	}
}

func TestApply_outage(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "")
	if _, err := s.Apply(t.Context(), hardAt("1", "a@example.com", 0)); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	_, err := s.Apply(ctx, hardAt("2", "b@example.com", 0))
	if err == nil || !IsTransient(err) {
		t.Fatalf("Apply() with Redis down error = %v, want transient", err)
	}
	t.Logf("Apply() with Redis down: %v", err)
	if err := s.Ping(ctx); err == nil || !IsTransient(err) {
		t.Errorf("Ping() with Redis down error = %v, want transient", err)
	}
	srv.Start()
	r, err := s.Apply(ctx, hardAt("2", "b@example.com", 0))
	if err != nil || !r.NewlySuppressed {
		t.Errorf("Apply() after restart = %+v, %v, want newly suppressed", r, err)
	}
}

func TestIsTransient_redisErrors(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	ctx := t.Context()

	// A key of the wrong type is a permanent error.
	s, _ := newStore(t, c, "{wrongtype}")
	if err := c.Set(ctx, "{wrongtype}:suppressed", "x", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Apply(ctx, hardAt("1", "a@example.com", 0))
	if err == nil || IsTransient(err) {
		t.Errorf("Apply() on WRONGTYPE error = %v, want permanent", err)
	}
	t.Logf("Apply() on WRONGTYPE: %v", err)

	// Redis out of memory is transient.
	s, _ = newStore(t, c, "{oom}")
	if err := c.ConfigSet(ctx, "maxmemory", "1").Err(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Apply(ctx, hardAt("1", "a@example.com", 0))
	if err == nil || !IsTransient(err) {
		t.Errorf("Apply() on OOM error = %v, want transient", err)
	}
	t.Logf("Apply() on OOM: %v", err)
	if err := c.ConfigSet(ctx, "maxmemory", "0").Err(); err != nil {
		t.Fatal(err)
	}

	// A cancelled context is not worth retrying; a deadline is.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Apply(cctx, hardAt("2", "a@example.com", 0)); err == nil || IsTransient(err) {
		t.Errorf("Apply() with cancelled context error = %v, want permanent", err)
	}
	dctx, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	if _, err := s.Apply(dctx, hardAt("3", "a@example.com", 0)); err == nil || !IsTransient(err) {
		t.Errorf("Apply() past deadline error = %v, want transient", err)
	}
}

func TestLuaISO(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	script := redis.NewScript(luaLib + `return iso(tonumber(ARGV[2]))`)
	times := []time.Time{
		time.Unix(0, 0),
		time.Date(2000, 2, 29, 23, 59, 59, 999e6, time.UTC),
		time.Date(2024, 12, 31, 23, 59, 59, 1e6, time.UTC),
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2100, 3, 1, 7, 8, 9, 120e6, time.UTC),
		base.Add(30 * day),
	}
	for i := range 200 {
		times = append(times, time.UnixMilli(int64(i)*19_999_999_937))
	}
	for _, tm := range times {
		got, err := script.Run(t.Context(), c, []string{"k"}, "p", tm.UnixMilli()).Text()
		if err != nil {
			t.Fatal(err)
		}
		want := tm.UTC().Format("2006-01-02T15:04:05.000Z")
		if got != want {
			t.Errorf("iso(%d) = %s, want %s", tm.UnixMilli(), got, want)
		}
	}
}

func TestNormalizeAddress(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"  User@Example.COM ", "user@example.com", true},
		{"<a.b+tag@example.com>", "a.b+tag@example.com", true},
		{"a@example.com.", "a@example.com", true},
		{`"a@b"@example.com`, `"a@b"@example.com`, true},
		{"", "", false},
		{"no-at", "", false},
		{"@example.com", "", false},
		{"a@", "", false},
		{"a\n@example.com", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := NormalizeAddress(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("NormalizeAddress(%q) = %q, %v, want %q (ok %v)", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func BenchmarkApply(b *testing.B) {
	srv := testutil.StartRedis(b)
	c := newClient(b, srv)
	s := New(c, "", DefaultPolicy(), nil)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Apply(ctx, benchEntry(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportRedisTime(ctx, b, c)
}

// reportRedisTime reports Redis's own time per apply (its one thread is
// what caps a drain): INFO commandstats of EVALSHA; and the commands the
// script ran, per apply (every other command counted there is the
// script's, but for the client's handshake and this INFO).
func reportRedisTime(ctx context.Context, b *testing.B, c redis.UniversalClient) {
	b.Helper()
	info, err := c.Info(ctx, "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	var applies, inside float64
	for _, line := range strings.Split(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") {
			continue
		}
		for _, kv := range strings.Split(rest, ",") {
			if v, ok := strings.CutPrefix(kv, "calls="); ok {
				n, _ := strconv.ParseFloat(v, 64)
				switch name {
				case "cmdstat_evalsha", "cmdstat_eval":
					applies += n
				case "cmdstat_info", "cmdstat_hello", "cmdstat_ping", "cmdstat_client|setinfo", "cmdstat_script|load":
				default:
					inside += n
				}
			}
			if v, ok := strings.CutPrefix(kv, "usec_per_call="); ok && name == "cmdstat_evalsha" {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					b.ReportMetric(f, "redis-µs/apply")
				}
			}
		}
	}
	if applies > 0 {
		b.ReportMetric(inside/applies, "redis-cmds/apply")
	}
}

func itoa(i int) string { return fmt.Sprint(i) }

// benchEntry is the i-th entry of the benchmarks' mix: soft bounces of
// 5,000 addresses at 50 domains, one a minute, every tenth a hard one.
func benchEntry(i int) Entry {
	addr := fmt.Sprintf("u%d@d%d.example", i%5000, i%50)
	if i%10 == 0 {
		return hardAt(itoa(i), addr, time.Duration(i)*time.Minute)
	}
	return softAt(itoa(i), addr, time.Duration(i)*time.Minute)
}

// TestSweep_expiredEvidenceCleared: when the entry that described the
// record (a soft suppression for all mail) expires and an earlier
// complaint still suppresses marketing, the record names the complaint and
// keeps none of the expired bounce's evidence.
func TestSweep_expiredEvidenceCleared(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, clk := newStore(t, c, "")
	ctx := t.Context()
	if _, err := s.Apply(ctx, complaintAt("d-complaint", "d@example.com", 0)); err != nil {
		t.Fatal(err)
	}
	var r Result
	for i := range 3 {
		e := softAt(fmt.Sprintf("d-%d", i), "d@example.com", time.Duration(i)*day)
		e.Diagnostic, e.RemoteMTA, e.Format, e.RuleSource = "452 4.2.2 mailbox full", "mx.example.com", "postfix", "rfc3463"
		var err error
		if r, err = s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if !r.Suppressed || r.Scope != ScopeAll {
		t.Fatalf("Apply() = %+v, want suppressed for all mail", r)
	}
	clk.Set(r.ExpiresAt.Add(time.Hour))
	if _, err := s.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Get(ctx, "d@example.com")
	if err != nil || rec.Scope != ScopeMarketing || rec.Reason != "complaint" || rec.Kind != "complaint" {
		t.Fatalf("Get(d) = %+v, %v; want the marketing complaint", rec, err)
	}
	if rec.Diagnostic != "" || rec.RemoteMTA != "" || rec.Format != "" || rec.RuleSource != "" {
		t.Errorf("Get(d) keeps the expired bounce's evidence: %q %q %q %q", rec.Diagnostic, rec.RemoteMTA, rec.Format, rec.RuleSource)
	}
}

// TestApply_givenAnnotation: an entry whose caller made the address checks
// (Entry.Annotation, as the pipeline does for its event) is recorded as one
// whose checks the store makes itself, and the store takes the given ones.
func TestApply_givenAnnotation(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	ctx := t.Context()
	own, _ := newStore(t, c, "{own}")
	given, _ := newStore(t, c, "{given}")
	e := hardAt("h1", "hanako@docomo.ne.jo", 0)
	ann := AnnotationOf(e)
	if ann.Suggestion != "hanako@docomo.ne.jp" || len(ann.Faults) == 0 || ann.Carrier != "" {
		t.Fatalf("AnnotationOf() = %+v, want the domain typo found", ann)
	}
	r1, err := own.Apply(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	withAnn := e
	withAnn.Annotation = &ann
	r2, err := given.Apply(ctx, withAnn)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1, r2) {
		t.Errorf("Apply(with annotation) = %+v\nwant as without %+v", r2, r1)
	}
	rec1, err1 := own.Get(ctx, e.Recipient)
	rec2, err2 := given.Get(ctx, e.Recipient)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(rec1, rec2) || rec1.Suggestion != ann.Suggestion || len(rec1.Faults) != len(ann.Faults) {
		t.Errorf("Get() with annotation = %+v, %v\nwant as without %+v, %v, suggestion %q", rec2, err2, rec1, err1, ann.Suggestion)
	}
	// The given annotation is the one recorded: the store does not check again.
	other := hardAt("h2", "taro@example.com", 0)
	other.Annotation = &Annotation{Carrier: "docomo", Suggestion: "taro@example.org"}
	r, err := given.Apply(ctx, other)
	if err != nil || r.Carrier != "docomo" {
		t.Fatalf("Apply(given carrier) = %+v, %v, want carrier docomo", r, err)
	}
	if rec, err := given.Get(ctx, other.Recipient); err != nil || rec.Carrier != "docomo" || rec.Suggestion != "taro@example.org" {
		t.Errorf("Get() = %+v, %v, want the given carrier and suggestion", rec, err)
	}
}
