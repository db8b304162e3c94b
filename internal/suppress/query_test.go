package suppress

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

func newQueryStore(t *testing.T) (*Store, *redis.Client) {
	t.Helper()
	rs := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { c.Close() })
	return New(c, "{q}", DefaultPolicy(), nil), c
}

// allPages follows the cursor from the first page to the last.
func allPages(t *testing.T, s *Store, o QueryOptions, between func(page int)) []string {
	t.Helper()
	var got []string
	for i := 0; ; i++ {
		p, err := s.Query(context.Background(), o)
		if err != nil {
			t.Fatalf("Query(%+v) page %d: %v", o, i, err)
		}
		for _, r := range p.Records {
			got = append(got, r.Address)
		}
		if p.Next == "" {
			return got
		}
		if i > 10000 {
			t.Fatal("cursor never ends")
		}
		o.Cursor = p.Next
		if between != nil {
			between(i)
		}
	}
}

func TestQuery_cursorIsStable(t *testing.T) {
	s, _ := newQueryStore(t)
	ctx := context.Background()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	var want []string
	// 30 addresses, several suppressed at the same millisecond (ties).
	for i := 0; i < 30; i++ {
		a := fmt.Sprintf("u%02d@%s", i, []string{"example.com", "docomo.ne.jp"}[i%2])
		at := base.Add(time.Duration(i/3) * time.Second)
		// Reasons the default policy suppresses at the first bounce.
		reason := []string{"user_unknown", "host_unknown", "user_unknown"}[i%3]
		e := Entry{IdempotencyKey: "k" + a, Recipient: a, Verdict: outcome.Verdict{Kind: "bounce", Reason: reason, Category: reason, Hard: true}, At: at}
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
		want = append(want, a)
	}
	got := allPages(t, s, QueryOptions{Limit: 4}, nil)
	if len(got) != 30 {
		t.Fatalf("pages hold %d addresses, want 30: %v", len(got), got)
	}
	seen := map[string]bool{}
	for _, a := range got {
		if seen[a] {
			t.Fatalf("%s listed twice", a)
		}
		seen[a] = true
	}
	// Newest first.
	if got[0] != "u29@docomo.ne.jp" && got[0] != "u28@example.com" && got[0] != "u27@docomo.ne.jp" {
		t.Errorf("first = %s, want one of the newest", got[0])
	}

	// Lifting the last address of each page between pages (the cursor's
	// own) neither repeats nor skips any address still listed.
	var lifted []string
	o := QueryOptions{Limit: 5}
	var listed []string
	for {
		p, err := s.Query(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Records {
			listed = append(listed, r.Address)
		}
		if p.Next == "" {
			break
		}
		last := p.Records[len(p.Records)-1].Address
		if _, err := s.Remove(ctx, last, "test", ""); err != nil {
			t.Fatal(err)
		}
		lifted = append(lifted, last)
		o.Cursor = p.Next
	}
	if len(listed) != 30 {
		t.Errorf("with lifts between pages: %d listed, want 30 (each once): %v", len(listed), listed)
	}
	page, _ := s.Query(ctx, QueryOptions{})
	if page.Total == nil || *page.Total != int64(30-len(lifted)) {
		t.Errorf("total after %d lifts = %v", len(lifted), page.Total)
	}
}

func TestQuery_filters(t *testing.T) {
	s, _ := newQueryStore(t)
	ctx := context.Background()
	now := time.Now()
	for _, e := range []Entry{
		{IdempotencyKey: "1", Recipient: "taro@docomo.ne.jp", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true}, At: now.Add(-3 * time.Hour)},
		{IdempotencyKey: "2", Recipient: "hanako@ezweb.ne.jp", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true}, At: now.Add(-2 * time.Hour)},
		{IdempotencyKey: "3", Recipient: "tanaka@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "host_unknown", Category: "host_unknown", Hard: true}, At: now.Add(-time.Hour)},
		{IdempotencyKey: "4", Recipient: "tarou@example.com", Verdict: outcome.Verdict{Kind: "complaint", Reason: "complaint", Category: "complaint"}, At: now.Add(-30 * time.Minute)},
	} {
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		o    QueryOptions
		want string
	}{
		{"all", QueryOptions{}, "tarou@example.com tanaka@example.com hanako@ezweb.ne.jp taro@docomo.ne.jp"},
		{"reason", QueryOptions{Reason: "user_unknown"}, "hanako@ezweb.ne.jp taro@docomo.ne.jp"},
		{"category", QueryOptions{Category: "host_unknown"}, "tanaka@example.com"},
		{"scope", QueryOptions{Scope: "marketing"}, "tarou@example.com"},
		{"domain", QueryOptions{Domain: "@Example.com"}, "tarou@example.com tanaka@example.com"},
		{"carrier docomo", QueryOptions{Carrier: "docomo"}, "taro@docomo.ne.jp"},
		{"carrier au", QueryOptions{Carrier: "au"}, "hanako@ezweb.ne.jp"},
		{"prefix", QueryOptions{Prefix: "TAR"}, "taro@docomo.ne.jp tarou@example.com"},
		{"prefix and domain", QueryOptions{Prefix: "ta", Domain: "example.com"}, "tanaka@example.com tarou@example.com"},
		{"since", QueryOptions{Since: now.Add(-90 * time.Minute)}, "tarou@example.com tanaka@example.com"},
		{"until", QueryOptions{Until: now.Add(-90 * time.Minute)}, "hanako@ezweb.ne.jp taro@docomo.ne.jp"},
		{"prefix and time", QueryOptions{Prefix: "ta", Until: now.Add(-90 * time.Minute)}, "taro@docomo.ne.jp"},
		{"reason and domain", QueryOptions{Reason: "user_unknown", Domain: "docomo.ne.jp"}, "taro@docomo.ne.jp"},
		{"none", QueryOptions{Reason: "mailbox_full"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, limit := range []int{1, 100} {
				o := tc.o
				o.Limit = limit
				if got := strings.Join(allPages(t, s, o, nil), " "); got != tc.want {
					t.Errorf("Query(%+v) = %q, want %q", o, got, tc.want)
				}
			}
		})
	}
	// A cursor of other filters is refused.
	p, _ := s.Query(ctx, QueryOptions{Limit: 1})
	if _, err := s.Query(ctx, QueryOptions{Limit: 1, Reason: "user_unknown", Cursor: p.Next}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Query(cursor of other filters) = %v, want ErrInvalid", err)
	}
	if _, err := s.Query(ctx, QueryOptions{Cursor: "!!"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Query(bad cursor) = %v, want ErrInvalid", err)
	}
}

func TestAdd_batchIsIdempotentAndAudited(t *testing.T) {
	s, _ := newQueryStore(t)
	ctx := context.Background()
	exp := time.Now().Add(48 * time.Hour)
	adds := []Addition{
		{Address: "Hand@Example.net", Reason: "user_unknown", Note: "asked by phone"},
		{Address: "mkt@example.net", Scope: "marketing"},
		{Address: "tmp@example.net", ExpiresAt: exp},
		{Address: "no-at-sign"},
		{Address: "x@example.net", Reason: "no_such_reason"},
		{Address: "y@example.net", Scope: "newsletter"}, // not a scope of the policy
		{Address: "z@example.net", Scope: "marketing", ExpiresAt: exp},
	}
	res, err := s.Add(ctx, "alice", adds)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{AddAdded, AddAdded, AddAdded, AddRefused, AddRefused, AddRefused, AddAdded}
	for i, r := range res {
		if r.Status != want[i] {
			t.Errorf("Add()[%d] = %+v, want %s", i, r, want[i])
		}
	}
	rec, err := s.Get(ctx, "hand@example.net")
	if err != nil || !rec.Suppressed || rec.Kind != KindManual || rec.Reason != "user_unknown" || !rec.Hard || rec.Note != "asked by phone" || rec.AsWritten != "Hand@Example.net" {
		t.Fatalf("record = %+v, %v", rec, err)
	}
	if ok, _ := s.IsSuppressed(ctx, "mkt@example.net", "all"); ok {
		t.Error("marketing addition suppresses all mail")
	}
	if ok, _ := s.IsSuppressed(ctx, "mkt@example.net", "marketing"); !ok {
		t.Error("marketing addition does not suppress marketing mail")
	}
	if rec, _ := s.Get(ctx, "z@example.net"); !rec.Suppressed || rec.Scope != ScopeMarketing || rec.ExpiresAt.UnixMilli() != exp.UnixMilli() {
		t.Errorf("marketing addition with an expiry = %+v, want scope marketing until %v", rec, exp)
	}
	rec, _ = s.Get(ctx, "tmp@example.net")
	if rec.ExpiresAt.UnixMilli() != exp.UnixMilli() || rec.Reason != ReasonManual {
		t.Errorf("expiring record = %+v", rec)
	}
	// Again: nothing changes; widening and making permanent do.
	res, _ = s.Add(ctx, "alice", adds[:3])
	for i, r := range res {
		if r.Status != AddUnchanged {
			t.Errorf("Add() again [%d] = %+v, want unchanged", i, r)
		}
	}
	res, _ = s.Add(ctx, "bob", []Addition{{Address: "mkt@example.net"}, {Address: "tmp@example.net"}})
	if res[0].Status != AddWidened || res[1].Status != AddExtended {
		t.Errorf("Add(widen, make permanent) = %+v", res)
	}
	aud, err := s.AddressAudit(ctx, "mkt@example.net")
	if err != nil || len(aud) != 2 || aud[0].Actor != "bob" || aud[1].Actor != "alice" || aud[0].Action != "add" {
		t.Errorf("AddressAudit = %+v, %v", aud, err)
	}
	hist, _ := s.History(ctx, "hand@example.net")
	if len(hist) != 1 || hist[0].Kind != KindManual || hist[0].Actor != "alice" {
		t.Errorf("History = %+v", hist)
	}
	page, _ := s.Query(ctx, QueryOptions{Prefix: "hand"})
	if len(page.Records) != 1 {
		t.Errorf("an addition is not in the address index: %+v", page)
	}
	if _, err := s.Add(ctx, "x", make([]Addition, MaxBatch+1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("Add(%d) = %v, want ErrInvalid", MaxBatch+1, err)
	}
	// A bounce after a manual suppression keeps it suppressed, and the
	// lift removes it from every index.
	if ok, err := s.Remove(ctx, "hand@example.net", "carol", "wrong number"); !ok || err != nil {
		t.Fatalf("Remove = %v, %v", ok, err)
	}
	page, _ = s.Query(ctx, QueryOptions{Prefix: "hand"})
	if len(page.Records) != 0 {
		t.Errorf("a lifted address is still in the address index: %+v", page)
	}
}

func TestImportExport_roundTrip(t *testing.T) {
	s, _ := newQueryStore(t)
	ctx := context.Background()
	ses := "EmailAddress,Reason,LastUpdateTime\n" +
		"a@example.jp,BOUNCE,2026-11-01T10:00:00Z\n" +
		"b@example.jp,COMPLAINT,2026-11-02T10:00:00.5Z\n" +
		"not-an-address,BOUNCE,2026-11-01T10:00:00Z\n" +
		"c@example.jp,UNSUBSCRIBE,2026-11-01T10:00:00Z\n" +
		"d@example.jp,BOUNCE,yesterday\n" +
		"\"broken,BOUNCE\n"
	rep, err := s.Import(ctx, strings.NewReader(ses), ImportOptions{Format: FormatCSV, Actor: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Columns != ColumnsSES || rep.Added != 2 || rep.Refused != 4 || len(rep.RefusedRows) != 4 {
		t.Fatalf("Import(ses) = %+v", rep)
	}
	if rep.RefusedRows[0].Line != 4 || rep.RefusedRows[0].Address != "not-an-address" || rep.RefusedRows[1].Line != 5 || !strings.Contains(rep.RefusedRows[1].Error, "UNSUBSCRIBE") {
		t.Errorf("refused rows = %+v", rep.RefusedRows)
	}
	rec, _ := s.Get(ctx, "a@example.jp")
	if !rec.Suppressed || rec.Scope != ScopeAll || !rec.Hard || rec.SuppressedAt != time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC) || rec.Source != "import:ses" {
		t.Errorf("imported record = %+v", rec)
	}
	rec, _ = s.Get(ctx, "b@example.jp")
	if rec.Reason != "complaint" || rec.Scope != ScopeMarketing {
		t.Errorf("imported complaint = %+v", rec)
	}
	// Idempotent.
	rep, _ = s.Import(ctx, strings.NewReader(ses), ImportOptions{Format: FormatCSV, Actor: "ops"})
	if rep.Added != 0 || rep.Unchanged != 2 {
		t.Errorf("Import(ses) again = %+v", rep)
	}
	mg := `{"address": "m@example.jp", "code": "550", "error": "5.1.1 The email account that you tried to reach does not exist", "created_at": "Fri, 21 Oct 2011 11:02:55 UTC"}
{"address": "n@example.jp", "code": "552", "error": "5.2.2 mailbox full", "created_at": "Fri, 21 Oct 2011 11:02:55 UTC"}
not json
`
	rep, err = s.Import(ctx, strings.NewReader(mg), ImportOptions{Format: FormatJSONL, Actor: "ops", Note: "from mailgun"})
	if err != nil || rep.Columns != ColumnsMailgun || rep.Added != 2 || rep.Refused != 1 || rep.RefusedRows[0].Line != 3 {
		t.Fatalf("Import(mailgun) = %+v, %v", rep, err)
	}
	rec, _ = s.Get(ctx, "m@example.jp")
	if rec.Reason != "user_unknown" || rec.Category != "user_unknown" || !strings.HasPrefix(rec.Note, "mailgun: 550") {
		t.Errorf("mailgun record = %+v", rec)
	}
	rec, _ = s.Get(ctx, "n@example.jp")
	if rec.Reason != "mailbox_full" {
		t.Errorf("mailgun 552 record = %+v", rec)
	}

	// Export in each column set, and read our own back into another store.
	for _, cols := range []string{ColumnsBounced, ColumnsSES, ColumnsMailgun} {
		var buf bytes.Buffer
		n, err := s.Export(ctx, &buf, FormatCSV, cols, nil)
		if err != nil || n != 4 {
			t.Fatalf("Export(%s) = %d, %v", cols, n, err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows) != 5 {
			t.Fatalf("Export(%s) csv: %d rows, %v", cols, len(rows), err)
		}
		if cols == ColumnsSES && (rows[0][0] != "EmailAddress" || rows[1][0] != "a@example.jp" || rows[2][1] != "COMPLAINT" || rows[1][2] != "2026-11-01T10:00:00Z") {
			t.Errorf("SES export = %v", rows)
		}
		if cols == ColumnsMailgun && (rows[0][1] != "code" || rows[3][1] != "550") {
			t.Errorf("Mailgun export = %v", rows)
		}
		s2, _ := newQueryStore(t)
		rep, err := s2.Import(ctx, bytes.NewReader(mustExport(t, s, FormatCSV, cols)), ImportOptions{Actor: "copy"})
		if err != nil || rep.Added != 4 || rep.Refused != 0 {
			t.Errorf("Import(Export(%s)) = %+v, %v", cols, rep, err)
		}
	}
	var buf bytes.Buffer
	if n, err := s.Export(ctx, &buf, FormatJSONL, ColumnsBounced, nil); err != nil || n != 4 || strings.Count(buf.String(), "\n") != 4 {
		t.Errorf("Export(jsonl) = %d, %v: %s", n, err, buf.String())
	}
	aud, _ := s.Audit(ctx, 10)
	if len(aud) != 3 || aud[0].Action != "import" || !strings.Contains(aud[0].Note, "2 added") {
		t.Errorf("audit after imports = %+v", aud)
	}
}

func mustExport(t *testing.T, s *Store, format, cols string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.Export(context.Background(), &buf, format, cols, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestStats_perDay(t *testing.T) {
	s, _ := newQueryStore(t)
	ctx := context.Background()
	d1 := time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC)
	d2 := time.Date(2026, 12, 1, 0, 1, 0, 0, time.UTC)
	for i, e := range []Entry{
		{Recipient: "a@docomo.ne.jp", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown", Hard: true}, At: d1},
		{Recipient: "b@docomo.ne.jp", Verdict: outcome.Verdict{Kind: "bounce", Reason: "blocked", Category: "policy_block"}, At: d2},
		{Recipient: "c@example.com", Verdict: outcome.Verdict{Kind: "delay", Reason: "expired", Category: "transient"}, At: d2},
		{Recipient: "b@docomo.ne.jp", Verdict: outcome.Verdict{Kind: "bounce", Reason: "blocked", Category: "policy_block"}, At: d2},
	} {
		e.IdempotencyKey = fmt.Sprint("s", i)
		if i == 3 {
			e.IdempotencyKey = "s1" // a duplicate counts once
		}
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats(ctx, StatsOptions{Since: d1, Until: d2})
	if err != nil || len(st) != 2 {
		t.Fatalf("Stats = %+v, %v", st, err)
	}
	if st[0].Day != "2026-11-30" || st[0].Total != 1 || st[0].Suppressed != 1 || st[0].Carrier["docomo"] != 1 || st[0].Reason["user_unknown"] != 1 {
		t.Errorf("day 1 = %+v", st[0])
	}
	if st[1].Total != 2 || st[1].Kind["delay"] != 1 || st[1].Category["policy_block"] != 1 || st[1].Domain["docomo.ne.jp"] != 1 || st[1].Category["transient"] != 0 {
		t.Errorf("day 2 = %+v", st[1])
	}
	if _, err := s.Stats(ctx, StatsOptions{Since: d2, Until: d1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Stats(since > until) = %v, want ErrInvalid", err)
	}
}

// TestQuery_addressIndexBuiltForOldStores: a store written before the
// address index existed gets it on the first prefix query.
func TestQuery_addressIndexBuiltForOldStores(t *testing.T) {
	s, c := newQueryStore(t)
	ctx := context.Background()
	for i, a := range []string{"old1@example.com", "old2@example.com", "new@example.com"} {
		if _, err := s.Apply(ctx, Entry{IdempotencyKey: fmt.Sprint(i), Recipient: a, Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Hard: true}}); err != nil {
			t.Fatal(err)
		}
	}
	c.Del(ctx, s.key("idx", "addr"))
	s2 := New(c, "{q}", DefaultPolicy(), nil)
	if got := strings.Join(allPages(t, s2, QueryOptions{Prefix: "old"}, nil), " "); got != "old1@example.com old2@example.com" {
		t.Errorf("Query(prefix old) on an old store = %q", got)
	}
}
