package suppress

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

// bounceOf is a bounce of reason at base+at, with classify's category
// and hardness for the reason and the rule "status:...".
func bounceOf(key, addr, reason string, at time.Duration) Entry {
	r := classify.Reason(reason)
	return Entry{
		IdempotencyKey: key, Recipient: addr, Verdict: outcome.Verdict{Kind: "bounce", Reason: reason, Category: string(r.Category()),
			Hard: r.Hard(), Status: "5.0.0", ReplyCode: "550", Diagnostic: "550 refused", Format: "rfc3464",
			Rule: "text:" + reason + "/x"}, Source: "INBOX/" + key, At: base.Add(at),
	}
}

// days returns n bounces of reason for addr, one a day from day 0 (or
// all on day 0, an hour apart, when sameDay).
func days(addr, reason string, n int, sameDay bool, edit func(*Entry)) []Entry {
	var out []Entry
	for i := range n {
		step := time.Duration(i) * day
		if sameDay {
			step = time.Duration(i) * time.Hour
		}
		e := bounceOf(fmt.Sprintf("%s-%s-%d", reason, addr, i), addr, reason, step)
		if edit != nil {
			edit(&e)
		}
		out = append(out, e)
	}
	return out
}

// inSets returns the scopes whose set holds addr.
func inSets(t *testing.T, s *Store, addr string) []string {
	t.Helper()
	var out []string
	for _, sc := range s.Policy().Scopes() {
		ok, err := s.c.SIsMember(t.Context(), s.ScopeKey(sc), addr).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			out = append(out, sc)
		}
	}
	return out
}

var everyScope = []string{ScopeAll, ScopeTransactional, ScopeMarketing}

func TestApply_reasonDefaults(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	const a = "Taro@Example.JP"
	const norm = "taro@example.jp"
	spamhaus := func(e *Entry) {
		e.Diagnostic = "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org"
	}
	tests := []struct {
		name       string
		entries    []Entry
		wantScopes []string // sets holding the address after the last entry
		wantRule   string
		wantAction string
		wantHint   string
		wantAlert  bool
		wantExpiry time.Duration // from base; 0: for good or not suppressed
		wantLow    bool
	}{
		{name: "user_unknown suppresses all for good", entries: days(a, "user_unknown", 1, false, nil),
			wantScopes: everyScope, wantRule: "user_unknown", wantAction: "suppress", wantHint: HintCheckAddress},
		{name: "has_moved suppresses all for good", entries: days(a, "has_moved", 1, false, nil),
			wantScopes: everyScope, wantRule: "user_unknown", wantAction: "suppress", wantHint: HintCheckAddress},
		{name: "host_unknown suppresses all for good", entries: days(a, "host_unknown", 1, false, nil),
			wantScopes: everyScope, wantRule: "host_unknown", wantAction: "suppress", wantHint: HintCheckAddress},
		{name: "not_accept suppresses all for good", entries: days(a, "not_accept", 1, false, nil),
			wantScopes: everyScope, wantRule: "host_unknown", wantAction: "suppress", wantHint: HintCheckAddress},
		{name: "mailbox_full three on one day do not suppress", entries: days(a, "mailbox_full", 3, true, nil),
			wantRule: "mailbox_full", wantAction: "count", wantHint: HintMailboxFull},
		{name: "mailbox_full two days do not suppress", entries: days(a, "mailbox_full", 2, false, nil),
			wantRule: "mailbox_full", wantAction: "count", wantHint: HintMailboxFull},
		{name: "mailbox_full three on three days suppress 30 days", entries: days(a, "mailbox_full", 3, false, nil),
			wantScopes: everyScope, wantRule: "mailbox_full", wantAction: "count", wantHint: HintMailboxFull, wantExpiry: 32 * day},
		{name: "message_too_big never suppresses", entries: days(a, "message_too_big", 6, false, nil),
			wantRule: "size_rejected", wantAction: "notify", wantHint: HintReduceSize},
		{name: "exceed_limit never suppresses", entries: days(a, "exceed_limit", 6, false, nil),
			wantRule: "size_rejected", wantAction: "notify", wantHint: HintReduceSize},
		{name: "blocked on one day does not suppress", entries: days(a, "blocked", 3, true, nil),
			wantRule: "policy_block", wantAction: "count", wantHint: HintAllowSender, wantAlert: true},
		{name: "blocked on two days suppresses marketing", entries: days(a, "blocked", 2, false, nil),
			wantScopes: []string{ScopeMarketing}, wantRule: "policy_block", wantAction: "count", wantHint: HintAllowSender,
			wantAlert: true, wantExpiry: 31 * day},
		{name: "filtered on two days suppresses marketing", entries: days(a, "filtered", 2, false, nil),
			wantScopes: []string{ScopeMarketing}, wantRule: "policy_block", wantAction: "count", wantHint: HintAllowSender,
			wantAlert: true, wantExpiry: 31 * day},
		{name: "content_error on two days suppresses marketing", entries: days(a, "content_error", 2, false, nil),
			wantScopes: []string{ScopeMarketing}, wantRule: "policy_block", wantAction: "count", wantHint: HintAllowSender,
			wantAlert: true, wantExpiry: 31 * day},
		{name: "blocked naming the sending IP never counts", entries: days(a, "blocked", 4, false, spamhaus),
			wantRule: RuleSenderBlocked, wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "auth_failure never counts", entries: days(a, "auth_failure", 4, false, nil),
			wantRule: "auth_failure", wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "require_ptr never counts", entries: days(a, "require_ptr", 4, false, nil),
			wantRule: "require_ptr", wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "rate_limited never counts", entries: days(a, "rate_limited", 4, false, nil),
			wantRule: "rate_limited", wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "bad_reputation never counts", entries: days(a, "bad_reputation", 4, false, nil),
			wantRule: "bad_reputation", wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "too_many_connections never counts", entries: days(a, "too_many_connections", 4, false, nil),
			wantRule: "too_many_connections", wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "no_relaying never counts", entries: days(a, "no_relaying", 4, false, nil),
			wantRule: "no_relaying", wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "failed_starttls never counts", entries: days(a, "failed_starttls", 4, false, nil),
			wantRule: "failed_starttls", wantAction: "notify", wantHint: HintSenderSide, wantAlert: true},
		{name: "network_error never counts", entries: days(a, "network_error", 4, false, nil),
			wantRule: "network_error", wantAction: "notify", wantHint: HintSenderOutage},
		{name: "expired after connection failures never counts",
			entries: days(a, "expired", 4, false, func(e *Entry) {
				e.Diagnostic = "delivery temporarily suspended: connect to mx.example.jp[192.0.2.9]:25: Connection timed out"
			}),
			wantRule: "network_error", wantAction: "notify", wantHint: HintSenderOutage},
		{name: "a temporary DNS failure never counts",
			entries: days(a, "host_unknown", 4, false, func(e *Entry) {
				e.Hard, e.Status = false, "4.4.3"
				e.Diagnostic = "Host or domain name not found. Name service error for name=example.jp type=MX: Host not found, try again"
			}),
			wantRule: "network_error", wantAction: "notify", wantHint: HintSenderOutage},
		{name: "expired otherwise counts by the default rule", entries: days(a, "expired", 3, false, nil),
			wantScopes: everyScope, wantRule: RuleDefault, wantAction: "count", wantExpiry: 32 * day},
		{name: "complaint suppresses marketing for good", entries: []Entry{complaintAt("c1", a, 0)},
			wantScopes: []string{ScopeMarketing}, wantRule: "complaint", wantAction: "suppress"},
		{name: "transient counts by the default rule", entries: days(a, "system_error", 3, false, nil),
			wantScopes: everyScope, wantRule: RuleDefault, wantAction: "count", wantExpiry: 32 * day},
		{name: "low confidence user_unknown counts as soft",
			entries:  days(a, "user_unknown", 1, false, func(e *Entry) { e.Rule = "default:user_unknown" }),
			wantRule: RuleDefault, wantAction: "count", wantLow: true},
		{name: "low confidence by the classifier counts as soft",
			entries:  days(a, "host_unknown", 1, false, func(e *Entry) { e.Confidence = "low" }),
			wantRule: RuleDefault, wantAction: "count", wantLow: true},
		{name: "high confidence of a default rule suppresses",
			entries:    days(a, "user_unknown", 1, false, func(e *Entry) { e.Rule, e.Confidence = "default:user_unknown", "high" }),
			wantScopes: everyScope, wantRule: "user_unknown", wantAction: "suppress", wantHint: HintCheckAddress},
		{name: "low confidence needs three days", entries: days(a, "user_unknown", 3, false, func(e *Entry) { e.Rule = "default:undefined" }),
			wantScopes: everyScope, wantRule: RuleDefault, wantAction: "count", wantLow: true, wantExpiry: 32 * day},
		{name: "user_unknown the report calls temporary counts as soft",
			entries:  days(a, "user_unknown", 1, false, func(e *Entry) { e.Hard, e.Status = false, "4.1.1" }),
			wantRule: RuleDefault, wantAction: "count"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newStore(t, c, fmt.Sprintf("{reason%d}", i))
			var got Result
			for _, e := range tc.entries {
				var err error
				if got, err = s.Apply(t.Context(), e); err != nil {
					t.Fatalf("Apply(%s) error = %v", e.IdempotencyKey, err)
				}
			}
			d := got.Decision
			if d.Rule != tc.wantRule || d.Action != tc.wantAction || d.Hint != tc.wantHint || d.SenderAlert != tc.wantAlert || d.LowConfidence != tc.wantLow {
				t.Errorf("Decision = %+v, want rule %q action %q hint %q alert %v low %v", d, tc.wantRule, tc.wantAction, tc.wantHint, tc.wantAlert, tc.wantLow)
			}
			if sc := inSets(t, s, norm); !slices.Equal(sc, tc.wantScopes) {
				t.Errorf("sets holding %s = %v, want %v", norm, sc, tc.wantScopes)
			}
			if got.Suppressed != (len(tc.wantScopes) > 0) {
				t.Errorf("Apply().Suppressed = %v, want %v", got.Suppressed, len(tc.wantScopes) > 0)
			}
			var wantExp time.Time
			if tc.wantExpiry > 0 {
				wantExp = base.Add(tc.wantExpiry)
			}
			if !got.ExpiresAt.Equal(wantExp) {
				t.Errorf("ExpiresAt = %v, want %v", got.ExpiresAt, wantExp)
			}
			rec, err := s.Get(t.Context(), a)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Address != norm || rec.AsWritten != a || rec.Count != len(tc.entries) || rec.Policy != tc.wantRule {
				t.Errorf("Get() = address %q as written %q count %d policy %q", rec.Address, rec.AsWritten, rec.Count, rec.Policy)
			}
			for _, sc := range s.Policy().Scopes() {
				want := slices.Contains(tc.wantScopes, sc)
				if ok, err := s.IsSuppressed(t.Context(), a, sc); err != nil || ok != want {
					t.Errorf("IsSuppressed(%s) = %v, %v, want %v", sc, ok, err, want)
				}
			}
		})
	}
}

// TestApply_senderReasonsSuppressNobody: four sender-caused refusals for
// four addresses suppress none of them.
func TestApply_senderReasonsSuppressNobody(t *testing.T) {
	srv := testutil.StartRedis(t)
	s, _ := newStore(t, newClient(t, srv), "")
	for i, reason := range []string{"auth_failure", "require_ptr", "rate_limited", "bad_reputation"} {
		addr := fmt.Sprintf("u%d@example.com", i)
		for _, e := range days(addr, reason, 5, false, nil) {
			r, err := s.Apply(t.Context(), e)
			if err != nil || r.Suppressed || !r.Decision.SenderAlert {
				t.Fatalf("Apply(%s) = %+v, %v; want not suppressed, a sender alert", reason, r, err)
			}
		}
	}
	if n, err := s.Count(t.Context()); err != nil || n != 0 {
		t.Errorf("Count() = %d, %v, want 0", n, err)
	}
}

func TestApply_scopes(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	p := DefaultPolicy()
	p.Streams = []string{"news"}
	p.Rules = map[string]Rule{"filtered": {Action: ActionSuppress, Scope: "news"}}
	s := New(c, "{scopes}", p, testLogger(t))
	s.now = func() time.Time { return base }
	ctx := t.Context()
	for _, e := range []Entry{
		bounceOf("h", "hard@example.com", "user_unknown", 0),
		complaintAt("c", "complaint@example.com", 0),
		bounceOf("f", "news@example.com", "filtered", 0),
		bounceOf("f2", "both@example.com", "filtered", 0),
		complaintAt("c2", "both@example.com", time.Hour),
	} {
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		addr string
		want []string
	}{
		{"hard@example.com", []string{"all", "transactional", "marketing", "news"}},
		{"complaint@example.com", []string{"marketing"}},
		{"news@example.com", []string{"news"}},
		{"both@example.com", []string{"marketing", "news"}},
		{"nobody@example.com", nil},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			if got := inSets(t, s, tc.addr); !slices.Equal(got, tc.want) {
				t.Errorf("sets = %v, want %v", got, tc.want)
			}
			for _, sc := range s.Policy().Scopes() {
				want := slices.Contains(tc.want, sc)
				if got, err := s.IsSuppressed(ctx, strings.ToUpper(tc.addr), sc); err != nil || got != want {
					t.Errorf("IsSuppressed(%s) = %v, %v, want %v", sc, got, err, want)
				}
			}
		})
	}
	rec, err := s.Get(ctx, "both@example.com")
	if err != nil || rec.Scope != "marketing,news" || !slices.Equal(rec.Scopes, []string{"marketing", "news"}) {
		t.Errorf("Get(both) = %+v, %v; want scopes marketing,news", rec, err)
	}
	if _, err := s.IsSuppressed(ctx, "hard@example.com", "promo"); !errors.Is(err, ErrInvalid) {
		t.Errorf("IsSuppressed(unknown scope) error = %v, want ErrInvalid", err)
	}
	// A stream added later: SyncScopes puts the all-mail suppressions in
	// its set.
	p.Streams = []string{"news", "promo"}
	s2 := New(c, "{scopes}", p, testLogger(t))
	s2.now = s.now
	if err := s2.SyncScopes(ctx); err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]bool{"hard@example.com": true, "complaint@example.com": false} {
		if got, err := s2.IsSuppressed(ctx, addr, "promo"); err != nil || got != want {
			t.Errorf("IsSuppressed(%s, promo) after SyncScopes = %v, %v, want %v", addr, got, err, want)
		}
	}
	// Lifting takes the address out of every set.
	if ok, err := s.Remove(ctx, "both@example.com", "op", ""); err != nil || !ok {
		t.Fatalf("Remove() = %v, %v", ok, err)
	}
	if got := inSets(t, s, "both@example.com"); got != nil {
		t.Errorf("sets after Remove = %v, want none", got)
	}
}

func TestAllowlist(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	p := DefaultPolicy()
	p.Allow = []string{"@Partner.Example", "Test@Shop.Example"}
	s := New(c, "", p, testLogger(t))
	s.now = func() time.Time { return base }
	ctx := t.Context()
	// vip is suppressed before it is allowlisted: allowing lifts it.
	if _, err := s.Apply(ctx, bounceOf("v0", "vip@example.com", "user_unknown", 0)); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Allow(ctx, "VIP@example.com", "alice", "our CEO"); err != nil || !ok {
		t.Fatalf("Allow() = %v, %v", ok, err)
	}
	if ok, _ := s.Allow(ctx, "vip@example.com", "alice", ""); ok {
		t.Error("Allow() again = true, want false")
	}
	if sup, _ := s.IsSuppressed(ctx, "vip@example.com", ScopeAll); sup {
		t.Error("vip still suppressed after Allow")
	}
	tests := []struct {
		addr string
		want bool // allowlisted
	}{
		{"vip@example.com", true},
		{"anyone@partner.example", true},
		{"TEST@shop.example", true},
		{"other@shop.example", false},
		{"x@sub.partner.example", false}, // a domain entry is that domain only
	}
	for i, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			r, err := s.Apply(ctx, bounceOf(fmt.Sprintf("a%d", i), tc.addr, "user_unknown", time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if r.Allowlisted != tc.want || r.Suppressed == tc.want {
				t.Errorf("Apply() = allowlisted %v suppressed %v, want allowlisted %v", r.Allowlisted, r.Suppressed, tc.want)
			}
			if got, err := s.IsAllowed(ctx, tc.addr); err != nil || got != tc.want {
				t.Errorf("IsAllowed() = %v, %v, want %v", got, err, tc.want)
			}
			rec, err := s.Get(ctx, tc.addr)
			if err != nil || rec.Count == 0 {
				t.Errorf("Get() = %+v, %v: the bounce must be recorded", rec, err)
			}
		})
	}
	// Soft bounces of an allowlisted address are not counted either.
	for _, e := range days("test@shop.example", "mailbox_full", 3, false, nil) {
		if r, err := s.Apply(ctx, e); err != nil || r.Suppressed || r.WindowCount != 0 {
			t.Errorf("Apply(soft, allowlisted) = %+v, %v", r, err)
		}
	}
	list, err := s.AllowList(ctx)
	want := []AllowEntry{{"partner.example", "config"}, {"test@shop.example", "config"}, {"vip@example.com", "store"}}
	if err != nil || !slices.Equal(list, want) {
		t.Errorf("AllowList() = %v, %v, want %v", list, err, want)
	}
	if ok, err := s.Disallow(ctx, "vip@example.com", "bob", "left"); err != nil || !ok {
		t.Fatalf("Disallow() = %v, %v", ok, err)
	}
	if r, _ := s.Apply(ctx, bounceOf("v2", "vip@example.com", "user_unknown", 2*time.Hour)); !r.Suppressed || r.Allowlisted {
		t.Errorf("Apply() after Disallow = %+v, want suppressed", r)
	}
	audit, err := s.Audit(ctx, 0)
	if err != nil || len(audit) != 3 {
		t.Fatalf("Audit() = %+v, %v; want allow_remove, remove, allow_add", audit, err)
	}
	if audit[0].Action != "allow_remove" || audit[0].Actor != "bob" || audit[1].Action != "remove" ||
		audit[2].Action != "allow_add" || audit[2].Address != "vip@example.com" || audit[2].Note != "our CEO" {
		t.Errorf("Audit() = %+v", audit)
	}
	if _, err := s.Allow(ctx, "not an entry", "x", ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("Allow(invalid) error = %v, want ErrInvalid", err)
	}
}

func TestNormalizeAllowEntry(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Example.COM", "example.com"},
		{"@example.com", "example.com"},
		{" A.B@Example.com ", "a.b@example.com"},
		{"docomo.ne.jp.", "docomo.ne.jp"},
		{"例え.jp", "例え.jp"},
		{"localhost", ""},
		{"not a domain", ""},
		{"-bad.example", ""},
		{"a@", ""},
		{"a@b", ""},
		{"", ""},
		{"a@b@c.example", ""},
	}
	for _, tc := range tests {
		got, err := NormalizeAllowEntry(tc.in)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("NormalizeAllowEntry(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("NormalizeAllowEntry(%q) error = %v, want ErrInvalid", tc.in, err)
		}
	}
}

func TestDelivered_decaysSoftCounts(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	tests := []struct {
		name       string
		bounceDays []time.Duration
		delivery   time.Duration
		wantSupp   bool
		wantWindow int
	}{
		{"no delivery: three days suppress", []time.Duration{0, day, 2 * day}, -1, true, 3},
		{"delivery between resets the count", []time.Duration{0, day, 2 * day}, day + time.Hour, false, 1},
		{"delivery before every bounce changes nothing", []time.Duration{0, day, 2 * day}, -day, true, 3},
		{"delivery after two, then two more days", []time.Duration{0, day, 2 * day, 3 * day}, day + time.Hour, false, 2},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newStore(t, c, fmt.Sprintf("{deliv%d}", i))
			var r Result
			for j, at := range tc.bounceDays {
				if tc.delivery != -1 && at > tc.delivery && (j == 0 || tc.bounceDays[j-1] < tc.delivery) {
					if _, err := s.Delivered(t.Context(), "A@example.com", base.Add(tc.delivery)); err != nil {
						t.Fatal(err)
					}
				}
				var err error
				if r, err = s.Apply(t.Context(), softAt(fmt.Sprint(j), "a@example.com", at)); err != nil {
					t.Fatal(err)
				}
			}
			if r.Suppressed != tc.wantSupp || r.WindowCount != tc.wantWindow {
				t.Errorf("Apply() = suppressed %v window %d, want %v, %d", r.Suppressed, r.WindowCount, tc.wantSupp, tc.wantWindow)
			}
			if tc.delivery > 0 {
				rec, _ := s.Get(t.Context(), "a@example.com")
				if !rec.LastDelivered.Equal(base.Add(tc.delivery)) {
					t.Errorf("LastDelivered = %v, want %v", rec.LastDelivered, base.Add(tc.delivery))
				}
			}
		})
	}
}

func TestApply_outageBurst(t *testing.T) {
	srv := testutil.StartRedis(t)
	p := DefaultPolicy()
	p.Burst = Burst{Domains: 3, Window: 10 * time.Minute}
	s := New(newClient(t, srv), "", p, testLogger(t))
	s.now = func() time.Time { return base.Add(time.Hour) }
	ctx := t.Context()
	tests := []struct {
		addr       string
		at         time.Duration
		wantOutage bool
	}{
		{"a@one.example", 0, false},
		{"b@one.example", time.Minute, false}, // the same domain again
		{"c@two.example", 2 * time.Minute, false},
		{"d@three.example", 3 * time.Minute, true}, // the third domain within 10 minutes
		{"e@four.example", 4 * time.Minute, false}, // one alert per window
		{"f@five.example", 30 * time.Minute, false},
		{"g@six.example", 31 * time.Minute, false},
		{"h@seven.example", 32 * time.Minute, true}, // a later burst alerts again
	}
	for n := range 3 { // three days of it: still never suppressed
		for i, tc := range tests {
			e := bounceOf(fmt.Sprintf("n%d-%d", i, n), tc.addr, "network_error", tc.at+time.Duration(n)*day)
			r, err := s.Apply(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 && r.Outage != tc.wantOutage {
				t.Errorf("Apply(%s at %s).Outage = %v, want %v", tc.addr, tc.at, r.Outage, tc.wantOutage)
			}
			if r.Suppressed {
				t.Errorf("Apply(%s) suppressed it", tc.addr)
			}
		}
	}
}

// TestPolicyChange_keepsRecords: a store opened with another policy
// leaves what was suppressed as it is; an entry carrying the decision of
// its first application (a rebuild's replay) is applied as it was.
func TestPolicyChange_keepsRecords(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	before, _ := newStore(t, c, "{change}")
	ctx := t.Context()
	var decided Decision
	for _, e := range days("full@example.com", "mailbox_full", 3, false, nil) {
		r, err := before.Apply(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		decided = r.Decision
	}
	recBefore, _ := before.Get(ctx, "full@example.com")

	p := DefaultPolicy()
	p.Rules = map[string]Rule{"mailbox_full": {Action: ActionNotify}}
	after := New(c, "{change}", p, testLogger(t))
	after.now = before.now
	recAfter, err := after.Get(ctx, "full@example.com")
	if err != nil || !recAfter.Suppressed || !recAfter.ExpiresAt.Equal(recBefore.ExpiresAt) {
		t.Errorf("Get() under the new policy = %+v, %v; want the suppression unchanged", recAfter, err)
	}
	// Reapplying the new policy lifts what it would not suppress.
	if got, err := after.Reapply(ctx, "op", true); err != nil || !slices.Equal(got, []string{"full@example.com"}) {
		t.Errorf("Reapply(dry run) = %v, %v", got, err)
	}
	if ok, _ := after.IsSuppressed(ctx, "full@example.com", ScopeAll); !ok {
		t.Error("a dry run lifted")
	}
	defer func() {
		if got, err := after.Reapply(ctx, "op", false); err != nil || !slices.Equal(got, []string{"replayed@example.com", "full@example.com"}) {
			t.Errorf("Reapply() = %v, %v", got, err)
		}
		if ok, _ := after.IsSuppressed(ctx, "full@example.com", ScopeAll); ok {
			t.Error("Reapply() left full@example.com suppressed")
		}
		if a, _ := after.Audit(ctx, 1); len(a) != 1 || !strings.Contains(a[0].Note, "mailbox_full is notify") {
			t.Errorf("audit = %+v", a)
		}
	}()
	// New bounces follow the new policy...
	for _, e := range days("new@example.com", "mailbox_full", 3, false, nil) {
		if r, err := after.Apply(ctx, e); err != nil || r.Suppressed || r.Decision.Action != "notify" {
			t.Errorf("Apply() under the new policy = %+v, %v; want notify, not suppressed", r, err)
		}
	}
	// ...but a replayed entry carries its decision.
	for _, e := range days("replayed@example.com", "mailbox_full", 3, false, nil) {
		e.Decision = &decided
		if _, err := after.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := after.IsSuppressed(ctx, "replayed@example.com", ScopeAll); !ok {
		t.Error("replayed entries with their decision did not suppress as they did live")
	}
}

func TestPolicy_validate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Policy)
		wantKey string
	}{
		{"unknown reason", func(p *Policy) { p.Rules = map[string]Rule{"mailbox_ful": {Action: ActionNotify}} }, "policy.reasons.mailbox_ful"},
		{"invalid action", func(p *Policy) { p.Rules = map[string]Rule{"blocked": {Action: "block"}} }, "policy.reasons.blocked.action"},
		{"unknown scope", func(p *Policy) {
			p.Rules = map[string]Rule{"blocked": {Action: ActionSuppress, Scope: "newsletter"}}
		}, "policy.reasons.blocked.scope"},
		{"threshold below 1", func(p *Policy) {
			p.Rules = map[string]Rule{"mailbox_full": {Action: ActionCount, Scope: ScopeAll, Threshold: 0, Window: 7 * day}}
		}, "policy.reasons.mailbox_full.threshold"},
		{"window below a day", func(p *Policy) {
			p.Rules = map[string]Rule{"mailbox_full": {Action: ActionCount, Scope: ScopeAll, Threshold: 2, Window: time.Hour}}
		}, "policy.reasons.mailbox_full.window"},
		{"reprobe without expiry", func(p *Policy) {
			p.Rules = map[string]Rule{"user_unknown": {Action: ActionSuppress, Scope: ScopeAll, Reprobe: day}}
		}, "policy.reasons.user_unknown.reprobe"},
		{"bad stream name", func(p *Policy) { p.Streams = []string{"My Stream"} }, "policy.streams"},
		{"allow entry not an address", func(p *Policy) { p.Allow = []string{"ok.example", "nope"} }, "policy.allow[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultPolicy()
			tc.edit(&p)
			err := p.Validate()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.wantKey) {
				t.Errorf("Validate() = %v, want ErrInvalid naming %s", err, tc.wantKey)
			}
		})
	}
	if err := DefaultPolicy().Validate(); err != nil {
		t.Errorf("DefaultPolicy().Validate() = %v", err)
	}
	p := DefaultPolicy()
	p.Streams = []string{"news"}
	p.Rules = map[string]Rule{"filtered": {Action: ActionSuppress, Scope: "news", Expiry: 7 * day, Reprobe: day}}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate(valid stream rule) = %v", err)
	}
}

// TestLegacyRecords: records written before scopes (one scope field, a
// bare address in the expiry set, no scope sets but all and marketing)
// expire, widen and lift as new ones do.
func TestLegacyRecords(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := newClient(t, srv)
	s, clk := newStore(t, c, "{legacy}")
	ctx := t.Context()
	exp := base.Add(10 * day).UnixMilli()
	c.HSet(ctx, "{legacy}:addr:soft@example.com", "scope", "all", "expires_at", exp, "reason", "mailbox_full",
		"category", "mailbox_full", "kind", "bounce", "suppressed_at", base.UnixMilli(), "count", 3)
	c.SAdd(ctx, "{legacy}:suppressed", "soft@example.com")
	c.ZAdd(ctx, "{legacy}:expiry", redis.Z{Score: float64(exp), Member: "soft@example.com"})
	c.ZAdd(ctx, "{legacy}:idx:time", redis.Z{Score: float64(base.UnixMilli()), Member: "soft@example.com"})
	c.HSet(ctx, "{legacy}:addr:fbl@example.com", "scope", "marketing", "marketing", "1", "marketing_reason", "complaint",
		"marketing_category", "complaint", "marketing_at", base.UnixMilli(), "reason", "complaint", "category", "complaint",
		"kind", "complaint", "suppressed_at", base.UnixMilli(), "count", 1)
	c.SAdd(ctx, "{legacy}:suppressed:marketing", "fbl@example.com")
	c.ZAdd(ctx, "{legacy}:idx:time", redis.Z{Score: float64(base.UnixMilli()), Member: "fbl@example.com"})

	// SyncScopes puts the all-mail suppression in every scope's set.
	if err := s.SyncScopes(ctx); err != nil {
		t.Fatal(err)
	}
	if got := inSets(t, s, "soft@example.com"); !slices.Equal(got, everyScope) {
		t.Errorf("legacy soft suppression in %v, want every scope", got)
	}
	// A hard bounce widens the legacy complaint to all mail.
	r, err := s.Apply(ctx, bounceOf("h", "fbl@example.com", "user_unknown", day))
	if err != nil || !r.NewlySuppressed || r.Scope != ScopeAll {
		t.Errorf("Apply(hard after legacy complaint) = %+v, %v", r, err)
	}
	// The legacy expiry lifts the soft one everywhere.
	clk.Set(base.Add(11 * day))
	if n, err := s.Sweep(ctx); err != nil || n != 1 {
		t.Errorf("Sweep() = %d, %v, want 1", n, err)
	}
	if got := inSets(t, s, "soft@example.com"); got != nil {
		t.Errorf("legacy soft suppression after expiry in %v, want none", got)
	}
	// Lifting the widened one leaves no set holding it.
	if ok, err := s.Remove(ctx, "fbl@example.com", "op", ""); err != nil || !ok {
		t.Fatalf("Remove() = %v, %v", ok, err)
	}
	if got := inSets(t, s, "fbl@example.com"); got != nil {
		t.Errorf("after Remove in %v", got)
	}
	if n, _ := s.Count(ctx); n != 0 {
		t.Errorf("Count() = %d, want 0", n)
	}
}
